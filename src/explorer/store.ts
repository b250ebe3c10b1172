/**
 * Storage of explorer records, always scoped to one developer: a record of another developer
 * is simply not found. `data` is sealed with the server key at rest (it holds client secrets,
 * tokens and whatever a user imports), decrypted and upgraded to the latest version on read;
 * an upgraded record is written back.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isoSeconds } from '../core/clock.js';
import type { Database, Row } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import { latestVersion, upgradeData, type RecordKind } from './records.js';

/** Limits per developer (docs/explorer.md#limits). */
export const LIMITS = {
  /** Records per kind (collections, environments, presets, tokens). */
  recordsPerKind: 500,
  /** History keeps the newest entries only. */
  historyEntries: 500,
  /** Size of one record's JSON in bytes. */
  recordBytes: 10 * 1024 * 1024,
  historyEntryBytes: 256 * 1024,
  /** All records of one developer. */
  totalBytes: 100 * 1024 * 1024,
} as const;

export interface ExplorerRecord {
  id: string;
  kind: RecordKind;
  v: number;
  name: string;
  data: Record<string, unknown>;
  position: number;
  /** True for the sandbox collection/environment pre-installed for an app. */
  builtin: boolean;
  app_id: number | null;
  created_at: string;
  updated_at: string;
}

export class StoreError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Db = Kysely<Database> | Transaction<Database>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only well-formed ids reach the database (anything else is simply not found). */
export function isRecordId(id: string): boolean {
  return UUID_RE.test(id);
}

function toRecord(ctx: AppContext, row: Row<'explorer_records'>): { record: ExplorerRecord; upgraded: boolean } {
  const raw = JSON.parse(ctx.secrets.decrypt(row.data_enc)) as unknown;
  const kind = row.kind as RecordKind;
  const { v, data, upgraded } = upgradeData(kind, Number(row.v), raw);
  return {
    record: {
      id: row.id,
      kind,
      v,
      name: row.name,
      data,
      position: Number(row.position),
      builtin: row.app_id !== null,
      app_id: row.app_id === null ? null : Number(row.app_id),
      created_at: row.created_at,
      updated_at: row.updated_at,
    },
    upgraded,
  };
}

async function writeBack(ctx: AppContext, developerId: number, record: ExplorerRecord): Promise<void> {
  const json = JSON.stringify(record.data);
  await ctx.db
    .updateTable('explorer_records')
    .set({ v: record.v, data_enc: ctx.secrets.encrypt(json), size: Buffer.byteLength(json) })
    .where('id', '=', record.id)
    .where('developer_id', '=', developerId)
    .execute();
}

async function readRows(ctx: AppContext, developerId: number, rows: Row<'explorer_records'>[]): Promise<ExplorerRecord[]> {
  const out: ExplorerRecord[] = [];
  for (const row of rows) {
    const { record, upgraded } = toRecord(ctx, row);
    if (upgraded) await writeBack(ctx, developerId, record);
    out.push(record);
  }
  return out;
}

export async function listRecords(
  ctx: AppContext,
  developerId: number,
  kind: RecordKind,
  options: { limit?: number } = {},
): Promise<ExplorerRecord[]> {
  let q = ctx.db.selectFrom('explorer_records').selectAll().where('developer_id', '=', developerId).where('kind', '=', kind);
  // History: newest first. Everything else: the user's order.
  q = kind === 'history' ? q.orderBy('position', 'desc') : q.orderBy('position', 'asc').orderBy('created_at', 'asc');
  if (options.limit !== undefined) q = q.limit(options.limit);
  return readRows(ctx, developerId, await q.execute());
}

export async function getRecord(ctx: AppContext, developerId: number, kind: RecordKind, id: string): Promise<ExplorerRecord | undefined> {
  if (!isRecordId(id)) return undefined;
  const row = await ctx.db
    .selectFrom('explorer_records')
    .selectAll()
    .where('id', '=', id)
    .where('developer_id', '=', developerId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row ? (await readRows(ctx, developerId, [row]))[0] : undefined;
}

async function usage(db: Db, developerId: number, kind: RecordKind): Promise<{ count: number; total: number; maxPosition: number }> {
  const [mine, all] = await Promise.all([
    db
      .selectFrom('explorer_records')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('position').as('max')])
      .where('developer_id', '=', developerId)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('explorer_records')
      .select((eb) => eb.fn.sum<number>('size').as('total'))
      .where('developer_id', '=', developerId)
      .executeTakeFirstOrThrow(),
  ]);
  return { count: Number(mine.count), total: Number(all.total ?? 0), maxPosition: mine.max === null ? -1 : Number(mine.max) };
}

function serialize(kind: RecordKind, data: unknown): string {
  const json = JSON.stringify(data);
  const limit = kind === 'history' ? LIMITS.historyEntryBytes : LIMITS.recordBytes;
  if (Buffer.byteLength(json) > limit) throw new StoreError(413, 'too_large', `A ${kind} record may hold at most ${limit} bytes of JSON`);
  return json;
}

export interface NewRecord {
  name: string;
  data: unknown;
  /** Version of `data` (default: the latest); older data is upgraded first. */
  v?: number;
  appId?: number | null;
  /** Given id (pre-installed records); default a fresh UUID. */
  id?: string;
}

