/**
 * The one file that knows which database engine is in use. It maps a `--db` setting to a Kysely
 * dialect; everything else speaks Kysely.
 *
 * @example openDatabase(parseDbTarget('postgres://user@127.0.0.1:5432/sandbox'))
 * @example openDatabase(parseDbTarget(':memory:'))
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Compilable,
  type RawBuilder,
  type Transaction,
} from 'kysely';
import { createRequire } from 'node:module';
import type PgModule from 'pg';
import type { Database } from './schema.js';

export type DbTarget = { engine: 'sqlite'; filename: string } | { engine: 'postgres'; url: string };

/** `./file.db`, `:memory:`, `sqlite:./file.db` or `postgres://…` / `postgresql://…`. */
export function parseDbTarget(value: string): DbTarget {
  if (/^postgres(ql)?:\/\//i.test(value)) return { engine: 'postgres', url: value };
  const filename = value.replace(/^sqlite:(\/\/)?/i, '');
  if (filename === '') throw new Error('--db: empty database path');
  return { engine: 'sqlite', filename: filename === ':memory:' ? ':memory:' : resolve(filename) };
}

/** Where the database lives, for banners and logs (a PostgreSQL password is masked). */
export function describeDbTarget(target: DbTarget): string {
  if (target.engine === 'sqlite') return target.filename === ':memory:' ? 'SQLite in memory' : `SQLite ${target.filename}`;
  try {
    const u = new URL(target.url);
    if (u.password) u.password = '****';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}

/**
 * `pg`, loaded on the first PostgreSQL open: a SQLite server never pays for it (evaluating it,
 * and the `undici` it pulls in through `navigator`, was ~45 ms of start-up; it stays out of the
 * bundle, docs/decisions/0003-fast-path.md).
 */
let pgModule: typeof PgModule | null = null;
function loadPg(): typeof PgModule {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)('pg') as typeof PgModule;
    // int8 (bigint, count(*)) as a JS number: our ids stay below 2^53.
    pgModule.types.setTypeParser(20, (v: string) => Number(v));
  }
  return pgModule;
}

/**
 * A prepared statement whose reads build each row with a function compiled for its columns.
 * better-sqlite3 builds a row object property by property; reading the row as an array and
 * building the object literal in JavaScript costs about half as much (the list of 10 RFIs ×
 * 25 columns: docs/decisions/0003-fast-path.md). Same objects: keys in column order, a later
 * column of the same name wins.
 */
export interface FastStatement {
  readonly reader: boolean;
  all(params: readonly unknown[]): unknown[];
  run(params: readonly unknown[]): SQLite.RunResult;
  iterate(params: readonly unknown[]): IterableIterator<unknown>;
}

type RowBuilder = (values: unknown[]) => Record<string, unknown>;

function rowBuilder(stmt: SQLite.Statement): RowBuilder | null {
  const names = stmt.columns().map((c) => c.name);
  // An own `__proto__` property cannot be written in an object literal: leave such rows to better-sqlite3.
  if (names.includes('__proto__')) return null;
  const fields = names.map((n, i) => `${JSON.stringify(n)}: a[${i}]`).join(', ');
  return new Function('a', `"use strict"; return { ${fields} };`) as RowBuilder;
}

function readingStatement(stmt: SQLite.Statement): FastStatement {
  const build = stmt.reader ? rowBuilder(stmt) : null;
  if (!build) return { reader: stmt.reader, all: (p) => stmt.all(p), run: (p) => stmt.run(p), iterate: (p) => stmt.iterate(p) };
  return {
    reader: true,
    all(params) {
      stmt.raw(true);
      try {
        const rows = stmt.all(params) as unknown[][];
        const out = new Array<unknown>(rows.length);
        for (let i = 0; i < rows.length; i++) out[i] = build(rows[i]!);
        return out;
      } finally {
        stmt.raw(false);
      }
    },
    run: (params) => stmt.run(params),
    // Streams stay in better-sqlite3's object mode (the statement is not raw while iterating).
    iterate: (params) => stmt.iterate(params),
  };
}

/**
 * The statement as `FastStatement`; one that may write (SQLite's `readonly` is false: an
 * insert, update or delete, with or without `returning`, DDL) counts each run in `writes`
 * first, which `changeStamp` reads.
 */
