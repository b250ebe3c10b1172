/**
 * Login service: browser sessions, remembered consents, failed sign-in attempts (throttling),
 * and whether an authorization request named its redirect URI. Frozen once released: never
 * import application code here, only Kysely.
 */
import { type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const autoId = pg ? 'bigserial' : 'integer';

  // Login sessions of the OAuth pages; only the SHA-256 of the session id is stored.
  await db.schema
    .createTable('oauth_sessions')
    .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('session_hash', 'text', (c) => c.notNull().unique())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('sandbox_id', 'bigint', (c) => c.notNull())
    // SHA-256 of the approve form's one-time token (synchronizer token), or null.
    .addColumn('approve_nonce_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  // "Remember this app": consent given by a user to an app.
  await db.schema
    .createTable('oauth_consents')
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('oauth_consents_pk', ['user_id', 'app_id'])
    .execute();

  // Failed sign-ins and client authentications, counted per key (account, IP, client) per hour.
  await db.schema
    .createTable('oauth_login_attempts')
    .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('throttle_key', 'text', (c) => c.notNull())
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth_login_attempts_key').on('oauth_login_attempts').columns(['throttle_key', 'attempted_at']).execute();

  // RFC 6749 §4.1.3: the token request must repeat redirect_uri iff the authorization request sent it.
  await db.schema
    .alterTable('auth_codes')
    .addColumn('redirect_uri_given', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('auth_codes').dropColumn('redirect_uri_given').execute();
  await db.schema.dropTable('oauth_login_attempts').execute();
  await db.schema.dropTable('oauth_consents').execute();
  await db.schema.dropTable('oauth_sessions').execute();
}
