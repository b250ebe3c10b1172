/**
 * Throttle counters of the login service and the portal (failed sign-ins, client
 * authentications, guessed codes and refresh tokens): one row per key with its window's start
 * and the attempts counted in it, taken by one atomic `INSERT … ON CONFLICT DO UPDATE … WHERE
 * … RETURNING`, so racing requests on any number of processes cannot overshoot the limit.
 * Replaces the per-attempt log `oauth_login_attempts` (dropped; its rows were only counters).
 */
import type { Kysely } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('auth_throttles')
    .addColumn('throttle_key', 'text', (c) => c.primaryKey())
    .addColumn('window_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_throttles_window').on('auth_throttles').column('window_start_ms').execute();
  await db.schema.dropTable('oauth_login_attempts').ifExists().execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('auth_throttles').ifExists().execute();
}
