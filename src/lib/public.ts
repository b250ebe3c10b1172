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
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Path pattern, e.g. `/rest/v1.0/projects/*\/rfis` (`*` one segment, `**` any). */
  path: string;
  /** Only requests for this company (Procore-Company-Id header, `company_id` query, or the token's). */
  company_id?: number;
  /** Answer with this status and Procore's error body for it (429 with rate-limit headers). */
  status?: number;
  /** Wait this long first (then answer `status`, or let the request through). */
  delay_ms?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** Fraction of matching requests affected, 0–1 (default 1). */
  rate?: number;
  /** Affect only the next N matching requests, then the rule is removed. */
  times?: number;
  /** `Retry-After` seconds of a 429 or 503 (default 1). */
  retry_after?: number;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** Requests the rule has answered. */
  hits: number;
  created_at: string;
}

export interface JournalEntry {
  id: number;
  /** ISO time the request arrived (server clock). */
  time: string;
  method: string;
  /** Path with query; values of secret parameters are `[redacted]`. */
  path: string;
  /** HTTP status; 0 when the connection was dropped by a fault. */
  status: number;
  duration_ms: number;
  environment: string;
  company_id: number | null;
  /** What answered: `route GET /rest/v1.0/projects/:project_id/rfis`, `fault f1`, `prefer status=503`, `no route`. */
  answered_by: string;
  /** For a refusal (status ≥ 400 or dropped) the reason in words, else null. */
  why: string | null;
}

export interface JournalQuery {
  company_id?: number;
  /** A path prefix, or a pattern with `*` / `**` (matched without the query). */
  path?: string;
  /** An exact status (`404`) or a class (`4xx`). */
  status?: string;
  /** Only requests at or after this ISO time. */
  since?: string;
  /** Newest first; default 100. */
  limit?: number;
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
