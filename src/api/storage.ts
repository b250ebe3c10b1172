/**
 * Where a resource's rows live, behind one interface: a typed table (`table('submittals')`) or
 * the generic `records` table (`records()`, no migration needed). The machinery alone applies
 * the tenant scope (`sandbox_id`), the project, the parent and the recycle bin, so no resource
 * writes those conditions by hand.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { jsonValue, param, preparedQuery, type JsonValueType } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { Store } from './fields.js';
import { tagListScope, type AnyQuery, type ListScope } from './http/listing.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
export type Db = Kysely<Database> | Transaction<Database>;

/** Which rows a query sees. */
export interface Scope {
  sandboxId: number;
  /** Rows of one project (omitted for company-level resources). */
  projectId?: number;
  /** Rows under one parent row (e.g. replies of an RFI). */
  parentId?: number;
  /** `live` (default): not in the recycle bin; `bin`: only recycled rows; `any`: both. */
  deleted?: 'live' | 'bin' | 'any';
}

/** A stored field as storage sees it: its column (or data key), how it is kept, its SQL type. */
export interface StoredField {
  column: string;
  store: Store;
  sqlType: JsonValueType;
  /** Filters, sorts or searches use it, so records storage exposes it as a column. */
  queried: boolean;
}

export interface StorageOptions {
  /** Rows have `deleted_at`: delete moves them to the recycle bin. */
  softDelete?: boolean;
  /** Rows have `project_id` (default true). */
  project?: boolean;
  /** Column holding the parent row's id (typed tables), e.g. `rfi_id`. */
  parentColumn?: string;
}

export interface Storage {
  readonly kind: 'table' | 'records';
  readonly softDelete: boolean;
  readonly hasProject: boolean;
  /** Bound to one resource's stored fields by the compiler. */
  bind(resource: string, fields: StoredField[]): BoundStorage;
}

export interface BoundStorage {
  readonly table: string;
  /** A select (no columns yet) of the rows in `scope`, whose field columns filters and sorts can name. */
  rows(db: Db, scope: Scope): AnyQuery;
  /** Selects what `decode` needs. */
  select(qb: AnyQuery): AnyQuery;
  /**
   * The selected row `id` of `scope` (what `select(rows(db, scope).where('id', '=', id))`
   * finds), as one prepared statement per scope shape; only on storages that have one.
   */
  findById?(db: Db, scope: Scope, id: number): Promise<Record<string, unknown> | undefined>;
  /** A selected row → `{column: value}` (records: the data object merged in). */
  decode(row: Record<string, unknown>): Record<string, unknown>;
  /** Body/store value → what the storage keeps (flags 0/1 and JSON text in typed tables). */
  encode(store: Store, value: unknown): unknown;
  /** The stored row of a new record (for inserts and seeds). */
  row(scope: Scope, id: number, values: Record<string, unknown>, now: string): Record<string, unknown>;
  insert(trx: Db, scope: Scope, id: number, values: Record<string, unknown>, now: string): Promise<void>;
  /** Sets columns of one row of the scope; `updated_at` too. */
  update(trx: Db, scope: Scope, id: number, set: Record<string, unknown>, now: string): Promise<void>;
  /** Moves one row into (`deletedAt` a timestamp) or out of (`null`) the recycle bin, or deletes it for good. */
  remove(trx: Db, scope: Scope, id: number, now: string, how: 'recycle' | 'retrieve' | 'destroy'): Promise<void>;
}

/** Distinct page sizes with a statement of their own, per table (clients use a few). */
const MAX_PAGE_SIZES = 64;

// A select, update or delete builder: all take the same `where`.
type Whereable = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function scoped(qb: Whereable, scope: Scope, o: { project: boolean; parent?: string; soft: boolean }): Whereable {
  qb = qb.where('sandbox_id', '=', scope.sandboxId);
  if (o.project && scope.projectId !== undefined) qb = qb.where('project_id', '=', scope.projectId);
  if (o.parent && scope.parentId !== undefined) qb = qb.where(o.parent, '=', scope.parentId);
  if (o.soft) {
    const d = scope.deleted ?? 'live';
    if (d === 'live') qb = qb.where('deleted_at', 'is', null);
    else if (d === 'bin') qb = qb.where('deleted_at', 'is not', null);
  }
  return qb;
}

/**
 * Rows in a typed table with `id`, `sandbox_id` (and `project_id`, `deleted_at` as declared).
 *
 * @example storage: table('submittals', { softDelete: true })
 */
