/**
 * The public types of the Node library (`import { startSandbox } from 'procore-sandbox'`).
 * Self-contained on purpose: this file is what `dist/types/public.d.ts` declares, so it imports
 * nothing. `src/index.ts` implements `startSandbox` with exactly this signature.
 */

export interface StartSandboxOptions {
  /** Sandbox environment port; 0 (default) picks a free one. */
  port?: number;
  /** Production environment port; default a free one when `port` is 0, else `port + 1`. */
  productionPort?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Database: `:memory:` (default), a SQLite file path, or `postgres://…`. */
  db?: string;
  /** Server key file (default: beside a SQLite file; a fresh key for `:memory:`). */
  keyFile?: string;
  /** Admin API key (default: `PROCORE_SANDBOX_ADMIN_KEY`, else generated). */
  adminKey?: string;
  /** Access-token lifetime in seconds (default 5400, as Procore). */
  tokenLifetimeSeconds?: number;
  /** Rate limits per app+user (default 3600 per hour, 25 per 10 s, on). */
  rateLimit?: { hourly?: number; spike?: number; enabled?: boolean };
  /** Honour `Prefer: status=…` / `Prefer: delay=…` on the API (default true). */
  prefer?: boolean;
  /** Requests the journal keeps (default 1000). */
  journalSize?: number;
  /** Server log level (default `silent`). */
  logLevel?: 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

export interface SandboxUser {
  email: string;
  name: string;
  /** The seeded users' shared password (sign in on the login page). */
  password: string;
}

/** `/oauth/token`'s answer. */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  created_at: number;
}

export interface FaultRuleInput {
  /** HTTP method (any when absent). */
  method?: string;
  /** Path pattern: `*` one segment, `**` any, e.g. `/rest/v1.0/projects/*\/rfis`. */
  path: string;
  /** Only requests for this company. */
  company_id?: number;
  /** Answer this status with Procore's error body (429: rate-limit headers and Retry-After). */
  status?: number;
  /** Wait this long first. */
  delay_ms?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** Fraction of matching requests affected, 0–1 (default 1). */
  rate?: number;
  /** Only the next N matching requests. */
  times?: number;
  /** Retry-After seconds of a 429 or 503 (default 1). */
  retry_after?: number;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  hits: number;
  created_at: string;
}

export interface JournalQuery {
  company_id?: number;
  /** A path prefix, or a pattern with `*` / `**`. */
  path?: string;
  /** `404` or `4xx`. */
  status?: string;
  /** ISO time. */
  since?: string;
  /** Newest first; default 100. */
  limit?: number;
}

export interface JournalEntry {
  id: number;
  time: string;
  method: string;
  /** Secret query values are `[redacted]`. */
  path: string;
  /** 0 when a fault dropped the connection. */
  status: number;
  duration_ms: number;
  environment: string;
  company_id: number | null;
  /** The route, fault or `Prefer` header that answered. */
  answered_by: string;
  /** Why it was refused, in words (e.g. "token expired at 2026-…"); null for a success. */
  why: string | null;
}

/** The sandbox's own clock; every method returns the sandbox's time afterwards (ISO 8601). */
export interface SandboxClock {
  now(): string;
  set(time: string | Date): string;
  advance(seconds: number): string;
  freeze(): string;
  unfreeze(): string;
}

export interface Sandbox {
  /** Origin of the sandbox environment, e.g. `http://127.0.0.1:43123`. */
  baseUrl: string;
  /** `${baseUrl}/rest/v1.0`. */
  apiUrl: string;
  /** Origin of the login service (`/oauth/authorize`, `/oauth/token`): the same server. */
  loginUrl: string;
  /** Origin of the production environment. */
  productionUrl: string;
  /** `${baseUrl}/__admin`, with `adminKey` as bearer. */
  adminUrl: string;
  adminKey: string;
  app: { name: string; clientId: string; clientSecret: string };
  companyId: number;
  projectId: number;
  users: SandboxUser[];
  /** A working access token for a user of the sandbox, or the service account's (client credentials) without an email. */
  token(email?: string): Promise<string>;
  /** The whole token response. */
  tokenResponse(email?: string): Promise<TokenResponse>;
  /** Back to the seed (ids as on first generation) and the clock back to real time. */
  reset(): Promise<void>;
  clock: SandboxClock;
  faults: { add(rule: FaultRuleInput): FaultRule; list(): FaultRule[]; remove(id: string): boolean; clear(): void };
  /** The last requests, newest first. */
  journal(query?: JournalQuery): Promise<JournalEntry[]>;
  stop(): Promise<void>;
}

/**
 * Starts an offline Procore sandbox (both environments) on free ports with an in-memory
 * database by default.
 *
 * @example
 * const sb = await startSandbox({ port: 0 });
 * const res = await fetch(`${sb.apiUrl}/me`, { headers: { Authorization: `Bearer ${await sb.token('sandbox+demo@example.com')}` } });
 * await sb.stop();
 */
export declare function startSandbox(options?: StartSandboxOptions): Promise<Sandbox>;
