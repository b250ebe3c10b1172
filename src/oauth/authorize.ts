/**
 * The authorization endpoint (RFC 6749 §4.1/§4.2, RFC 7636) as Procore shows it:
 *
 *   GET  /oauth/authorize  → sign-in page, or approve page once signed in
 *   POST /oauth/login      → checks the CSRF token, throttles, signs in, 303 back to the GET
 *   POST /oauth/authorize  → approve/deny (one-time form token), 303 to the redirect URI with
 *                            `code` and `state` — or, for `urn:ietf:wg:oauth:2.0:oob`, the
 *                            "Authorization code:" page.
 *
 * An unknown `client_id`, a `redirect_uri` that is not registered (raw string comparison) and
 * duplicated parameters get an error page, never a redirect (no open redirect). Other errors
 * go to the validated redirect URI with `error` and `state`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { isoSeconds } from '../core/clock.js';
import { DUMMY_PASSWORD_HASH, randomHex64, sha256Hex, verifyPassword } from '../core/crypto.js';
import { newGrantId } from '../core/tokens.js';
import type { Environment, Row } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import { findClient, type AuthenticatedClient } from './client_auth.js';
import {
  AccessDenied,
  InvalidClient,
  InvalidRedirectUri,
  InvalidRequest,
  OAuthError,
  SlowDown,
  UnauthorizedClient,
  UnsupportedResponseType,
} from './errors.js';
import { findAppSandbox, issueTokens } from './issue.js';
import { approvePage, errorPage, loginPage, messagePage, oobPage, sendHtml } from './pages.js';
import { param, queryParams, requestParams, type OAuthParams } from './params.js';
import {
  consumeApproveNonce,
  endSession,
  ensurePreSession,
  hasSessionCookie,
  issueApproveNonce,
  loadSession,
  loginCsrfToken,
  logoutCsrfToken,
  startSession,
  verifyLoginCsrf,
  verifyLogoutCsrf,
} from './session.js';
import { clearThrottle, loginThrottleKeys, release, reserve } from './throttle.js';

export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';

/** The parameters of an authorization request, carried through the sign-in and approve forms. */
const REQUEST_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope'] as const;

export interface AuthorizationRequest {
  client: AuthenticatedClient;
  sandbox: Row<'sandboxes'>;
  redirectUri: string;
  redirectUriGiven: boolean;
  responseType: 'code' | 'token';
  state: string | undefined;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  /** The request's own parameters, to re-send through forms. */
  carried: Map<string, string>;
}

/** An error shown on the error page (the redirect URI is not trustworthy). */
class PageError extends Error {
  constructor(readonly oauth: OAuthError) {
    super(oauth.error_description);
  }
}

/** An error sent back to the (validated) redirect URI. */
class RedirectError extends Error {
  constructor(
    readonly oauth: OAuthError,
    readonly target: { redirectUri: string; state: string | undefined; fragment: boolean },
  ) {
    super(oauth.error_description);
  }
}

