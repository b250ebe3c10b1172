/**
 * The generic engine: every operation of Procore's current API catalogue
 * (`reference/procore-2026/`) that no declaration serves, answered by one catch-all route per
 * version prefix (`/rest/v1.0/*` … `/rest/v2.1/*`) dispatching through the catalogue's trie
 * router (`src/catalog/router.ts`). Registering one Fastify route per operation took seconds at
 * start-up (docs/decisions/0004-breadth-from-catalogue.md); the catch-all costs nothing until
 * its first request, which loads the catalogue.
 *
 * Declared routes win (Fastify prefers them over a wildcard). On the catch-all:
 * - a path no operation has, on any method → today's did-you-mean 404 (`sendRouteNotFound`);
 * - a path some operation (or declared route) has, but not with this method → 405 with `Allow`,
 *   as a registered route answers a wrong method (`src/http/index.ts`);
 * - otherwise the bearer token, the rate limit and the operation (`engine.ts`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, onRequestHookHandler } from 'fastify';
import { normalizeTemplate } from '../../catalog/catalog.js';
import { loadCatalog } from '../../catalog/load.js';
import { compileRouter, type CatalogRouter, type RouteMatch } from '../../catalog/router.js';
import { allowedMethods, uriTooLong } from '../../http/index.js';
import { sendRouteNotFound } from '../not-found.js';
import type { ApiVersion, Resource } from '../resource.js';
import { declaredFor, serveDeclared } from './declared.js';
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

/**
 * The route pattern a request was answered by, for the journal: the catalogue operation the
 * catch-all dispatched to (`/rest/v1.0/projects/:project_id/punch_items`), undefined when it
 * matched none; other routes' own pattern.
 */
export function answeringRoute(request: FastifyRequest): string | undefined {
  const url = request.routeOptions.url;
  if (!url || !/^\/rest\/v\d+\.\d+\/\*$/.test(url)) return url;
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

/**
 * Registers the catch-all of `version` on `app` (the prefix's scope), behind `guards` (the
 * bearer token and rate limit of the declared routes).
 */
export function registerGeneric(
  app: FastifyInstance,
  version: ApiVersion,
  resources: readonly Resource[],
  guards: onRequestHookHandler[],
): void {
  async function dispatch(request: FastifyRequest, reply: FastifyReply): Promise<void> {
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
    const router = genericRouter(version);
    const match = router.find(method, path);
    if (match) {
      matches.set(request, match);
      return;
    }
    const allow = new Set<string>([...allowedMethods(request.server, path), ...router.methods(path)]);
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
    onRequest: [dispatch, ...guards],
    handler: async (request, reply) => {
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
  return serveGeneric(plan, match.params, request, reply);
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
  await answer(match, request, reply, version, resources);
  return true;
}
