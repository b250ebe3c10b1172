/**
 * CRUD machinery for project-scoped resources: row lookups within the token's sandbox and one
 * project, and `projectCollection`, which turns a resource's table, schemas, serializer and write
 * functions into its five operations (list, show, create, update, soft delete).
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely, Transaction } from 'kysely';
import { isoSeconds } from '../core/clock.js';
import type { Database, Row } from '../db/schema.js';
import { withSerializationRetry } from '../services/retry.js';
import { ApiError } from './errors.js';
import { tagListScope, type AnyQuery, type FilterDef, type SortDef } from './http/listing.js';
import type { ApiContext, Operation } from './resource.js';

/** The request's database or a write transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
/** For queries on a table chosen at run time (the declaration's `table`). */
type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ProjectRowsOptions {
  /** The table has `deleted_at`: rows in the recycle bin are left out. */
  softDeleted?: boolean;
}

/**
 * The rows of `table` in the scoped project of the token's sandbox, as a list base for `c.list`.
 *
 * @example c.list(projectRows(c, 'tasks'), (qb) => qb.selectAll(), serialize)
 */
export function projectRows(c: ApiContext, table: keyof Database, options: ProjectRowsOptions = {}): AnyQuery {
  const project = c.requireProject();
  let qb = (c.db as AnyDb).selectFrom(table).where('project_id', '=', project.id).where('sandbox_id', '=', c.auth.sandboxId) as AnyQuery;
  if (options.softDeleted)
    qb = tagListScope(qb.where('deleted_at', 'is', null), { table, projectId: project.id, sandboxId: c.auth.sandboxId });
  return qb;
}

/**
 * One row of `table` by id within the scoped project of the token's sandbox; 404 otherwise (the
 * same for "another project's", "another sandbox's" and "never existed").
 *
 * @example const rfi = await findInProject(c, c.db, 'rfis', id, { softDeleted: true });
 */
export async function findInProject<T extends keyof Database>(
  c: ApiContext,
  db: Db,
  table: T,
  id: number,
  options: ProjectRowsOptions = {},
): Promise<Row<T>> {
  const project = c.requireProject();
  let qb = (db as AnyDb)
    .selectFrom(table)
    .selectAll()
    .where('id', '=', id)
    .where('project_id', '=', project.id)
    .where('sandbox_id', '=', c.auth.sandboxId);
  if (options.softDeleted) qb = qb.where('deleted_at', 'is', null);
  const row = (await qb.executeTakeFirst()) as Row<T> | undefined;
  if (!row) throw ApiError.notFound();
  return row;
}

type CrudAction = 'list' | 'show' | 'create' | 'update' | 'delete';

/** A project-scoped, soft-deleted resource with the usual five operations. */
export interface ProjectCollection<T extends keyof Database> {
  /** Collection path; the member path appends `/{id}`. E.g. `/projects/{project_id}/rfis`. */
  path: string;
  /** Table with `id`, `sandbox_id`, `project_id` and `deleted_at` columns. */
  table: T;
  /** operationId stems: `{one: 'Rfi', many: 'Rfis'}` gives `listRfis`, `showRfi`, … `deleteRfi`. */
  operationIds: { one: string; many: string };
  summaries: Record<CrudAction, string>;
  descriptions?: Partial<Record<CrudAction, string>>;
  /** Write bodies, wrapped in `{[root]: …}`. */
  body: { root: string; create: TObject; update: TObject };
  /** `normal` for list items; `extended` for show, create and update. */
  response: { normal: TSchema; extended: TSchema };
  list: {
    filters?: Record<string, FilterDef>;
    sort?: SortDef;
    /** Extra documented query parameters, read by `narrow`. */
    query?: Record<string, TSchema>;
    /** Narrows the list base beyond filters (e.g. a `search` parameter). */
    narrow?(c: ApiContext, base: AnyQuery): AnyQuery;
  };
  serialize(c: ApiContext, rows: Row<T>[], extended: boolean): Promise<unknown[]>;
  /** Validates `c.body` and inserts the row inside the write transaction; returns its id. */
  create(c: ApiContext, trx: Transaction<Database>): Promise<number>;
  /** Validates `c.body` and updates the (already found) `row` inside the write transaction. */
  update(c: ApiContext, trx: Transaction<Database>, row: Row<T>): Promise<void>;
}