/** Creates a record; `data` is upgraded and checked (RecordDataError on bad data). */
export async function createRecord(
  ctx: AppContext,
  developerId: number,
  kind: RecordKind,
  input: NewRecord,
  db: Db = ctx.db,
): Promise<ExplorerRecord> {
  const { v, data } = upgradeData(kind, input.v ?? latestVersion(kind), input.data);
  const json = serialize(kind, data);
  const size = Buffer.byteLength(json);
  const now = isoSeconds(ctx.clock.nowMs());
  const id = input.id ?? randomUUID();
  const u = await usage(db, developerId, kind);
  if (kind !== 'history' && u.count >= LIMITS.recordsPerKind)
    throw new StoreError(409, 'limit_reached', `At most ${LIMITS.recordsPerKind} ${kind} per developer`);
  if (u.total + size > LIMITS.totalBytes)
    throw new StoreError(413, 'quota_exceeded', `Explorer storage is limited to ${LIMITS.totalBytes} bytes per developer`);
  const position = u.maxPosition + 1;
  await db
    .insertInto('explorer_records')
    .values({
      id,
      developer_id: developerId,
      kind,
      v,
      name: input.name,
      data_enc: ctx.secrets.encrypt(json),
      size,
      position,
      app_id: input.appId ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (kind === 'history') {
    // Keep the newest entries only.
    const cutoff = await db
      .selectFrom('explorer_records')
      .select('position')
      .where('developer_id', '=', developerId)
      .where('kind', '=', 'history')
      .orderBy('position', 'desc')
      .offset(LIMITS.historyEntries)
      .limit(1)
      .executeTakeFirst();
    if (cutoff)
      await db
        .deleteFrom('explorer_records')
        .where('developer_id', '=', developerId)
        .where('kind', '=', 'history')
        .where('position', '<=', Number(cutoff.position))
        .execute();
  }
  return {
    id,
    kind,
    v,
    name: input.name,
    data,
    position,
    builtin: input.appId !== undefined && input.appId !== null,
    app_id: input.appId ?? null,
    created_at: now,
    updated_at: now,
  };
}

/** Replaces `name` and/or `data` (data upgraded from `v` and checked). */
export async function updateRecord(
  ctx: AppContext,
  developerId: number,
  kind: RecordKind,
  id: string,
  input: { name?: string; data?: unknown; v?: number },
): Promise<ExplorerRecord | undefined> {
  const existing = await getRecord(ctx, developerId, kind, id);
  if (!existing) return undefined;
  const set: { name?: string; v?: number; data_enc?: string; size?: number; updated_at: string } = {
    updated_at: isoSeconds(ctx.clock.nowMs()),
  };
  let data = existing.data;
  if (input.data !== undefined) {
    const up = upgradeData(kind, input.v ?? latestVersion(kind), input.data);
    const json = serialize(kind, up.data);
    const size = Buffer.byteLength(json);
    const u = await usage(ctx.db, developerId, kind);
    const before = Buffer.byteLength(JSON.stringify(existing.data));
    if (u.total - before + size > LIMITS.totalBytes)
      throw new StoreError(413, 'quota_exceeded', `Explorer storage is limited to ${LIMITS.totalBytes} bytes per developer`);
    Object.assign(set, { v: up.v, data_enc: ctx.secrets.encrypt(json), size });
    data = up.data;
  }
  if (input.name !== undefined) set.name = input.name;
  await ctx.db.updateTable('explorer_records').set(set).where('id', '=', id).where('developer_id', '=', developerId).execute();
  return { ...existing, data, v: set.v ?? existing.v, name: set.name ?? existing.name, updated_at: set.updated_at };
}

/** Moves a record to index `position` of its kind's list (0 = first); the others shift. */
export async function moveRecord(ctx: AppContext, developerId: number, kind: RecordKind, id: string, position: number): Promise<boolean> {
  if (!isRecordId(id)) return false;
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('explorer_records')
      .select(['id', 'position'])
      .where('developer_id', '=', developerId)
      .where('kind', '=', kind)
      .orderBy('position', 'asc')
      .orderBy('created_at', 'asc')
      .execute();
    const from = rows.findIndex((r) => r.id === id);
    if (from < 0) return false;
    const ids = rows.map((r) => r.id);
    ids.splice(from, 1);
    ids.splice(Math.max(0, Math.min(position, ids.length)), 0, id);
    for (const [index, rid] of ids.entries()) {
      if (Number(rows.find((r) => r.id === rid)!.position) === index) continue;
      await trx
        .updateTable('explorer_records')
        .set({ position: index })
        .where('id', '=', rid)
        .where('developer_id', '=', developerId)
        .execute();
    }
    return true;
  });
}

export async function deleteRecord(ctx: AppContext, developerId: number, kind: RecordKind, id: string): Promise<boolean> {
  if (!isRecordId(id)) return false;
  const result = await ctx.db
    .deleteFrom('explorer_records')
    .where('id', '=', id)
    .where('developer_id', '=', developerId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function clearHistory(ctx: AppContext, developerId: number): Promise<number> {
  const result = await ctx.db
    .deleteFrom('explorer_records')
    .where('developer_id', '=', developerId)
    .where('kind', '=', 'history')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
