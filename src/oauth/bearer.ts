/**
 * Bearer-token verification for the REST API: one SHA-256 and one indexed query, no slow hash.
 * Use as a route hook: `{ onRequest: app.requireBearer }`; the handler then reads `request.auth`.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../core/crypto.js';
import { MAX_TOKEN_LENGTH } from '../core/tokens.js';
import { MESSAGES, unauthorizedBody } from '../api/errors.js';
import { findTokenForBearer } from '../db/repos/tokens.js';
import type { Environment } from '../db/schema.js';

export interface BearerAuth {
  tokenId: number;
  userId: number;
  sandboxId: number;
  companyId: number;
  appId: number;
  credentialId: number;
  clientId: string;
  environment: Environment;
  grantId: string;
  /** Company admins and service accounts see every project of the company. */
  isCompanyAdmin: boolean;
  isServiceAccount: boolean;
  expiresAtMs: number;
  createdAtMs: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: BearerAuth | null;
  }
  interface FastifyInstance {
    /** onRequest/preHandler hook: 401 JSON unless a live token of this environment is presented. */
    requireBearer: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

const TOKEN_RE = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The token of a single, well-formed `Authorization: Bearer <token>` header, or null. */
export function parseBearerHeader(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null; // missing, or sent twice
  const m = /^Bearer ([^ ]+)$/i.exec(header);
  const token = m?.[1];
  if (!token || token.length > MAX_TOKEN_LENGTH || !TOKEN_RE.test(token)) return null;
  return token;
}

/**
 * The request's Authorization header, or an array when it was sent more than once (Node keeps
 * only the first of duplicated Authorization headers, so count them in the raw headers).
 */
export function authorizationHeader(request: FastifyRequest): string | string[] | undefined {
  const raw = request.raw.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'authorization') values.push(raw[i + 1] ?? '');
  if (values.length > 1) return values;
  return request.headers.authorization;
}

function reject(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(401)
    .header('WWW-Authenticate', `Bearer realm="Procore API", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`)
    .send(unauthorizedBody(message));
}

export default fp(
  async function bearerPlugin(app) {
    app.decorateRequest('auth', null);
    app.decorate('requireBearer', async function requireBearer(request: FastifyRequest, reply: FastifyReply) {
      const token = parseBearerHeader(authorizationHeader(request));
      if (!token) return void reject(reply, MESSAGES.invalidToken);
      const row = await findTokenForBearer(app.ctx.db, sha256Hex(token));
      if (!row || row.revoked_at !== null || row.environment !== app.environment) return void reject(reply, MESSAGES.invalidToken);
      const expiresAtMs = Date.parse(row.expires_at);
      if (app.ctx.clock.forSandbox(row.sandbox_id).nowMs() >= expiresAtMs) return void reject(reply, MESSAGES.expiredToken);
      request.auth = {
        tokenId: row.token_id,
        userId: row.user_id,
        sandboxId: row.sandbox_id,
        companyId: row.company_id,
        appId: row.app_id,
        credentialId: row.credential_id,
        clientId: row.client_id,
        environment: row.environment,
        grantId: row.grant_id,
        isCompanyAdmin: row.is_company_admin === 1,
        isServiceAccount: row.is_service_account === 1,
        expiresAtMs,
        createdAtMs: Date.parse(row.created_at),
      };
    });
  },
  { name: 'bearer' },
);