export function table(name: keyof Database, options: StorageOptions = {}): Storage {
  const soft = options.softDelete ?? false;
  const project = options.project ?? true;
  const parent = options.parentColumn;
  return {
    kind: 'table',
    softDelete: soft,
    hasProject: project,
    bind(): BoundStorage {
      const where = (qb: Whereable, scope: Scope): Whereable => scoped(qb, scope, { project, parent, soft });
      // One prepared statement per scope shape: the conditions `where` writes, ids as parameters.
      const finders = new Map<string, ReturnType<typeof preparedQuery<Record<string, unknown>>>>();
      const finderOf = (scope: Scope) => {
        const withProject = project && scope.projectId !== undefined;
        const withParent = parent !== undefined && scope.parentId !== undefined;
        const key = `${withProject}:${withParent}:${scope.deleted ?? 'live'}`;
        let q = finders.get(key);
        if (!q) {
          const shape: Scope = {
            sandboxId: param<number>(0),
            projectId: withProject ? param<number>(1) : undefined,
            parentId: withParent ? param<number>(2) : undefined,
            deleted: scope.deleted,
          };
          q = preparedQuery((db) =>
            where((db as AnyDb).selectFrom(name).selectAll(), shape)
              .where('id', '=', param<number>(3))
              .limit(sql.lit(1)),
          ) as ReturnType<typeof preparedQuery<Record<string, unknown>>>;
          finders.set(key, q);
        }
        return q;
      };
      const selectAll = (qb: AnyQuery) => qb.selectAll();
      // The live rows of one project from id `first` on (what `runList` seeks): one prepared
      // statement per page size. The size is written into the SQL: SQLite prepares a statement
      // whose LIMIT is a bound parameter anew on every run (2–3× the cost of the lookup itself).
      const pageQueries = new Map<number, ReturnType<typeof preparedQuery>>();
      const pageQuery = (limit: number) => {
        let q = pageQueries.get(limit);
        if (!q) {
          q = preparedQuery((db) =>
            where((db as AnyDb).selectFrom(name).selectAll(), { sandboxId: param<number>(0), projectId: param<number>(1) })
              .where('id', '>=', param<number>(2))
              .orderBy('id', 'asc')
              .limit(sql.lit(limit)),
          );
          if (pageQueries.size >= MAX_PAGE_SIZES) pageQueries.clear();
          pageQueries.set(limit, q);
        }
        return q;
      };
      const page: NonNullable<ListScope['page']> = {
        select: selectAll,
        run: (db, s, first, limit) => pageQuery(limit)(db, [s.sandboxId, s.projectId, first]),
      };
      return {
        table: name,
        async findById(db, scope, id) {
          const [row] = await finderOf(scope)(db, [scope.sandboxId, scope.projectId, scope.parentId, id]);
          return row;
        },
        rows(db, scope) {
          const qb = where((db as AnyDb).selectFrom(name) as AnyQuery, scope);
          // Live rows of one project: `runList` may read Total from list_counts and seek pages by id.
          const live = soft && project && scope.projectId !== undefined && (scope.deleted ?? 'live') === 'live';
          return live && !(parent && scope.parentId !== undefined)
            ? tagListScope(qb, { table: name, projectId: scope.projectId!, sandboxId: scope.sandboxId, page })
            : qb;
        },
        select: selectAll,
        decode: (row) => row,
        encode(store, value) {
          if (value === null || value === undefined) return value ?? null;
          if (store === 'bool') return value ? 1 : 0;
          if (store === 'json') return JSON.stringify(value);
          return value;
        },
        row(scope, id, values, now) {
          const row: Record<string, unknown> = { created_at: now, updated_at: now, ...values, id, sandbox_id: scope.sandboxId };
          if (project) row['project_id'] = scope.projectId;
          if (parent) row[parent] = scope.parentId;
          if (soft) row['deleted_at'] ??= null;
          return row;
        },
        async insert(trx, scope, id, values, now) {
          await (trx as AnyDb)
            .insertInto(name)
            .values(this.row(scope, id, values, now))
            .execute();
        },
        async update(trx, scope, id, set, now) {
          await where((trx as AnyDb).updateTable(name), { ...scope, deleted: 'any' })
            .set({ ...set, updated_at: now })
            .where('id', '=', id)
            .execute();
        },
        async remove(trx, scope, id, now, how) {
          const db = trx as AnyDb;
          if (how === 'destroy') {
            await where(db.deleteFrom(name), { ...scope, deleted: 'any' })
              .where('id', '=', id)
              .execute();
            return;
          }
          await where(db.updateTable(name), { ...scope, deleted: 'any' })
            .set({ deleted_at: how === 'recycle' ? now : null, updated_at: now })
            .where('id', '=', id)
            .execute();
        },
      };
    },
  };
}

