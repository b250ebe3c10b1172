/**
 * Serves one catalogue operation on stored sandbox state (the generic `records` table, one
 * `resource` per catalogue resource: `catalog:/projects/{project_id}/punch_items`), after the
 * same guards as the declared resources: the company header, the tenant scope (`{company_id}`
 * must be the token's company, `{project_id}` a project its user may see: the one 404
 * otherwise), strict path ids, typed query parameters, the request body checked against the
 * catalogue's schema (`body.ts`). See docs/api.md ("The generic engine").
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { isoSeconds } from '../../core/clock.js';
import { allocateIds } from '../../db/repos/sandboxes.js';
import type { Database, Row } from '../../db/schema.js';
import type { BearerAuth } from '../bearer.js';
import { withSerializationRetry } from '../../db/retry.js';
import { ApiError, COMPANY_FORBIDDEN_MESSAGE } from '../errors.js';
import {
  normalizeTimestamp,
  parsePage,
  parseSort,
  runList,
  type AnyQuery,
  type FilterDef,
  type ParsedFilter,
  type SortDef,
} from '../http/listing.js';
import { parseId, parseQuery, queryId, queryString, type QueryTree, type QueryValue } from '../http/query.js';
import { requestOrigin } from '../../http/origin.js';
import { projectOfMember, projectOfSandbox, selectByIds } from '../prepared.js';
import { fullName, userRef } from '../refs.js';
import type { Db } from '../resource.js';
import { records, type BoundStorage, type Scope } from '../storage.js';
import type { CatalogFilter, CatalogOperation, CatalogParam } from '../../catalog/types.js';
import { compiledBody, pickKnown, readGenericBody, rootObject, writtenFields } from './body.js';
import type { Plan } from './plan.js';
import { fillDefinition, stringIds } from './shape.js';
import type { Kysely } from 'kysely';

type AnyRow = Record<string, unknown>;

/** Most items one `sync` (or bulk) request may carry, as Procore documents for sync. */
export const MAX_BATCH = 1000;

const BASE = new Set(['id', 'sandbox_id', 'project_id', 'parent_id', 'created_at', 'updated_at', 'deleted_at']);
const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const NOT_BODY = new Set(['id', 'sandbox_id', 'created_at', 'updated_at', 'deleted_at', 'parent_id']);

interface Request {
  plan: Plan;
  request: FastifyRequest;
  reply: FastifyReply;
  db: Kysely<Database>;
  auth: BearerAuth;
  query: QueryTree;
  /** Path parameters: ids as numbers, other segments as text. */
  params: Record<string, number | string>;
  project: Row<'projects'> | null;
  scope: Scope;
  now: string;
}

// ---- guards -----------------------------------------------------------------------------------

function checkCompanyHeader(request: FastifyRequest, auth: BearerAuth): void {
  const header = request.headers['procore-company-id'];
  if (header === undefined || header === '') throw ApiError.missingCompanyHeader();
  const companyId = typeof header === 'string' ? parseId(header.trim()) : null;
  if (companyId === null) throw ApiError.badRequest('Procore-Company-Id must be a company id', 'Procore-Company-Id');
  if (companyId !== auth.companyId) throw ApiError.forbidden(COMPANY_FORBIDDEN_MESSAGE);
}

const idLike = (p: CatalogParam): boolean => !/uuid/i.test(p.name) && (p.type === 'integer' || p.name === 'id' || p.name.endsWith('_id'));

/** Path parameters: ids strict positive integers (else the one 404), others as sent. */
function pathValues(op: CatalogOperation, raw: Record<string, string>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const p of op.pathParams) {
    let v = raw[p.name] ?? '';
    try {
      v = decodeURIComponent(v);
    } catch {
      throw ApiError.notFound();
    }
    if (idLike(p)) {
      const id = parseId(v);
      if (id === null) throw ApiError.notFound();
      out[p.name] = id;
    } else {
      if (v === '') throw ApiError.notFound();
      out[p.name] = v;
    }
  }
  return out;
}

function rawQueryValue(flat: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(flat, name)) return flat[name];
  if (Object.hasOwn(flat, `${name}[]`)) return flat[`${name}[]`];
  if (name.endsWith('[]') && Object.hasOwn(flat, name.slice(0, -2))) return flat[name.slice(0, -2)];
  return undefined;
}

