/**
 * Named counters taken by one atomic `UPDATE … RETURNING`: the row lock serializes racing
 * transactions on PostgreSQL (across processes) instead of letting them collide. First use:
 * sandbox numbers, seeded from the sandboxes that already exist.
 */
import { sql, type Kysely } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into counters (name, value) select 'sandbox', coalesce(max(id), 0) from sandboxes`.execute(db);
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('counters').ifExists().execute();
}
