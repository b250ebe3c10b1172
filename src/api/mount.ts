/**
 * The shared machinery: mounts resource declarations under one version prefix and applies, in
 * order, bearer auth → rate limit → company header → tenant scope → paging/filters/sort →
 * body validation → handler → response-schema serialization. CORS and JSON errors cover every
 * route of the prefix, including its 404s.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { FormatRegistry } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { requestOrigin } from '../http/origin.js';
import { ApiError, COMPANY_FORBIDDEN_MESSAGE } from './errors.js';
import { isValidDate, normalizeTimestamp, parseFilters, parsePage, parseSort, runList, type AnyQuery } from './http/listing.js';
import { sendRouteNotFound } from './not-found.js';
import { formBody } from './http/form.js';
import { parseId, parseQuery, queryId, type QueryTree } from './http/query.js';
import { cachedAnswer } from './http/page-cache.js';
import type { RateDecision, RateLimiter } from './http/rate-limit.js';
import { projectOfMember, projectOfSandbox } from './prepared.js';
import { prefixOf, type ApiContext, type ApiVersion, type Db, type Operation, type Resource } from './resource.js';
import { ErrorSchema } from './schemas.js';
import { signBlobPath } from './signing.js';
import { lazyValidator, type BodyValidator } from './validate.js';
import { registerCatchAll, serveShadowed, type DeclaredRoute } from './generic/index.js';
import { compileRouter } from '../catalog/router.js';

FormatRegistry.Set('date', (v) => isValidDate(v));
FormatRegistry.Set('date-time', (v) => normalizeTimestamp(v) !== null);

export const CORS_ALLOW_HEADERS =
  'Authorization, Content-Type, Procore-Company-Id, Procore-Sdk-Version, Procore-Sdk-Language, Accept, Prefer';
export const CORS_EXPOSE_HEADERS =
  'Total, Per-Page, Link, X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset, Retry-After, Preference-Applied';

export interface MountOptions {
  version: ApiVersion;
  resources: Resource[];
  /** The limiter of this Fastify app (shared by both prefixes), or null when disabled. */
  limiter: () => RateLimiter | null;
  /** Receives each declared operation's route, for the OpenAPI document (src/api/index.ts). */
  documented?: DocumentedRoute[];
}

/** A declared operation as a Fastify route: method, pattern below the prefix and schema (built on first read). */
export interface DocumentedRoute {
  method: Operation['method'];
  url: string;
  readonly schema: Record<string, unknown>;
}

function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}

function setCors(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === '' || /[\r\n]/.test(origin)) return;
  reply.header('Access-Control-Allow-Origin', origin);
  reply.header('Access-Control-Allow-Credentials', 'true');
  reply.header('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
  reply.header('Vary', 'Origin');
}

/** Most keys a `sort=a,-b,…` may name (a long list is a client mistake, not a query to run). */
export const MAX_SORT_KEYS = 10;

/** Path parameters kept as text (not ids): a download's file name, an upload's UUID. */
const TEXT_PARAMS = new Set(['filename', 'uuid']);

/** The inner object of a wrapped JSON body, validated; 400/415/422 otherwise. */
function readBody(request: FastifyRequest, root: string, validate: BodyValidator): Record<string, unknown> {
  const type = String(request.headers['content-type'] ?? '');
  const body: unknown = request.body;
  if (body !== undefined && body !== null && !/^application\/([\w.+-]*\+)?json\b/i.test(type) && !/^multipart\/form-data\b/i.test(type)) {
    throw new ApiError(415, {
      code: 415,
      message: 'Content-Type must be application/json',
      errors: ['Content-Type must be application/json'],
    });
  }
  if (body === undefined || body === null) throw ApiError.missingParam(root);
  if (typeof body !== 'object' || Array.isArray(body)) throw ApiError.badRequest('Request body must be a JSON object', 'body');
  const inner = (body as Record<string, unknown>)[root];
  if (inner === undefined || inner === null) throw ApiError.missingParam(root);
  if (typeof inner !== 'object' || Array.isArray(inner)) throw ApiError.unprocessable({ [root]: ['must be an object'] });
  validate(inner as Record<string, unknown>).throwIfAny();
  return inner as Record<string, unknown>;
}

