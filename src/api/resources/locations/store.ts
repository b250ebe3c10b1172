/**
 * Small reads and writes on `records()` rows that the field resources' hooks share (location
 * trees, punch item assignments, numbering). Always scoped to the request's sandbox.
 */
import { allocateIds } from '../../../db/repos/sandboxes.js';
import type { AnyRow } from '../../fields.js';
import type { ApiContext, Db } from '../../resource.js';

/** Live rows of `resource` in the request's project (or under `parentIds`), data merged with `id`/`parent_id`. */
export async function recordRows(c: ApiContext, db: Db, resource: string, o: { parentIds?: number[] } = {}): Promise<AnyRow[]> {
  let qb = c
    .fromIn(db, 'records')
    .select(['id', 'parent_id', 'data', 'created_at', 'updated_at'])
    .where('resource', '=', resource)
    .where('deleted_at', 'is', null);
  if (c.project) qb = qb.where('project_id', '=', c.project.id);
  if (o.parentIds) qb = qb.where('parent_id', 'in', o.parentIds.length ? o.parentIds : [-1]);
  const rows = await qb.orderBy('id').execute();
  return rows.map((r) => ({
    ...(JSON.parse(String(r['data'])) as AnyRow),
    id: Number(r['id']),
    parent_id: r['parent_id'] === null ? null : Number(r['parent_id']),
    created_at: r['created_at'],
    updated_at: r['updated_at'],
  }));
}

const BASE = new Set(['id', 'parent_id', 'project_id', 'created_at', 'updated_at', 'deleted_at']);
const dataOf = (row: AnyRow) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k]) => !BASE.has(k))));

/** Inserts a row of `resource` in the request's project; returns its new id. */
export async function insertRecord(
  c: ApiContext,
  db: Db,
  resource: string,
  data: AnyRow,
  now: string,
  parentId: number | null = null,
): Promise<number> {
  const id = await allocateIds(db, c.auth.sandboxId, 1);
  await db
    .insertInto('records')
    .values({
      id,
      sandbox_id: c.auth.sandboxId,
      resource,
      project_id: c.project?.id ?? null,
      parent_id: parentId,
      data: dataOf(data),
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
  return id;
}

/** Replaces the stored fields of one row (base columns in `row` are ignored). */
export async function setRecordData(c: ApiContext, db: Db, id: number, row: AnyRow, now: string): Promise<void> {
  await db
    .updateTable('records')
    .set({ data: dataOf(row), updated_at: now })
    .where('sandbox_id', '=', c.auth.sandboxId)
    .where('id', '=', id)
    .execute();
}

/** Deletes rows for good. */
export async function destroyRecords(c: ApiContext, db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.deleteFrom('records').where('sandbox_id', '=', c.auth.sandboxId).where('id', 'in', ids).execute();
}

/** 1 + the highest whole number stored under `key` among the project's rows of `resource` (recycled ones too): Procore's next number. */
export async function nextNumber(c: ApiContext, db: Db, resource: string, key: string): Promise<number> {
  const rows = await c
    .fromIn(db, 'records')
    .select(['data'])
    .where('resource', '=', resource)
    .where('project_id', '=', c.requireProject().id)
    .execute();
  let max = 0;
  for (const r of rows) {
    const v = (JSON.parse(String(r['data'])) as AnyRow)[key];
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : 0;
    if (n > max) max = n;
  }
  return max + 1;
}