function fastStatement(stmt: SQLite.Statement, writes: WriteCounter): FastStatement {
  const inner = readingStatement(stmt);
  if (stmt.readonly) return inner;
  return {
    reader: inner.reader,
    all(params) {
      writes.n++;
      return inner.all(params);
    },
    run(params) {
      writes.n++;
      return inner.run(params);
    },
    iterate(params) {
      writes.n++;
      return inner.iterate(params);
    },
  };
}

/**
 * Kysely's SQLite driver prepares every statement anew; compiling SQL is most of a simple
 * query's cost. Our queries are a small fixed set, so keep prepared statements (LRU).
 */
function withStatementCache(sqlite: SQLite.Database, writes: WriteCounter, max = 1000) {
  const cache = new Map<string, FastStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): FastStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = fastStatement(sqlite.prepare(sql), writes);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/** Statements that may write, run by any connection of this process to one database file. */
interface WriteCounter {
  n: number;
}

/** Per database file (`:memory:` is a database per connection): every connection of the process counts here. */
const writeCounters = new Map<string, WriteCounter>();

function writeCounterOf(filename: string): WriteCounter {
  if (filename === ':memory:') return { n: 0 };
  let counter = writeCounters.get(filename);
  if (!counter) writeCounters.set(filename, (counter = { n: 0 }));
  return counter;
}

/**
 * How long (ms) `changeStamp` may go on using the last `PRAGMA data_version` it read: the bound
 * within which a commit by another process is seen. Writes by this process are counted in
 * JavaScript and seen at once.
 */
export const STAMP_POLL_MS = 1;

interface SqliteHandle {
  sqlite: SQLite.Database;
  prepare(sql: string): FastStatement;
  dataVersion: SQLite.Statement;
  writes: WriteCounter;
  /** The last `data_version` read and when (`performance.now()`); -Infinity: never. */
  version: number;
  polledAt: number;
}

/**
 * The better-sqlite3 handle behind a Kysely instance opened here, for `preparedQuery`'s
 * synchronous path (SQLite only; PostgreSQL has none).
 */
const sqliteHandles = new WeakMap<object, SqliteHandle>();

/**
 * SQLite: a value that differs whenever the database may have changed since it was last read:
 * - every statement that may write, run by any connection of this process to the same file, is
 *   counted in JavaScript as it starts (`writes`, whatever it changed; triggers run inside it),
 *   so a process sees its own writes at once;
 * - `PRAGMA data_version` changes with every commit by any other connection (other processes
 *   sharing the file). It is read at most every STAMP_POLL_MS: another process's commit is
 *   seen within that bound (a statement per request was ~15 % of a cached read's CPU,
 *   docs/decisions/0003-fast-path.md).
 * Null on PostgreSQL and while a transaction is open on the connection (then rows may be
 * uncommitted). Cached API answers and tokens are valid only while it is unchanged
 * (`src/api/http/page-cache.ts`, `src/api/bearer.ts`).
 */
export function changeStamp(db: Kysely<Database> | Transaction<Database>): string | null {
  const direct = sqliteHandles.get(db);
  if (!direct || direct.sqlite.inTransaction) return null;
  const now = performance.now();
  if (now - direct.polledAt >= STAMP_POLL_MS) {
    direct.version = direct.dataVersion.get() as number;
    direct.polledAt = now;
  }
  return `${direct.version}:${direct.writes.n}`;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  target: DbTarget;
  close(): Promise<void>;
}

export function openDatabase(target: DbTarget): OpenDatabase {
  if (target.engine === 'sqlite') {
    if (target.filename !== ':memory:') mkdirSync(dirname(target.filename), { recursive: true });
    const sqlite = new SQLite(target.filename);
    sqlite.pragma('journal_mode = WAL');
    // FULL: a commit acknowledged to a client survives a power loss, not only a crash.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    const writes = writeCounterOf(target.filename);
    const statements = withStatementCache(sqlite, writes);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements as never }) });
    const dataVersion = sqlite.prepare('select data_version from pragma_data_version').pluck();
    sqliteHandles.set(db, { sqlite, prepare: statements.prepare, dataVersion, writes, version: 0, polledAt: -Infinity });
    return { db, target, close: () => db.destroy() };
  }
  const pool = new (loadPg().Pool)({ connectionString: target.url, max: 10 });
  // An idle client's error (server restart) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, target, close: () => db.destroy() };
}