/** The rate limit of an authorized request: headers, and the 429 (thrown) once a window is full. */
function rateLimitOf(limiterOf: () => RateLimiter | null, nowMs: (sandboxId: number) => number) {
  const apply = (reply: FastifyReply, d: RateDecision) => {
    reply.header('X-Rate-Limit-Limit', String(d.limit));
    reply.header('X-Rate-Limit-Remaining', String(d.remaining));
    reply.header('X-Rate-Limit-Reset', String(d.resetSeconds));
    if (!d.allowed) throw ApiError.tooManyRequests(d.retryAfterSeconds);
  };
  /** Undefined when counted at once (SQLite, or within a PostgreSQL batch), else a promise. */
  return function rateLimit(request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
    const limiter = limiterOf();
    const auth = request.auth;
    if (!limiter || !auth) return undefined;
    const hit = limiter.hit(`${auth.appId}:${auth.userId}`, nowMs(auth.sandboxId));
    if (hit instanceof Promise) return hit.then((d) => apply(reply, d));
    apply(reply, hit);
    return undefined;
  };
}

/**
 * Bearer check and rate limit as one callback hook: on SQLite with a known token both are
 * answered without a promise (Fastify's async hooks cost a promise and a microtask each).
 */
function authorizeHook(app: FastifyInstance, rateLimit: ReturnType<typeof rateLimitOf>, signedOk: boolean) {
  return function authorize(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    // Signed download URLs carry their own authorization.
    if (signedOk && (request.query as Record<string, unknown>)['signature']) return done();
    const limit = (ok: boolean) => {
      if (!ok) return; // the 401 is sent
      let pending: Promise<void> | undefined;
      try {
        pending = rateLimit(request, reply);
      } catch (err) {
        return done(err as Error);
      }
      if (pending) pending.then(() => done(), done);
      else done();
    };
    const checked = app.checkBearer(request, reply);
    if (typeof checked === 'boolean') return limit(checked);
    checked.then(limit, done);
  };
}

/** Registers the resources' routes, CORS, errors and 404s on `app` (already prefixed). */
export async function mountResources(app: FastifyInstance, options: MountOptions): Promise<void> {
  const { version } = options;
  const prefix = prefixOf(version);
  const ctx = app.ctx;

  // Query strings and path ids are parsed by the machinery (Rails brackets, strict ids); body
  // schemas are checked by TypeBox without coercion. Fastify's own validation is therefore off
  // here, and the schemas serve serialization and the OpenAPI document.
  app.setValidatorCompiler(() => () => true);

  app.addHook('onRequest', (request, reply, done) => {
    setCors(request, reply);
    done();
  });

  // Clients such as @procore/js-sdk send `Content-Type: application/json` with an empty body on
  // DELETE (and GET): an empty JSON body reads as no body; anything else parses as usual, with
  // Fastify's prototype-poisoning checks.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    return jsonParser(request, body as string, done);
  });
  // Segments of a direct upload are PUT as raw bytes (src/api/resources/uploads/).
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
      return reply.code(error.statusCode).send(error.body);
    }
    throw error; // the server-wide handler maps Fastify's client errors and hides the rest
  });

  app.setNotFoundHandler((request, reply) => {
    setCors(request, reply);
    sendRouteNotFound(request, reply);
  });

  // CORS preflight for every API path.
  app.options('/*', { schema: { hide: true } as never }, async (request, reply) => {
    setCors(request, reply);
    reply.header('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE, OPTIONS');
    reply.header('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
    reply.header('Access-Control-Max-Age', '600');
    return reply.code(204).send();
  });

  const rateLimit = rateLimitOf(options.limiter, (sandboxId) => ctx.clock.forSandbox(sandboxId).nowMs());
  const authorize = authorizeHook(app, rateLimit, false);
  const authorizePublic = authorizeHook(app, rateLimit, true);

  const declared: DeclaredRoute[] = [];
  const patterns = new Set<string>();
  for (const resource of options.resources) {
    for (const op of resource.operations) {
      if (!(op.versions ?? ['v1.0', 'vapid']).includes(version)) continue;
      const status = op.status ?? (op.method === 'POST' ? 201 : 200);
      const paramNames = pathParamNames(op.path);
      const check = op.body ? lazyValidator(op.body.schema) : null;
      // A declared read's answer (list, show, `/me`) may be reused while nothing it depends on
      // changed (src/api/http/page-cache.ts).
      const cacheable = op.method === 'GET' && !op.raw && status !== 204;
      const url = fastifyPath(op.path);
      let schema: Record<string, unknown> | undefined;
      const route: DocumentedRoute = {
        method: op.method,
        url,
        get schema() {
          return (schema ??= routeSchema(resource, op, version, status, paramNames));
        },
      };
      const guard = op.public ? authorizePublic : authorize;
      const handler = async (request: FastifyRequest, reply: FastifyReply) => {
        // A literal segment of another catalogue operation in a `:param` (…/rfis/potential_assignees).
        if (paramNames.some((n) => !TEXT_PARAMS.has(n) && parseId((request.params as Record<string, string>)[n] ?? '') === null))
          if (await serveShadowed(request, reply, version, op.path, options.resources)) return reply;
        const c = await buildContext(request, reply, op, version, prefix, paramNames, check);
        if (cacheable) return cachedAnswer(c, status, () => op.handler(c));
        const result = await op.handler(c);
        if (op.raw) return reply;
        if (status === 204) return reply.code(204).send();
        return reply.code(status).send(result);
      };
      options.documented?.push(route);
      if (op.bodyLimit) {
        // Its own route: the body limit applies while the body is read.
        app.route({ method: op.method, url, schema: route.schema, bodyLimit: op.bodyLimit(app.ctx.settings), onRequest: guard, handler });
        continue;
      }
      const pattern = `${prefix}${url}`;
      declared.push({ method: op.method, path: `${prefix}${op.path}`, pattern, guard, handler, status, response: op.response });
      patterns.add(routeShape(op.method, pattern));
      app.routeRegistry?.push({
        methods: op.method === 'GET' ? ['GET', 'HEAD'] : [op.method],
        url: pattern,
        get schema() {
          return route.schema;
        },
      });
    }
  }

  // The declared operations and (on /rest) every other operation of the catalogue: one
  // catch-all route (src/api/generic/).
  const router = compileRouter(declared);
  if (!app.hasDecorator('virtualRoutes')) app.decorate('virtualRoutes', []);
  app.virtualRoutes.push({
    methods: (path) => router.methods(path),
    has: (r) => patterns.has(routeShape(r.method, r.url)),
  });
  registerCatchAll(app, version, options.resources, router, authorize);
}

