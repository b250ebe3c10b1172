/**
 * The HTTP layer under every route of both environments (registered first by `buildApp()`):
 *
 * - `rewriteUrl`: duplicate slashes collapse (`//rest/v1.0//me` routes as `/rest/v1.0/me`, so
 *   it gets the same handler and the same auth decision), and an absolute-form target
 *   (`GET http://host/path`, RFC 9112 §3.2.2) is reduced to its path.
 * - Request targets that are not a path (`GET *`) and dot-segments (`/./`, `/../`, also
 *   percent-encoded) → 400 JSON before routing decisions matter. (`%00` in a path or query is
 *   refused by the text hygiene, in each route's own error format.)
 * - `X-Content-Type-Options: nosniff` on every response.
 * - A wrong method on a known path → 405 with `Allow`, computed from the router.
 * - `/favicon.ico` (the web app's SVG icon; the login pages need it on both environments).
 * - Text hygiene of bodies, queries and paths (hygiene.ts).
 * - Client errors Node answers before Fastify sees a request (431, 400, 408): no body for HEAD.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { PACKAGE_ROOT } from '../context/paths.js';
import { registerTextHygiene } from './hygiene.js';

export { assertCleanText, BadTextError } from './hygiene.js';

const HEAD = Symbol('HEAD request');

/**
 * HEAD is answered by the GET route (RFC 9110 §9.3.2): called from Fastify's `rewriteUrl`, before
 * the router, it turns a HEAD request into a GET one and marks it, and `registerHttpLayer`'s
 * onSend hook then drops the body and keeps its length. Fastify's own HEAD twins
 * (`exposeHeadRoutes`) doubled the routes, a sixth of start-up (docs/decisions/0003-fast-path.md).
 */
export function routeHeadAsGet(req: IncomingMessage): void {
  if (req.method !== 'HEAD') return;
  req.method = 'GET';
  (req as IncomingMessage & { [HEAD]?: true })[HEAD] = true;
}

/** Whether the client sent HEAD (the request is routed, hooked and journalled as its GET). */
export function isHeadRequest(request: FastifyRequest | IncomingMessage): boolean {
  const raw = 'raw' in request ? request.raw : request;
  return (raw as IncomingMessage & { [HEAD]?: true })[HEAD] === true;
}

/** The method the client sent: HEAD for a HEAD request routed as GET. */
export function clientMethod(request: FastifyRequest): string {
  return isHeadRequest(request) ? 'HEAD' : request.method;
}

/** Fastify's `rewriteUrl`: collapses duplicate slashes in the path; absolute-form → path. */
export function normalizeRequestUrl(url: string): string {
  let target = url;
  const absolute = /^https?:\/\/[^/?#]*/i.exec(target);
  if (absolute) target = target.slice(absolute[0].length) || '/';
  if (!target.startsWith('/')) return target;
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (!path.includes('//')) return target;
  return path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : target.slice(q));
}

/** The router's `maxParamLength` (see `buildApp()`). */
export const MAX_SEGMENT_LENGTH = 500;

/**
 * A path with a segment over the router's maxParamLength: the router matches it on no method
 * (or only a catch-all), so it must not read as "method not allowed"; it is a 414.
 */
export function uriTooLong(path: string): boolean {
  return path.split('/').some((seg) => seg.length > MAX_SEGMENT_LENGTH);
}

const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

function sendJsonError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ code: status, message, errors: [message], error: STATUS_CODES[status] });
}

/** A malformed request target, or null. */
export function badTarget(url: string): string | null {
  if (!url.startsWith('/')) return 'Malformed request target: only a path (such as /rest/v1.0/me) is accepted';
  const path = url.split('?')[0]!;
  if (DOT_SEGMENT.test(path)) return 'Malformed URL: paths with "." or ".." segments are not accepted';
  return null;
}

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Routes served behind one catch-all route (the API's declared operations, src/api/mount.ts):
 * which methods answer a path, and whether a Fastify pattern is one of them. `allowedMethods`
 * and the 404's suggestions count them as registered routes.
 */
export interface VirtualRoutes {
  methods(path: string): string[];
  has(route: { method: string; url: string }): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Filled by the routes that dispatch behind a catch-all (shared by every scope of the app). */
    virtualRoutes: VirtualRoutes[];
  }
}

