/**
 * Apps and their credentials and sandboxes: the use cases shared by the portal, the CLI, the
 * first-start bootstrap and the login service.
 */
import { randomBytes } from 'node:crypto';
import { isoSeconds } from '../core/clock.js';
import { hashGeneratedPassword, randomCredential } from '../core/crypto.js';
import { findDeveloperById } from '../db/repos/developers.js';
import { findSandboxByApp, insertSandbox, resetSandboxRows } from '../db/repos/sandboxes.js';
import { SANDBOX_TABLES, type Environment, type Row } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import { withSerializationRetry } from '../db/retry.js';
import { getSeedAssets } from './seed-assets.js';
import { sandboxPlanner } from './seed.js';

export const DEFAULT_REDIRECT_URIS = ['http://localhost', 'urn:ietf:wg:oauth:2.0:oob'] as const;
export const DEFAULT_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

export interface CreatedApp {
  app: Row<'apps'>;
  sandbox: Row<'sandboxes'>;
  sandboxCredentials: Credentials;
  productionCredentials: Credentials;
}

/** A readable random password for the sandbox's seeded users (96 random bits). */
function newUserPassword(): string {
  return `Sandbox-${randomBytes(12).toString('base64url')}`;
}

export async function createApp(
  ctx: AppContext,
  input: { developerId: number; name: string; redirectUris?: readonly string[]; grantTypes?: readonly string[] },
): Promise<CreatedApp> {
  const developer = await findDeveloperById(ctx.db, input.developerId);
  if (!developer) throw new Error(`developer ${input.developerId} not found`);
  const userPassword = newUserPassword();
  // Generated, not chosen: a salted SHA-256 is enough (see core/crypto.ts), no scrypt.
  const userPasswordHash = hashGeneratedPassword(userPassword);
  const assets = await getSeedAssets();
  const creds = {
    sandbox: { clientId: randomCredential(), clientSecret: randomCredential() },
    production: { clientId: randomCredential(), clientSecret: randomCredential() },
  };

  return withSerializationRetry(() =>
    ctx.db.transaction().execute(async (trx) => {
      const nowMs = ctx.clock.nowMs();
      const now = isoSeconds(nowMs);
      const app = await trx
        .insertInto('apps')
        .values({
          developer_id: developer.id,
          name: input.name,
          redirect_uris: JSON.stringify(input.redirectUris ?? DEFAULT_REDIRECT_URIS),
          grant_types: JSON.stringify(input.grantTypes ?? DEFAULT_GRANT_TYPES),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      for (const environment of ['sandbox', 'production'] as const) {
        const c = creds[environment];
        await trx
          .insertInto('app_credentials')
          .values({
            app_id: app.id,
            environment,
            client_id: c.clientId,
            secret_enc: ctx.secrets.encrypt(c.clientSecret),
            secret_hash: ctx.secrets.mac(c.clientSecret),
            created_at: now,
            rotated_at: null,
          })
          .execute();
      }
      const sandbox = await insertSandbox(trx, {
        plan: sandboxPlanner({
          assets,
          appName: app.name,
          developer: { id: developer.id, email: developer.email, name: developer.name, passwordHash: developer.password_hash },
          nowMs,
        }),
        appId: app.id,
        userPasswordEnc: ctx.secrets.encrypt(userPassword),
        userPasswordHash,
        nowMs,
      });
      return { app, sandbox, sandboxCredentials: creds.sandbox, productionCredentials: creds.production };
    }),
  );
}

export function findAppById(ctx: AppContext, appId: number) {
  return ctx.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
}

export function listAppsOfDeveloper(ctx: AppContext, developerId: number) {
  return ctx.db.selectFrom('apps').selectAll().where('developer_id', '=', developerId).orderBy('id').execute();
}

export function parseJsonList(value: string): string[] {
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
}

/** The app's credentials for one environment, with the secret decrypted (for its owner only). */
export async function revealCredentials(ctx: AppContext, appId: number, environment: Environment): Promise<Credentials | undefined> {
  const row = await ctx.db
    .selectFrom('app_credentials')
    .selectAll()
    .where('app_id', '=', appId)
    .where('environment', '=', environment)
    .executeTakeFirst();
  return row ? { clientId: row.client_id, clientSecret: ctx.secrets.decrypt(row.secret_enc) } : undefined;
}

/** The seeded users' shared password of a sandbox (shown to the app's owner). */
export function revealUserPassword(ctx: AppContext, sandbox: Row<'sandboxes'>): string {
  return ctx.secrets.decrypt(sandbox.user_password_enc);
}

/**
 * Replaces an environment's client secret. The old secret stops working at once, and every
 * token issued to that credential is revoked.
 */
export async function resetClientSecret(ctx: AppContext, appId: number, environment: Environment): Promise<Credentials> {
  const secret = randomCredential();
  return ctx.db.transaction().execute(async (trx) => {
    const now = isoSeconds(ctx.clock.nowMs());
    const row = await trx
      .updateTable('app_credentials')
      .set({ secret_enc: ctx.secrets.encrypt(secret), secret_hash: ctx.secrets.mac(secret), rotated_at: now })
      .where('app_id', '=', appId)
      .where('environment', '=', environment)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('access_tokens')
      .set({ revoked_at: now })
      .where('credential_id', '=', row.id)
      .where('revoked_at', 'is', null)
      .execute();
    await trx
      .updateTable('auth_codes')
      .set({ consumed_at: now })
      .where('credential_id', '=', row.id)
      .where('consumed_at', 'is', null)
      .execute();
    return { clientId: row.client_id, clientSecret: secret };
  });
}

/** Resets the app's sandbox to its seed (same ids; created rows vanish, seeded ones return). */
export async function resetAppSandbox(ctx: AppContext, appId: number): Promise<Row<'sandboxes'>> {
  const app = await findAppById(ctx, appId);
  if (!app) throw new Error(`app ${appId} not found`);
  const developer = await findDeveloperById(ctx.db, app.developer_id);
  const sandbox = await findSandboxByApp(ctx.db, appId);
  if (!sandbox) throw new Error(`app ${appId} has no sandbox`);
  const assets = await getSeedAssets();
  await ctx.db.transaction().execute((trx) =>
    resetSandboxRows(trx, sandbox, {
      plan: sandboxPlanner({
        appName: app.name,
        developer: developer
          ? { id: developer.id, email: developer.email, name: developer.name, passwordHash: developer.password_hash }
          : null,
        nowMs: ctx.clock.forSandbox(sandbox.id).nowMs(),
        assets,
      }),
      nowMs: ctx.clock.forSandbox(sandbox.id).nowMs(),
    }),
  );
  return (await findSandboxByApp(ctx.db, appId)) ?? sandbox;
}

/** Deletes an app with its credentials, codes, tokens and sandbox data. */
export async function deleteApp(ctx: AppContext, appId: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const credentialIds = (await trx.selectFrom('app_credentials').select('id').where('app_id', '=', appId).execute()).map((r) => r.id);
    if (credentialIds.length > 0) {
      await trx.deleteFrom('access_tokens').where('credential_id', 'in', credentialIds).execute();
      await trx.deleteFrom('auth_codes').where('credential_id', 'in', credentialIds).execute();
    }
    const sandbox = await findSandboxByApp(trx, appId);
    if (sandbox) {
      for (const table of SANDBOX_TABLES) await trx.deleteFrom(table).where('sandbox_id', '=', sandbox.id).execute();
      // The sandbox row stays (without its app) so its id block is never handed out again.
      await trx.updateTable('sandboxes').set({ app_id: null }).where('id', '=', sandbox.id).execute();
    }
    await trx.deleteFrom('app_credentials').where('app_id', '=', appId).execute();
    await trx.deleteFrom('apps').where('id', '=', appId).execute();
  });
}

/** A client id's credential with its app (secret hash included), or undefined. */
export function findClientCredential(ctx: AppContext, clientId: string) {
  return ctx.db
    .selectFrom('app_credentials')
    .innerJoin('apps', 'apps.id', 'app_credentials.app_id')
    .select([
      'app_credentials.id as credential_id',
      'app_credentials.environment',
      'app_credentials.client_id',
      'app_credentials.secret_hash',
      'apps.id as app_id',
      'apps.name as app_name',
      'apps.redirect_uris',
      'apps.grant_types',
    ])
    .where('app_credentials.client_id', '=', clientId)
    .executeTakeFirst();
}

/**
 * Checks a client id and secret (constant time). Returns the credential with its app, or
 * undefined for an unknown client or a wrong secret.
 */
export async function authenticateClient(ctx: AppContext, clientId: string, clientSecret: string) {
  const row = await findClientCredential(ctx, clientId);
  // Always compute the MAC so unknown and wrong secrets take the same time.
  const ok = ctx.secrets.verifyMac(clientSecret, row?.secret_hash ?? '0'.repeat(64));
  return row && ok ? row : undefined;
}