function checkScalar(name: string, type: string, value: string, enumValues?: (string | number | boolean)[]): void {
  if (value === '') return;
  if (type === 'integer' && !/^-?\d{1,15}$/.test(value)) throw ApiError.badRequest(`${name} must be an integer`, name);
  if (type === 'number' && !(value.trim() !== '' && Number.isFinite(Number(value))))
    throw ApiError.badRequest(`${name} must be a number`, name);
  if (type === 'boolean' && !['true', 'false', '1', '0'].includes(value)) throw ApiError.badRequest(`${name} must be true or false`, name);
  if (enumValues && enumValues.length && !enumValues.map(String).includes(value))
    throw ApiError.badRequest(`${name} must be one of: ${enumValues.join(', ')}`, name);
}

/** Typed query parameters of the operation (paging, filters and sort are read by the list). */
function checkQuery(op: CatalogOperation, flat: Record<string, unknown>): void {
  // Webhooks and a few others list both `company_id` and `project_id` as required: either names
  // the scope (Procore's documentation says "company_id or project_id").
  const either = op.requiredQuery.includes('company_id') && op.requiredQuery.includes('project_id');
  const present = (name: string) => {
    const v = rawQueryValue(flat, name);
    return v !== undefined && v !== '';
  };
  for (const name of op.requiredQuery) {
    if (name === 'page' || name === 'per_page' || name.startsWith('filters[')) continue;
    if (either && (name === 'company_id' || name === 'project_id') && (present('company_id') || present('project_id'))) continue;
    const v = rawQueryValue(flat, name);
    if (v === undefined || v === '') throw ApiError.badRequest(`${name} is required`, name);
  }
  for (const p of op.query) {
    if (p.name === 'page' || p.name === 'per_page' || p.name.startsWith('filters[') || p.name.startsWith('sort')) continue;
    const v = rawQueryValue(flat, p.name);
    if (v === undefined) continue;
    const values = Array.isArray(v) ? (v as string[]) : [String(v)];
    if (p.type === 'array') for (const item of values) checkScalar(p.name, p.items?.type ?? 'string', item, p.items?.enum);
    else if (values.length > 1) throw ApiError.badRequest(`${p.name} must be a single value`, p.name);
    else checkScalar(p.name, p.type, values[0] as string, p.enum);
  }
}

async function loadProject(db: Db, auth: BearerAuth, id: number): Promise<Row<'projects'>> {
  const [project] =
    auth.isCompanyAdmin || auth.isServiceAccount
      ? await projectOfSandbox(db as Kysely<Database>, [id, auth.sandboxId])
      : await projectOfMember(db as Kysely<Database>, [id, auth.sandboxId, auth.userId]);
  if (!project) throw ApiError.notFound();
  return project as Row<'projects'>;
}

// ---- stored-field queries -------------------------------------------------------------------

type FilterKind = 'ids' | 'datetime' | 'date' | 'bool' | 'enum' | 'int' | 'text' | 'search';

function filterKind(f: CatalogFilter): FilterKind {
  const key = f.key;
  if (f.type === 'boolean') return 'bool';
  if (f.format === 'date-time' || key.endsWith('_at')) return 'datetime';
  if (f.format === 'date' || key.endsWith('_date') || key === 'date') return 'date';
  if (key === 'id' || key.endsWith('_id') || key.endsWith('_ids') || (f.type === 'array' && f.items?.type === 'integer')) return 'ids';
  if (f.enum?.length || f.items?.enum?.length) return 'enum';
  if (f.type === 'integer' || f.type === 'number') return 'int';
  return 'text';
}

const asText = (col: string) => sql<string>`cast(${sql.ref(col)} as text)`;

function listOf(v: QueryValue, field: string): string[] {
  if (typeof v === 'string') return v.includes(',') ? v.split(',') : [v];
  if (Array.isArray(v)) return v;
  throw ApiError.badRequest(`${field} has an invalid value`, field);
}

interface Queries {
  defs: Record<string, FilterDef>;
  parse(tree: QueryTree): Map<string, ParsedFilter>;
  sort: SortDef;
  /** Stored fields the derived table must expose. */
  columns: string[];
}

const queriesCache = new Map<string, Queries>();

