/**
 * The Procore REST API: every resource of `resources/` mounted under `/rest/v1.0` and the legacy
 * `/vapid`, plus the OpenAPI 3 document generated from the operations' route schemas at
 * `GET /openapi.json` — with every catalogue operation the generic engine answers
 * (`openapi.ts`), built on the document's first request so start-up does not pay for it.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { databaseRateLimitStore } from '../db/repos/rate-limits.js';
import { HOUR_MS, RateLimiter, SPIKE_MS } from './http/rate-limit.js';
import { mountResources, type DocumentedRoute } from './mount.js';
import { addCatalogueOperations, type OpenApiDocument } from './openapi.js';
import { API_VERSIONS, prefixOf, type ApiVersion } from './resource.js';
import { RESOURCES } from './resources/index.js';

const DOCUMENT_INFO = {
  openapi: '3.0.3',
  info: {
    title: 'procore-sandbox REST API',
    description:
      'Offline emulation of the Procore REST API (unofficial). Operations are served on the prefixes Procore serves them on: /rest/v1.0, /rest/v1.1 (Procore-Company-Id header required except on /me and /companies for user tokens; service-account tokens send it on every call) and the legacy /vapid.',
    version: '1.0',
  },
  components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
} as const;

/**
 * The OpenAPI document of the declared operations, from their route schemas by
 * @fastify/swagger. The server dispatches them behind one catch-all per prefix, so the routes
 * are registered here, on an app of their own that never listens, built on the document's
 * first request.
 */
async function declaredDocument(documented: Map<ApiVersion, DocumentedRoute[]>): Promise<OpenApiDocument> {
  const doc = Fastify({ exposeHeadRoutes: false });
  doc.setValidatorCompiler(() => () => true);
  doc.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await doc.register(swagger, { openapi: DOCUMENT_INFO });
  for (const [version, routes] of documented) {
    await doc.register(
      async (scope) => {
        for (const r of routes) scope.route({ method: r.method, url: r.url, schema: r.schema, handler: async () => null });
      },
      { prefix: prefixOf(version) },
    );
  }
  await doc.ready();
  const document = structuredClone(doc.swagger()) as unknown as OpenApiDocument;
  await doc.close();
  return document;
}

export default async function apiRoutes(app: FastifyInstance): Promise<void> {
  // One limiter per server process and environment, rebuilt if the settings change. On
  // PostgreSQL (several processes on one database) the windows are shared through it.
  let limiter: RateLimiter | null = null;
  let limiterKey = '';
  const limiterOf = (): RateLimiter | null => {
    const s = app.ctx.settings.rateLimit;
    if (!s.enabled) return null;
    const key = `${s.hourly}/${s.spike}`;
    if (key !== limiterKey) {
      limiter = new RateLimiter(
        [
          { limit: s.hourly, sizeMs: HOUR_MS },
          { limit: s.spike, sizeMs: SPIKE_MS },
        ],
        app.ctx.engine === 'postgres' ? databaseRateLimitStore(app.ctx.db, () => app.ctx.clock.nowMs(), `${app.environment}:`) : null,
      );
      limiterKey = key;
    }
    return limiter;
  };

  const documented = new Map<ApiVersion, DocumentedRoute[]>();
  for (const version of API_VERSIONS) {
    const routes: DocumentedRoute[] = [];
    documented.set(version, routes);
    await app.register(async (scope) => mountResources(scope, { version, resources: RESOURCES, limiter: limiterOf, documented: routes }), {
      prefix: prefixOf(version),
    });
  }

  let document: Promise<string> | null = null;
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    document ??= declaredDocument(documented).then((doc) => {
      addCatalogueOperations(doc, RESOURCES);
      return JSON.stringify(doc);
    });
    return reply.type('application/json; charset=utf-8').send(await document);
  });
}
