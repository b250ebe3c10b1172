/**
 * API explorer state per developer account: versioned records (collections, environments,
 * globals, header presets, tokens, history) and which apps' sandbox collection and environment
 * were pre-installed (so a deletion is honoured). Frozen once released: only Kysely here.
 */
import type { Kysely } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('explorer_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('developer_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('v', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // The record's JSON, sealed with the server key (it may hold secrets and tokens).
    .addColumn('data_enc', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    // Set on the sandbox collection/environment pre-installed for an app.
    .addColumn('app_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('explorer_records_list').on('explorer_records').columns(['developer_id', 'kind', 'position']).execute();

  await db.schema
    .createTable('explorer_installs')
    .addColumn('developer_id', 'bigint', (c) => c.notNull())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('installed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('explorer_installs_pk', ['developer_id', 'app_id'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('explorer_installs').ifExists().execute();
  await db.schema.dropTable('explorer_records').ifExists().execute();
}