function queriesOf(plan: Plan, engine: 'sqlite' | 'postgres'): Queries {
  const cacheKey = `${plan.op.operationId}:${engine}`;
  const hit = queriesCache.get(cacheKey);
  if (hit) return hit;
  const columns = new Set<string>();
  const column = (key: string) => {
    if (!BASE.has(key)) columns.add(key);
    return key;
  };
  const numeric = (col: string) =>
    engine === 'postgres'
      ? sql`case when ${sql.ref(col)} ~ '^-?[0-9]+(\\.[0-9]+)?$' then cast(${sql.ref(col)} as double precision) end`
      : sql`cast(${sql.ref(col)} as real)`;
  const defs: Record<string, FilterDef> = {};
  const kinds = new Map<string, { kind: FilterKind; filter: CatalogFilter }>();
  const searchColumns = plan.searchFields.map(column);
  for (const f of plan.op.filters) {
    if (!SAFE_KEY.test(f.key) || kinds.has(f.key)) continue;
    // `filters[query]` / `filters[search]`: Procore's text search over the resource's text fields.
    if ((f.key === 'query' || f.key === 'search') && f.type === 'string') {
      kinds.set(f.key, { kind: 'search', filter: f });
      defs[f.key] = searchColumns.length
        ? { kind: 'search', columns: searchColumns }
        : ({ kind: 'search', columns: [], apply: (qb: AnyQuery) => qb.where(sql<boolean>`1 = 0`) } as FilterDef); // no text field to match
      continue;
    }
    const kind = filterKind(f);
    const col = column(f.key);
    kinds.set(f.key, { kind, filter: f });
    defs[f.key] = {
      kind: 'search',
      columns: [],
      apply(qb: AnyQuery, p: ParsedFilter): AnyQuery {
        if (p.kind === 'ids')
          return col === 'id' ? qb.where('id', 'in', p.ids.length ? p.ids : [-1]) : qb.where(asText(col), 'in', p.ids.map(String));
        if (p.kind === 'enum') return qb.where(asText(col), 'in', p.values.length ? p.values : ['']);
        if (p.kind === 'bool') return qb.where(asText(col), 'in', p.value ? ['1', 'true'] : ['0', 'false']);
        if (p.kind === 'range' && typeof p.from === 'number') return qb.where(numeric(col), '>=', p.from).where(numeric(col), '<=', p.to);
        if (p.kind === 'range') return qb.where(sql.ref(col), '>=', p.from).where(sql.ref(col), '<=', p.to);
        if (p.kind === 'in') return qb.where(numeric(col), 'in', p.values.length ? p.values : [-1]);
        return qb;
      },
    } as FilterDef;
  }
  if (plan.op.search && searchColumns.length) defs['__search'] = { kind: 'search', columns: searchColumns };
  const parse = (tree: QueryTree): Map<string, ParsedFilter> => {
    const out = new Map<string, ParsedFilter>();
    const raw = tree['filters'];
    if (raw !== undefined) {
      if (typeof raw !== 'object' || Array.isArray(raw))
        throw ApiError.badRequest('filters must be given as filters[name]=value', 'filters');
      for (const [key, v] of Object.entries(raw)) {
        const k = kinds.get(key);
        if (!k || v === undefined) continue; // unknown filters are ignored, as Procore does
        out.set(key, parseFilter(`filters[${key}]`, k.kind, k.filter, v));
      }
    }
    if (defs['__search']) {
      const text = queryString(tree, 'search');
      if (text) out.set('__search', { kind: 'search', text });
    }
    return out;
  };
  const sortKeys: Record<string, string> = { id: 'id', created_at: 'created_at', updated_at: 'updated_at' };
  const declared = plan.op.sort?.keys;
  for (const key of declared ?? Object.keys(plan.fields)) if (SAFE_KEY.test(key)) sortKeys[key] = column(key);
  const sort: SortDef = { style: plan.op.sort?.style === 'attribute' ? 'attribute' : 'sort', keys: sortKeys, default: [['id', 'asc']] };
  const q: Queries = { defs, parse, sort, columns: [...columns] };
  queriesCache.set(cacheKey, q);
  return q;
}