export function isLoopbackOrOob(uri: string): boolean {
  return uri === OOB_REDIRECT_URI || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?([/?#]|$)/i.test(uri);
}

/** The CSP `form-action` source that lets a form's redirect chain end at `uri`. */
function formTarget(uri: string): string[] {
  try {
    const url = new URL(uri);
    if (url.protocol === 'http:' || url.protocol === 'https:') return [url.origin];
    if (/^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) && url.protocol !== 'urn:') return [url.protocol];
  } catch {
    /* not a URL: nothing to allow */
  }
  return [];
}

/** Percent-encodes anything a Location header cannot carry (registered URIs are stored verbatim). */
function headerSafe(uri: string): string {
  return uri.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

function appendParams(uri: string, values: [string, string | undefined][], fragment: boolean): string {
  const query = values
    .filter((v): v is [string, string] => v[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  if (fragment) return `${headerSafe(uri)}#${query}`;
  return `${headerSafe(uri)}${uri.includes('?') ? '&' : '?'}${query}`;
}

/** Step 1: client and redirect URI. Failures are `PageError`s (never redirected). */
async function resolveClient(ctx: AppContext, environment: Environment, params: OAuthParams) {
  const clientId = param(params, 'client_id');
  const client = clientId === undefined ? undefined : await findClient(ctx, environment, clientId);
  if (!client) throw new PageError(new InvalidClient());
  const given = param(params, 'redirect_uri');
  let redirectUri: string;
  if (given === undefined) {
    // Doorkeeper: with exactly one registered URI the parameter may be left out.
    if (client.redirectUris.length !== 1) throw new PageError(new InvalidRedirectUri('Missing required parameter: redirect_uri.'));
    redirectUri = client.redirectUris[0]!;
  } else {
    if (!client.redirectUris.includes(given)) throw new PageError(new InvalidRedirectUri());
    redirectUri = given;
  }
  const sandbox = await findAppSandbox(ctx.db, client.appId);
  if (!sandbox) throw new PageError(new InvalidClient());
  return { client, sandbox, redirectUri, redirectUriGiven: given !== undefined };
}

/** Step 2: the rest of the request; failures are redirected with `error` and `state`. */
function validateRequest(base: Awaited<ReturnType<typeof resolveClient>>, params: OAuthParams): AuthorizationRequest {
  const state = params.get('state');
  const responseType = param(params, 'response_type');
  const oob = base.redirectUri === OOB_REDIRECT_URI;
  const fail = (err: OAuthError, fragment = false): never => {
    if (oob) throw new PageError(err);
    throw new RedirectError(err, { redirectUri: base.redirectUri, state, fragment });
  };
  if (responseType === undefined) fail(new InvalidRequest('Missing required parameter: response_type.'));
  if (responseType !== 'code' && responseType !== 'token') fail(new UnsupportedResponseType());
  if (responseType === 'token') {
    if (!base.client.grantTypes.includes('implicit')) fail(new UnauthorizedClient(), true);
    if (oob) fail(new UnsupportedResponseType('The implicit grant cannot be used with the oob redirect URI.'));
  }
  const fragment = responseType === 'token';
  const challenge = param(params, 'code_challenge');
  let method = param(params, 'code_challenge_method');
  if (challenge === undefined && method !== undefined)
    fail(new InvalidRequest('code_challenge_method requires a code_challenge.'), fragment);
  if (challenge !== undefined) {
    method ??= 'plain';
    if (method !== 'S256' && method !== 'plain')
      fail(new InvalidRequest('Unsupported code_challenge_method: use S256 or plain.'), fragment);
    const shape = method === 'S256' ? /^[A-Za-z0-9_-]{43}$/ : /^[A-Za-z0-9\-._~]{43,128}$/;
    if (!shape.test(challenge)) fail(new InvalidRequest('Invalid code_challenge.'), fragment);
  }
  const carried = new Map<string, string>();
  for (const name of REQUEST_PARAMS) {
    const value = params.get(name);
    if (value !== undefined) carried.set(name, value);
  }
  return {
    ...base,
    responseType: responseType as 'code' | 'token',
    state,
    codeChallenge: challenge ?? null,
    codeChallengeMethod: challenge === undefined ? null : (method as 'S256' | 'plain'),
    carried,
  };
}

async function readAuthorizationRequest(ctx: AppContext, environment: Environment, params: OAuthParams): Promise<AuthorizationRequest> {
  return validateRequest(await resolveClient(ctx, environment, params), params);
}

function authorizeQuery(req: AuthorizationRequest): string {
  return new URLSearchParams([...req.carried]).toString();
}

function renderError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof RedirectError) {
    const { oauth, target } = err;
    return reply.header('Cache-Control', 'no-store').redirect(
      appendParams(
        target.redirectUri,
        [
          ['error', oauth.error],
          ['error_description', oauth.error_description],
          ['state', target.state],
        ],
        target.fragment,
      ),
      303,
    );
  }
  if (err instanceof PageError || err instanceof OAuthError) {
    const oauth = err instanceof PageError ? err.oauth : err;
    const status = oauth.status === 401 ? 400 : oauth.status;
    if (oauth instanceof SlowDown) reply.header('Retry-After', String(oauth.retryAfterSeconds));
    return sendHtml(reply, status, errorPage({ error: oauth.error, description: oauth.error_description }));
  }
  throw err;
}

function forbidden(reply: FastifyReply): FastifyReply {
  return sendHtml(
    reply,
    403,
    messagePage('Forbidden', 'This form has expired or did not come from this site. Go back, reload the page and try again.'),
  );
}

function showLogin(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  environment: Environment,
  req: AuthorizationRequest,
  status: number,
  error?: string,
  email?: string,
) {
  const pre = ensurePreSession(request, reply, environment);
  return sendHtml(
    reply,
    status,
    loginPage({ appName: req.client.appName, action: '/oauth/login', request: req.carried, csrf: loginCsrfToken(ctx, pre), error, email }),
    formTarget(req.redirectUri),
  );
}

/** Issues the code (or implicit token) and answers: 303 to the client, or the oob page. */
async function grant(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, req: AuthorizationRequest, user: Row<'users'>) {
  const nowMs = ctx.clock.forSandbox(req.sandbox.id).nowMs();
  if (req.responseType === 'token') {
    const tokens = await issueTokens(ctx.db, ctx, {
      credentialId: req.client.credentialId,
      environment: req.client.environment,
      sandboxId: req.sandbox.id,
      userId: user.id,
      grantId: newGrantId(),
      authCodeId: null,
      withRefresh: false,
    });
    const location = appendParams(
      req.redirectUri,
      [
        ['access_token', tokens.access_token],
        ['token_type', 'bearer'],
        ['expires_in', String(tokens.expires_in)],
        ['created_at', String(tokens.created_at)],
        ['state', req.state],
      ],
      true,
    );
    return reply.header('Cache-Control', 'no-store').redirect(location, 303);
  }
  const code = randomHex64();
  await ctx.db
    .insertInto('auth_codes')
    .values({
      code_hash: sha256Hex(code),
      credential_id: req.client.credentialId,
      user_id: user.id,
      sandbox_id: req.sandbox.id,
      redirect_uri: req.redirectUri,
      redirect_uri_given: req.redirectUriGiven ? 1 : 0,
      code_challenge: req.codeChallenge,
      code_challenge_method: req.codeChallengeMethod,
      expires_at: isoSeconds(nowMs + ctx.settings.codeLifetimeSeconds * 1000),
      consumed_at: null,
      created_at: isoSeconds(nowMs),
    })
    .execute();
  if (req.redirectUri === OOB_REDIRECT_URI) {
    const tokenUrl = `${request.protocol}://${request.host}/oauth/token`;
    return sendHtml(
      reply,
      200,
      oobPage({
        appName: req.client.appName,
        code,
        state: req.state,
        clientId: req.client.clientId,
        tokenUrl,
        redirectUri: OOB_REDIRECT_URI,
      }),
    );
  }
  return reply.header('Cache-Control', 'no-store').redirect(
    appendParams(
      req.redirectUri,
      [
        ['code', code],
        ['state', req.state],
      ],
      false,
    ),
    303,
  );
}

async function hasConsent(ctx: AppContext, userId: number, appId: number): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('oauth_consents')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('app_id', '=', appId)
    .executeTakeFirst();
  return row !== undefined;
}

async function rememberConsent(ctx: AppContext, userId: number, appId: number): Promise<void> {
  await ctx.db
    .insertInto('oauth_consents')
    .values({ user_id: userId, app_id: appId, created_at: isoSeconds(ctx.clock.nowMs()) })
    .onConflict((oc) => oc.columns(['user_id', 'app_id']).doNothing())
    .execute();
}

/** `GET /oauth/authorize` */
export async function authorizeEndpoint(ctx: AppContext, environment: Environment, request: FastifyRequest, reply: FastifyReply) {
  try {
    let params: OAuthParams;
    try {
      params = queryParams(request);
    } catch (err) {
      throw err instanceof OAuthError ? new PageError(err) : err;
    }
    const req = await readAuthorizationRequest(ctx, environment, params);
    const signedIn = await loadSession(ctx, request, environment);
    if (!signedIn || signedIn.user.sandbox_id !== req.sandbox.id || signedIn.user.company_id !== req.sandbox.company_id) {
      return showLogin(ctx, request, reply, environment, req, 200);
    }
    // Remembered consent is not applied to oob/loopback redirects (any local app could ask).
    if (!isLoopbackOrOob(req.redirectUri) && (await hasConsent(ctx, signedIn.user.id, req.client.appId))) {
      return grant(ctx, request, reply, req, signedIn.user);
    }
    const nonce = await issueApproveNonce(ctx, signedIn.session);
    return sendHtml(
      reply,
      200,
      approvePage({
        appName: req.client.appName,
        userName: `${signedIn.user.first_name} ${signedIn.user.last_name}`.trim(),
        userEmail: signedIn.user.email,
        action: '/oauth/authorize',
        request: req.carried,
        nonce,
        redirectUri: req.redirectUri,
        logoutCsrf: logoutCsrfToken(ctx, request, environment) ?? '',
      }),
      formTarget(req.redirectUri),
    );
  } catch (err) {
    return renderError(reply, err);
  }
}

async function formParams(request: FastifyRequest): Promise<OAuthParams> {
  try {
    return await requestParams(request, { query: false });
  } catch (err) {
    throw err instanceof OAuthError ? new PageError(err) : err;
  }
}

function requestPart(params: OAuthParams): OAuthParams {
  const only = new Map<string, string>();
  for (const name of REQUEST_PARAMS) {
    const value = params.get(name);
    if (value !== undefined) only.set(name, value);
  }
  return only;
}

/** `POST /oauth/login` */
export async function loginEndpoint(ctx: AppContext, environment: Environment, request: FastifyRequest, reply: FastifyReply) {
  try {
    const params = await formParams(request);
    if (!verifyLoginCsrf(ctx, request, environment, param(params, 'csrf_token'))) return forbidden(reply);
    const req = await readAuthorizationRequest(ctx, environment, requestPart(params));
    const email = (param(params, 'email') ?? '').trim();
    const password = params.get('password') ?? '';
    if (email === '' || password === '')
      return showLogin(ctx, request, reply, environment, req, 400, 'Please enter your email and password.', email);

    // Counted per sandbox user (every sandbox has the same seeded emails) and per IP; the slot is
    // taken before the password is checked, so concurrent guesses cannot overshoot the limit.
    const keys = loginThrottleKeys(ctx, request.ip, req.sandbox.id, email);
    try {
      await reserve(ctx, keys);
    } catch (err) {
      if (!(err instanceof SlowDown)) throw err;
      reply.header('Retry-After', String(err.retryAfterSeconds));
      return showLogin(
        ctx,
        request,
        reply,
        environment,
        req,
        429,
        'Too many failed sign-in attempts. Please wait and try again later.',
        email,
      );
    }

    const user = await ctx.db
      .selectFrom('users')
      .selectAll()
      .where('sandbox_id', '=', req.sandbox.id)
      .where('company_id', '=', req.sandbox.company_id)
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst();
    const usable = user !== undefined && user.is_service_account === 0 && user.is_active === 1;
    // Unknown users (and other companies' users) hash against a dummy: same answer, same time.
    const stored = usable ? (user.password_hash ?? req.sandbox.user_password_hash) : DUMMY_PASSWORD_HASH;
    const ok = (await verifyPassword(password.slice(0, 1024), stored)) && usable && password.length <= 1024;
    if (!ok || !user) return showLogin(ctx, request, reply, environment, req, 401, 'Invalid email or password.', email);
    await clearThrottle(ctx, keys[0]!);
    await release(ctx, keys.slice(1));
    await startSession(ctx, request, reply, environment, user);
    await ctx.db
      .updateTable('users')
      .set({ last_login_at: isoSeconds(ctx.clock.nowMs()) })
      .where('id', '=', user.id)
      .execute();
    return reply.header('Cache-Control', 'no-store').redirect(`/oauth/authorize?${authorizeQuery(req)}`, 303);
  } catch (err) {
    return renderError(reply, err);
  }
}

/** `POST /oauth/authorize`: the approve page's decision. */
export async function decisionEndpoint(ctx: AppContext, environment: Environment, request: FastifyRequest, reply: FastifyReply) {
  try {
    const params = await formParams(request);
    const signedIn = await loadSession(ctx, request, environment);
    if (!signedIn || request.headers['sec-fetch-site'] === 'cross-site') return forbidden(reply);
    if (!(await consumeApproveNonce(ctx, signedIn.session, param(params, 'csrf_token')))) return forbidden(reply);
    const req = await readAuthorizationRequest(ctx, environment, requestPart(params));
    if (signedIn.user.sandbox_id !== req.sandbox.id) return forbidden(reply);
    const decision = param(params, 'decision');
    if (decision === 'approve') {
      await rememberConsent(ctx, signedIn.user.id, req.client.appId);
      return grant(ctx, request, reply, req, signedIn.user);
    }
    const denied = new AccessDenied();
    if (req.redirectUri === OOB_REDIRECT_URI) throw new PageError(denied);
    throw new RedirectError(denied, { redirectUri: req.redirectUri, state: req.state, fragment: req.responseType === 'token' });
  } catch (err) {
    return renderError(reply, err);
  }
}

/**
 * `POST /oauth/logout`: ends this browser's login-service session (server side and cookie). The
 * form token is an HMAC of the session id (the approve page's "Sign out" form carries it), and
 * cross-site posts are refused, so another site cannot sign a user out. Without a session the
 * answer is the same "signed out" page. When the form carries an authorization request, the
 * page links back to it (the sign-in page).
 */
export async function logoutEndpoint(ctx: AppContext, environment: Environment, request: FastifyRequest, reply: FastifyReply) {
  try {
    const params = await formParams(request);
    if (hasSessionCookie(request, environment) && !verifyLogoutCsrf(ctx, request, environment, param(params, 'logout_token')))
      return forbidden(reply);
    await endSession(ctx, request, reply, environment);
    const carried = requestPart(params);
    const link = carried.has('client_id')
      ? { href: `/oauth/authorize?${new URLSearchParams([...carried]).toString()}`, text: 'Sign in again' }
      : undefined;
    reply.header('Cache-Control', 'no-store');
    return sendHtml(reply, 200, messagePage('Signed out', 'You are signed out of the Procore Sandbox login service.', link));
  } catch (err) {
    return renderError(reply, err);
  }
}
