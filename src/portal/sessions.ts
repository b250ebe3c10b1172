/**
 * Developer-portal sessions: a random 256-bit id in the `psb_portal` cookie (HttpOnly,
 * SameSite=Lax, Path=/, Secure on https); the database keeps only its SHA-256. A new id is
 * issued at every sign-in (no fixation), and sign-out deletes the row.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isoSeconds } from '../core/clock.js';
import { sha256Hex } from '../core/crypto.js';
import type { Row } from '../db/schema.js';
import type { AppContext } from '../context/context.js';

export const SESSION_COOKIE = 'psb_portal';
export const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const SESSION_ID_RE = /^[A-Za-z0-9_-]{43}$/;

export async function createSession(ctx: AppContext, developerId: number): Promise<{ sessionId: string; expiresAtMs: number }> {
  const sessionId = randomBytes(32).toString('base64url');
  const now = ctx.clock.nowMs();
  const expiresAtMs = now + SESSION_LIFETIME_MS;
  await ctx.db
    .insertInto('portal_sessions')
    .values({
      session_hash: sha256Hex(sessionId),
      developer_id: developerId,
      created_at: isoSeconds(now),
      expires_at: isoSeconds(expiresAtMs),
    })
    .execute();
  // Housekeeping: this developer's expired sessions.
  await ctx.db.deleteFrom('portal_sessions').where('developer_id', '=', developerId).where('expires_at', '<', isoSeconds(now)).execute();
  return { sessionId, expiresAtMs };
}

export async function destroySession(ctx: AppContext, sessionId: string | undefined): Promise<void> {
  if (!sessionId || !SESSION_ID_RE.test(sessionId)) return;
  await ctx.db.deleteFrom('portal_sessions').where('session_hash', '=', sha256Hex(sessionId)).execute();
}

/** The developer of a live session, or undefined. */
export async function findSessionDeveloper(ctx: AppContext, sessionId: string | undefined): Promise<Row<'developers'> | undefined> {
  if (!sessionId || !SESSION_ID_RE.test(sessionId)) return undefined;
  return ctx.db
    .selectFrom('portal_sessions')
    .innerJoin('developers', 'developers.id', 'portal_sessions.developer_id')
    .selectAll('developers')
    .where('portal_sessions.session_hash', '=', sha256Hex(sessionId))
    .where('portal_sessions.expires_at', '>', isoSeconds(ctx.clock.nowMs()))
    .executeTakeFirst();
}

export function readSessionCookie(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE];
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string, expiresAtMs: number): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: request.protocol === 'https',
    expires: new Date(expiresAtMs),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: request.protocol === 'https' });
}