function parseFilter(field: string, kind: FilterKind, f: CatalogFilter, v: QueryValue): ParsedFilter {
  switch (kind) {
    case 'ids': {
      const ids = listOf(v, field).map((s) => parseId(s.trim()));
      if (ids.some((n) => n === null)) throw ApiError.badRequest(`${field} must be integer ids`, field);
      return { kind: 'ids', ids: ids as number[] };
    }
    case 'bool':
      if (v === 'true' || v === '1') return { kind: 'bool', value: true };
      if (v === 'false' || v === '0') return { kind: 'bool', value: false };
      throw ApiError.badRequest(`${field} must be true or false`, field);
    case 'date':
    case 'datetime': {
      if (typeof v !== 'string') throw ApiError.badRequest(`${field} must be a timestamp or a range a...b`, field);
      const parts = v.split('...');
      const from = parts.length <= 2 ? normalizeTimestamp(parts[0] ?? '') : null;
      const to = parts.length <= 2 ? normalizeTimestamp(parts[1] ?? parts[0] ?? '', true) : null;
      if (!from || !to) throw ApiError.badRequest(`${field} must be an ISO 8601 date or timestamp, or a range a...b`, field);
      return kind === 'date' ? { kind: 'range', from: from.slice(0, 10), to: to.slice(0, 10) } : { kind: 'range', from, to };
    }
    case 'enum': {
      const values = listOf(v, field);
      const allowed = (f.enum ?? f.items?.enum ?? []).map(String);
      const bad = values.find((s) => !allowed.includes(s));
      if (bad !== undefined) throw ApiError.badRequest(`${field} must be one of: ${allowed.join(', ')}`, field);
      return { kind: 'enum', values };
    }
    case 'int': {
      if (typeof v === 'string' && v.includes('...')) {
        const [a, b, ...rest] = v.split('...');
        if (rest.length || !/^-?\d{1,12}(\.\d+)?$/.test(a ?? '') || !/^-?\d{1,12}(\.\d+)?$/.test(b ?? ''))
          throw ApiError.badRequest(`${field} must be a number, a list or a range a...b`, field);
        return { kind: 'range', from: Number(a), to: Number(b) };
      }
      const values = listOf(v, field);
      if (values.some((s) => !/^-?\d{1,12}(\.\d+)?$/.test(s)))
        throw ApiError.badRequest(`${field} must be a number, a list or a range a...b`, field);
      return { kind: 'in', values: values.map(Number) };
    }
    case 'search':
      if (typeof v !== 'string') throw ApiError.badRequest(`${field} must be a string`, field);
      return { kind: 'search', text: v };
    default: {
      const values = listOf(v, field);
      return { kind: 'enum', values };
    }
  }
}

// ---- storage ---------------------------------------------------------------------------------

function boundOf(plan: Plan, columns: string[] = []): BoundStorage {
  return records({ softDelete: true, project: true, parent: plan.parentParam !== null }).bind(
    plan.store,
    columns.map((column) => ({ column, store: 'plain', sqlType: 'text', queried: true })),
  );
}

const inTransaction = <T>(db: Kysely<Database>, fn: (trx: Db) => Promise<T>): Promise<T> =>
  withSerializationRetry(() => db.transaction().execute((trx) => fn(trx)));

async function findRow(r: Request, db: Db, id: number, deleted: Scope['deleted'] = 'live'): Promise<AnyRow> {
  const bound = boundOf(r.plan);
  const row = (await bound.select(bound.rows(db, { ...r.scope, deleted }).where('id', '=', id)).executeTakeFirst()) as AnyRow | undefined;
  if (!row) throw ApiError.notFound();
  return bound.decode(row);
}

async function allRows(r: Request, db: Db = r.db, deleted: Scope['deleted'] = 'live', limit = 10_000): Promise<AnyRow[]> {
  const bound = boundOf(r.plan);
  const rows = (await bound
    .select(bound.rows(db, { ...r.scope, deleted }))
    .orderBy('id', 'asc')
    .limit(limit)
    .execute()) as AnyRow[];
  return rows.map((row) => bound.decode(row));
}

/** The values a new row starts with: the path's parent ids, then the body's fields. */
function newValues(r: Request, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of r.plan.pathFields) if (name !== 'project_id' && typeof r.params[name] === 'number') out[name] = r.params[name];
  return { ...out, ...clean(fields) };
}

function clean(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (!NOT_BODY.has(k) && !(k === 'project_id' && v === undefined)) out[k] = v;
  return out;
}

