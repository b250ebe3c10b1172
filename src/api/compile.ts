/**
 * Compiles a resource declaration (`resource.ts`, `fields.ts`) into served operations. Done once
 * at start-up: per view a response schema and a generated serializer function; create/update
 * body schemas (and so their Rails-style validation); the body→column mapping and insert
 * defaults; reference checks; filters and sort keys; the storage bound to the fields; seed rows.
 * Requests then run the compiled pieces only.
 */
import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { isoSeconds } from '../core/clock.js';
import { allocateIds } from '../db/repos/sandboxes.js';
import { withSerializationRetry } from '../db/retry.js';
import { ApiError, FieldErrors } from './errors.js';
import type { AnyRow, FieldSpec, ReadContext, View } from './fields.js';
import { applyFilters, type AnyQuery, type FilterDef, type SortDef } from './http/listing.js';
import { queryString } from './http/query.js';
import { Refs, checkCompanyRefs, checkLocationRefs, idList } from './refs.js';
import type {
  Action,
  ApiContext,
  Db,
  Declaration,
  Operation,
  ProjectScope,
  Resource,
  ResourceHelpers,
  SeedContext,
  SeedRows,
  Write,
} from './resource.js';
import { Obj } from './schemas.js';
import type { BoundStorage, Scope } from './storage.js';

interface Resolved {
  name: string;
  spec: FieldSpec;
  column: string | null;
  writeKey: string | null;
  filterName: string | null;
  sortKeys: string[];
}

const BASE = new Set(['id', 'sandbox_id', 'project_id', 'parent_id', 'created_at', 'updated_at', 'deleted_at']);

function resolve(fields: Record<string, FieldSpec>): Resolved[] {
  return Object.entries(fields).map(([name, spec]) => {
    const ref = spec.loads !== undefined && spec.store === 'plain';
    const column = spec.column === '' ? (ref ? `${name}_id` : name) : spec.column;
    const writeKey = spec.write ? spec.write.key || (ref ? `${name}_id` : name) : null;
    const filterName = spec.filter ? (spec.filter.name ?? writeKey ?? column ?? name) : null;
    const sortKeys = (spec.sort ?? []).map((k) => k || name);
    return { name, spec, column, writeKey, filterName, sortKeys };
  });
}

type Serializer = (row: AnyRow, x: ReadContext) => Record<string, unknown>;

/** One view's serializer, generated on its first row (generating all of them was a part of start-up). */
function lazySerializer(fields: Resolved[]): Serializer {
  let serialize: Serializer | null = null;
  return (row, x) => (serialize ??= compileSerializer(fields))(row, x);
}

/** One view's serializer as generated code: an object literal per row, no loop over fields. */
function compileSerializer(fields: Resolved[]): Serializer {
  const fns: unknown[] = [];
  const parts = fields.map((fd) => {
    const key = JSON.stringify(fd.spec.key ?? fd.name);
    const col = `r[${JSON.stringify(fd.column ?? fd.name)}]`;
    const read = fd.spec.read;
    switch (read.kind) {
      case 'column':
        return `${key}: ${col} ?? null`;
      case 'bool':
        return `${key}: (${col} === 1 || ${col} === true)`;
      case 'json':
        return `${key}: x.json(${col})`;
      case 'const':
        return `${key}: ${JSON.stringify(read.value)}`;
      case 'user':
        return `${key}: x.user(${col})`;
      case 'users':
        return `${key}: x.users(${col})`;
      case 'vendor':
        return `${key}: x.vendor(${col})`;
      case 'location':
        return `${key}: x.location(${col})`;
      case 'fn':
        fns.push(read.fn);
        return `${key}: F[${fns.length - 1}](r, x)`;
    }
  });
  const make = new Function('F', `"use strict"; return function serialize(r, x) { return { ${parts.join(', ')} }; };`) as (
    fns: unknown[],
  ) => (row: AnyRow, x: ReadContext) => Record<string, unknown>;
  return make(fns);
}

