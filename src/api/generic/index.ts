/**
 * The catch-all of each version prefix (`/vapid/*`, `/rest/v1.0/*` … `/rest/v2.1/*`): the
 * declared operations (src/api/mount.ts) and every other operation of Procore's current API
 * catalogue (`reference/procore-2026/`), dispatched through tries (`src/catalog/router.ts`)
 * instead of one Fastify route per operation. Registering Fastify routes was most of the
 * server's start-up (docs/decisions/0003-fast-path.md, 0004-breadth-from-catalogue.md); the
 * catalogue's trie costs nothing until its first request, which loads the catalogue.
 *
 * Declared operations win, as Fastify preferred their routes over a wildcard. Otherwise:
 * - a path no operation has, on any method → today's did-you-mean 404 (`sendRouteNotFound`);
 * - a path some operation (or declared route) has, but not with this method → 405 with `Allow`,
 *   as a registered route answers a wrong method (`src/http/index.ts`);
 * - otherwise the bearer token, the rate limit and the operation (`engine.ts`).
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, HTTPMethods, onRequestHookHandler } from 'fastify';
import { normalizeTemplate } from '../../catalog/catalog.js';
import { loadCatalog } from '../../catalog/load.js';
import { compileRouter, type CatalogRouter, type Routable, type RouteMatch } from '../../catalog/router.js';
import { allowedMethods, uriTooLong } from '../../http/index.js';
import { sendRouteNotFound } from '../not-found.js';
import type { ApiVersion, Resource } from '../resource.js';
import { ErrorSchema } from '../schemas.js';
import { checkParentRow, declaredFor, serveDeclared } from './declared.js';
import { serveGeneric } from './engine.js';
import { planOf } from './plan.js';

export { serveGeneric } from './engine.js';
export { planOf, type Behaviour, type Plan } from './plan.js';

const routers = new Map<string, CatalogRouter>();

/** The trie over the catalogue's operations of one version (built on first use). */
export function genericRouter(version: ApiVersion): CatalogRouter {
  let router = routers.get(version);
  if (!router) {
    router = compileRouter(loadCatalog().operations.filter((op) => op.version === version));
    routers.set(version, router);
  }
  return router;
}

const matches = new WeakMap<FastifyRequest, RouteMatch>();

/** A declared operation served behind the catch-all (built by `mountResources`, src/api/mount.ts). */
export interface DeclaredRoute extends Routable {
  /** Its Fastify pattern with the prefix (`/rest/v1.0/projects/:project_id/rfis`), for the journal. */
  pattern: string;
  /** Bearer token and rate limit (a callback hook). */
  guard: onRequestHookHandler;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** Its success status and response schema: the answer is serialized by it, as a route's would be. */
  status: number;
  response?: TSchema;
}

const chosen = new WeakMap<FastifyRequest, DeclaredRoute>();

/**
 * The route pattern a request was answered by, for the journal: the declared or catalogue
 * operation the catch-all dispatched to (`/rest/v1.0/projects/:project_id/punch_items`),
 * undefined when it matched none; other routes' own pattern.
 */
export function answeringRoute(request: FastifyRequest): string | undefined {
  const own = chosen.get(request);
  if (own) return own.pattern;
  const url = request.routeOptions.url;
  if (!url || !/^\/(rest\/v\d+\.\d+|vapid)\/\*$/.test(url)) return url;
  const match = matches.get(request);
  return match ? match.op.path.replace(/\{(\w+)\}/g, ':$1') : undefined;
}

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] as string;
}

function methodNotAllowed(reply: FastifyReply, path: string, method: string, allow: string[]): FastifyReply {
  const message = `Method ${method} is not allowed on ${path.slice(0, 200)}`;
  return reply
    .code(405)
    .header('Allow', allow.join(', '))
    .header('Cache-Control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ code: 405, message, errors: [message], error: 'Method Not Allowed' });
}

/** Path parameters as Fastify gives them: percent-decoded (a malformed escape stays as sent). */
function decodeParams(raw: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(raw)) {
    if (!value.includes('%')) continue;
    try {
      raw[name] = decodeURIComponent(value);
    } catch {
      // kept raw: an id that is not one is a 404 further on
    }
  }
  return raw;
}

