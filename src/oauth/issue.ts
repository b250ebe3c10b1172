/**
 * Minting and storing tokens, and the token endpoint's success body (procore-api.md §2.2):
 * `{"access_token","token_type":"bearer","expires_in","refresh_token","created_at"}`, without
 * `refresh_token` for client credentials and implicit tokens. Only SHA-256 hashes are stored.
 */
import type { Kysely, Transaction } from 'kysely';
import { isoSeconds } from '../core/clock.js';
import { mintTokens } from '../core/tokens.js';
import { insertToken } from '../db/repos/tokens.js';
import type { Database, Environment } from '../db/schema.js';
import type { AppContext } from '../context/context.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  created_at: number;
}

export interface IssueInput {
  credentialId: number;
  environment: Environment;
  sandboxId: number;
  userId: number;
  grantId: string;
  authCodeId: number | null;
  withRefresh: boolean;
}

export async function issueTokens(db: Db, ctx: AppContext, input: IssueInput): Promise<TokenResponse> {
  const nowMs = ctx.clock.forSandbox(input.sandboxId).nowMs();
  const lifetime = ctx.settings.tokenLifetimeSeconds;
  const minted = mintTokens(input.withRefresh);
  await insertToken(db, {
    tokenHash: minted.accessTokenHash,
    refreshTokenHash: minted.refreshTokenHash,
    credentialId: input.credentialId,
    environment: input.environment,
    sandboxId: input.sandboxId,
    userId: input.userId,
    authCodeId: input.authCodeId,
    grantId: input.grantId,
    expiresAt: isoSeconds(nowMs + lifetime * 1000),
    createdAt: isoSeconds(nowMs),
  });
  const body: TokenResponse = {
    access_token: minted.accessToken,
    token_type: 'bearer',
    expires_in: lifetime,
    created_at: Math.floor(nowMs / 1000),
  };
  if (minted.refreshToken !== null) {
    // Keep Procore's key order: refresh_token before created_at.
    return {
      access_token: body.access_token,
      token_type: 'bearer',
      expires_in: lifetime,
      refresh_token: minted.refreshToken,
      created_at: body.created_at,
    };
  }
  return body;
}

/** The sandbox generated for an app (its company is the one users sign in to). */
export function findAppSandbox(db: Db, appId: number) {
  return db.selectFrom('sandboxes').selectAll().where('app_id', '=', appId).executeTakeFirst();
}
