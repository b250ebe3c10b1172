/**
 * Catalogue operations on a resource a hand declaration serves (`src/api/resources/`), on a
 * version or with an action the declaration does not register: they read the declaration's own
 * rows, through its own operations, so one RFI is the same row on every prefix.
 *
 * - a read of a member (`GET …/submittals/{id}/revisions`) answers the declared show of it;
 * - a read of the collection (`GET /rest/v1.1/projects`) answers the declared list;
 * - `filter_options/<attr>` answers the distinct values of the declared list's rows;
 * - `…/sync` (`{updates: [{id?, …}]}`) runs the declared update for each item with an `id` and
 *   the declared create for each without, through their own validation, checks and hooks, and
 *   answers Procore's `{entities, errors}`: a refused item is listed with its errors and stores
 *   nothing, the others are stored (each item is one write of its own);
 * - a write the declaration does not model (`POST /rest/v1.0/tasks` where tasks are seeded from
 *   the schedule, `PATCH …/rfis/{id}/advance_ball_in_court`) is refused with 405 and the methods
 *   the declaration serves: the generic engine never writes rows a declaration reads from its
 *   own table, and never answers a write it did not make. `docs/coverage.md` lists these.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeTemplate } from '../../catalog/catalog.js';
import { ApiError } from '../errors.js';
import { buildContext } from '../mount.js';
import { lazyValidator, type BodyValidator } from '../validate.js';
import { prefixOf, type ApiVersion, type Operation, type Resource } from '../resource.js';
import { parentOf, type Plan } from './plan.js';
import { plainJson } from './engine.js';
import { stringIds } from './shape.js';

type Target = { op: Operation; versions: readonly ApiVersion[] };

interface DeclaredKey {
  list?: Target;
  show?: Target;
  create?: Target;
  update?: Target;
  /** Methods declared on the collection and member paths (for `Allow`). */
  methods: Set<string>;
}

const indexes = new WeakMap<readonly Resource[], Map<string, DeclaredKey>>();

const isMember = (path: string) => /\/\{[^}]+\}$/.test(path);

function indexOf(resources: readonly Resource[]): Map<string, DeclaredKey> {
  let index = indexes.get(resources);
  if (index) return index;
  index = new Map();
  for (const resource of resources)
    for (const op of resource.operations) {
      if (op.public || op.raw) continue;
      const versions = (op.versions ?? ['v1.0', 'vapid']).filter((v) => v !== 'vapid');
      if (!versions.length) continue;
      const collection = normalizeTemplate(isMember(op.path) && !op.list ? op.path.replace(/\/\{[^}]+\}$/, '') : op.path);
      const entry = index.get(collection) ?? { methods: new Set<string>() };
      entry.methods.add(op.method);
      if (op.method === 'GET' && op.list && !entry.list) entry.list = { op, versions };
      else if (op.method === 'GET' && isMember(op.path) && !op.list && !entry.show) entry.show = { op, versions };
      else if (op.method === 'POST' && !isMember(op.path) && op.body && !entry.create) entry.create = { op, versions };
      else if ((op.method === 'PATCH' || op.method === 'PUT') && isMember(op.path) && op.body && !entry.update)
        entry.update = { op, versions };
      index.set(collection, entry);
    }
  indexes.set(resources, index);
  return index;
}

/** The declaration serving the resource of `plan`, if any. */
export function declaredFor(resources: readonly Resource[], plan: Plan): DeclaredKey | undefined {
  return indexOf(resources).get(normalizeTemplate(plan.resource.key));
}