/**
 * The methods the router serves on `path` besides catch-alls (`/*` wildcards: the static
 * files, the API's CORS preflight), counting the operations dispatched behind a catch-all
 * (`virtualRoutes`). OPTIONS is listed when a real route matches.
 */
export function allowedMethods(app: FastifyInstance, path: string): HTTPMethods[] {
  const allowed: HTTPMethods[] = [];
  if (uriTooLong(path)) return allowed;
  let options = false;
  const virtual = new Set((app.virtualRoutes ?? []).flatMap((v) => v.methods(path)));
  for (const method of METHODS) {
    if (method !== 'OPTIONS' && virtual.has(method)) {
      allowed.push(method);
      continue;
    }
    const found = app.findRoute({ method, url: path });
    if (!found) continue;
    if (method === 'OPTIONS') options = true;
    else if (!(found.params && '*' in (found.params as object))) allowed.push(method);
  }
  // HEAD is served wherever GET is (routeHeadAsGet).
  if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.splice(allowed.indexOf('GET') + 1, 0, 'HEAD');
  if (allowed.length > 0 && options) allowed.push('OPTIONS');
  return allowed;
}

function readFavicon(): Buffer | null {
  for (const file of [join(PACKAGE_ROOT, 'web', 'public', 'favicon.svg'), join(PACKAGE_ROOT, 'web', 'dist', 'favicon.svg')]) {
    try {
      return readFileSync(file);
    } catch {
      /* try the next */
    }
  }
  return null;
}

export async function registerHttpLayer(app: FastifyInstance): Promise<void> {
  // Callback-style hooks: an async hook costs every request a promise and a microtask.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    const bad = badTarget(request.url);
    if (bad) return void sendJsonError(reply, 400, bad); // answered: the chain stops here
    if (request.is404) {
      const path = request.url.split('?')[0]!;
      const allow = allowedMethods(app, path);
      if (allow.length > 0 && !allow.includes(request.method as HTTPMethods)) {
        reply.header('Allow', allow.join(', '));
        return void sendJsonError(reply, 405, `Method ${clientMethod(request)} is not allowed on ${path.slice(0, 200)}`);
      }
    }
    done();
  });

  registerTextHygiene(app);

  // A HEAD answer never has a body (RFC 9110 §9.3.2) but says how long the GET's would be.
  // (Node drops the body of a real HEAD response anyway; `inject` does not.)
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!isHeadRequest(request)) return done(null, payload);
    if (payload === undefined || payload === null) reply.header('content-length', '0');
    else if (typeof payload === 'string' || Buffer.isBuffer(payload)) reply.header('content-length', String(Buffer.byteLength(payload)));
    else if (typeof (payload as { resume?: unknown }).resume === 'function') (payload as NodeJS.ReadableStream).resume();
    // HEAD again from here on: Fastify then keeps that length instead of writing 0 for no body.
    request.raw.method = 'HEAD';
    done(null, null);
  });

  const favicon = readFavicon();
  if (favicon) {
    app.get('/favicon.ico', { schema: { hide: true } as never }, (_request, reply) =>
      reply.type('image/svg+xml').header('Cache-Control', 'public, max-age=86400').send(favicon),
    );
  }
}

/**
 * Fastify's `clientErrorHandler`: the answer to a request Node refused while reading its head
 * (431 header overflow, 408, 400). As Fastify's default, with JSON, except that a HEAD request
 * (or one whose method cannot be seen) gets no body.
 */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message = status === 408 ? 'Client Timeout' : status === 431 ? 'Exceeded maximum allowed HTTP header size' : 'Client Error';
  // Node hands over the buffer being parsed; with a typical head that starts at the request line.
  const head = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.subarray(0, 16).toString('latin1') : '';
  const method = /^([A-Z]+) /.exec(head)?.[1];
  const withBody = method !== undefined && method !== 'HEAD';
  const body = withBody ? JSON.stringify({ error: STATUS_CODES[status], message, statusCode: status }) : '';
  this.log.trace({ err: { code: err.code } }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        (withBody ? 'Content-Type: application/json\r\n' : '') +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
