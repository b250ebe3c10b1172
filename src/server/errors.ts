/**
 * Last-resort error handling: every error leaves as JSON with a 4xx for the client's mistakes
 * (malformed JSON, oversize body, bad media type, schema violations) and a bare 500 otherwise,
 * with no stack, SQL or cause. Route plugins may set their own handlers (OAuth does).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { sendRouteNotFound } from '../api/not-found.js';
import { clientError } from '../http/client-errors.js';
import { allowedMethods, clientMethod, isHeadRequest, uriTooLong } from '../http/index.js';

/**
 * Fastify's `frameworkErrors`: errors its router raises before any hook runs — a path whose
 * percent-encoding is not UTF-8 (`/rest/v1.0/projects/%ED%A0%80`, FST_ERR_BAD_URL) or a path
 * parameter over `maxParamLength` (FST_ERR_MAX_PARAM_LENGTH). Fastify's default answers those
 * with its own body (error code, the URL echoed) and without the headers our hooks add; this
 * answers them as every other error: JSON, nosniff, no-store, no echo.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const [status, message] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'URI too long: a path segment is longer than 500 characters']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'Malformed URL: the path is not valid percent-encoded UTF-8']
        : [error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400, 'Bad request'];
  reply
    .code(status)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store')
    .type('application/json; charset=utf-8');
  // No hook runs before the router: a HEAD answer must drop its body here (RFC 9110 §9.3.2).
  if (isHeadRequest(request) || request.method === 'HEAD') void reply.send();
  else void reply.send({ code: status, message, errors: [message] });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const fields = [
        ...new Set(
          error.validation.map((v) =>
            (v.instancePath || v.params?.['missingProperty'] || '').toString().replace(/^\//, '').replace(/\//g, '.'),
          ),
        ),
      ].filter(Boolean);
      return reply.code(400).send({ code: 400, message: error.message, errors: [error.message], fields: fields.join(',') });
    }
    const client = clientError(error);
    if (client) return reply.code(client.status).send({ code: client.status, message: client.message, errors: [client.message] });
    request.log.error({ err: { message: error.message, code: error.code, stack: error.stack } }, 'request failed');
    const status = error.statusCode ?? 500;
    const code = status >= 500 && status < 600 ? status : 500;
    return reply.code(code).send({ code, message: 'Internal Server Error', errors: ['Internal Server Error'] });
  });

  app.setNotFoundHandler((request, reply) => {
    // Reached from a catch-all (the static files' `GET /*`) too: a known path with another method is a 405.
    const path = request.url.split('?')[0]!;
    if (uriTooLong(path)) {
      const message = 'URI too long: a path segment is longer than 500 characters';
      return reply.code(414).send({ code: 414, message, errors: [message] });
    }
    const allow = allowedMethods(app, path);
    if (allow.length > 0 && !allow.includes(request.method as HTTPMethods)) {
      const message = `Method ${clientMethod(request)} is not allowed on ${path.slice(0, 200)}`;
      return reply
        .code(405)
        .header('Allow', allow.join(', '))
        .send({ code: 405, message, errors: [message], error: 'Method Not Allowed' });
    }
    // API paths (GET ones reach here through the web app's static wildcard) get the API's 404.
    if (/^\/(rest|vapid)\//.test(request.url)) return sendRouteNotFound(request, reply);
    return reply.code(404).send({ code: 404, message: `Route ${clientMethod(request)} ${path} not found`, error: 'Not Found' });
  });
}