/** Runs a declared operation for a catalogue request: its path parameters by position (`id` last for a member of a collection path). */
async function runDeclared(
  target: Target,
  plan: Plan,
  raw: Record<string, string>,
  request: FastifyRequest,
  reply: FastifyReply,
  version: ApiVersion,
  write?: { id?: string },
): Promise<unknown> {
  const names = [...target.op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const values = [...plan.op.template.matchAll(/\{(\w+)\}/g)].map((m) => raw[m[1] as string] ?? '');
  if (write?.id !== undefined) values.splice(names.length - 1, Infinity, write.id);
  const params: Record<string, string> = {};
  names.forEach((name, i) => (params[name] = values[i] ?? ''));
  (request as { params: unknown }).params = params;
  const check = write && target.op.body ? validatorOf(target.op) : null;
  const c = await buildContext(request, reply, target.op, version, prefixOf(version), names, check);
  return target.op.handler(c);
}

const validators = new WeakMap<Operation, BodyValidator>();
function validatorOf(op: Operation): BodyValidator {
  let check = validators.get(op);
  if (!check) validators.set(op, (check = lazyValidator(op.body!.schema)));
  return check;
}

/** Most items one sync takes (as the generic engine's batches). */
const MAX_SYNC = 1000;

/** `…/sync` through the declared create and update (see the head of this file). */
async function syncDeclared(
  key: DeclaredKey & { create: Target; update: Target },
  plan: Plan,
  raw: Record<string, string>,
  request: FastifyRequest,
  reply: FastifyReply,
  version: ApiVersion,
): Promise<{ entities: unknown[]; errors: unknown[] }> {
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw ApiError.badRequest('Request body must be a JSON object', 'body');
  const { updates, ...beside } = body as Record<string, unknown>;
  if (!Array.isArray(updates)) throw ApiError.missingParam('updates');
  if (updates.length > MAX_SYNC) throw ApiError.unprocessable({ updates: [`is too long (maximum is ${MAX_SYNC} elements)`] });
  const entities: unknown[] = [];
  const errors: unknown[] = [];
  for (const item of updates as unknown[]) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ errors: { base: ['must be an object'] } });
      continue;
    }
    const { id, ...fields } = item as Record<string, unknown>;
    const target = id === undefined || id === null ? key.create : key.update;
    (request as { body: unknown }).body = { ...beside, [target.op.body!.root]: fields };
    try {
      entities.push(await runDeclared(target, plan, raw, request, reply, version, { id: target === key.update ? String(id) : undefined }));
    } catch (err) {
      if (!(err instanceof ApiError) || err.statusCode >= 500 || err.statusCode === 401 || err.statusCode === 429) throw err;
      const said = err.body.errors;
      const why =
        err.statusCode === 404
          ? { id: ["can't be found"] }
          : said && typeof said === 'object' && !Array.isArray(said)
            ? said
            : { base: [err.body.message] };
      errors.push({ ...(item as object), errors: why });
    }
  }
  (request as { body: unknown }).body = body;
  return { entities, errors };
}

