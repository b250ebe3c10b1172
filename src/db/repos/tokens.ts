import type { Kysely, Transaction } from 'kysely';
import { param, preparedQuery } from '../connect.js';
import type { Database, Environment } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewTokenRow {
  tokenHash: string;
  refreshTokenHash: string | null;
  credentialId: number;
  environment: Environment;
  sandboxId: number;
  userId: number;
  authCodeId: number | null;
  grantId: string;
  expiresAt: string;
  createdAt: string;
}

export async function insertToken(db: Db, t: NewTokenRow) {
  return db
    .insertInto('access_tokens')
    .values({
      token_hash: t.tokenHash,
      refresh_token_hash: t.refreshTokenHash,
      credential_id: t.credentialId,
      environment: t.environment,
      sandbox_id: t.sandboxId,
      user_id: t.userId,
      auth_code_id: t.authCodeId,
      grant_id: t.grantId,
      expires_at: t.expiresAt,
      refresh_used_at: null,
      revoked_at: null,
      created_at: t.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Everything the API needs about a bearer token, in one indexed query: its user, sandbox,
 * company, app and environment. Returns revoked and expired tokens too; the caller decides.
 * Runs on every API request (or, on SQLite, once per token and revocation generation, see
 * `api/bearer.ts`), so the query is compiled once (`preparedQuery`).
 */
export async function findTokenForBearer(db: Db, tokenHash: string) {
  return (await bearerQuery(db, [tokenHash]))[0];
}

const bearerQuery = preparedQuery((db) =>
  db
    .selectFrom('access_tokens as t')
    .innerJoin('sandboxes as s', 's.id', 't.sandbox_id')
    .innerJoin('app_credentials as c', 'c.id', 't.credential_id')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id as token_id',
      't.user_id',
      't.sandbox_id',
      't.environment',
      't.expires_at',
      't.revoked_at',
      't.created_at',
      't.grant_id',
      't.credential_id',
      'c.app_id',
      'c.client_id',
      's.company_id',
      'u.is_company_admin',
      'u.is_service_account',
    ])
    .where('t.token_hash', '=', param<string>(0)),
);

const generationQuery = preparedQuery((db) => db.selectFrom('counters').select('value').where('name', '=', param<string>(0)));

/**
 * `counters.token_revocations`: bumped by a trigger (SQLite) whenever a token is revoked or
 * deleted or a user's admin flags change; a cached bearer lookup is valid while it is unchanged.
 */
export async function revocationGeneration(db: Db): Promise<number> {
  const [row] = await generationQuery(db, ['token_revocations']);
  return row ? Number(row.value) : -1;
}