const parseJson = (v: unknown): unknown => {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
};
const idsOf = (v: unknown): number[] =>
  Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x)) : typeof v === 'string' ? idList(v) : [];

const ACTION_VERB: Record<Action, string> = {
  list: 'list',
  show: 'show',
  create: 'create',
  update: 'update',
  delete: 'delete',
  recycle: 'recycle',
  retrieve: 'retrieve',
  recycle_bin: 'listRecycled',
};

/**
 * Declares a resource: the field table and its options become operations (see `resource.ts`).
 *
 * @example export const submittals = defineResource({ name: 'submittals', fields: { … }, … });
 */
export function defineResource<const Fs extends Record<string, FieldSpec>, const Extra extends TProperties = Record<never, never>>(
  d: Declaration<Fs, Extra>,
): Resource {
  const fields = resolve(d.fields);
  const hooks = (d.hooks ?? {}) as NonNullable<Declaration<Record<string, FieldSpec>, TProperties>['hooks']>;
  const [one, many] = d.noun;
  const idParam = d.idParam ?? 'id';
  const member = `${d.path}/{${idParam}}`;
  const versions = d.versions ?? ['v1.0', 'vapid'];

  // ---- storage bound to the stored fields
  const filters: Record<string, FilterDef> = {};
  const sortKeys: Record<string, string> = {};
  const searchColumns: string[] = [];
  for (const fd of fields) {
    if (!fd.column) continue;
    if (fd.filterName && fd.spec.filter) {
      const def = fd.spec.filter.def;
      filters[fd.filterName] = (def.kind === 'search' ? { ...def, columns: [fd.column] } : { ...def, column: fd.column }) as FilterDef;
    }
    for (const k of fd.sortKeys) sortKeys[k] = fd.column;
    if (fd.spec.search) searchColumns.push(fd.column);
  }
  if (d.search?.filter) filters[d.search.filter] = { kind: 'search', columns: searchColumns, description: d.search.description };
  Object.assign(filters, d.filters ?? {});
  Object.assign(sortKeys, d.sort?.keys ?? {});
  const queried = new Set([
    ...Object.values(sortKeys),
    ...searchColumns,
    ...Object.values(filters).flatMap((x) => ('column' in x ? [x.column] : x.columns)),
  ]);
  const stored = fields.filter((fd) => fd.column && fd.spec.read.kind !== 'const' && fd.spec.read.kind !== 'fn');
  const bound: BoundStorage = d.storage.bind(
    d.name,
    stored.map((fd) => ({
      column: fd.column as string,
      store: fd.spec.store,
      sqlType: fd.spec.sqlType,
      queried: queried.has(fd.column as string),
    })),
  );
  const sort: SortDef = { style: d.sort?.style ?? 'sort', keys: sortKeys, default: d.sort?.default ?? [['id', 'asc']] };

  // ---- views: schemas and serializers
  const inView = (v: View) => fields.filter((fd) => fd.spec.in.includes(v));
  const schemaOf = (list: Resolved[], title: string) =>
    Obj(Object.fromEntries(list.map((fd) => [fd.spec.key ?? fd.name, fd.spec.schema])), { title });
  const schemas = {
    list: schemaOf(inView('list'), d.titles?.list ?? one),
    show: schemaOf(inView('show'), d.titles?.show ?? `${one}Extended`),
  };
  const compactFields = d.compact ? fields.filter((fd) => d.compact!.fields.includes(fd.name)) : [];
  const serializers = {
    list: lazySerializer(inView('list')),
    show: lazySerializer(inView('show')),
    compact: lazySerializer(compactFields),
  };
  // References of every field (hidden ones too: computed fields read them) are loaded in one go.
  const loading = (v: View | 'compact') => {
    const list = v === 'compact' ? compactFields : fields;
    return {
      users: list.filter((fd) => fd.spec.loads === 'users' && fd.column).map((fd) => fd.column as string),
      vendors: list.filter((fd) => fd.spec.loads === 'vendors' && fd.column).map((fd) => fd.column as string),
      locations: list.filter((fd) => fd.spec.loads === 'locations' && fd.column).map((fd) => fd.column as string),
    };
  };
  const loads = { list: loading('list'), show: loading('show'), compact: loading('compact') };

  async function serialize(c: ApiContext, rows: AnyRow[], view: View | 'compact'): Promise<unknown[]> {
    if (!rows.length) return [];
    const refs = new Refs(c.db, c.auth.sandboxId);
    const l = loads[view];
    // The rows' own references are loaded with whatever `prepare` loads (one query per table).
    if (l.users.length)
      refs.want(
        'users',
        rows.flatMap((r) => l.users.flatMap((col) => idsOf(Array.isArray(r[col]) || typeof r[col] === 'string' ? r[col] : [r[col]]))),
      );
    if (l.vendors.length)
      refs.want(
        'vendors',
        rows.flatMap((r) => l.vendors.map((col) => r[col] as number | null)),
      );
    const extra = hooks.prepare ? await hooks.prepare(c, rows, view === 'compact' ? 'list' : view, refs) : undefined;
    if (l.users.length) await refs.loadUsers([]);
    if (l.vendors.length) await refs.loadVendors([]);
    if (l.locations.length) await refs.loadLocations(rows.flatMap((r) => l.locations.map((col) => r[col] as number | null)));
    const x: ReadContext = {
      user: (id) => (typeof id === 'number' ? refs.user(id) : null),
      users: (v) => idsOf(v).flatMap((id) => refs.user(id) ?? []),
      vendor: (id) => (typeof id === 'number' ? refs.vendor(id) : null),
      location: (id) => (typeof id === 'number' ? refs.location(id) : null),
      json: parseJson,
      extra,
      c,
    };
    const fn = serializers[view];
    return rows.map((r) => fn(r, x));
  }

  // ---- bodies
  const writable = fields.filter((fd) => fd.writeKey && fd.spec.write);
  const required = new Set(d.required ?? []);
  const createProps: TProperties = {};
  const updateProps: TProperties = {};
  for (const fd of writable) {
    const w = fd.spec.write!;
    const key = fd.writeKey as string;
    createProps[key] = w.required || required.has(key) ? w.schema : Type.Optional(w.schema);
    updateProps[key] = Type.Optional(w.schema);
  }
  for (const [key, schema] of Object.entries(d.extraBody ?? {})) {
    createProps[key] = required.has(key) ? schema : Type.Optional(schema);
    updateProps[key] = Type.Optional(schema);
  }
  for (const [key, schema] of Object.entries(d.updateBody ?? {})) updateProps[key] = Type.Optional(schema);
  const createBody = Type.Object(createProps, { title: `${one}Create` });
  const updateBody = Type.Object(updateProps, { title: `${one}Update` });
  const refFields = {
    users: [...writable.filter((fd) => fd.spec.write!.refs === 'users').map((fd) => fd.writeKey as string), ...(d.refs?.users ?? [])],
    vendors: [...writable.filter((fd) => fd.spec.write!.refs === 'vendors').map((fd) => fd.writeKey as string), ...(d.refs?.vendors ?? [])],
    locations: writable.filter((fd) => fd.spec.write!.refs === 'locations').map((fd) => fd.writeKey as string),
  };
  const writeKeys = new Set(writable.map((fd) => fd.writeKey as string));
  const byColumn = new Map(fields.filter((fd) => fd.column).map((fd) => [fd.column as string, fd]));

  function columnsOf(body: Record<string, unknown>): Record<string, unknown> {
    const set: Record<string, unknown> = {};
    for (const fd of writable) {
      const v = body[fd.writeKey as string];
      if (v === undefined) continue;
      const w = fd.spec.write!;
      set[fd.column as string] = bound.encode(fd.spec.store, w.toColumn ? w.toColumn(v) : v);
    }
    return set;
  }
  function defaults(creator: number): Record<string, unknown> {
    const set: Record<string, unknown> = {};
    for (const fd of stored) {
      const col = fd.column as string;
      if (BASE.has(col) || !fd.spec.insert || col in set) continue;
      set[col] = fd.spec.insert === 'creator' ? creator : bound.encode(fd.spec.store, fd.spec.insert.value);
    }
    return set;
  }

  // ---- scope
  const projectScope: ProjectScope | undefined =
    d.scope === 'project' ? { from: d.path.includes('{project_id}') ? 'path' : 'query', required: d.projectRequired } : undefined;
  const parentBound = d.parent ? d.parent.storage.bind(d.parent.name, []) : null;

  async function parentOf(c: ApiContext, db: Db): Promise<number | undefined> {
    if (!d.parent || !parentBound) return undefined;
    const id = c.params[d.parent.param] as number;
    const base: Scope = { sandboxId: c.auth.sandboxId, projectId: c.project?.id };
    const row = (await parentBound.select(parentBound.rows(db, base).where('id', '=', id)).executeTakeFirst()) as AnyRow | undefined;
    if (!row) throw ApiError.notFound();
    // A parent found without a project in the request names its project (visibility checked).
    if (d.scope === 'project' && !c.project && row['project_id'] != null) c.project = await c.loadProject(Number(row['project_id']));
    return id;
  }

  function scopeOf(c: ApiContext, parentId: number | undefined, deleted?: Scope['deleted']): Scope {
    const s: Scope = { sandboxId: c.auth.sandboxId, deleted };
    if (d.scope === 'project') s.projectId = c.requireProject().id;
    if (parentId !== undefined) s.parentId = parentId;
    return s;
  }

  async function base(c: ApiContext, db: Db, scope: Scope, use: 'list' | 'find' = 'list'): Promise<AnyQuery> {
    let qb = bound.rows(db, scope);
    if (d.search?.param) {
      const text = queryString(c.query, d.search.param);
      if (text) qb = applyFilters(qb, { q: { kind: 'search', columns: searchColumns } }, new Map([['q', { kind: 'search', text }]]));
    }
    if (hooks.narrow) qb = await hooks.narrow(c, qb, use);
    return qb;
  }

  async function find(c: ApiContext, id: number, db: Db = c.db, deleted?: Scope['deleted']): Promise<AnyRow> {
    const scope = scopeOf(c, await parentOf(c, db), deleted);
    // Without a search or a narrowing hook the base is exactly the storage's scope: one prepared statement.
    const plain = bound.findById && !hooks.narrow && !(d.search?.param && queryString(c.query, d.search.param));
    const row = (
      plain
        ? await bound.findById!(db, scope, id)
        : await bound.select((await base(c, db, scope, 'find')).where('id', '=', id)).executeTakeFirst()
    ) as AnyRow | undefined;
    if (!row) throw ApiError.notFound();
    return bound.decode(row);
  }

  const showOne = async (c: ApiContext, id: number, deleted?: Scope['deleted']) =>
    (await serialize(c, [await find(c, id, c.db, deleted)], 'show'))[0];

  async function checkRefs(c: ApiContext, trx: Db, body: Record<string, unknown>, errors: FieldErrors): Promise<void> {
    if (refFields.locations.length) await checkLocationRefs(trx, c.auth.sandboxId, c.project?.id, body, refFields.locations, errors);
    if (!refFields.users.length && !refFields.vendors.length) return;
    await checkCompanyRefs(trx, c.auth.sandboxId, c.project?.company_id ?? c.auth.companyId, body, refFields, errors);
  }

  const inTransaction = <T>(
    c: ApiContext,
    fn: (trx: Parameters<Parameters<ReturnType<ApiContext['db']['transaction']>['execute']>[0]>[0]) => Promise<T>,
  ) => withSerializationRetry(() => c.db.transaction().execute(fn));

  // ---- operations
  const common = { project: projectScope, versions };
  const listDef = { filters, sort, maxPerPage: d.maxPerPage };
  const readQuery: Record<string, TSchema> = { ...(d.query ?? {}) };
  const query: Record<string, TSchema> = { ...readQuery };
  if (d.search?.param) query[d.search.param] = Type.String({ description: d.search.description ?? 'Text search' });
  if (d.compact) query[d.compact.param] = Type.String({ enum: ['compact', 'normal'] } as never);

  const builders: Record<Action, () => Omit<Operation, 'operationId'>> = {
    list: () => ({
      ...common,
      method: 'GET',
      path: d.path,
      summary: `List ${many.toLowerCase()}`,
      query,
      list: listDef,
      response: Type.Array(schemas.list),
      async handler(c) {
        const scope = scopeOf(c, await parentOf(c, c.db));
        const view = d.compact && queryString(c.query, d.compact.param) === 'compact' ? 'compact' : 'list';
        return c.list(await base(c, c.db, scope), bound.select, (rows: AnyRow[]) => serialize(c, rows.map(bound.decode), view));
      },
    }),
    show: () => ({
      ...common,
      method: 'GET',
      path: member,
      summary: `Show a ${one.toLowerCase()}`,
      query: readQuery,
      response: schemas.show,
      handler: (c) => showOne(c, c.params[idParam] as number),
    }),
    create: () => ({
      ...common,
      method: 'POST',
      path: d.path,
      summary: `Create a ${one.toLowerCase()}`,
      body: { root: d.body ?? d.name, schema: createBody },
      response: schemas.show,
      async handler(c) {
        const id = await inTransaction(c, async (trx) => {
          const scope = scopeOf(c, await parentOf(c, trx));
          const now = isoSeconds(c.nowMs());
          const w: Write<Record<string, unknown>> = {
            c,
            trx,
            body: c.body,
            set: { ...defaults(c.auth.userId), ...columnsOf(c.body) },
            errors: new FieldErrors(),
            scope,
            row: null,
            id: 0,
            now,
          };
          await checkRefs(c, trx, c.body, w.errors);
          await hooks.validate?.(w);
          w.errors.throwIfAny();
          w.id = await allocateIds(trx, c.auth.sandboxId, 1);
          await hooks.beforeInsert?.(w);
          w.errors.throwIfAny();
          await bound.insert(trx, scope, w.id, w.set, now);
          await hooks.afterWrite?.(w);
          return w.id;
        });
        return showOne(c, id);
      },
    }),
    update: () => ({
      ...common,
      method: 'PATCH',
      path: member,
      summary: `Update a ${one.toLowerCase()}`,
      body: { root: d.body ?? d.name, schema: updateBody },
      response: schemas.show,
      async handler(c) {
        const id = c.params[idParam] as number;
        await inTransaction(c, async (trx) => {
          const row = await find(c, id, trx);
          const scope = scopeOf(c, d.parent ? (c.params[d.parent.param] as number) : undefined);
          const w: Write<Record<string, unknown>> = {
            c,
            trx,
            body: c.body,
            set: columnsOf(c.body),
            errors: new FieldErrors(),
            scope,
            row,
            id,
            now: isoSeconds(c.nowMs()),
          };
          await checkRefs(c, trx, c.body, w.errors);
          await hooks.validate?.(w);
          await hooks.beforeUpdate?.(w);
          w.errors.throwIfAny();
          await bound.update(trx, scope, id, w.set, w.now);
          await hooks.afterWrite?.(w);
        });
        return showOne(c, id);
      },
    }),
    delete: () => ({
      ...common,
      method: 'DELETE',
      path: member,
      summary: `Delete a ${one.toLowerCase()}${d.storage.softDelete ? ' (moves it to the recycle bin)' : ''}`,
      status: 204,
      async handler(c) {
        await removeOne(c, 'live', d.storage.softDelete ? 'recycle' : 'destroy');
        return null;
      },
    }),
    recycle: () => ({
      ...common,
      method: 'PATCH',
      path: `${member}/recycle`,
      summary: `Recycle a ${one.toLowerCase()} (moves it to the recycle bin)`,
      response: schemas.show,
      async handler(c) {
        return showOne(c, await removeOne(c, 'live', 'recycle'), 'bin');
      },
    }),
    retrieve: () => ({
      ...common,
      method: 'PATCH',
      path: `${member}/retrieve`,
      summary: `Retrieve a recycled ${one.toLowerCase()}`,
      response: schemas.show,
      async handler(c) {
        return showOne(c, await removeOne(c, 'bin', 'retrieve'));
      },
    }),
    recycle_bin: () => ({
      ...common,
      method: 'GET',
      path: `${d.path}/recycle_bin`,
      summary: `List recycled ${many.toLowerCase()}`,
      query: readQuery,
      list: listDef,
      response: Type.Array(schemas.list),
      async handler(c) {
        const scope = scopeOf(c, await parentOf(c, c.db), 'bin');
        return c.list(await base(c, c.db, scope), bound.select, (rows: AnyRow[]) => serialize(c, rows.map(bound.decode), 'list'));
      },
    }),
  };

  async function removeOne(c: ApiContext, from: 'live' | 'bin', how: 'recycle' | 'retrieve' | 'destroy'): Promise<number> {
    const id = c.params[idParam] as number;
    await inTransaction(c, async (trx) => {
      await find(c, id, trx, from);
      const scope = scopeOf(c, d.parent ? (c.params[d.parent.param] as number) : undefined, 'any');
      await bound.remove(trx, scope, id, isoSeconds(c.nowMs()), how);
      await hooks.afterRemove?.(c, trx, id, how);
    });
    return id;
  }

  const operations: Operation[] = [];
  for (const [action, options] of Object.entries(d.operations) as [Action, NonNullable<(typeof d.operations)[Action]>][]) {
    const op = builders[action]();
    const noun = action === 'list' || action === 'recycle_bin' ? many : one;
    operations.push({
      ...op,
      operationId: `${ACTION_VERB[action]}${noun.replace(/\W/g, '')}`,
      versions: options.versions ?? versions,
      summary: options.summary ?? op.summary,
      description: options.description,
      ...(options.companyHeader ? { companyHeader: options.companyHeader } : {}),
      ...(options.status ? { status: options.status } : {}),
    });
  }
  const helpers: ResourceHelpers = {
    find: (c, id, db) => find(c, id, db),
    serialize: (c, rows, view) => serialize(c, rows, view),
    scope: (c, deleted) => scopeOf(c, undefined, deleted),
    rows: (c) => bound.rows(c.db, scopeOf(c, undefined)),
    select: bound.select,
    decode: bound.decode,
    schemas,
  };
  for (const op of d.extra?.(helpers) ?? []) operations.push({ versions, ...op });

  // ---- seed: bodies through the same body→column mapping as a create
  const seed = d.seed
    ? (s: SeedContext): SeedRows => {
        const out: SeedRows = [{ table: bound.table as never, rows: [] }];
        for (const body of d.seed!(s)) {
          const set: Record<string, unknown> = { ...defaults(s.users.demo), ...columnsOf(body) };
          // Seed bodies may also set stored columns no client writes (e.g. `created_by_id`).
          for (const [k, v] of Object.entries(body))
            if (!writeKeys.has(k) && byColumn.has(k)) set[k] = bound.encode(byColumn.get(k)!.spec.store, v);
          const scope: Scope = { sandboxId: s.sandboxId, projectId: s.projectId };
          // A seed body may carry its id (allocated earlier from `s.nextId()`, so other seeds can reference it).
          const row = bound.row(scope, typeof body['id'] === 'number' ? body['id'] : s.nextId(), set, s.created);
          out[0]!.rows.push(row);
          out.push(...(hooks.seedChildren?.(row, body, s) ?? []));
        }
        return out;
      }
    : undefined;

  return { name: d.name, tag: d.tag, operations, seed, helpers };
}

export { table, records } from './storage.js';