function distinct(rows: unknown[], attr: string): { id: unknown; name: string }[] {
  const values = new Map<string, { id: unknown; name: string }>();
  for (const row of rows) {
    if (!row || typeof row !== 'object') continue;
    const r = row as Record<string, unknown>;
    const v = r[attr] ?? r[`${attr}_id`] ?? r[attr.replace(/_id$/, '')];
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x === null || x === undefined) continue;
      if (typeof x === 'object') {
        const o = x as { id?: unknown; name?: unknown };
        if (o.id !== undefined) values.set(String(o.id), { id: o.id, name: String(o.name ?? o.id) });
      } else values.set(String(x), { id: x, name: String(x) });
    }
  }
  return [...values.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * How an operation on a declared resource is answered: by the declared show or list, by the
 * distinct values of the declared list, by its create and update (sync), by the generic engine
 * (`potential_*` reads users, not the resource), or — null — refused as not modelled.
 */
export function declaredAnswer(key: DeclaredKey, plan: Plan): 'show' | 'list' | 'filter_options' | 'sync' | 'generic' | null {
  const b = plan.behaviour;
  if (b === 'potential') return 'generic';
  if (b === 'sync' && key.create && key.update) return 'sync';
  if ((b === 'show' || (b === 'member' && plan.op.method === 'GET')) && key.show) return 'show';
  if ((b === 'list' || (b === 'collection' && plan.op.method === 'GET')) && key.list) return 'list';
  if (b === 'filter_options' && key.list) return 'filter_options';
  return null;
}

/**
 * Answers `plan` through the declaration `key`. Returns false when the generic engine should
 * answer (behaviours that touch no stored row of the resource: `potential_*`).
 */
export async function serveDeclared(
  key: DeclaredKey,
  plan: Plan,
  raw: Record<string, string>,
  request: FastifyRequest,
  reply: FastifyReply,
  version: ApiVersion,
): Promise<boolean> {
  const status = plan.op.successStatus;
  const answer = (body: unknown) => {
    reply.serializer(plainJson);
    if (status === 204) return reply.code(204).send();
    return reply.code(status).send(plan.v2 ? { data: stringIds(body) } : body);
  };
  const how = declaredAnswer(key, plan);
  if (how === 'generic') return false;
  if (how === 'show') {
    await answer(await runDeclared(key.show!, plan, raw, request, reply, version));
    return true;
  }
  if (how === 'list') {
    await answer(await runDeclared(key.list!, plan, raw, request, reply, version));
    return true;
  }
  if (how === 'sync') {
    await answer(await syncDeclared(key as DeclaredKey & { create: Target; update: Target }, plan, raw, request, reply, version));
    return true;
  }
  if (how === 'filter_options') {
    const list = key.list!;
    const rows = (await runDeclared(list, plan, raw, request, reply, version)) as unknown[];
    reply.removeHeader('Link');
    reply.removeHeader('Total');
    reply.removeHeader('Per-Page');
    if (plan.attribute) await answer(distinct(rows, plan.attribute));
    else await answer(Object.fromEntries(plan.op.filters.map((f) => [f.key, distinct(rows, f.key)])));
    return true;
  }
  const allow = [...key.methods].sort();
  throw new ApiError(
    405,
    {
      code: 405,
      message: `${plan.op.method} ${plan.op.path} is not modelled by this sandbox: ${plan.resource.key} is a hand-declared resource, written through its declared operations (${allow.join(', ')})`,
      errors: [`${plan.op.method} is not modelled on ${plan.op.path}`],
      error: 'Method Not Allowed',
    },
    { Allow: allow.join(', ') },
  );
}

/**
 * Throws the 404 of a parent row of a generic operation that does not exist: through the
 * declared show when a declaration serves the parent's collection (its scope and visibility
 * rules included), else in the parent's generic store when clients can create its rows. Other
 * refusals of the declared show (a parameter it needs) leave the request to the operation.
 */
export async function checkParentRow(
  resources: readonly Resource[],
  plan: Plan,
  raw: Record<string, string>,
  request: FastifyRequest,
  reply: FastifyReply,
  version: ApiVersion,
  parentId: number,
  projectId: number | undefined,
): Promise<void> {
  const parent = parentOf(plan);
  if (!parent) return;
  const index = indexOf(resources);
  const declared = index.get(normalizeTemplate(parent.key));
  // `/companies/{company_id}/vendors/{id}` is the row `/vendors/{id}?company_id=` shows.
  const unscoped = parent.key.replace(/^\/(companies|projects)\/\{\w+\}(?=\/)/, '');
  const show = declared?.show ?? (unscoped === parent.key ? undefined : index.get(normalizeTemplate(unscoped))?.show);
  if (declared || show) {
    if (!show) return;
    const saved = { params: request.params, query: request.query };
    const scope: Record<string, string> = {};
    if (projectId !== undefined) scope['project_id'] = String(projectId);
    for (const name of ['company_id', 'project_id']) if (raw[name] !== undefined) scope[name] = raw[name]!;
    (request as { query: unknown }).query = { ...(request.query as object), ...scope };
    try {
      await runDeclared(show, plan, raw, request, reply, version, { id: String(parentId) });
    } catch (err) {
      // A 404 is the answer; another refusal (a parameter the show needs) cannot tell.
      if (!(err instanceof ApiError) || err.statusCode === 404) throw err;
    } finally {
      Object.assign(request as object, saved);
    }
    return;
  }
  if (parent.store === null) return;
  const row = await request.server.ctx.db
    .selectFrom('records')
    .select('id')
    .where('sandbox_id', '=', request.auth!.sandboxId)
    .where('resource', '=', parent.store)
    .where('id', '=', parentId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw ApiError.notFound();
}
