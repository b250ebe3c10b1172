/**
 * The generic `records` table: rows of resources declared with `records()` storage (see
 * `src/api/storage.ts`), so a new resource needs no migration. Fields live in `data` (JSON text
 * on both engines); the columns are what every resource is scoped, ordered and recycled by.
 * Frozen once released: only Kysely here.
 */
import type { Kysely } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('records')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('sandbox_id', 'bigint', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('project_id', 'bigint')
    .addColumn('parent_id', 'bigint')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  // Covers the list of one resource in one project (or under one parent), bin or not, in id order.
  await db.schema
    .createIndex('records_list')
    .on('records')
    .columns(['sandbox_id', 'resource', 'project_id', 'parent_id', 'deleted_at', 'id'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('records').ifExists().execute();
}
