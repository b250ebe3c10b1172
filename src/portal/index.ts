/**
 * Developer-portal JSON API under `/api/portal` (sandbox environment only): accounts and
 * sessions, My Apps, credentials (reveal/reset), redirect URIs, the app's sandbox (users,
 * password, reset to seed) and its Postman import links.
 *
 * Every write needs `X-Requested-With` (a header a cross-site form cannot send), a same-origin
 * `Origin`/`Sec-Fetch-Site` when the browser sends them, and a JSON body when it has one, so a
 * cross-site `text/plain` POST is refused with 403 (security.md F6). Apps of other developers
 * answer 404 and are left untouched (F3). See docs/portal.md.
 */
import { clientError } from '../http/client-errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../core/crypto.js';
import { findDeveloperByEmail } from '../db/repos/developers.js';
import { findSandboxByApp } from '../db/repos/sandboxes.js';
import type { Environment, Row } from '../db/schema.js';
import { regeneratePostmanLinkToken, deletePostmanLinks } from '../postman/links.js';
import { requestOrigin } from '../http/origin.js';
import {
  createApp,
  deleteApp,
  findAppById,
  resetAppSandbox,
  resetClientSecret,
  revealCredentials,
  revealUserPassword,
} from '../services/apps.js';
import { createDeveloper } from '../services/developers.js';
import { checkRedirectUris } from './redirect-uris.js';
import { CreateAppBody, GRANT_TYPES, parseBody, PortalError, SignInBody, SignUpBody, UpdateAppBody } from './schemas.js';
import {
  clearSessionCookie,
  createSession,
  destroySession,
  findSessionDeveloper,
  readSessionCookie,
  setSessionCookie,
} from './sessions.js';
import { appDetail, listAppEntries } from './views.js';
import { rfiPageView } from './rfi-view.js';
import { isoSeconds } from '../core/clock.js';
import { clearThrottle, portalThrottleKeys, release, reserve } from '../oauth/throttle.js';
import { SlowDown } from '../oauth/errors.js';

export const PORTAL_PREFIX = '/api/portal';
export const MAX_APPS_PER_DEVELOPER = 100;

