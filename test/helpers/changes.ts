/**
 * A change log for black-box suites: triggers on every table that holds data a client can see or
 * that grants access (sandbox rows, apps, credentials, developers, tokens, codes, sessions) count
 * each row inserted, deleted or really changed into `zz_test_changes`. A request the server
 * rejected (4xx) must leave the count where it was: "rejected writes change nothing". The
 * triggers run inside the server's own transaction, so a write that rolls back logs nothing.
 *
 * Left out on purpose: id allocation (`counters`, `sandboxes.next_id`), `server_meta` and the
 * failed-login ledger `oauth_login_attempts`, which a rejected sign-in is meant to write.
 */
import { sql, type Kysely } from 'kysely';
import { SANDBOX_TABLES, type Database } from '../../src/db/schema.js';
import type { EngineName } from './runtime.js';

export const WATCHED_TABLES = [
  ...SANDBOX_TABLES,
  'developers',
  'apps',
  'app_credentials',
  'sandboxes',
  'auth_codes',
  'access_tokens',
  'oauth_sessions',
  'oauth_consents',
  'portal_sessions',
  'postman_links',
] as const;

/** Columns whose changes are not data (id allocation). */
const IGNORED_COLUMNS: Record<string, string[]> = { sandboxes: ['next_id'] };

export interface ChangeLog {
  /** Rows changed since the log was installed. */
  count(): Promise<number>;
  /** Changes after `since`, by table and operation, e.g. `rfis:UPDATE × 1`. */
  describe(since: number): Promise<string[]>;
}

async function columnsOf(db: Kysely<Database>, engine: EngineName, table: string): Promise<string[]> {
  if (engine === 'sqlite') {
    const rows = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
    return rows.rows.map((r) => r.name);
  }
  const rows = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return rows.rows.map((r) => r.column_name);
}

export async function installChangeLog(db: Kysely<Database>, engine: EngineName): Promise<ChangeLog> {
  const q = (s: string) => sql.raw(s).execute(db);
  if (engine === 'sqlite') {
    await q('create table if not exists zz_test_changes (id integer primary key autoincrement, tbl text not null, op text not null)');
  } else {
    await q('create table if not exists zz_test_changes (id bigserial primary key, tbl text not null, op text not null)');
    await q(`create or replace function zz_test_log() returns trigger language plpgsql as $$
      begin insert into zz_test_changes (tbl, op) values (TG_TABLE_NAME, TG_OP); return null; end $$`);
  }
  for (const table of WATCHED_TABLES) {
    const cols = (await columnsOf(db, engine, table)).filter((c) => !(IGNORED_COLUMNS[table] ?? []).includes(c));
    if (engine === 'sqlite') {
      const changed = cols.map((c) => `OLD."${c}" IS NOT NEW."${c}"`).join(' OR ');
      await q(`create trigger if not exists zz_${table}_ins after insert on "${table}" begin
        insert into zz_test_changes (tbl, op) values ('${table}', 'INSERT'); end`);
      await q(`create trigger if not exists zz_${table}_del after delete on "${table}" begin
        insert into zz_test_changes (tbl, op) values ('${table}', 'DELETE'); end`);
      await q(`create trigger if not exists zz_${table}_upd after update on "${table}" when ${changed} begin
        insert into zz_test_changes (tbl, op) values ('${table}', 'UPDATE'); end`);
    } else {
      const row = (p: string) => `ROW(${cols.map((c) => `${p}."${c}"`).join(', ')})`;
      await q(`create trigger zz_${table}_ins after insert or delete on "${table}" for each row execute function zz_test_log()`);
      await q(`create trigger zz_${table}_upd after update on "${table}" for each row
        when (${row('OLD')} is distinct from ${row('NEW')}) execute function zz_test_log()`);
    }
  }
  return {
    async count() {
      const r = await sql<{ n: number | string | null }>`select max(id) as n from zz_test_changes`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async describe(since) {
      const r = await sql<{ tbl: string; op: string; n: number | string }>`
        select tbl, op, count(*) as n from zz_test_changes where id > ${since} group by tbl, op order by tbl, op`.execute(db);
      return r.rows.map((x) => `${x.tbl}:${x.op} × ${Number(x.n)}`);
    },
  };
}