const BASE_COLUMNS = new Set(['id', 'sandbox_id', 'project_id', 'parent_id', 'created_at', 'updated_at', 'deleted_at']);

/**
 * Rows in the generic `records` table, fields in its JSON `data`: a new resource needs no
 * migration. Queried fields are exposed as columns of a derived table, so filters and sorts
 * name them as they would a table's.
 *
 * @example storage: records({ softDelete: true })
 */
export function records(options: Omit<StorageOptions, 'parentColumn'> & { parent?: boolean } = {}): Storage {
  const soft = options.softDelete ?? false;
  const project = options.project ?? true;
  const parent = options.parent ? 'parent_id' : undefined;
  return {
    kind: 'records',
    softDelete: soft,
    hasProject: project,
    bind(resource, fields): BoundStorage {
      const queried = fields.filter((f) => f.queried && !BASE_COLUMNS.has(f.column));
      const where = (qb: Whereable, scope: Scope): Whereable =>
        scoped(qb.where('resource', '=', resource), scope, { project, parent, soft });
      const stored = (values: Record<string, unknown>) => {
        const data: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(values)) if (!BASE_COLUMNS.has(k)) data[k] = v;
        return JSON.stringify(data);
      };
      return {
        table: 'records',
        rows(db, scope) {
          const inner = where(
            (db as AnyDb)
              .selectFrom('records')
              .select(['id', 'project_id', 'parent_id', 'data', 'created_at', 'updated_at', 'deleted_at'])
              .select(queried.map((f) => jsonValue(db, 'data', f.column, f.sqlType).as(f.column))) as AnyQuery,
            scope,
          );
          return (db as AnyDb).selectFrom(inner.as('r')) as AnyQuery;
        },
        select: (qb) => qb.select(['r.id', 'r.project_id', 'r.parent_id', 'r.data', 'r.created_at', 'r.updated_at', 'r.deleted_at']),
        decode(row) {
          const data = typeof row['data'] === 'string' ? (JSON.parse(row['data']) as Record<string, unknown>) : {};
          return {
            ...data,
            id: Number(row['id']),
            project_id: row['project_id'] === null ? null : Number(row['project_id']),
            parent_id: row['parent_id'] === null ? null : Number(row['parent_id']),
            created_at: row['created_at'],
            updated_at: row['updated_at'],
            deleted_at: row['deleted_at'],
          };
        },
        encode: (_store, value) => value ?? null,
        row(scope, id, values, now) {
          return {
            id,
            sandbox_id: scope.sandboxId,
            resource,
            project_id: project ? (scope.projectId ?? null) : null,
            parent_id: parent ? (scope.parentId ?? null) : null,
            data: stored(values),
            created_at: (values['created_at'] as string | undefined) ?? now,
            updated_at: (values['updated_at'] as string | undefined) ?? now,
            deleted_at: null,
          };
        },
        async insert(trx, scope, id, values, now) {
          await (trx as AnyDb)
            .insertInto('records')
            .values(this.row(scope, id, values, now))
            .execute();
        },
        async update(trx, scope, id, set, now) {
          const db = trx as AnyDb;
          const current = await where(db.selectFrom('records').select('data'), { ...scope, deleted: 'any' })
            .where('id', '=', id)
            .executeTakeFirst();
          if (!current) return;
          const data = { ...(JSON.parse(String((current as { data: string }).data)) as Record<string, unknown>), ...set };
          await where(db.updateTable('records'), { ...scope, deleted: 'any' })
            .set({ data: stored(data), updated_at: now })
            .where('id', '=', id)
            .execute();
        },
        async remove(trx, scope, id, now, how) {
          const db = trx as AnyDb;
          if (how === 'destroy') {
            await where(db.deleteFrom('records'), { ...scope, deleted: 'any' })
              .where('id', '=', id)
              .execute();
            return;
          }
          await where(db.updateTable('records'), { ...scope, deleted: 'any' })
            .set({ deleted_at: how === 'recycle' ? now : null, updated_at: now })
            .where('id', '=', id)
            .execute();
        },
      };
    },
  };
}