/**
 * Registers the catch-all of `version` on `app` (the prefix's scope): the declared operations
 * (`declared`, each behind its own guard), then on the `/rest` prefixes every other operation of
 * the catalogue behind `guard` (the bearer token and rate limit of the declared routes).
 * One route instead of one per operation: registering ~600 routes in Fastify was a third of the
 * server's start-up (docs/decisions/0003-fast-path.md).
 */
export function registerCatchAll(
  app: FastifyInstance,
  version: ApiVersion,
  resources: readonly Resource[],
  declared: CatalogRouter<DeclaredRoute>,
  guard: onRequestHookHandler,
): void {
  const serializeError = (reply: FastifyReply) => reply.compileSerializationSchema(ErrorSchema, '4xx');

  function dispatch(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const path = pathOf(request);
    if (uriTooLong(path)) {
      // As the router answers a segment over its maxParamLength (src/server/errors.ts).
      const message = 'URI too long: a path segment is longer than 500 characters';
      reply
        .code(414)
        .header('Cache-Control', 'no-store')
        .send({ code: 414, message, errors: [message] });
      return;
    }
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const own = declared.find(method, path);
    if (own) {
      (request as { params: unknown }).params = decodeParams(own.params);
      chosen.set(request, own.op);
      return own.op.guard.call(app, request, reply, done);
    }
    const router = version === 'vapid' ? null : genericRouter(version);
    const match = router?.find(method, path);
    if (match) {
      matches.set(request, match);
      return guard.call(app, request, reply, done);
    }
    const allow = new Set<string>([...allowedMethods(request.server, path), ...(router?.methods(path) ?? [])]);
    if (allow.size > 0 && !allow.has(method)) {
      if (allow.has('GET')) allow.add('HEAD');
      allow.add('OPTIONS');
      const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
      methodNotAllowed(
        reply,
        path,
        request.method,
        [...allow].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
      );
      return;
    }
    sendRouteNotFound(request, reply);
  }

  app.route({
    method: METHODS,
    url: '/*',
    schema: { hide: true } as never,
    onRequest: dispatch,
    // A declared operation's answer goes through its response schema, its errors through the
    // error schema, as its own route's would (Fastify's serializer for the status).
    preSerialization: (request, reply, payload, done) => {
      const own = chosen.get(request);
      if (own) {
        const status = reply.statusCode;
        if (status === own.status && own.response) reply.serializer(reply.compileSerializationSchema(own.response, String(status)));
        else if (status >= 400 && status < 500) reply.serializer(serializeError(reply));
      }
      done(null, payload);
    },
    handler: async (request, reply) => {
      const own = chosen.get(request);
      if (own) return own.handler(request, reply);
      const match = matches.get(request);
      if (!match) return sendRouteNotFound(request, reply);
      return answer(match, request, reply, version, resources);
    },
  });
}

/** One catalogue operation: through its hand declaration when one serves the resource, else generic. */
async function answer(
  match: RouteMatch,
  request: FastifyRequest,
  reply: FastifyReply,
  version: ApiVersion,
  resources: readonly Resource[],
): Promise<FastifyReply> {
  const plan = planOf(match.op);
  const declared = declaredFor(resources, plan);
  if (declared && (await serveDeclared(declared, plan, match.params, request, reply, version))) return reply;
  return serveGeneric(plan, match.params, request, reply, (parentId, projectId) =>
    checkParentRow(resources, plan, match.params, request, reply, version, parentId, projectId),
  );
}

/**
 * A declared route whose `:param` took a literal segment of another catalogue operation
 * (`GET …/rfis/potential_assignees` reaching `GET …/rfis/:id`): that operation answers instead.
 * Returns false when no other operation fits, so the declared route answers (a 404).
 */
export async function serveShadowed(
  request: FastifyRequest,
  reply: FastifyReply,
  version: ApiVersion,
  declaredPath: string,
  resources: readonly Resource[],
): Promise<boolean> {
  if (version === 'vapid') return false;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const match = genericRouter(version).find(method, pathOf(request));
  if (!match || normalizeTemplate(match.op.template) === normalizeTemplate(declaredPath)) return false;
  // Answered (and journaled) as that operation, not through the declared one's response schema.
  chosen.delete(request);
  matches.set(request, match);
  await answer(match, request, reply, version, resources);
  return true;
}