declare module 'fastify' {
  interface FastifyRequest {
    developer: Row<'developers'> | null;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** CSRF defence for portal writes (security.md F6). Throws a 403/415 PortalError. */
export function checkPortalWrite(request: FastifyRequest): void {
  if (!UNSAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== requestOrigin(request)) {
    throw new PortalError(403, 'forbidden', 'Cross-origin requests to the portal API are not allowed');
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new PortalError(403, 'forbidden', 'Cross-site requests to the portal API are not allowed');
  }
  if (!request.headers['x-requested-with']) {
    throw new PortalError(403, 'forbidden', 'Portal writes need the X-Requested-With header');
  }
  const hasBody =
    (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0') ||
    request.headers['transfer-encoding'] !== undefined;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (hasBody && type !== 'application/json') {
    throw new PortalError(415, 'unsupported_media_type', 'Portal writes take application/json bodies');
  }
}

function parseAppId(raw: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw new PortalError(404, 'not_found', 'App not found');
  return Number(raw);
}

function parseEnvironment(raw: string): Environment {
  if (raw !== 'sandbox' && raw !== 'production') throw new PortalError(404, 'not_found', 'Unknown environment (use sandbox or production)');
  return raw;
}

function developerView(d: Row<'developers'>) {
  return { id: Number(d.id), email: d.email, name: d.name, created_at: d.created_at };
}

export default async function portalRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.decorateRequest('developer', null);

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof PortalError) return reply.code(error.statusCode).send(error.toJSON());
    const client = clientError(error);
    if (client) return reply.code(client.status).send({ code: client.status, error: 'invalid_request', message: client.message });
    request.log.error({ err: { message: error.message, stack: error.stack } }, 'portal request failed');
    return reply.code(500).send({ code: 500, error: 'internal_error', message: 'Internal Server Error' });
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(`${PORTAL_PREFIX}/`)) return;
    reply.header('Cache-Control', 'no-store');
    checkPortalWrite(request);
    request.developer = (await findSessionDeveloper(ctx, readSessionCookie(request))) ?? null;
  });

  const requireDeveloper = (request: FastifyRequest): Row<'developers'> => {
    if (!request.developer) throw new PortalError(401, 'unauthorized', 'Sign in to the developer portal first');
    return request.developer;
  };

  /** The signed-in developer's app, or 404 (also for other developers' apps). */
  const ownApp = async (request: FastifyRequest): Promise<Row<'apps'>> => {
    const developer = requireDeveloper(request);
    const appId = parseAppId((request.params as { id: string }).id);
    const found = await findAppById(ctx, appId);
    if (!found || Number(found.developer_id) !== Number(developer.id)) throw new PortalError(404, 'not_found', 'App not found');
    return found;
  };

  const startSession = async (request: FastifyRequest, reply: FastifyReply, developerId: number) => {
    // Renew the id at sign-in: a session id planted before sign-in is dropped (no fixation).
    await destroySession(ctx, readSessionCookie(request));
    const { sessionId, expiresAtMs } = await createSession(ctx, developerId);
    setSessionCookie(request, reply, sessionId, expiresAtMs);
  };

  // ---- account ----

  /**
   * Sign-up never tells whether an email already has an account (no 409): a new email gets an
   * account, an existing one is left untouched, and both answer the same 202 without a session;
   * the client signs in next (a wrong password there answers like an unknown email).
   */
  const SIGNED_UP = {
    status: 'accepted',
    message: 'Sign in with this email and password. If the email already had an account, that account and its password are unchanged.',
  } as const;
  app.post(`${PORTAL_PREFIX}/signup`, async (request, reply) => {
    const body = parseBody(SignUpBody, request.body);
    const email = body.email.trim();
    const name = body.name?.trim() || email.split('@')[0]!;
    if (await findDeveloperByEmail(ctx.db, email)) {
      await hashPassword(body.password); // the same work as a new account
    } else {
      try {
        await createDeveloper(ctx, { email, name, password: body.password });
      } catch {
        // Lost a race on the unique email: the same answer.
      }
    }
    return reply.code(202).send(SIGNED_UP);
  });

  app.post(`${PORTAL_PREFIX}/signin`, async (request, reply) => {
    const body = parseBody(SignInBody, request.body);
    const key = body.email.trim().toLowerCase();
    // In the database (every process shares it), per account + IP and per IP: a stranger's
    // failures do not lock the developer out from their own address. Reserved before the
    // password is hashed, so concurrent guesses check at most the limit.
    const keys = portalThrottleKeys(ctx, request.ip, key);
    try {
      await reserve(ctx, keys);
    } catch (err) {
      if (!(err instanceof SlowDown)) throw err;
      reply.header('Retry-After', String(err.retryAfterSeconds));
      throw new PortalError(429, 'too_many_requests', 'Too many failed sign-ins; try again later');
    }
    const developer = await findDeveloperByEmail(ctx.db, key);
    // Hash a dummy for unknown emails so both answers take the same time.
    const ok = await verifyPassword(body.password, developer?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (!developer || !ok) throw new PortalError(401, 'invalid_credentials', 'Email or password is incorrect');
    await clearThrottle(ctx, keys[0]!);
    await release(ctx, keys.slice(1));
    await startSession(request, reply, developer.id);
    return { developer: developerView(developer) };
  });

  app.post(`${PORTAL_PREFIX}/signout`, async (request, reply) => {
    await destroySession(ctx, readSessionCookie(request));
    clearSessionCookie(request, reply);
    return { signed_out: true };
  });

  app.get(`${PORTAL_PREFIX}/me`, async (request) => ({ developer: developerView(requireDeveloper(request)) }));

  // ---- apps ----

  app.get(`${PORTAL_PREFIX}/apps`, async (request) => ({ apps: await listAppEntries(ctx, requireDeveloper(request).id) }));

  app.post(`${PORTAL_PREFIX}/apps`, async (request, reply) => {
    const developer = requireDeveloper(request);
    const body = parseBody(CreateAppBody, request.body);
    const name = body.name.trim();
    if (!name) throw new PortalError(422, 'invalid_request', 'name must not be blank', 'name');
    const count = (await listAppEntries(ctx, developer.id)).length;
    if (count >= MAX_APPS_PER_DEVELOPER)
      throw new PortalError(422, 'invalid_request', `At most ${MAX_APPS_PER_DEVELOPER} apps per developer`, 'name');
    const created = await createApp(ctx, { developerId: developer.id, name });
    return reply.code(201).send({ app: await appDetail(ctx, created.app, requestOrigin(request), null) });
  });

  app.get(`${PORTAL_PREFIX}/apps/:id`, async (request) => ({
    app: await appDetail(ctx, await ownApp(request), requestOrigin(request), null),
  }));

  app.patch(`${PORTAL_PREFIX}/apps/:id`, async (request) => {
    const found = await ownApp(request);
    const body = parseBody(UpdateAppBody, request.body);
    const set: { name?: string; redirect_uris?: string; grant_types?: string; updated_at: string } = {
      updated_at: isoSeconds(ctx.clock.nowMs()),
    };
    if (body.name !== undefined) {
      const name = body.name.trim();
      if (!name) throw new PortalError(422, 'invalid_request', 'name must not be blank', 'name');
      set.name = name;
    }
    if (body.redirect_uris !== undefined) {
      const check = checkRedirectUris(body.redirect_uris);
      if (!check.ok) {
        const shown = body.redirect_uris[check.index];
        const what = shown === undefined ? '' : ` "${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}"`;
        throw new PortalError(422, 'invalid_redirect_uri', `Redirect URI${what} ${check.message}`, `redirect_uris[${check.index}]`);
      }
      set.redirect_uris = JSON.stringify(check.uris);
    }
    if (body.grant_types !== undefined) {
      // The schema allows only known grant types; each once. `implicit` is the opt-in.
      if (new Set(body.grant_types).size !== body.grant_types.length)
        throw new PortalError(422, 'invalid_request', 'grant_types lists a grant type twice', 'grant_types');
      set.grant_types = JSON.stringify(GRANT_TYPES.filter((g) => body.grant_types!.includes(g)));
    }
    await ctx.db.updateTable('apps').set(set).where('id', '=', found.id).execute();
    const updated = (await findAppById(ctx, found.id)) ?? found;
    return { app: await appDetail(ctx, updated, requestOrigin(request), null) };
  });

  app.delete(`${PORTAL_PREFIX}/apps/:id`, async (request) => {
    const found = await ownApp(request);
    await deletePostmanLinks(ctx, found.id);
    await deleteApp(ctx, found.id);
    return { deleted: true, id: Number(found.id) };
  });

  // ---- credentials ----

  app.post(`${PORTAL_PREFIX}/apps/:id/credentials/:environment/reveal`, async (request) => {
    const found = await ownApp(request);
    const environment = parseEnvironment((request.params as { environment: string }).environment);
    const creds = await revealCredentials(ctx, found.id, environment);
    if (!creds) throw new PortalError(404, 'not_found', 'No credentials for this environment');
    return { environment, client_id: creds.clientId, client_secret: creds.clientSecret };
  });

  app.post(`${PORTAL_PREFIX}/apps/:id/credentials/:environment/reset`, async (request) => {
    const found = await ownApp(request);
    const environment = parseEnvironment((request.params as { environment: string }).environment);
    const creds = await resetClientSecret(ctx, found.id, environment);
    return { environment, client_id: creds.clientId, client_secret: creds.clientSecret };
  });

  // ---- sandbox ----

  // The page an RFI's `link` opens (web/src/features/portal/RfiView.tsx): RFIs of the developer's own sandboxes.
  app.get(`${PORTAL_PREFIX}/projects/:project_id/rfis/:rfi_id`, async (request) => {
    const developer = requireDeveloper(request);
    const p = request.params as { project_id: string; rfi_id: string };
    const notFound = () => new PortalError(404, 'not_found', 'RFI not found');
    if (!/^[1-9][0-9]{0,14}$/.test(p.project_id) || !/^[1-9][0-9]{0,14}$/.test(p.rfi_id)) throw notFound();
    const view = await rfiPageView(ctx.db, Number(developer.id), Number(p.project_id), Number(p.rfi_id));
    if (!view) throw notFound();
    return { rfi: view };
  });

  app.post(`${PORTAL_PREFIX}/apps/:id/sandbox/password`, async (request) => {
    const found = await ownApp(request);
    const sandbox = await findSandboxByApp(ctx.db, found.id);
    if (!sandbox) throw new PortalError(404, 'not_found', 'This app has no sandbox');
    return { password: revealUserPassword(ctx, sandbox) };
  });

  app.post(`${PORTAL_PREFIX}/apps/:id/sandbox/reset`, async (request) => {
    const found = await ownApp(request);
    await resetAppSandbox(ctx, found.id);
    return { app: await appDetail(ctx, found, requestOrigin(request), null) };
  });

  app.post(`${PORTAL_PREFIX}/apps/:id/postman-links/regenerate`, async (request) => {
    const found = await ownApp(request);
    await regeneratePostmanLinkToken(ctx, found.id);
    return { app: await appDetail(ctx, found, requestOrigin(request), null) };
  });
}