async function insertRow(r: Request, trx: Db, values: Record<string, unknown>): Promise<number> {
  const id = await allocateIds(trx, r.auth.sandboxId, 1);
  const { project_id: _p, ...rest } = values;
  await boundOf(r.plan).insert(trx, r.scope, id, rest, r.now);
  return id;
}

async function updateRow(r: Request, trx: Db, id: number, set: Record<string, unknown>): Promise<void> {
  const { project_id: _p, ...rest } = clean(set);
  await boundOf(r.plan).update(trx, r.scope, id, rest, r.now);
}

// ---- answers ---------------------------------------------------------------------------------

/** A stored row as the operation answers it. */
function present(plan: Plan, row: AnyRow): Record<string, unknown> {
  const { project_id, parent_id: _parent, deleted_at, ...rest } = row;
  const out: Record<string, unknown> = { ...rest };
  if (project_id !== null && project_id !== undefined) out['project_id'] = project_id;
  if (deleted_at) out['deleted_at'] = deleted_at;
  return fillDefinition(out, plan.definition);
}

function envelope(plan: Plan, body: unknown): unknown {
  return plan.v2 ? { data: stringIds(body) } : body;
}

/** Plain JSON: a shadowed declared route (`…/rfis/:id` taking `potential_assignees`) must not apply its response schema. */
export const plainJson = (payload: unknown): string => JSON.stringify(payload);

function send(r: Request, body: unknown): FastifyReply {
  const status = r.plan.op.successStatus;
  r.reply.serializer(plainJson);
  if (status === 204) return r.reply.code(204).send();
  return r.reply.code(status).send(body === undefined ? undefined : envelope(r.plan, body));
}

async function listRows(r: Request, deleted: Scope['deleted'] = 'live'): Promise<unknown[]> {
  const q = queriesOf(r.plan, r.request.server.ctx.engine);
  const page = parsePage(r.query);
  const filters = q.parse(r.query);
  const sort = parseSort(r.query, q.sort);
  const bound = boundOf(r.plan, q.columns);
  return runList(
    { db: r.db, reply: r.reply, url: r.request.url, origin: requestOrigin(r.request), page, filterDefs: q.defs, filters, sort },
    bound.rows(r.db, { ...r.scope, deleted }),
    bound.select,
    (rows: AnyRow[]) => rows.map((row) => present(r.plan, bound.decode(row))),
  );
}

/** The first array in a bulk body: the body itself, or its first array-valued property. */
function bulkItems(body: unknown): { items: unknown[]; key: string | null } {
  if (Array.isArray(body)) return { items: body, key: null };
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (Array.isArray(v)) return { items: v, key: k };
    for (const v of Object.values(body))
      if (v && typeof v === 'object' && !Array.isArray(v))
        for (const [k, w] of Object.entries(v)) if (Array.isArray(w)) return { items: w, key: k };
  }
  return { items: [], key: null };
}

function itemSchemaOf(op: CatalogOperation, key: string | null) {
  const schema = compiledBody(op)?.schema;
  if (!schema) return undefined;
  if (key === null) return schema.items;
  return (
    schema.properties?.[key]?.items ?? Object.values(schema.properties ?? {}).find((p) => p?.properties?.[key])?.properties?.[key]?.items
  );
}

function checkBatch(items: unknown[], key: string | null): void {
  if (items.length > MAX_BATCH) throw ApiError.unprocessable({ [key ?? 'base']: [`is too long (maximum is ${MAX_BATCH} elements)`] });
}

const idOf = (v: unknown): number | null =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : typeof v === 'string' ? parseId(v) : null;

