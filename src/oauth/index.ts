/**
 * The login service (OAuth 2.0 as Procore runs it, on both environments' ports):
 *
 * | route                        | file            |
 * |------------------------------|-----------------|
 * | GET  /oauth/authorize        | authorize.ts    |
 * | POST /oauth/login            | authorize.ts    |
 * | POST /oauth/authorize        | authorize.ts    |
 * | POST /oauth/logout           | authorize.ts    |
 * | POST /oauth/token (+ slash)  | token.ts        |
 * | GET  /oauth/token/info       | token_info.ts   |
 * | POST /oauth/revoke           | revocation.ts   |
 * | GET  /oauth/assets/oob.js    | pages.ts        |
 *
 * JSON endpoints answer errors as `{"error","error_description"}` (errors.ts); HTML endpoints
 * render their own pages. No CORS headers are sent from here.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { authorizeEndpoint, decisionEndpoint, loginEndpoint, logoutEndpoint } from './authorize.js';
import { InvalidClient, InvalidRequest, InvalidToken, OAuthError, ServerError, SlowDown } from './errors.js';
import { errorPage, OOB_SCRIPT, sendHtml } from './pages.js';
import { revocationEndpoint } from './revocation.js';
import { tokenEndpoint } from './token.js';
import { tokenInfoEndpoint } from './token_info.js';

/** Fastify's own 4xx (body parsing, multipart limits) as an OAuth error with the same status. */
function toOAuthError(error: FastifyError | Error): OAuthError | null {
  if (error instanceof OAuthError) return error;
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (error as FastifyError).code ?? '';
    const description =
      code.includes('JSON') || error instanceof SyntaxError
        ? 'The request body is not valid JSON.'
        : error.message || 'The request is malformed.';
    const err = new InvalidRequest(description);
    Object.defineProperty(err, 'status', { value: status });
    return err;
  }
  return null;
}

export function sendOAuthError(reply: FastifyReply, err: OAuthError): FastifyReply {
  reply.code(err.status).header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
  if (err instanceof InvalidClient) reply.header('WWW-Authenticate', 'Basic realm="Procore"');
  if (err instanceof InvalidToken) reply.header('WWW-Authenticate', `Bearer realm="Procore", error="invalid_token"`);
  if (err instanceof SlowDown) reply.header('Retry-After', String(err.retryAfterSeconds));
  return reply.type('application/json; charset=utf-8').send(err.toJSON());
}

export default async function oauthRoutes(app: FastifyInstance): Promise<void> {
  const { ctx, environment } = app;

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toOAuthError(error);
    if (!known) request.log.error({ err: { message: error.message, code: error.code } }, 'oauth request failed');
    const err = known ?? new ServerError();
    if (request.routeOptions.config.html)
      return sendHtml(reply, err.status === 401 ? 400 : err.status, errorPage({ error: err.error, description: err.error_description }));
    return sendOAuthError(reply, err);
  });

  const html = { config: { html: true } };
  app.get('/oauth/authorize', html, (request, reply) => authorizeEndpoint(ctx, environment, request, reply));
  app.post('/oauth/login', html, (request, reply) => loginEndpoint(ctx, environment, request, reply));
  app.post('/oauth/authorize', html, (request, reply) => decisionEndpoint(ctx, environment, request, reply));
  app.post('/oauth/logout', html, (request, reply) => logoutEndpoint(ctx, environment, request, reply));

  for (const url of ['/oauth/token', '/oauth/token/']) {
    app.post(url, (request, reply) => tokenEndpoint(ctx, environment, request, reply));
  }
  app.get('/oauth/token/info', async (request, reply) => {
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    return tokenInfoEndpoint(ctx, environment, request);
  });
  app.post('/oauth/revoke', async (request, reply) => {
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    return revocationEndpoint(ctx, environment, request);
  });

  app.get('/oauth/assets/oob.js', (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'public, max-age=300')
      .send(OOB_SCRIPT),
  );
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers with HTML pages (errors included). */
    html?: boolean;
  }
}