class Param {
  constructor(readonly index: number) {}
}

/** Where argument `index` goes in a `preparedQuery` (a marker Kysely passes through as a value). */
export function param<T>(index: number): T {
  return new Param(index) as unknown as T;
}

/**
 * A fixed-shape query compiled once per dialect and then run with fresh parameters, skipping
 * Kysely's per-call building and compiling (most of a hot query's JavaScript cost). `build`
 * writes the query with `param(i)` wherever argument `i` goes; anything else in it must be
 * constant. The compiled SQL depends only on the dialect, so it is kept per adapter (a Kysely
 * instance and its transactions share one).
 *
 * @example
 * const byEmail = preparedQuery((db) => db.selectFrom('users').selectAll().where('email', '=', param<string>(0)));
 * const rows = await byEmail(db, ['a@example.com']);
 */
export function preparedQuery<R>(build: (db: Kysely<Database>) => Compilable<R>) {
  const compiled = new WeakMap<object, { sql: string; slots: unknown[] }>();
  return async function run(db: Kysely<Database> | Transaction<Database>, args: readonly unknown[]): Promise<R[]> {
    const adapter = db.getExecutor().adapter;
    let c = compiled.get(adapter);
    if (!c) {
      const q = build(db).compile();
      c = { sql: q.sql, slots: [...q.parameters] };
      compiled.set(adapter, c);
    }
    const params = c.slots.map((p) => (p instanceof Param ? args[p.index] : p));
    const direct = sqliteHandles.get(db);
    if (direct && !direct.sqlite.inTransaction) {
      const stmt = direct.prepare(c.sql);
      if (stmt.reader) return stmt.all(params) as R[];
      stmt.run(params);
      return [];
    }
    return (await db.executeQuery<R>(CompiledQuery.raw(c.sql, params))).rows;
  };
}

/**
 * Runs a built Kysely query; on SQLite outside a transaction synchronously on the connection
 * (as `preparedQuery` does), else through Kysely. For hot queries whose shape varies.
 */
export async function runQuery<R>(db: Kysely<Database> | Transaction<Database>, query: Compilable<R>): Promise<R[]> {
  const direct = sqliteHandles.get(db);
  const compiled = query.compile();
  if (direct && !direct.sqlite.inTransaction) {
    const stmt = direct.prepare(compiled.sql);
    if (stmt.reader) return stmt.all(compiled.parameters as unknown[]) as R[];
  }
  return (await db.executeQuery<R>(compiled)).rows;
}

// ---------------------------------------------------------------------------------------------
// JSON text columns: the only place that knows `json_extract` (SQLite) from `->>` (PostgreSQL).

type AnyKysely = Kysely<any> | Transaction<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function isPostgres(db: AnyKysely): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** SQL type of a value read out of a JSON object: booleans read as 0/1 on both engines. */
export type JsonValueType = 'text' | 'int' | 'num' | 'bool';

/**
 * One top-level key of a JSON-text column as a typed SQL value, e.g. for a filter or a sort.
 *
 * @example qb.where(jsonValue(db, 'data', 'status_id', 'int'), '=', 2)
 */
export function jsonValue(db: AnyKysely, column: string, key: string, type: JsonValueType): RawBuilder<unknown> {
  if (!isPostgres(db)) return sql`json_extract(${sql.ref(column)}, ${`$."${key}"`})`;
  const text = sql`(${sql.ref(column)}::jsonb ->> ${key})`;
  if (type === 'int') return sql`${text}::bigint`;
  if (type === 'num') return sql`${text}::double precision`;
  if (type === 'bool') return sql`(${text})::boolean::int`;
  return text;
}

/**
 * True when a JSON-text list of integers (`[1,2]`) holds any of `ids`; one bound value per id,
 * no nesting, so long lists stay within both engines' expression limits.
 */
export function jsonListHasAny(db: AnyKysely, column: string, ids: readonly number[]): RawBuilder<boolean> {
  const list = sql.join((ids.length ? ids : [-1]).map((id) => sql`${id}`));
  if (!isPostgres(db)) return sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}) where json_each.value in (${list}))`;
  return sql<boolean>`exists (select 1 from jsonb_array_elements_text(${sql.ref(column)}::jsonb) as e(v) where e.v::bigint in (${list}))`;
}
