/**
 * Developer-portal sessions and Postman import links. Frozen once released: never import
 * application code here, only Kysely.
 */
import { type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const autoId = pg ? 'bigserial' : 'integer';

  // Server-side portal sessions; only the SHA-256 of the session id is stored.
  await db.schema
    .createTable('portal_sessions')
    .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('session_hash', 'text', (c) => c.notNull().unique())
    .addColumn('developer_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_sessions_developer').on('portal_sessions').column('developer_id').execute();

  // One import-link token per app: SHA-256 for lookup, sealed copy so the owner sees it again.
  await db.schema
    .createTable('postman_links')
    .addColumn('app_id', 'bigint', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('postman_links').execute();
  await db.schema.dropTable('portal_sessions').execute();
}