/** A method and Fastify pattern with the parameter names left out (`GET /a/:`): how routes compare. */
function routeShape(method: string, url: string): string {
  return `${method} ${url.replace(/:\w+/g, ':')}`;
}

/** The Fastify route schema of a declared operation (the OpenAPI document and the route registry read it). */
function routeSchema(
  resource: Resource,
  op: Operation,
  version: ApiVersion,
  status: number,
  paramNames: string[],
): Record<string, unknown> {
  const prefix = prefixOf(version);
  const querySchema: Record<string, TSchema> = {};
  if (op.project?.from === 'query') querySchema['project_id'] = Type.String({ description: 'Project ID' });
  if (op.list) {
    querySchema['page'] = Type.String({ description: 'Page number (1-based)' });
    querySchema['per_page'] = Type.String({ description: `Elements per page (default 100, max ${op.list.maxPerPage ?? 10000})` });
    for (const name of Object.keys(op.list.filters ?? {}))
      querySchema[`filters[${name}]`] = Type.String({ description: `Filter on ${name}` });
    if (op.list.sort) {
      if (op.list.sort.style === 'attribute') {
        querySchema['sort[attribute]'] = Type.String({ enum: Object.keys(op.list.sort.keys) } as never);
        querySchema['sort[direction]'] = Type.String({ enum: ['asc', 'desc'] } as never);
      } else {
        querySchema['sort'] = Type.String({
          description: `One of ${Object.keys(op.list.sort.keys).join(', ')}; prefix - for descending`,
        });
      }
    }
  }
  Object.assign(querySchema, op.query ?? {});
  const schema: Record<string, unknown> = {
    summary: op.summary,
    description: op.description,
    tags: [resource.tag],
    operationId: `${version === 'vapid' ? 'vapid' : version.replace('.', '_')}_${op.operationId}`,
    security: [{ bearerAuth: [] }],
    response: {
      ...(op.response ? { [status]: op.response } : {}),
      '4xx': ErrorSchema,
    },
  };
  if (paramNames.length)
    schema['params'] = Type.Object(
      Object.fromEntries(paramNames.map((n) => [n, Type.String({ pattern: TEXT_PARAMS.has(n) ? undefined : '^[0-9]+$' } as never)])),
    );
  if (Object.keys(querySchema).length)
    schema['querystring'] = Type.Object(Object.fromEntries(Object.entries(querySchema).map(([k, v]) => [k, Type.Optional(v)])));
  if (op.companyHeader !== 'exempt') {
    schema['headers'] = Type.Object({
      'Procore-Company-Id':
        version === 'vapid' ? Type.Optional(Type.String()) : Type.String({ description: `Company ID (required on ${prefix})` }),
    });
  }
  if (op.body) schema['body'] = Type.Object({ [op.body.root]: op.body.schema });
  return schema;
}

