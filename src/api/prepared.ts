/**
 * Hot lookups of the API machinery as precompiled queries (see `preparedQuery`): the same SQL on
 * every request, only the parameters change. Each one keeps the tenant scope (`sandbox_id`).
 */
import type { Kysely, Transaction } from 'kysely';
import { param, preparedQuery } from '../db/connect.js';
import type { Database, Row } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** A project of a sandbox (company admins and service accounts see all of them). */
export const projectOfSandbox = preparedQuery((db) =>
  db.selectFrom('projects').selectAll().where('id', '=', param<number>(0)).where('sandbox_id', '=', param<number>(1)),
);

/** A project of a sandbox that the user is a member of: project and membership in one query. */
export const projectOfMember = preparedQuery((db) =>
  db
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', param<number>(0))
    .where('sandbox_id', '=', param<number>(1))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('project_users')
          .select('project_users.user_id')
          .whereRef('project_users.project_id', '=', 'projects.id')
          .where('project_users.user_id', '=', param<number>(2)),
      ),
    ),
);

type IdTable = 'users' | 'vendors' | 'rfi_questions' | 'rfi_replies';
const byIdQueries = new Map<string, ReturnType<typeof preparedQuery>>();

/**
 * `select * from <table> where sandbox_id = ? and <column> in (…ids) [order by id]`. An `in`
 * list has one placeholder per id, so each list length is its own statement: lengths are rounded
 * up to a power of two (padded by repeating the last id, which changes no result) to keep the
 * number of distinct statements small.
 */
export async function selectByIds<T extends IdTable>(
  db: Db,
  table: T,
  column: 'id' | 'rfi_id',
  sandboxId: number,
  ids: readonly number[],
  options: { orderById?: boolean } = {},
): Promise<Row<T>[]> {
  if (!ids.length) return [];
  let arity = 1;
  while (arity < ids.length) arity *= 2;
  const key = `${table}.${column}.${arity}`;
  let query = byIdQueries.get(key);
  if (!query) {
    const slots = Array.from({ length: arity }, (_, i) => param<number>(i + 1));
    query = preparedQuery((kdb) => {
      return (kdb as unknown as AnyDb).selectFrom(table).selectAll().where('sandbox_id', '=', param<number>(0)).where(column, 'in', slots);
    });
    byIdQueries.set(key, query);
  }
  const args: number[] = [sandboxId, ...ids];
  const last = ids[ids.length - 1] as number;
  while (args.length <= arity) args.push(last);
  const rows = (await query(db, args)) as Row<T>[];
  // Sorted here: in SQL the order forced a temporary B-tree over an index lookup.
  if (options.orderById) rows.sort((a, b) => Number((a as { id: number }).id) - Number((b as { id: number }).id));
  return rows;
}
