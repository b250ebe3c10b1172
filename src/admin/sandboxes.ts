/**
 * The automation use cases the admin API, the CLI and the Node library share: list, create and
 * reset sandboxes, mint tokens without a browser, read and move a sandbox's clock. They reuse
 * `services/apps.ts` and the OAuth token issuing code (`oauth/issue.ts`, the client-credentials
 * grant); nothing here issues a token by itself.
 */
import { AdjustableClock } from '../core/clock.js';
import { newGrantId } from '../core/tokens.js';
import { findDeveloperByEmail, normalizeEmail } from '../db/repos/developers.js';
import { findSandboxByCompany } from '../db/repos/sandboxes.js';
import type { Environment, Row } from '../db/schema.js';
import { grants } from '../oauth/grants/index.js';
import { issueTokens, type TokenResponse } from '../oauth/issue.js';
import {
  createApp,
  findAppById,
  findClientCredential,
  parseJsonList,
  resetAppSandbox,
  revealCredentials,
  revealUserPassword,
} from '../services/apps.js';
import { DEFAULT_DEVELOPER_EMAIL, ensureDefaultSetup } from '../services/developers.js';
import type { AppContext } from '../context/context.js';

/** A refusal of an automation use case, with the HTTP status the admin API answers. */
export class AutomationError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'AutomationError';
  }
}

export interface ClockView {
  /** The sandbox's current time (ISO 8601, milliseconds). */
  now: string;
  frozen: boolean;
}

export interface SandboxUser {
  id: number;
  email: string;
  name: string;
}

export interface SandboxView {
  company_id: number;
  project_id: number;
  app: { id: number; name: string; client_id: string; client_secret: string; production_client_id: string };
  /** The seeded users (sign-in emails) and their shared password. */
  users: SandboxUser[];
  user_password: string;
  created_at: string;
  reset_at: string | null;
  clock: ClockView;
}

type AppSandbox = Row<'sandboxes'> & { app_id: number };

export function clockView(ctx: AppContext, sandboxId: number): ClockView {
  const clock = ctx.clock.forSandbox(sandboxId);
  const frozen = ctx.clock.frozen || (clock instanceof AdjustableClock && clock.frozen);
  return { now: new Date(clock.nowMs()).toISOString(), frozen };
}

export interface ClockChange {
  /** Seconds to move forward (negative: back). */
  advance?: number;
  /** An ISO 8601 time to jump to. */
  set?: string;
  /** Stop (true) or restart (false) the sandbox's time. */
  freeze?: boolean;
}

/** Moves a sandbox's clock; `set` before `advance`, `freeze` last. */
export function changeClock(ctx: AppContext, sandboxId: number, change: ClockChange): ClockView {
  let setMs: number | undefined;
  if (change.set !== undefined) {
    setMs = Date.parse(change.set);
    if (!Number.isFinite(setMs) || !/^\d{4}-\d{2}-\d{2}T/.test(change.set)) throw new AutomationError(422, 'set must be an ISO 8601 time');
  }
  if (change.advance !== undefined && !Number.isFinite(change.advance))
    throw new AutomationError(422, 'advance must be a number of seconds');
  const clock = ctx.clock.sandbox(sandboxId);
  if (setMs !== undefined) clock.set(setMs);
  if (change.advance !== undefined) clock.advance(Math.round(change.advance * 1000));
  if (change.freeze === true) clock.freeze();
  if (change.freeze === false) clock.unfreeze();
  return clockView(ctx, sandboxId);
}

/** The sandbox of a company id (of a live app), or a 404. */
export async function sandboxOfCompany(ctx: AppContext, companyId: number): Promise<AppSandbox> {
  const sandbox = await findSandboxByCompany(ctx.db, companyId);
  if (!sandbox || sandbox.app_id === null) throw new AutomationError(404, `no sandbox has company id ${companyId}`);
  return sandbox as AppSandbox;
}

async function appSandbox(ctx: AppContext, appId: number): Promise<AppSandbox> {
  const sandbox = await ctx.db.selectFrom('sandboxes').selectAll().where('app_id', '=', appId).executeTakeFirst();
  if (!sandbox) throw new AutomationError(404, `app ${appId} has no sandbox`);
  return sandbox as AppSandbox;
}

export async function sandboxUsers(ctx: AppContext, sandbox: Row<'sandboxes'>): Promise<SandboxUser[]> {
  const rows = await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'first_name', 'last_name'])
    .where('sandbox_id', '=', sandbox.id)
    .where('company_id', '=', sandbox.company_id)
    .where('is_service_account', '=', 0)
    .orderBy('id')
    .execute();
  return rows.map((u) => ({ id: Number(u.id), email: u.email, name: `${u.first_name} ${u.last_name}`.trim() }));
}

