/**
 * Bearer-token verification for the REST API: one SHA-256 and one indexed query, no slow hash.
 * Use as a route hook: `{ onRequest: app.requireBearer }`; the handler then reads `request.auth`.
 *
 * On SQLite the lookup is cached in process, keyed by the token (the SHA-256 only on a miss) and checked
 * against `counters.token_revocations`, which a trigger bumps in the same transaction as any
 * revocation, token deletion or change of a user's admin flags. Each request first takes the
 * database's change stamp (`changeStamp`, kept on the request for the rest of its checks): while
 * it is the one the cached entry was last confirmed at, nothing was written since, so the counter
 * is not read either. The stamp sees this process's writes at once and another process's commits
 * within STAMP_POLL_MS (1 ms): a revocation is refused by the next request here and within 1 ms
 * elsewhere. Expiry and environment are checked per request from the
 * cached row. PostgreSQL keeps the one indexed query per request (a generation read would cost
 * the same round trip). See docs/decisions/0003-fast-path.md.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../core/crypto.js';
import { MESSAGES, unauthorizedBody } from './errors.js';
import { changeStamp } from '../db/connect.js';
import { findTokenForBearer, revocationGeneration } from '../db/repos/tokens.js';
import type { Environment } from '../db/schema.js';
import { authorizationHeader, parseBearerHeader } from '../http/authorization.js';

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
    /**
     * SQLite: the database's change stamp read when the request's bearer was checked (null on
     * PostgreSQL or inside a transaction); per-request lookups cached against it (src/api/mount.ts).
     */
    dbStamp: string | null;
  }
  interface FastifyInstance {
    /** onRequest/preHandler hook: 401 JSON unless a live token of this environment is presented. */
    requireBearer: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** The same check for callback hooks: true (go on), false (401 sent), or a promise of either. */
    checkBearer: (request: FastifyRequest, reply: FastifyReply) => boolean | Promise<boolean>;
  }
}

function reject(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(401)
    .header('WWW-Authenticate', `Bearer realm="Procore API", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`)
    .send(unauthorizedBody(message));
}

/** No credentials at all: RFC 6750 §3.1 sends no error code then, and the message says what is missing. */
function rejectMissing(reply: FastifyReply): FastifyReply {
  return reply
    .code(401)
    .header('WWW-Authenticate', 'Bearer realm="Procore API"')
    .send(unauthorizedBody(MESSAGES.missingToken, 'missing_token'));
}

/** True when the request carries no Authorization header at all. */
function noAuthorization(request: FastifyRequest): boolean {
  return request.headers.authorization === undefined;
}

type TokenRow = NonNullable<Awaited<ReturnType<typeof findTokenForBearer>>>;

interface Cached {
  generation: number;
  /** The change stamp at which `generation` was last read (null: read it again). */
  stamp: string | null;
  row: TokenRow;
  auth: BearerAuth;
}

const MAX_CACHED_TOKENS = 10_000;

function authOf(row: TokenRow, expiresAtMs: number): BearerAuth {
  return {
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
}

export default fp(
  async function bearerPlugin(app) {
    app.decorateRequest('auth', null);
    app.decorateRequest('dbStamp', null);
    // Per Fastify app (one per environment): token → live token row, see the header comment.
    // Keyed by the token itself, so a known token costs no SHA-256 (the hash is the database's key).
    const cache = app.ctx.engine === 'sqlite' ? new Map<string, Cached>() : null;

    /** The checks after the row is known: environment and expiry; `request.auth` on success. */
    function admit(request: FastifyRequest, reply: FastifyReply, entry: Cached | undefined): boolean {
      if (!entry || entry.row.environment !== app.environment) {
        reject(reply, MESSAGES.invalidToken);
        return false;
      }
      if (app.ctx.clock.forSandbox(entry.auth.sandboxId).nowMs() >= entry.auth.expiresAtMs) {
        reject(reply, MESSAGES.expiredToken);
        return false;
      }
      request.auth = entry.auth;
      return true;
    }

    /** A cache miss, a changed stamp or PostgreSQL: the generation and, if need be, the row. */
    async function lookUp(request: FastifyRequest, reply: FastifyReply, token: string, stamp: string | null): Promise<boolean> {
      const hash = sha256Hex(token);
      let entry: Cached | undefined;
      if (cache) {
        entry = cache.get(token);
        const generation = await revocationGeneration(app.ctx.db);
        if (entry && entry.generation !== generation) {
          cache.delete(token);
          entry = undefined;
        } else if (entry) {
          entry.stamp = stamp;
        }
        if (!entry) {
          const row = await findTokenForBearer(app.ctx.db, hash);
          if (row && row.revoked_at === null) {
            // Confirmed at `stamp` only when nothing could change between the stamp and the reads.
            entry = {
              generation,
              stamp: changeStamp(app.ctx.db) === stamp ? stamp : null,
              row,
              auth: authOf(row, Date.parse(row.expires_at)),
            };
            if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
            cache.set(token, entry);
          }
        }
      } else {
        const row = await findTokenForBearer(app.ctx.db, hash);
        if (row && row.revoked_at === null) entry = { generation: 0, stamp: null, row, auth: authOf(row, Date.parse(row.expires_at)) };
      }
      return admit(request, reply, entry);
    }

    /**
     * True when the request may go on (`request.auth` set), false when its 401 was sent; a
     * promise only when the database must be read (the common SQLite case answers at once, so
     * a callback hook costs no promise).
     */
    function checkBearer(request: FastifyRequest, reply: FastifyReply): boolean | Promise<boolean> {
      const token = parseBearerHeader(authorizationHeader(request));
      if (!token) {
        if (noAuthorization(request)) rejectMissing(reply);
        else reject(reply, MESSAGES.invalidToken);
        return false;
      }
      if (!cache) return lookUp(request, reply, token, null);
      const stamp = changeStamp(app.ctx.db);
      request.dbStamp = stamp;
      const entry = cache.get(token);
      if (entry && stamp !== null && entry.stamp === stamp) return admit(request, reply, entry);
      return lookUp(request, reply, token, stamp);
    }

    app.decorate('checkBearer', checkBearer);
    app.decorate('requireBearer', async function requireBearer(request: FastifyRequest, reply: FastifyReply) {
      await checkBearer(request, reply);
    });
  },
  { name: 'bearer' },
);
