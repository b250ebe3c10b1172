/**
 * The API's fast path (docs/storage.md, "Fast path"):
 * - `list_counts`: the live (not deleted) rows per project of each soft-deleted list table, kept
 *   by triggers in the same transaction as every insert, delete and soft delete, so a list's
 *   `Total` is one primary-key read instead of a count over the project; `version` changes
 *   whenever the set of live rows does (it validates cached keyset bookmarks).
 * - `counters.token_revocations` (SQLite): bumped by a trigger whenever a token is revoked or
 *   deleted, or a user is deleted or has its admin flags changed, so cached bearer lookups are
 *   checked with one read.
 * - `blob_contents`: seed files stored once by SHA-256 instead of once per sandbox.
 * - `rate_limit_hits`: the shared rate-limit windows of several processes on one database.
 */
import { sql, type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Tables listed per project with a soft delete (`project_id`, `deleted_at`). */
export const COUNTED_TABLES = ['rfis', 'submittals'] as const;

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

async function sqliteTriggers(db: Db): Promise<void> {
  for (const t of COUNTED_TABLES) {
    const add = (ref: 'NEW') =>
      sql.raw(`insert into list_counts (table_name, project_id, n, version)
        select '${t}', ${ref}.project_id, 1, 1 where ${ref}.deleted_at is null
        on conflict (table_name, project_id) do update set n = n + 1, version = version + 1;`);
    const remove = (ref: 'OLD') =>
      sql.raw(`update list_counts set n = n - 1, version = version + 1
        where table_name = '${t}' and project_id = ${ref}.project_id and ${ref}.deleted_at is null;`);
    await sql`create trigger ${sql.raw(`${t}_count_insert`)} after insert on ${sql.table(t)} begin ${add('NEW')} end`.execute(db);
    await sql`create trigger ${sql.raw(`${t}_count_delete`)} after delete on ${sql.table(t)} begin ${remove('OLD')} end`.execute(db);
    await sql`create trigger ${sql.raw(`${t}_count_update`)} after update of deleted_at, project_id on ${sql.table(t)}
      when (old.deleted_at is null) <> (new.deleted_at is null) or old.project_id <> new.project_id
      begin ${remove('OLD')} ${add('NEW')} end`.execute(db);
  }
  const bump = sql.raw(`update counters set value = value + 1 where name = 'token_revocations';`);
  await sql`create trigger access_tokens_revoked after update of revoked_at on access_tokens
    when old.revoked_at is null and new.revoked_at is not null begin ${bump} end`.execute(db);
  await sql`create trigger access_tokens_deleted after delete on access_tokens begin ${bump} end`.execute(db);
  await sql`create trigger users_flags_changed after update of is_company_admin, is_service_account, sandbox_id on users
    begin ${bump} end`.execute(db);
  await sql`create trigger users_deleted after delete on users begin ${bump} end`.execute(db);
}

async function postgresTriggers(db: Db): Promise<void> {
  await sql`create or replace function procore_sandbox_list_count() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        if old.deleted_at is null then
          update list_counts set n = n - 1, version = version + 1
            where table_name = tg_table_name and project_id = old.project_id;
        end if;
      end if;
      if tg_op <> 'DELETE' then
        if new.deleted_at is null then
          insert into list_counts (table_name, project_id, n, version) values (tg_table_name, new.project_id, 1, 1)
            on conflict (table_name, project_id) do update set n = list_counts.n + 1, version = list_counts.version + 1;
        end if;
      end if;
      return null;
    end $$`.execute(db);
  for (const t of COUNTED_TABLES) {
    await sql`create trigger ${sql.raw(`${t}_count_insert_delete`)} after insert or delete on ${sql.table(t)}
      for each row execute function procore_sandbox_list_count()`.execute(db);
    await sql`create trigger ${sql.raw(`${t}_count_update`)} after update of deleted_at, project_id on ${sql.table(t)}
      for each row when ((old.deleted_at is null) is distinct from (new.deleted_at is null) or old.project_id <> new.project_id)
      execute function procore_sandbox_list_count()`.execute(db);
  }
}

export async function up(db: Db): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('list_counts')
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('list_counts_pk', ['table_name', 'project_id'])
    .execute();
  for (const t of COUNTED_TABLES) {
    await sql`insert into list_counts (table_name, project_id, n, version)
      select ${t}, project_id, count(*), 1 from ${sql.table(t)} where deleted_at is null group by project_id`.execute(db);
  }
  await sql`insert into counters (name, value) values ('token_revocations', 0)`.execute(db);
  if (pg) await postgresTriggers(db);
  else await sqliteTriggers(db);

  await db.schema
    .createTable('blob_contents')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('data', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_ms', 'bigint', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_hits_pk', ['key', 'window_ms', 'window_start'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  const pg = isPostgres(db);
  for (const t of COUNTED_TABLES) {
    for (const name of ['count_insert', 'count_delete', 'count_update', 'count_insert_delete'])
      await sql`drop trigger if exists ${sql.raw(`${t}_${name}`)}${pg ? sql` on ${sql.table(t)}` : sql``}`.execute(db);
  }
  if (pg) await sql`drop function if exists procore_sandbox_list_count()`.execute(db);
  for (const name of ['access_tokens_revoked', 'access_tokens_deleted', 'users_flags_changed', 'users_deleted']) {
    const table = name.startsWith('users') ? 'users' : 'access_tokens';
    await sql`drop trigger if exists ${sql.raw(name)}${pg ? sql` on ${sql.table(table)}` : sql``}`.execute(db);
  }
  await sql`delete from counters where name = 'token_revocations'`.execute(db);
  await db.schema.dropTable('rate_limit_hits').ifExists().execute();
  await db.schema.dropTable('blob_contents').ifExists().execute();
  await db.schema.dropTable('list_counts').ifExists().execute();
}