export async function describeSandbox(ctx: AppContext, sandbox: AppSandbox): Promise<SandboxView> {
  const [app, creds, prod, users] = await Promise.all([
    findAppById(ctx, sandbox.app_id),
    revealCredentials(ctx, sandbox.app_id, 'sandbox'),
    revealCredentials(ctx, sandbox.app_id, 'production'),
    sandboxUsers(ctx, sandbox),
  ]);
  if (!app || !creds || !prod) throw new AutomationError(404, `no sandbox has company id ${sandbox.company_id}`);
  return {
    company_id: Number(sandbox.company_id),
    project_id: Number(sandbox.project_id),
    app: {
      id: Number(app.id),
      name: app.name,
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      production_client_id: prod.clientId,
    },
    users,
    user_password: revealUserPassword(ctx, sandbox),
    created_at: sandbox.created_at,
    reset_at: sandbox.reset_at,
    clock: clockView(ctx, sandbox.id),
  };
}

export async function listSandboxes(ctx: AppContext): Promise<SandboxView[]> {
  const rows = await ctx.db.selectFrom('sandboxes').selectAll().where('app_id', 'is not', null).orderBy('id').execute();
  return Promise.all(rows.map((s) => describeSandbox(ctx, s as AppSandbox)));
}

/** Checks an app name as the portal does (1–100 characters, no control characters). */
export function appNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) return 'name must be 1 to 100 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed) || /[\uD800-\uDFFF]/.test(trimmed.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')))
    return 'name must not contain control characters';
  return null;
}

/** A new app (of the default developer) with its sandbox. */
export async function createSandbox(ctx: AppContext, name: string): Promise<SandboxView> {
  const problem = appNameProblem(name);
  if (problem) throw new AutomationError(422, problem);
  const developer = (await findDeveloperByEmail(ctx.db, DEFAULT_DEVELOPER_EMAIL)) ?? (await ensureDefaultSetup(ctx)).developer;
  const created = await createApp(ctx, { developerId: developer.id, name: name.trim() });
  return describeSandbox(ctx, created.sandbox as AppSandbox);
}

/** Back to the seed, ids as on first generation; the sandbox's clock back to server time. */
export async function resetSandbox(ctx: AppContext, sandbox: AppSandbox): Promise<SandboxView> {
  ctx.clock.releaseSandbox(sandbox.id);
  const fresh = await resetAppSandbox(ctx, sandbox.app_id);
  return describeSandbox(ctx, fresh as AppSandbox);
}

export interface MintTokenInput {
  appId: number;
  environment?: Environment;
  /** A user of the app's sandbox; absent: the sandbox's service account (client credentials). */
  email?: string;
}

/**
 * A token as `/oauth/token` would answer it, without a browser: for a user (as if they had
 * approved the app: with a refresh token) or for the service account (client credentials).
 */
export async function mintToken(ctx: AppContext, input: MintTokenInput): Promise<TokenResponse> {
  const environment = input.environment ?? 'sandbox';
  const app = await findAppById(ctx, input.appId);
  if (!app) throw new AutomationError(404, `app ${input.appId} not found`);
  const creds = await revealCredentials(ctx, app.id, environment);
  const credential = creds && (await findClientCredential(ctx, creds.clientId));
  if (!credential) throw new AutomationError(404, `app ${app.id} has no ${environment} credentials`);
  const client = {
    credentialId: Number(credential.credential_id),
    appId: Number(credential.app_id),
    appName: credential.app_name,
    clientId: credential.client_id,
    environment,
    redirectUris: parseJsonList(credential.redirect_uris),
    grantTypes: parseJsonList(credential.grant_types),
  };
  if (input.email === undefined) {
    const grant = grants.get('client_credentials');
    if (!grant) throw new AutomationError(422, 'client credentials are not supported');
    if (!grant.isAllowed(client)) throw new AutomationError(422, `app "${app.name}" has not registered the client_credentials grant`);
    // Minted by the admin API or the CLI, not over the wire: no client IP to throttle on.
    return grant.handle({ ctx, environment, client, params: new Map<string, string>(), ip: 'admin' });
  }
  const sandbox = await appSandbox(ctx, app.id);
  const user = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('sandbox_id', '=', sandbox.id)
    .where('email', '=', normalizeEmail(input.email))
    .where('is_service_account', '=', 0)
    .executeTakeFirst();
  if (!user) {
    const known = (await sandboxUsers(ctx, sandbox)).map((u) => u.email).join(', ');
    throw new AutomationError(422, `no user ${input.email} in the sandbox of "${app.name}" (users: ${known})`);
  }
  return issueTokens(ctx.db, ctx, {
    credentialId: client.credentialId,
    environment,
    sandboxId: sandbox.id,
    userId: Number(user.id),
    grantId: newGrantId(),
    authCodeId: null,
    withRefresh: true,
  });
}
