/**
 * Browser state of the login pages.
 *
 * - Pre-session cookie `psb_oauth_pre_<env>`: a random value set with the login form; the form's
 *   CSRF token is an HMAC of it under the server key, so a cross-site form (login CSRF) cannot
 *   produce a valid token.
 * - Session cookie `psb_oauth_sid_<env>`: created at sign-in with a fresh random id (session
 *   fixation: any previous session of this browser is deleted); the database keeps only its
 *   SHA-256. The approve form carries a one-time synchronizer token stored (hashed) on the session.
 *
 * - A session ends after `SESSION_IDLE_MS` (2 h) without use — each use extends it — and at the
 *   latest `SESSION_MAX_MS` (12 h) after sign-in; `POST /oauth/logout` ends it at once (its form
 *   token is an HMAC of the session id, so a cross-site form cannot sign a user out).
 *
 * Cookies: HttpOnly, SameSite=Lax, Path=/oauth, Secure when the request came over https.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isoSeconds } from '../core/clock.js';
import { constantTimeEqual, randomCredential, sha256Hex } from '../core/crypto.js';
import type { Environment, Row } from '../db/schema.js';
import type { AppContext } from '../context/context.js';

/** A login session ends after this long without use. */
export const SESSION_IDLE_MS = 2 * 3_600_000;
/** …and at the latest this long after sign-in. */
export const SESSION_MAX_MS = 12 * 3_600_000;
/** Extend a used session only when it has less than this left (at most one write per few minutes). */
const EXTEND_BELOW_MS = SESSION_IDLE_MS - 5 * 60_000;
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

const preCookie = (environment: Environment) => `psb_oauth_pre_${environment}`;
const sessionCookie = (environment: Environment) => `psb_oauth_sid_${environment}`;

function cookieOptions(request: FastifyRequest) {
  return { path: '/oauth', httpOnly: true, sameSite: 'lax' as const, secure: request.protocol === 'https' };
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const value = request.cookies[name];
  return value !== undefined && COOKIE_VALUE.test(value) ? value : undefined;
}

/** The browser's pre-session value, set on the reply if it has none yet. */
export function ensurePreSession(request: FastifyRequest, reply: FastifyReply, environment: Environment): string {
  const existing = readCookie(request, preCookie(environment));
  if (existing) return existing;
  const value = randomCredential();
  reply.setCookie(preCookie(environment), value, cookieOptions(request));
  return value;
}

export function loginCsrfToken(ctx: AppContext, pre: string): string {
  return ctx.secrets.mac(`oauth-login-csrf:${pre}`);
}

/** A cross-site form post (Fetch Metadata, or an Origin of another site). */
export function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = request.headers.origin;
  // `Origin: null` is what browsers send for our own forms under Referrer-Policy: no-referrer.
  if (typeof origin === 'string' && origin !== 'null' && origin !== `${request.protocol}://${request.host}`) return true;
  return false;
}

export function verifyLoginCsrf(ctx: AppContext, request: FastifyRequest, environment: Environment, token: string | undefined): boolean {
  const pre = readCookie(request, preCookie(environment));
  if (!pre || token === undefined || isCrossSite(request)) return false;
  return constantTimeEqual(token, loginCsrfToken(ctx, pre));
}

export interface SessionWithUser {
  session: Row<'oauth_sessions'>;
  user: Row<'users'>;
}