/** The request of a public operation (signed download) before authorization: no token. */
const ANONYMOUS = {
  tokenId: 0,
  userId: 0,
  sandboxId: 0,
  companyId: 0,
  appId: 0,
  credentialId: 0,
  clientId: '',
  environment: 'sandbox',
  grantId: '',
  isCompanyAdmin: false,
  isServiceAccount: false,
  expiresAtMs: 0,
  createdAtMs: 0,
} as const;

type ProjectRow = Awaited<ReturnType<typeof projectOfSandbox>>[number];
const MAX_MEMO_PROJECTS = 10_000;
const projectMemos = new WeakMap<object, Map<string, { stamp: string; row: ProjectRow }>>();

/**
 * Projects a caller may see, remembered per database at the change stamp the request read
 * (`request.dbStamp`, src/api/bearer.ts): unchanged stamp, nothing written anywhere since, so
 * the same row and the same membership (SQLite; PostgreSQL has no stamp and reads every time).
 */
function projectMemo(db: Db): Map<string, { stamp: string; row: ProjectRow }> {
  let memo = projectMemos.get(db);
  if (!memo) projectMemos.set(db, (memo = new Map()));
  return memo;
}

export async function buildContext(
  request: FastifyRequest,
  reply: FastifyReply,
  op: Operation,
  version: ApiVersion,
  prefix: string,
  paramNames: string[],
  check: BodyValidator | null,
): Promise<ApiContext> {
  const app = request.server;
  const ctx = app.ctx;
  const db = ctx.db;
  const auth = request.auth ?? (op.public ? { ...ANONYMOUS, environment: app.environment } : null);
  if (!auth) throw new ApiError(401, { code: 401, message: 'The access token is invalid' });

  // Company header: required on /rest/* except /me and /companies for user tokens; service
  // account (client credentials) tokens send it on every call. Honoured when sent.
  const header = request.headers['procore-company-id'];
  if (header === undefined || header === '') {
    if (version !== 'vapid' && !op.public && (op.companyHeader !== 'exempt' || auth.isServiceAccount))
      throw ApiError.missingCompanyHeader();
  } else if (!op.public) {
    const companyId = typeof header === 'string' ? parseId(header.trim()) : null;
    if (companyId === null) throw ApiError.badRequest('Procore-Company-Id must be a company id', 'Procore-Company-Id');
    // Any company but the token's own — another tenant's or one that never existed — is the same 403.
    if (companyId !== auth.companyId) throw ApiError.forbidden(COMPANY_FORBIDDEN_MESSAGE);
  }

  // Procore's documented multipart bodies (`file[upload_uuid]=…`): read as the JSON body they stand for.
  // (`isMultipart` comes with @fastify/multipart, which the server registers; an app without it takes JSON only.)
  if (op.body && check && typeof request.isMultipart === 'function' && request.isMultipart())
    (request as { body: unknown }).body = await formBody(request, Type.Object({ [op.body.root]: op.body.schema }));
  const rawParams = (request.params ?? {}) as Record<string, string>;
  const params: Record<string, number> = {};
  for (const name of paramNames) {
    if (TEXT_PARAMS.has(name)) continue;
    const id = parseId(rawParams[name] ?? '');
    if (id === null) throw ApiError.notFound();
    params[name] = id;
  }
  // A company in the path that is not the token's is the one 404, before any body is looked at
  // (an invalid body must not answer 422 for another tenant's company).
  if (!op.public && params['company_id'] !== undefined && params['company_id'] !== auth.companyId) throw ApiError.notFound();
  const query: QueryTree = parseQuery(request.query as Record<string, string | string[]>);
  const origin = requestOrigin(request);

  let companyRow: Awaited<ReturnType<ApiContext['company']>> | undefined;
  const stamp = request.dbStamp;
  const loadProject = async (id: number) => {
    // Company admins and service accounts see every project of the sandbox; anyone else only
    // the projects they belong to (checked in the same query).
    const all = auth.isCompanyAdmin || auth.isServiceAccount;
    const key = `${auth.sandboxId}:${id}:${all ? '*' : auth.userId}`;
    const memo = stamp === null ? undefined : projectMemo(db);
    const known = memo?.get(key);
    if (known && known.stamp === stamp) return known.row;
    const [project] = all ? await projectOfSandbox(db, [id, auth.sandboxId]) : await projectOfMember(db, [id, auth.sandboxId, auth.userId]);
    if (!project) throw ApiError.notFound();
    if (memo) {
      if (memo.size >= MAX_MEMO_PROJECTS) memo.clear();
      memo.set(key, { stamp: stamp as string, row: project });
    }
    return project;
  };

  let project = null;
  if (op.project) {
    if (op.project.from === 'path') {
      project = await loadProject(params['project_id'] as number);
    } else {
      // Procore's write bodies may name the project beside the wrapped object (`{project_id, punch_item: {…}}`).
      const sent = (request.body as Record<string, unknown> | null | undefined)?.['project_id'];
      const id =
        queryId(query, 'project_id') ??
        (op.body && (typeof sent === 'number' || typeof sent === 'string')
          ? queryId({ project_id: String(sent) }, 'project_id')
          : undefined);
      const required = op.project.required ?? 'always';
      if (id === undefined) {
        if (required === 'always' || (required === 'vapid' && version === 'vapid'))
          throw ApiError.badRequest('project_id is required', 'project_id');
      } else {
        project = await loadProject(id);
      }
    }
  }

  const rawSort = query['sort'];
  if (typeof rawSort === 'string' && rawSort.split(',').length > MAX_SORT_KEYS)
    throw ApiError.badRequest(`sort accepts at most ${MAX_SORT_KEYS} keys`, 'sort');
  const page = op.list ? parsePage(query, op.list.maxPerPage) : { page: 1, perPage: 100 };
  const filters = op.list?.filters ? parseFilters(query, op.list.filters) : new Map();
  const sort = op.list ? parseSort(query, op.list.sort) : [];
  const body = op.body && check ? readBody(request, op.body.root, check) : {};

  const c: ApiContext = {
    request,
    reply,
    ctx,
    db,
    auth,
    version,
    prefix,
    origin,
    params,
    rawParams,
    query,
    project,
    body,
    page,
    filters,
    sort,
    requireProject() {
      if (!c.project) throw ApiError.badRequest('project_id is required', 'project_id');
      return c.project;
    },
    loadProject,
    async company() {
      companyRow ??= await db
        .selectFrom('companies')
        .selectAll()
        .where('id', '=', auth.companyId)
        .where('sandbox_id', '=', auth.sandboxId)
        .executeTakeFirstOrThrow();
      return companyRow;
    },
    from: (table) => fromSandbox(db, table, auth.sandboxId),
    fromIn: (trx, table) => fromSandbox(trx, table, auth.sandboxId),
    list<R>(base: AnyQuery, select: (qb: AnyQuery) => AnyQuery, serialize: (rows: R[]) => Promise<unknown[]> | unknown[]) {
      return runList(
        { db, reply, url: request.url, origin, page, filterDefs: op.list?.filters ?? {}, filters, sort },
        base,
        select,
        serialize,
      );
    },
    apiUrl(path: string) {
      return `${origin}${prefix}${path}`;
    },
    blobUrl(blobId: number, filename: string) {
      const path = `/blobs/${blobId}/${encodeURIComponent(filename)}`;
      return `${origin}${prefix}${path}?${signBlobPath(ctx, path, ctx.clock.nowMs())}`;
    },
    nowMs() {
      return ctx.clock.forSandbox(auth.sandboxId).nowMs();
    },
  };
  return c;
}

/** `select … from <table> where sandbox_id = ?`: handlers read other tables only through this. */
function fromSandbox(db: Db, table: string, sandboxId: number): AnyQuery {
  return (db as Kysely<any>).selectFrom(table).where(`${table}.sandbox_id`, '=', sandboxId) as AnyQuery; // eslint-disable-line @typescript-eslint/no-explicit-any
}
