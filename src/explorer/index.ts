/**
 * The API explorer's server half under `/api/explorer` (sandbox environment only): the
 * developer's saved state (collections, environments, globals, header presets, tokens,
 * history) as versioned records, the sandbox's own collection and environment pre-installed
 * per app, Postman import/export, the request proxy, code snippets, pickers of the sandbox's
 * objects and the response-schema check. See docs/explorer.md.
 *
 * Auth and CSRF are the portal's: the `psb_portal` session cookie, and writes carry
 * `X-Requested-With` and a JSON body (`checkPortalWrite`). Not signed in → 401; another
 * developer's record → 404. Errors are `{error, message}` with a 4xx status.
 */
import { clientError } from '../http/client-errors.js';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Row } from '../db/schema.js';
import { checkPortalWrite } from '../portal/index.js';
import { PortalError } from '../portal/schemas.js';
import { findSessionDeveloper, readSessionCookie } from '../portal/sessions.js';
import { requestOrigin } from '../http/origin.js';
import { attachmentHeader } from '../postman/index.js';
import { findAppById } from '../services/apps.js';
import { findSandboxByApp } from '../db/repos/sandboxes.js';
import { CodegenError, generateSnippet, listLanguages } from './codegen.js';
import { selfTarget } from './local.js';
import { pickerItems } from './pickers.js';
import {
  exportEnvironment,
  FormatError,
  looksLikeCollection,
  looksLikeEnvironment,
  normalizeCollection,
  normalizeEnvironment,
} from './postman-format.js';
import { parseAllowList, type AllowPattern } from './proxy/allow-list.js';
import { ProxyError, sendProxied, type ProxyPolicy, type ProxyRequest } from './proxy/send.js';
import { RecordDataError, type EditableKind, type RecordKind } from './records.js';
import { describeApps, ensureGlobals, ensureSandboxInstalled, restoreSandbox } from './sandbox.js';
import {
  CodegenBody,
  CreateBody,
  ExportQuery,
  HistoryQuery,
  IdParams,
  ImportBody,
  KindIdParams,
  KindParams,
  PatchBody,
  PickersQuery,
  PutBody,
  RecordView,
  RestoreBody,
  routeSchema,
  SendBody,
  SendResponse,
  ValidateBody,
  ValidateResponse,
} from './schemas.js';
import {
  clearHistory,
  createRecord,
  deleteRecord,
  getRecord,
  LIMITS,
  listRecords,
  moveRecord,
  StoreError,
  updateRecord,
  type ExplorerRecord,
} from './store.js';
import { SchemaValidator } from './validate.js';
import { Type } from '@sinclair/typebox';

export const EXPLORER_PREFIX = '/api/explorer';
/** Requests in flight through the proxy per developer. */
export const MAX_IN_FLIGHT = 10;
/** Body limit of the routes that take whole collections (import, create, replace). */
export const COLLECTION_BODY_LIMIT = 12 * 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    explorerDeveloper: Row<'developers'> | null;
  }
}

class ExplorerError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (what = 'Record') => new ExplorerError(404, 'not_found', `${what} not found`);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The proxy policy of a server: allow-list from the settings plus test hooks. */
function policyFor(app: FastifyInstance, request: FastifyRequest, allow: readonly AllowPattern[]): ProxyPolicy {
  const o = app.ctx.settings.explorerProxy ?? {};
  return {
    allow,
    self: selfTarget(request, app),
    loopbackPorts: o.loopbackPorts,
    resolve: o.resolve,
    defaultTimeoutMs: o.timeoutMs,
    maxResponseBytes: o.maxResponseBytes,
  };
}

function collectionName(data: Json, fallback = 'Imported collection'): string {
  const info = data['info'];
  const name = isObject(info) && typeof info['name'] === 'string' ? info['name'].trim() : '';
  return (name || fallback).slice(0, 200);
}

/** A collection keeps a stable `_postman_id`: the record id when the file had none. */
function withPostmanId(data: Json, id: string): Json {
  const info = isObject(data['info']) ? data['info'] : {};
  if (typeof info['_postman_id'] === 'string' && info['_postman_id']) return data;
  return { ...data, info: { ...info, _postman_id: id } };
}

function renameCollection(data: Json, name: string): Json {
  return { ...data, info: { ...(isObject(data['info']) ? data['info'] : {}), name } };
}