async function sync(r: Request, body: unknown): Promise<unknown> {
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const updates = Array.isArray(b['updates']) ? (b['updates'] as unknown[]) : bulkItems(body).items;
  const deletes = Array.isArray(b['deletes']) ? (b['deletes'] as unknown[]) : [];
  checkBatch(updates, 'updates');
  checkBatch(deletes, 'deletes');
  const itemSchema = itemSchemaOf(r.plan.op, Array.isArray(b['updates']) ? 'updates' : bulkItems(body).key);
  return inTransaction(r.db, async (trx) => {
    const entities: unknown[] = [];
    const errors: unknown[] = [];
    const live = await allRows(r, trx);
    const byId = new Map(live.map((row) => [row['id'] as number, row]));
    const byOrigin = new Map(live.filter((row) => row['origin_id'] != null).map((row) => [String(row['origin_id']), row]));
    for (const raw of updates) {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        errors.push({ errors: { base: ['must be an object'] } });
        continue;
      }
      const item = raw as Record<string, unknown>;
      const fields = pickKnown(itemSchema, item);
      const id = item['id'] === undefined || item['id'] === null ? null : idOf(item['id']);
      if (item['id'] !== undefined && item['id'] !== null && id === null) {
        errors.push({ ...item, errors: { id: ['is invalid'] } });
        continue;
      }
      const existing = id !== null ? byId.get(id) : item['origin_id'] != null ? byOrigin.get(String(item['origin_id'])) : undefined;
      if (id !== null && !existing) {
        errors.push({ ...item, errors: { id: ["can't be found"] } });
        continue;
      }
      let rowId: number;
      if (existing) {
        rowId = existing['id'] as number;
        await updateRow(r, trx, rowId, fields);
      } else {
        rowId = await insertRow(r, trx, newValues(r, fields));
      }
      const row = await findRow(r, trx, rowId);
      byId.set(rowId, row);
      if (row['origin_id'] != null) byOrigin.set(String(row['origin_id']), row);
      entities.push(present(r.plan, row));
    }
    for (const raw of deletes) {
      const id = idOf(raw && typeof raw === 'object' ? (raw as Record<string, unknown>)['id'] : raw);
      if (id === null || !byId.has(id)) {
        errors.push({ id: raw, errors: { id: ["can't be found"] } });
        continue;
      }
      await boundOf(r.plan).remove(trx, { ...r.scope, deleted: 'any' }, id, r.now, 'recycle');
      byId.delete(id);
    }
    return { entities, errors };
  });
}

async function filterOptions(r: Request): Promise<unknown> {
  const rows = await allRows(r);
  const attrs = r.plan.attribute
    ? [r.plan.attribute]
    : [...new Set([...r.plan.op.filters.map((f) => f.key), ...r.plan.resource.operations.flatMap(() => [])])];
  const optionsOf = async (attr: string) => {
    const values = new Map<string, unknown>();
    for (const row of rows) {
      const v = row[attr] ?? row[`${attr}_id`] ?? row[`${attr}_ids`];
      for (const x of Array.isArray(v) ? v : [v]) if (x !== null && x !== undefined && typeof x !== 'object') values.set(String(x), x);
    }
    const ids = [...values.values()].filter((x): x is number => typeof x === 'number' && Number.isSafeInteger(x));
    const users = attr.endsWith('_id') || values.size === 0 ? [] : await selectByIds(r.db, 'users', 'id', r.auth.sandboxId, ids);
    const names = new Map(users.map((u) => [u.id, fullName(u)]));
    return [...values.values()]
      .map((x) => ({ id: x, name: typeof x === 'number' && names.has(x) ? names.get(x) : String(x) }))
      .sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
  };
  if (r.plan.attribute) return optionsOf(r.plan.attribute);
  const out: Record<string, unknown> = {};
  for (const attr of attrs) out[attr] = await optionsOf(attr);
  return out;
}

async function potential(r: Request): Promise<unknown> {
  const name = r.plan.op.template.split('/').pop() ?? '';
  if (/vendor|compan|contractor/.test(name)) {
    const vendors = await r.db
      .selectFrom('vendors')
      .select(['id', 'name'])
      .where('sandbox_id', '=', r.auth.sandboxId)
      .where('company_id', '=', r.auth.companyId)
      .orderBy('name')
      .execute();
    return vendors.map((v) => ({ id: Number(v.id), name: v.name }));
  }
  let qb = r.db
    .selectFrom('users')
    .selectAll('users')
    .where('users.sandbox_id', '=', r.auth.sandboxId)
    .where('users.company_id', '=', r.auth.companyId)
    .where('users.is_service_account', '=', 0);
  if (r.project) {
    const projectId = r.project.id;
    qb = qb.where((eb) =>
      eb.exists(
        eb
          .selectFrom('project_users')
          .select('project_users.user_id')
          .whereRef('project_users.user_id', '=', 'users.id')
          .where('project_users.project_id', '=', projectId),
      ),
    );
  }
  const users = (await qb.orderBy('users.last_name').orderBy('users.id').execute()) as Row<'users'>[];
  return users.map((u) => userRef(u));
}