/** The live session of this browser in this environment, with its user; undefined otherwise. */
export async function loadSession(
  ctx: AppContext,
  request: FastifyRequest,
  environment: Environment,
): Promise<SessionWithUser | undefined> {
  const id = readCookie(request, sessionCookie(environment));
  if (!id) return undefined;
  const session = await ctx.db.selectFrom('oauth_sessions').selectAll().where('session_hash', '=', sha256Hex(id)).executeTakeFirst();
  const nowMs = ctx.clock.nowMs();
  if (!session || session.environment !== environment || nowMs >= Date.parse(session.expires_at)) return undefined;
  const user = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', session.user_id)
    .where('sandbox_id', '=', session.sandbox_id)
    .executeTakeFirst();
  if (!user || user.is_service_account === 1 || user.is_active !== 1) return undefined;
  // Sliding idle timeout, capped by the absolute lifetime.
  const remaining = Date.parse(session.expires_at) - nowMs;
  const cap = Date.parse(session.created_at) + SESSION_MAX_MS;
  if (remaining < EXTEND_BELOW_MS && Date.parse(session.expires_at) < cap) {
    const expires = isoSeconds(Math.min(nowMs + SESSION_IDLE_MS, cap));
    await ctx.db.updateTable('oauth_sessions').set({ expires_at: expires }).where('id', '=', session.id).execute();
    session.expires_at = expires;
  }
  return { session, user };
}

/** The "Sign out" form's token: an HMAC of this browser's session id (undefined without a session cookie). */
export function logoutCsrfToken(ctx: AppContext, request: FastifyRequest, environment: Environment): string | undefined {
  const id = readCookie(request, sessionCookie(environment));
  return id === undefined ? undefined : ctx.secrets.mac(`oauth-logout-csrf:${id}`);
}

export function verifyLogoutCsrf(ctx: AppContext, request: FastifyRequest, environment: Environment, token: string | undefined): boolean {
  const expected = logoutCsrfToken(ctx, request, environment);
  if (expected === undefined || token === undefined || isCrossSite(request)) return false;
  return constantTimeEqual(token, expected);
}

/** Whether this browser sends a session cookie (live or not). */
export function hasSessionCookie(request: FastifyRequest, environment: Environment): boolean {
  return readCookie(request, sessionCookie(environment)) !== undefined;
}

/** Signs the browser in as `user`: a brand-new session id; the previous session is deleted. */
export async function startSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  environment: Environment,
  user: Row<'users'>,
): Promise<void> {
  const previous = readCookie(request, sessionCookie(environment));
  if (previous) await ctx.db.deleteFrom('oauth_sessions').where('session_hash', '=', sha256Hex(previous)).execute();
  const nowMs = ctx.clock.nowMs();
  const id = randomCredential();
  await ctx.db
    .insertInto('oauth_sessions')
    .values({
      session_hash: sha256Hex(id),
      environment,
      user_id: user.id,
      sandbox_id: user.sandbox_id,
      approve_nonce_hash: null,
      created_at: isoSeconds(nowMs),
      expires_at: isoSeconds(nowMs + SESSION_IDLE_MS),
    })
    .execute();
  // Expired sessions are garbage.
  await ctx.db.deleteFrom('oauth_sessions').where('expires_at', '<=', isoSeconds(nowMs)).execute();
  reply.setCookie(sessionCookie(environment), id, cookieOptions(request));
}

/** Ends the browser's session (server side and cookie). */
export async function endSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, environment: Environment): Promise<void> {
  const id = readCookie(request, sessionCookie(environment));
  if (id) await ctx.db.deleteFrom('oauth_sessions').where('session_hash', '=', sha256Hex(id)).execute();
  reply.clearCookie(sessionCookie(environment), cookieOptions(request));
}

/** A fresh one-time token for the approve form (replaces any earlier one of this session). */
export async function issueApproveNonce(ctx: AppContext, session: Row<'oauth_sessions'>): Promise<string> {
  const nonce = randomCredential();
  await ctx.db
    .updateTable('oauth_sessions')
    .set({ approve_nonce_hash: sha256Hex(nonce) })
    .where('id', '=', session.id)
    .execute();
  return nonce;
}

/** Spends the approve form's token: true exactly once per rendered form. */
export async function consumeApproveNonce(ctx: AppContext, session: Row<'oauth_sessions'>, nonce: string | undefined): Promise<boolean> {
  if (nonce === undefined || !COOKIE_VALUE.test(nonce)) return false;
  const result = await ctx.db
    .updateTable('oauth_sessions')
    .set({ approve_nonce_hash: null })
    .where('id', '=', session.id)
    .where('approve_nonce_hash', '=', sha256Hex(nonce))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