function defaultName(kind: EditableKind, data: unknown): string {
  if (!isObject(data)) return kind;
  if (kind === 'collections') return collectionName(data, 'New collection');
  if ((kind === 'environments' || kind === 'globals') && typeof data['name'] === 'string' && data['name'].trim())
    return data['name'].trim().slice(0, 200);
  if (kind === 'tokens') {
    const auth = data['auth'];
    const tokenName = isObject(auth) && typeof auth['tokenName'] === 'string' ? auth['tokenName'] : '';
    return (tokenName || 'Access token').slice(0, 200);
  }
  return {
    environments: 'New environment',
    globals: 'Globals',
    presets: 'Header preset',
    collections: 'New collection',
    tokens: 'Access token',
  }[kind];
}

export default async function explorerRoutes(root: FastifyInstance): Promise<void> {
  const allow = parseAllowList(root.ctx.settings.proxyAllowList);
  const inFlight = new Map<number, number>();
  let validator: Promise<SchemaValidator> | null = null;

  await root.register(
    async (scope) => {
      const app = scope.withTypeProvider<TypeBoxTypeProvider>();
      const { ctx } = app;
      app.decorateRequest('explorerDeveloper', null);

      app.setErrorHandler((error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
        if (error instanceof PortalError || error instanceof ExplorerError || error instanceof StoreError || error instanceof ProxyError) {
          const code = error instanceof StoreError || error instanceof ProxyError ? error.code : error.error;
          return reply.code(error.statusCode).send({ code: error.statusCode, error: code, message: error.message });
        }
        if (error instanceof RecordDataError || error instanceof FormatError || error instanceof CodegenError) {
          return reply.code(422).send({ code: 422, error: 'invalid_data', message: error.message });
        }
        if (error.validation) return reply.code(400).send({ code: 400, error: 'invalid_request', message: error.message });
        const client = clientError(error);
        if (client) return reply.code(client.status).send({ code: client.status, error: 'invalid_request', message: client.message });
        request.log.error({ err: { message: error.message, stack: error.stack } }, 'explorer request failed');
        return reply.code(500).send({ code: 500, error: 'internal_error', message: 'Internal Server Error' });
      });

      app.setNotFoundHandler((request, reply) =>
        reply.code(404).send({ code: 404, error: 'not_found', message: `Route ${request.method} ${request.url.split('?')[0]} not found` }),
      );

      app.addHook('onRequest', async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        checkPortalWrite(request);
        request.explorerDeveloper = (await findSessionDeveloper(ctx, readSessionCookie(request))) ?? null;
        if (!request.explorerDeveloper) throw new ExplorerError(401, 'unauthorized', 'Sign in to the developer portal first');
      });

      const dev = (request: FastifyRequest): number => Number(request.explorerDeveloper!.id);

      /** One proxied request, counted against the developer's in-flight limit. */
      const proxied = async (request: FastifyRequest, input: ProxyRequest) => {
        const developerId = dev(request);
        const busy = inFlight.get(developerId) ?? 0;
        if (busy >= MAX_IN_FLIGHT)
          throw new ExplorerError(429, 'too_many_requests', `At most ${MAX_IN_FLIGHT} requests in flight per developer`);
        inFlight.set(developerId, busy + 1);
        try {
          return await sendProxied(input, policyFor(app, request, allow));
        } finally {
          const left = (inFlight.get(developerId) ?? 1) - 1;
          if (left <= 0) inFlight.delete(developerId);
          else inFlight.set(developerId, left);
        }
      };

      const ownApp = async (request: FastifyRequest, appId: number): Promise<Row<'apps'>> => {
        // Ids beyond what the database's bigint holds (e.g. 1e20) name no app: 404, not a driver error.
        if (!Number.isSafeInteger(appId) || appId < 1) throw notFound('App');
        const found = await findAppById(ctx, appId);
        if (!found || Number(found.developer_id) !== dev(request)) throw notFound('App');
        return found;
      };

      const mustGet = async (request: FastifyRequest, kind: RecordKind, id: string): Promise<ExplorerRecord> => {
        const record = await getRecord(ctx, dev(request), kind, id);
        if (!record) throw notFound();
        return record;
      };

      // ---- state ----

      app.get(
        '/state',
        {
          schema: routeSchema({
            response: {
              200: Type.Object({
                collections: Type.Array(RecordView),
                environments: Type.Array(RecordView),
                globals: RecordView,
                presets: Type.Array(RecordView),
                tokens: Type.Array(RecordView),
                history: Type.Array(RecordView),
                apps: Type.Array(
                  Type.Object({
                    id: Type.Integer(),
                    name: Type.String(),
                    company_id: Type.Union([Type.Integer(), Type.Null()]),
                    project_id: Type.Union([Type.Integer(), Type.Null()]),
                    collection_id: Type.Union([Type.String(), Type.Null()]),
                    environment_id: Type.Union([Type.String(), Type.Null()]),
                    callback_url: Type.Union([Type.String(), Type.Null()]),
                  }),
                ),
                limits: Type.Object({ history_entries: Type.Integer(), records_per_kind: Type.Integer(), record_bytes: Type.Integer() }),
              }),
            },
          }),
        },
        async (request) => {
          const developerId = dev(request);
          const origin = requestOrigin(request);
          await ensureSandboxInstalled(ctx, developerId, origin);
          const globals = await ensureGlobals(ctx, developerId);
          const [collections, environments, presets, tokens, history] = [
            await listRecords(ctx, developerId, 'collections'),
            await listRecords(ctx, developerId, 'environments'),
            await listRecords(ctx, developerId, 'presets'),
            await listRecords(ctx, developerId, 'tokens'),
            await listRecords(ctx, developerId, 'history', { limit: 100 }),
          ];
          return {
            collections,
            environments,
            globals,
            presets,
            tokens,
            history,
            apps: await describeApps(ctx, developerId, origin, collections, environments),
            limits: { history_entries: LIMITS.historyEntries, records_per_kind: LIMITS.recordsPerKind, record_bytes: LIMITS.recordBytes },
          };
        },
      );

      // ---- history (before the generic /:kind routes; static paths win anyway) ----

      app.get(
        '/history',
        { schema: routeSchema({ querystring: HistoryQuery, response: { 200: Type.Object({ records: Type.Array(RecordView) }) } }) },
        async (request) => ({ records: await listRecords(ctx, dev(request), 'history', { limit: request.query.limit ?? 100 }) }),
      );

      app.post('/history', { schema: routeSchema({ body: Type.Unknown(), response: { 201: RecordView } }) }, async (request, reply) => {
        const entry = request.body;
        const method = isObject(entry) && typeof entry['method'] === 'string' ? entry['method'] : '';
        const url = isObject(entry) && typeof entry['url'] === 'string' ? entry['url'] : '';
        const record = await createRecord(ctx, dev(request), 'history', {
          name: `${method} ${url}`.slice(0, 200) || 'request',
          data: entry,
        });
        return reply.code(201).send(record);
      });

      app.delete('/history', { schema: routeSchema({ response: { 200: Type.Object({ deleted: Type.Integer() }) } }) }, async (request) => ({
        deleted: await clearHistory(ctx, dev(request)),
      }));

      app.delete(
        '/history/:id',
        { schema: routeSchema({ params: IdParams, response: { 200: Type.Object({ deleted: Type.Boolean(), id: Type.String() }) } }) },
        async (request) => {
          if (!(await deleteRecord(ctx, dev(request), 'history', request.params.id))) throw notFound();
          return { deleted: true, id: request.params.id };
        },
      );

      // ---- collections: restore, duplicate ----

      app.post(
        '/collections/restore',
        { schema: routeSchema({ body: RestoreBody, response: { 201: Type.Object({ collection: RecordView, environment: RecordView }) } }) },
        async (request, reply) => {
          const found = await ownApp(request, request.body.app_id);
          const restored = await restoreSandbox(ctx, dev(request), found, requestOrigin(request));
          if (!restored) throw new ExplorerError(409, 'conflict', 'This app has no sandbox');
          return reply.code(201).send(restored);
        },
      );

      app.post(
        '/collections/:id/duplicate',
        {
          schema: routeSchema({
            params: IdParams,
            body: Type.Optional(Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })),
            response: { 201: RecordView },
          }),
        },
        async (request, reply) => {
          const source = await mustGet(request, 'collections', request.params.id);
          const id = randomUUID();
          const name = request.body?.name ?? `${source.name} Copy`.slice(0, 200);
          const info = isObject(source.data['info']) ? source.data['info'] : {};
          const data = { ...source.data, info: { ...info, name, _postman_id: id } };
          return reply.code(201).send(await createRecord(ctx, dev(request), 'collections', { id, name, data }));
        },
      );

      // ---- generic records ----

      app.get(
        '/:kind',
        { schema: routeSchema({ params: KindParams, response: { 200: Type.Object({ records: Type.Array(RecordView) }) } }) },
        async (request) => {
          if (request.params.kind === 'globals') return { records: [await ensureGlobals(ctx, dev(request))] };
          return { records: await listRecords(ctx, dev(request), request.params.kind) };
        },
      );

      app.post(
        '/:kind',
        { bodyLimit: COLLECTION_BODY_LIMIT, schema: routeSchema({ params: KindParams, body: CreateBody, response: { 201: RecordView } }) },
        async (request, reply) => {
          const { kind } = request.params;
          if (kind === 'globals')
            throw new ExplorerError(409, 'conflict', 'There is one globals record per developer: PUT /api/explorer/globals/{id}');
          const id = randomUUID();
          let data = request.body.data;
          let v = request.body.v;
          if (kind === 'collections') {
            data = withPostmanId(normalizeCollection(data), id);
            v = undefined;
          }
          const name = request.body.name ?? defaultName(kind, data);
          if (kind === 'collections' && request.body.name) data = renameCollection(data as Json, name);
          return reply.code(201).send(await createRecord(ctx, dev(request), kind, { id, name, data, v }));
        },
      );

      app.get('/:kind/:id', { schema: routeSchema({ params: KindIdParams, response: { 200: RecordView } }) }, async (request) =>
        mustGet(request, request.params.kind, request.params.id),
      );

      app.put(
        '/:kind/:id',
        { bodyLimit: COLLECTION_BODY_LIMIT, schema: routeSchema({ params: KindIdParams, body: PutBody, response: { 200: RecordView } }) },
        async (request) => {
          const { kind, id } = request.params;
          let data = request.body.data;
          let v = request.body.v;
          if (kind === 'collections') {
            const existing = await mustGet(request, kind, id);
            const postmanId = isObject(existing.data['info']) ? existing.data['info']['_postman_id'] : undefined;
            data = withPostmanId(normalizeCollection(data), typeof postmanId === 'string' ? postmanId : id);
            if (request.body.name) data = renameCollection(data as Json, request.body.name);
            v = undefined;
          }
          const updated = await updateRecord(ctx, dev(request), kind, id, { name: request.body.name, data, v });
          if (!updated) throw notFound();
          return updated;
        },
      );

      app.patch(
        '/:kind/:id',
        { schema: routeSchema({ params: KindIdParams, body: PatchBody, response: { 200: RecordView } }) },
        async (request) => {
          const { kind, id } = request.params;
          const existing = await mustGet(request, kind, id);
          if (request.body.position !== undefined) await moveRecord(ctx, dev(request), kind, id, request.body.position);
          if (request.body.name !== undefined) {
            const data = kind === 'collections' ? renameCollection(existing.data, request.body.name) : undefined;
            await updateRecord(ctx, dev(request), kind, id, { name: request.body.name, data });
          }
          return mustGet(request, kind, id);
        },
      );

      app.delete(
        '/:kind/:id',
        { schema: routeSchema({ params: KindIdParams, response: { 200: Type.Object({ deleted: Type.Boolean(), id: Type.String() }) } }) },
        async (request) => {
          const { kind, id } = request.params;
          if (kind === 'globals') throw new ExplorerError(409, 'conflict', 'Globals cannot be deleted; PUT an empty values list instead');
          if (!(await deleteRecord(ctx, dev(request), kind, id))) throw notFound();
          return { deleted: true, id };
        },
      );

      // ---- import / export ----

      const importJson = async (request: FastifyRequest, json: unknown, name: string | undefined): Promise<ExplorerRecord> => {
        const developerId = dev(request);
        if (looksLikeEnvironment(json)) {
          const env = normalizeEnvironment(json);
          if (env.scope === 'globals') {
            // A globals file is merged into the developer's one globals record.
            const globals = await ensureGlobals(ctx, developerId);
            const values = [...((globals.data['values'] as Json[] | undefined) ?? [])];
            for (const v of env.data.values) {
              const at = values.findIndex((x) => x['key'] === v.key);
              if (at >= 0) values[at] = v;
              else values.push(v);
            }
            return (await updateRecord(ctx, developerId, 'globals', globals.id, { data: { ...globals.data, values } }))!;
          }
          return createRecord(ctx, developerId, 'environments', { name: name ?? env.data.name, data: env.data });
        }
        if (!looksLikeCollection(json))
          throw new FormatError('This JSON is neither a Postman collection (v2.0, v2.1) nor a Postman environment');
        const id = randomUUID();
        let data = withPostmanId(normalizeCollection(json), id);
        if (name) data = renameCollection(data, name);
        return createRecord(ctx, developerId, 'collections', { id, name: name ?? collectionName(data), data });
      };

      app.post(
        '/import',
        { bodyLimit: COLLECTION_BODY_LIMIT, schema: routeSchema({ body: ImportBody, response: { 201: RecordView } }) },
        async (request, reply) => {
          const body = request.body;
          let json: unknown;
          if ('url' in body) {
            const res = await proxied(request, {
              method: 'GET',
              url: body.url,
              headers: [['Accept', 'application/json']],
              follow_redirects: true,
            });
            if (res.status !== 200)
              throw new ExplorerError(422, 'invalid_data', `The link answered ${res.status} ${res.status_text}, not 200 with JSON`);
            const text = res.body_encoding === 'base64' ? Buffer.from(res.body, 'base64').toString('utf8') : res.body;
            try {
              json = JSON.parse(text);
            } catch {
              throw new ExplorerError(422, 'invalid_data', 'The link did not answer JSON');
            }
          } else if (typeof body.json === 'string') {
            try {
              json = JSON.parse(body.json);
            } catch {
              throw new ExplorerError(422, 'invalid_data', 'The pasted text is not JSON');
            }
          } else {
            json = body.json;
          }
          return reply.code(201).send(await importJson(request, json, body.name));
        },
      );

      app.get(
        '/export/collections/:id',
        { schema: routeSchema({ params: IdParams, response: { 200: Type.Unknown() } }) },
        async (request, reply) => {
          const record = await mustGet(request, 'collections', request.params.id);
          reply.header(
            'Content-Disposition',
            attachmentHeader(`${record.name.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'collection'}.postman_collection.json`),
          );
          return reply.type('application/json; charset=utf-8').send(JSON.stringify(record.data, null, 2));
        },
      );

      for (const kind of ['environments', 'globals'] as const) {
        app.get(
          `/export/${kind}/:id`,
          { schema: routeSchema({ params: IdParams, querystring: ExportQuery, response: { 200: Type.Unknown() } }) },
          async (request, reply) => {
            const record = await mustGet(request, kind, request.params.id);
            const includeSecrets = request.query.include_secrets === '1' || request.query.include_secrets === 'true';
            const file = exportEnvironment(
              record,
              kind === 'globals' ? 'globals' : 'environment',
              new Date(ctx.clock.nowMs()).toISOString(),
              includeSecrets,
            );
            const suffix = kind === 'globals' ? 'postman_globals' : 'postman_environment';
            reply.header(
              'Content-Disposition',
              attachmentHeader(`${record.name.replace(/[\\/:*?"<>|]+/g, ' ').trim() || kind}.${suffix}.json`),
            );
            return reply.type('application/json; charset=utf-8').send(JSON.stringify(file, null, 2));
          },
        );
      }

      // ---- proxy ----

      app.post(
        '/send',
        { bodyLimit: COLLECTION_BODY_LIMIT, schema: routeSchema({ body: SendBody, response: { 200: SendResponse } }) },
        async (request) => proxied(request, { ...request.body, headers: request.body.headers ?? [] }),
      );

      // ---- code ----

      app.get(
        '/codegen/languages',
        {
          schema: routeSchema({
            response: {
              200: Type.Array(
                Type.Object({ key: Type.String(), label: Type.String(), syntax_mode: Type.String(), variants: Type.Array(Type.String()) }),
              ),
            },
          }),
        },
        async () => listLanguages(),
      );

      app.post(
        '/codegen',
        { schema: routeSchema({ body: CodegenBody, response: { 200: Type.Object({ snippet: Type.String() }) } }) },
        async (request) => ({
          snippet: await generateSnippet(request.body.language, request.body.variant, request.body.request, request.body.options),
        }),
      );

      // ---- pickers and schema check ----

      app.get(
        '/pickers',
        {
          schema: routeSchema({
            querystring: PickersQuery,
            response: {
              200: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String(), variable: Type.Optional(Type.String()) })),
            },
          }),
        },
        async (request) => {
          const found = await ownApp(request, request.query.app_id);
          const sandbox = await findSandboxByApp(ctx.db, found.id);
          if (!sandbox) return [];
          return pickerItems(ctx, sandbox.id, request.query.kind, request.query.q);
        },
      );

      app.post('/validate', { schema: routeSchema({ body: ValidateBody, response: { 200: ValidateResponse } }) }, async (request) => {
        validator ??= (async () => {
          const res = await root.inject({ method: 'GET', url: '/openapi.json' });
          if (res.statusCode !== 200) throw new Error(`openapi.json answered ${res.statusCode}`);
          return new SchemaValidator(res.json());
        })();
        let v: SchemaValidator;
        try {
          v = await validator;
        } catch (err) {
          validator = null;
          throw err;
        }
        const path = request.body.path.startsWith('http') ? new URL(request.body.path).pathname : request.body.path;
        return v.validate(request.body.method, path, request.body.status, request.body.body);
      });
    },
    { prefix: EXPLORER_PREFIX },
  );
}