function idsFrom(r: Request, body: unknown): number[] {
  const out: number[] = [];
  const push = (v: unknown) => {
    const id = idOf(v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)['id'] : v);
    if (id !== null) out.push(id);
  };
  const { items } = bulkItems(body);
  items.forEach(push);
  const q = r.query['ids'];
  if (Array.isArray(q)) q.forEach(push);
  else if (typeof q === 'string') q.split(',').forEach(push);
  return [...new Set(out)];
}

// ---- the operation ---------------------------------------------------------------------------

/**
 * Answers `request` with the operation of `plan`; `raw` are its undecoded path parameters.
 * `checkParent` (after the company and project checks, the body's `project_id` included)
 * throws the 404 of a parent row that does not exist (`…/vendors/{vendor_id}/insurances` of an
 * unknown vendor): nothing is read or written under it.
 */
export async function serveGeneric(
  plan: Plan,
  raw: Record<string, string>,
  request: FastifyRequest,
  reply: FastifyReply,
  checkParent?: (parentId: number, projectId: number | undefined) => Promise<void>,
): Promise<FastifyReply> {
  const auth = request.auth;
  if (!auth) throw new ApiError(401, { code: 401, message: 'The access token is invalid' });
  checkCompanyHeader(request, auth);
  const op = plan.op;
  const params = pathValues(op, raw);
  const flat = (request.query ?? {}) as Record<string, string | string[]>;
  const query = parseQuery(flat);
  checkQuery(op, flat);
  const db = request.server.ctx.db;

  if (plan.company) {
    const companyId = plan.company.from === 'path' ? (params['company_id'] as number) : queryId(query, 'company_id');
    if (companyId !== undefined && companyId !== auth.companyId) throw ApiError.notFound();
  }
  let project: Row<'projects'> | null = null;
  // `project_id=` scopes a request even where the catalogue omits it from an operation's query
  // (webhooks: the create lists only the body, the delete `project_id`).
  const projectId = plan.project?.from === 'path' ? (params['project_id'] as number) : queryId(query, 'project_id');
  if (projectId === undefined) {
    if (plan.project?.required) throw ApiError.badRequest('project_id is required', 'project_id');
  } else {
    project = await loadProject(db, auth, projectId);
  }
  const scope: Scope = { sandboxId: auth.sandboxId };
  if (project) scope.projectId = project.id;
  if (plan.parentParam && typeof params[plan.parentParam] === 'number') {
    scope.parentId = params[plan.parentParam] as number;
  }
  const nowMs = request.server.ctx.clock.forSandbox(auth.sandboxId).nowMs();
  const r: Request = { plan, request, reply, db, auth, query, params, project, scope, now: isoSeconds(nowMs) };

  const body = op.body && op.method !== 'GET' ? readGenericBody(request, op) : undefined;
  // Writes that name their project in the body (`{"project_id": 1, "bim_file": {…}}`).
  if (!project && body && typeof body === 'object' && !Array.isArray(body)) {
    const named = (body as Record<string, unknown>)['project_id'] ?? rootObject(op, body)?.['project_id'];
    const id = idOf(named);
    if (id !== null) {
      project = await loadProject(db, auth, id);
      scope.projectId = project.id;
      r.project = project;
    }
  }
  if (scope.parentId !== undefined) await checkParent?.(scope.parentId, project?.id);
  const memberId = (): number => {
    const id = plan.idParam ? params[plan.idParam] : undefined;
    if (typeof id !== 'number') throw ApiError.notFound();
    return id;
  };

  switch (plan.behaviour) {
    case 'list':
    case 'collection':
      return send(r, await listRows(r));
    case 'recycle_bin':
      return send(r, await listRows(r, 'bin'));
    case 'show':
    case 'member': {
      const row = await findRow(r, db, memberId());
      return send(r, present(plan, row));
    }
    case 'create': {
      const id = await inTransaction(db, (trx) => insertRow(r, trx, newValues(r, writtenFields(op, body))));
      return send(r, present(plan, await findRow(r, db, id)));
    }
    case 'update': {
      const id = memberId();
      await inTransaction(db, async (trx) => {
        await findRow(r, trx, id);
        await updateRow(r, trx, id, writtenFields(op, body));
      });
      return send(r, present(plan, await findRow(r, db, id)));
    }
    case 'delete': {
      const id = memberId();
      const row = await inTransaction(db, async (trx) => {
        const found = await findRow(r, trx, id);
        await boundOf(plan).remove(trx, { ...scope, deleted: 'any' }, id, r.now, 'recycle');
        return found;
      });
      return send(r, present(plan, row));
    }
    case 'recycle':
    case 'retrieve': {
      const id = memberId();
      const recycling = plan.behaviour === 'recycle';
      await inTransaction(db, async (trx) => {
        await findRow(r, trx, id, recycling ? 'live' : 'bin');
        await boundOf(plan).remove(trx, { ...scope, deleted: 'any' }, id, r.now, recycling ? 'recycle' : 'retrieve');
      });
      return send(r, present(plan, await findRow(r, db, id, recycling ? 'bin' : 'live')));
    }
    case 'singleton': {
      const [row] = await allRows(r, db, 'live', 1);
      const one = row ? present(plan, row) : fillDefinition({}, plan.definition);
      return send(r, plan.answersList ? [one] : one);
    }
    case 'singleton-update': {
      const id = await inTransaction(db, async (trx) => {
        const [row] = await allRows(r, trx, 'live', 1);
        const fields = writtenFields(op, body);
        if (row) {
          await updateRow(r, trx, row['id'] as number, fields);
          return row['id'] as number;
        }
        return insertRow(r, trx, newValues(r, fields));
      });
      const one = present(plan, await findRow(r, db, id));
      return send(r, plan.answersList ? [one] : one);
    }
    case 'singleton-delete': {
      await inTransaction(db, async (trx) => {
        for (const row of await allRows(r, trx))
          await boundOf(plan).remove(trx, { ...scope, deleted: 'any' }, row['id'] as number, r.now, 'recycle');
      });
      return send(r, {});
    }
    case 'sync':
      return send(r, await sync(r, body));
    case 'filter_options':
      return send(r, await filterOptions(r));
    case 'potential':
      return send(r, await potential(r));
    case 'ids':
      return send(
        r,
        (await allRows(r)).map((row) => row['id']),
      );
    case 'bulk_create': {
      const { items, key } = bulkItems(body);
      checkBatch(items, key);
      const schema = itemSchemaOf(op, key);
      const ids = await inTransaction(db, async (trx) => {
        const out: number[] = [];
        for (const item of items)
          if (item && typeof item === 'object' && !Array.isArray(item))
            out.push(await insertRow(r, trx, newValues(r, pickKnown(schema, item as Record<string, unknown>))));
        return out;
      });
      const rows = await allRows(r);
      return send(
        r,
        rows.filter((row) => ids.includes(row['id'] as number)).map((row) => present(plan, row)),
      );
    }
    case 'bulk_update': {
      const { items, key } = bulkItems(body);
      checkBatch(items, key);
      const schema = itemSchemaOf(op, key);
      const ids = await inTransaction(db, async (trx) => {
        const live = new Set((await allRows(r, trx)).map((row) => row['id'] as number));
        const out: number[] = [];
        for (const item of items) {
          if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
          const id = idOf((item as Record<string, unknown>)['id']);
          if (id === null || !live.has(id)) continue;
          await updateRow(r, trx, id, pickKnown(schema, item as Record<string, unknown>));
          out.push(id);
        }
        return out;
      });
      const rows = await allRows(r);
      return send(
        r,
        rows.filter((row) => ids.includes(row['id'] as number)).map((row) => present(plan, row)),
      );
    }
    case 'bulk_destroy': {
      const ids = idsFrom(r, body);
      checkBatch(ids, 'ids');
      const removed = await inTransaction(db, async (trx) => {
        const live = new Map((await allRows(r, trx)).map((row) => [row['id'] as number, row]));
        const out: AnyRow[] = [];
        for (const id of ids) {
          const row = live.get(id);
          if (!row) continue;
          await boundOf(plan).remove(trx, { ...scope, deleted: 'any' }, id, r.now, 'recycle');
          out.push(row);
        }
        return out;
      });
      return send(
        r,
        removed.map((row) => present(plan, row)),
      );
    }
  }
}