/**
 * The list, show, create, update and delete operations of a project-scoped resource. Writes run
 * in one transaction (retried on PostgreSQL serialization failures) and answer with the row as
 * re-read and serialized (extended view); delete moves the row to the recycle bin (204).
 *
 * @example
 * export const rfis = defineResource({ name: 'rfis', tag: 'RFIs', operations: [
 *   ...projectCollection({ path: '/projects/{project_id}/rfis', table: 'rfis', … }),
 *   // extra operations (replies, …)
 * ]});
 */
export function projectCollection<T extends keyof Database>(decl: ProjectCollection<T>): Operation[] {
  const { table, operationIds: ids, summaries, descriptions = {} } = decl;
  const member = `${decl.path}/{id}`;
  const soft = { softDeleted: true };
  const find = (c: ApiContext, db: Db, id: number) => findInProject(c, db, table, id, soft);
  const showOne = async (c: ApiContext, id: number) => (await decl.serialize(c, [await find(c, c.db, id)], true))[0];
  const project = { from: 'path' } as const;

  return [
    {
      method: 'GET',
      path: decl.path,
      operationId: `list${ids.many}`,
      summary: summaries.list,
      description: descriptions.list,
      project,
      query: decl.list.query,
      list: { filters: decl.list.filters, sort: decl.list.sort },
      response: Type.Array(decl.response.normal),
      async handler(c) {
        let base = projectRows(c, table, soft);
        if (decl.list.narrow) base = decl.list.narrow(c, base);
        return c.list(
          base,
          (qb) => qb.selectAll(),
          (rows: Row<T>[]) => decl.serialize(c, rows, false),
        );
      },
    },
    {
      method: 'GET',
      path: member,
      operationId: `show${ids.one}`,
      summary: summaries.show,
      description: descriptions.show,
      project,
      response: decl.response.extended,
      handler: (c) => showOne(c, c.params['id'] as number),
    },
    {
      method: 'POST',
      path: decl.path,
      operationId: `create${ids.one}`,
      summary: summaries.create,
      description: descriptions.create,
      project,
      body: { root: decl.body.root, schema: decl.body.create },
      response: decl.response.extended,
      async handler(c) {
        const id = await withSerializationRetry(() => c.db.transaction().execute((trx) => decl.create(c, trx)));
        return showOne(c, id);
      },
    },
    {
      method: 'PATCH',
      path: member,
      operationId: `update${ids.one}`,
      summary: summaries.update,
      description: descriptions.update,
      project,
      body: { root: decl.body.root, schema: decl.body.update },
      response: decl.response.extended,
      async handler(c) {
        const id = c.params['id'] as number;
        await withSerializationRetry(() => c.db.transaction().execute(async (trx) => decl.update(c, trx, await find(c, trx, id))));
        return showOne(c, id);
      },
    },
    {
      method: 'DELETE',
      path: member,
      operationId: `delete${ids.one}`,
      summary: summaries.delete,
      description: descriptions.delete,
      project,
      status: 204,
      async handler(c) {
        const id = c.params['id'] as number;
        await c.db.transaction().execute(async (trx) => {
          await find(c, trx, id);
          const now = isoSeconds(c.nowMs());
          await (trx as AnyDb)
            .updateTable(table as string)
            .set({ deleted_at: now, updated_at: now })
            .where('id', '=', id)
            .where('sandbox_id', '=', c.auth.sandboxId)
            .execute();
        });
        return null;
      },
    },
  ];
}
