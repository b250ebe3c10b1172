/**
 * `GET /oauth/token/info` (Doorkeeper): who a bearer token belongs to and how long it lives.
 * `{"resource_owner_id","scopes":[],"expires_in_seconds","application":{"uid"},"created_at"}`;
 * a missing, malformed, expired, revoked or other-environment token → 401 `invalid_token`.
 */
import type { FastifyRequest } from 'fastify';
import { sha256Hex } from '../core/crypto.js';
import { findTokenForBearer } from '../db/repos/tokens.js';
import type { Environment } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import { authorizationHeader, parseBearerHeader } from '../http/authorization.js';
import { InvalidToken } from './errors.js';

export interface TokenInfo {
  resource_owner_id: number;
  scopes: string[];
  expires_in_seconds: number;
  application: { uid: string };
  created_at: number;
}

export async function tokenInfoEndpoint(ctx: AppContext, environment: Environment, request: FastifyRequest): Promise<TokenInfo> {
  const token = parseBearerHeader(authorizationHeader(request));
  if (!token) throw new InvalidToken();
  const row = await findTokenForBearer(ctx.db, sha256Hex(token));
  if (!row || row.revoked_at !== null || row.environment !== environment) throw new InvalidToken();
  const nowMs = ctx.clock.forSandbox(row.sandbox_id).nowMs();
  const expiresAtMs = Date.parse(row.expires_at);
  if (nowMs >= expiresAtMs) throw new InvalidToken();
  return {
    resource_owner_id: row.user_id,
    scopes: [],
    expires_in_seconds: Math.floor((expiresAtMs - nowMs) / 1000),
    application: { uid: row.client_id },
    created_at: Math.floor(Date.parse(row.created_at) / 1000),
  };
}
