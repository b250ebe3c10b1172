/**
 * `buildApp()` returns a ready Fastify instance for one environment; `main.ts` only listens.
 * Tests call `app.inject()` and open no port.
 *
 * Plugin order: external (cookies, bodies, CORS) → app (context, bearer, errors) → routes.
 * The sandbox environment serves OAuth, the REST API, the portal, the Postman links and the
 * web app and the admin API (`/__admin/`); the production environment serves OAuth and the REST
 * API only.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { SerializerSelector, type SerializerCompiler, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import { clientErrorHandler, normalizeRequestUrl, registerHttpLayer, routeHeadAsGet, type VirtualRoutes } from '../http/index.js';
import adminRoutes from '../admin/routes.js';
import automationHooks from '../admin/hooks.js';
import apiRoutes from '../api/index.js';
import explorerRoutes from '../explorer/index.js';
import { registerLocalApp } from '../explorer/local.js';
import bearer from '../api/bearer.js';
import oauthRoutes from '../oauth/index.js';
import portalRoutes from '../portal/index.js';
import postmanRoutes from '../postman/index.js';
import type { Environment } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import { frameworkErrorHandler, registerErrorHandling } from './errors.js';
import webRoutes from './web.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    environment: Environment;
    /** Every route of this app as registered (the black-box suites in `test/` generate cases from it). */
    routeRegistry: RegisteredRoute[];
  }
}

/** One registered route: its methods, Fastify URL pattern (`:param`, `*`) and schemas, if any. */
export interface RegisteredRoute {
  methods: string[];
  url: string;
  schema?: {
    params?: unknown;
    querystring?: unknown;
    headers?: unknown;
    body?: unknown;
    response?: unknown;
    operationId?: string;
    hide?: boolean;
  };
}

export interface BuildAppOptions {
  ctx: AppContext;
  /** Which Procore environment this listener emulates. Default `sandbox`. */
  environment?: Environment;
  /** Fastify logger option; default off (the CLI passes a pino config). */
  logger?: FastifyServerOptions['logger'];
  /** A server of the caller's (the production environment's lazy listener, src/server/runtime.ts). */
  serverFactory?: FastifyServerOptions['serverFactory'];
}

/** Never log query strings (codes, states, secrets) or credentials. */
const requestSerializer = (req: { method: string; url: string; id: string }) => ({
  method: req.method,
  // Postman import links carry a secret token in the path (postman/index.ts).
  path: req.url.split('?')[0]?.replace(/^\/postman\/[^/]+/, '/postman/[redacted]'),
  id: req.id,
});

/**
 * Response serializers compiled once per schema object and shared by every route that uses it:
 * the same resource schema serves `/rest/v1.0` and `/vapid` on both environments, so start-up
 * compiles each serializer once instead of four times.
 */
/**
 * A serializer compiled on its first use: compiling every route's serializer when the app was
 * built was a fifth of the server's start-up (docs/decisions/0003-fast-path.md).
 */
function lazily(compile: () => (data: unknown) => string): (data: unknown) => string {
  let fn: ((data: unknown) => string) | null = null;
  return (data) => (fn ??= compile())(data);
}

const serializerCache = new WeakMap<object, Map<string, ReturnType<SerializerCompiler>>>();
const buildDefaultSerializer = SerializerSelector();
const cachingSerializerFactory: SerializerFactory = (externalSchemas, options) => {
  const compile = buildDefaultSerializer(externalSchemas, options);
  const shareable = externalSchemas === undefined || Object.keys(externalSchemas as object).length === 0;
  return (route) => {
    if (!shareable || typeof route.schema !== 'object' || route.schema === null) return lazily(() => compile(route));
    let byStatus = serializerCache.get(route.schema);
    if (!byStatus) serializerCache.set(route.schema, (byStatus = new Map()));
    let fn = byStatus.get(route.httpStatus);
    if (!fn) byStatus.set(route.httpStatus, (fn = lazily(() => compile(route))));
    return fn;
  };
};

/**
 * Validators compiled on their first use: compiling every route's validators when the app was
 * built was a fifth of start-up, and most routes (portal, admin, explorer) are not called
 * before the first API answer (docs/decisions/0003-fast-path.md). Fastify's own compiler still
 * prepares each schema (header names lowercased, `$id`s); only Ajv's `compile` is deferred.
 * The wrapper passes Fastify's arguments through and copies `errors` back, as Fastify reads
 * them off the function it was given.
 */
type Validate = ((data: unknown, ctx?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
function deferCompile(ajv: { compile(schema: unknown, meta?: boolean): Validate }): void {
  const compile = ajv.compile.bind(ajv);
  ajv.compile = (schema, meta) => {
    let fn: Validate | null = null;
    const validate: Validate = (data, ctx) => {
      fn ??= compile(schema, meta);
      const result = ctx === undefined ? fn(data) : fn(data, ctx);
      validate.errors = fn.errors;
      return result;
    };
    // Ajv validators have one: Fastify then passes the parent object, so Ajv may coerce the root value.
    validate.schemaEnv = true;
    return validate;
  };
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { ctx } = options;
  const environment = options.environment ?? 'sandbox';
  const logger =
    options.logger === undefined || options.logger === false
      ? false
      : typeof options.logger === 'object'
        ? { ...options.logger, serializers: { req: requestSerializer } }
        : { serializers: { req: requestSerializer } };
  const app = Fastify({
    logger,
    bodyLimit: ctx.settings.bodyLimit,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Fastify's 0 would cancel Node's own limit: keep slow bodies bounded.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    // validateSchema: our schemas are TypeBox-built and checked by the tests; validating them
    // against Ajv's meta-schema on every start compiled the meta-schema twice (~15% of start-up).
    ajv: {
      customOptions: { coerceTypes: 'array', allErrors: true, removeAdditional: false, validateSchema: false },
      onCreate: deferCompile,
    } as never,
    routerOptions: { maxParamLength: 500 },
    schemaController: { compilersFactory: { buildSerializer: cachingSerializerFactory } },
    // HEAD goes to the GET route (routeHeadAsGet) instead of a HEAD twin of every GET route.
    exposeHeadRoutes: false,
    rewriteUrl: (req) => {
      routeHeadAsGet(req);
      return normalizeRequestUrl(req.url ?? '/');
    },
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler(err, socket) {
      clientErrorHandler.call(this as unknown as FastifyInstance, err, socket);
    },
  });

  app.decorate('ctx', ctx);
  app.decorate('environment', environment);
  registerLocalApp(app);
  const routeRegistry: RegisteredRoute[] = [];
  app.decorate('routeRegistry', routeRegistry);
  app.decorate('virtualRoutes', [] as VirtualRoutes[]);
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    // Served too: HEAD goes to the GET route (routeHeadAsGet).
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
    routeRegistry.push({ methods, url: route.url, schema: route.schema as RegisteredRoute['schema'] });
  });
  await registerHttpLayer(app);

  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: ctx.settings.uploadLimit, fields: 100, files: 10 } });
  registerErrorHandling(app);
  // Faults, Prefer and the request journal: app-level hooks before every route (src/admin/).
  await app.register(automationHooks);
  await app.register(bearer);

  app.get('/health', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok', environment, database: ctx.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable', environment, database: ctx.engine });
    }
  });

  await app.register(oauthRoutes);
  await app.register(apiRoutes);
  if (environment === 'sandbox') {
    await app.register(adminRoutes, { prefix: '/__admin' });
    await app.register(portalRoutes);
    await app.register(postmanRoutes);
    await app.register(explorerRoutes);
    await app.register(webRoutes);
  }
  await app.ready();
  return app;
}
