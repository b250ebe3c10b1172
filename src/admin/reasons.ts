/**
 * Why a request was refused, in words, for the journal. A handler that knows better sets
 * `request.journalWhy`; otherwise the reason is read from what the request carried and what the
 * answer said (its status, its JSON error body, its rate-limit headers), looking the token or
 * project up again when the answer alone cannot tell (e.g. Procore's one 404 for "not yours" and
 * "never existed"). Runs after the answer left, so it costs the client nothing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../core/crypto.js';
import { authorizationHeader, parseBearerHeader } from '../http/authorization.js';
import { findTokenForBearer } from '../db/repos/tokens.js';
import type { AppContext } from '../context/context.js';
import { answeringRoute } from '../api/generic/index.js';

export interface ErrorSummary {
  message?: string;
  error?: string;
  error_description?: string;
  errors?: unknown;
}

/** The fields of a JSON error body the reasons use; undefined for anything else. */
export function summarizeErrorPayload(payload: unknown): ErrorSummary | undefined {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
  if (text === null || text.length > 65_536 || !text.startsWith('{')) return undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const pick = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    return { message: pick('message'), error: pick('error'), error_description: pick('error_description'), errors: body['errors'] };
  } catch {
    return undefined;
  }
}

/** `Missing Procore-Company-Id header!` → `missing Procore-Company-Id header`. */
function sentence(message: string): string {
  const trimmed = message.trim().replace(/[.!]+$/, '');
  return /^[A-Z][a-z]/.test(trimmed) ? trimmed[0]!.toLowerCase() + trimmed.slice(1) : trimmed;
}

function fieldErrors(errors: unknown): string | null {
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return null;
  const parts = Object.entries(errors as Record<string, unknown>).map(
    ([field, msgs]) => `${field} ${Array.isArray(msgs) ? msgs.join(', ') : String(msgs)}`,
  );
  return parts.length ? `invalid ${parts.join('; ')}` : null;
}

function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('ses')) return name.slice(0, -2);
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

async function whyUnauthorized(ctx: AppContext, request: FastifyRequest, fallback: string | null): Promise<string> {
  const header = authorizationHeader(request);
  if (header === undefined) return 'missing Authorization header';
  if (Array.isArray(header)) return 'more than one Authorization header';
  const token = parseBearerHeader(header);
  if (!token) return /^Bearer /i.test(header) ? 'malformed bearer token' : 'Authorization is not "Bearer <token>"';
  const row = await findTokenForBearer(ctx.db, sha256Hex(token));
  if (!row) return 'unknown access token';
  if (row.revoked_at !== null) return `token revoked at ${row.revoked_at}`;
  if (row.environment !== request.server.environment) return `token of the ${row.environment} environment`;
  const nowMs = ctx.clock.forSandbox(row.sandbox_id).nowMs();
  if (nowMs >= Date.parse(row.expires_at)) return `token expired at ${row.expires_at}`;
  return fallback ?? 'unauthorized';
}

function idParam(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

async function whyNotFound(ctx: AppContext, request: FastifyRequest, route: string | undefined): Promise<string> {
  const path = request.url.split('?')[0] as string;
  if (!route) return `no route ${request.method} ${path}`;
  const auth = request.auth;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const projectId = idParam(params['project_id']) ?? idParam(query['project_id']);
  if (auth && projectId !== null) {
    const project = await ctx.db
      .selectFrom('projects')
      .select('id')
      .where('id', '=', projectId)
      .where('sandbox_id', '=', auth.sandboxId)
      .executeTakeFirst();
    if (!project) return `project ${projectId} is not in your sandbox`;
    if (!auth.isCompanyAdmin && !auth.isServiceAccount) {
      const member = await ctx.db
        .selectFrom('project_users')
        .select('user_id')
        .where('project_id', '=', projectId)
        .where('user_id', '=', auth.userId)
        .executeTakeFirst();
      if (!member) return `user ${auth.userId} is not a member of project ${projectId}`;
    }
  }
  // The last `…/<things>/:id` of the route names what was not found.
  const m = /\/([a-z_]+)\/:(\w+)(?:\/[^:]*)?$/.exec(route);
  if (m) {
    const id = params[m[2] as string];
    const where = projectId !== null ? ` in project ${projectId}` : auth ? ' in your sandbox' : '';
    return `${singular(m[1] as string)} ${String(id)} not found${where}`;
  }
  return `not found: ${request.method} ${path}`;
}

/** The reason of a refusal (status ≥ 400), or null for a success. */
export async function refusalReason(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  error: ErrorSummary | undefined,
): Promise<string | null> {
  const status = reply.statusCode;
  if (status < 400) return null;
  const route = answeringRoute(request);
  const message = error?.error
    ? error.error_description
      ? `${error.error}: ${error.error_description}`
      : (error.message ?? error.error)
    : error?.message;
  const fallback = message ? sentence(message) : null;
  if (status === 401 && /^\/(rest|vapid)\//.test(request.url)) return whyUnauthorized(ctx, request, fallback);
  if (status === 403 && request.auth) {
    const header = request.headers['procore-company-id'];
    if (typeof header === 'string' && header.trim() !== String(request.auth.companyId))
      return `company ${header.trim()} is not your sandbox's company (${request.auth.companyId})`;
  }
  if (status === 404 && !error?.error_description) return whyNotFound(ctx, request, route);
  if (status === 429) {
    const limit = Number(reply.getHeader('x-rate-limit-limit'));
    const s = ctx.settings.rateLimit;
    if (/^\/(rest|vapid)\//.test(request.url) && limit === s.spike) return `rate limit: ${s.spike} per 10 s spent`;
    if (/^\/(rest|vapid)\//.test(request.url) && limit === s.hourly) return `rate limit: ${s.hourly} per hour spent`;
  }
  if (status === 422) {
    const fields = fieldErrors(error?.errors);
    if (fields) return fields;
  }
  return fallback ?? `${status} without a message`;
}
