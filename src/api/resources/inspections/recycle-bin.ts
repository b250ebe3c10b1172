/**
 * Procore's project recycle bin for a `records()` resource with soft delete: the deleted rows at
 * `/projects/{project_id}/recycle_bin/<tail>` (list), `…/{id}` (show) and `…/{id}/restore`
 * (PATCH: back to the live rows). Inspections and incidents share it.
 */
import { Type } from '@sinclair/typebox';
import { isoSeconds } from '../../../core/clock.js';
import { ApiError } from '../../errors.js';
import type { AnyRow } from '../../fields.js';
import type { AnyQuery } from '../../http/listing.js';
import type { ApiContext, ApiVersion, Operation, ResourceHelpers } from '../../resource.js';

interface BinOptions {
  /** `records` resource name of the rows. */
  resource: string;
  /** Path below `/projects/{project_id}/recycle_bin`, e.g. `/checklist/lists`. */
  tail: string;
  /** operationId noun, e.g. `ChecklistList`. */
  noun: string;
  versions: readonly ApiVersion[];
  /** Versions of the restore action (default `versions`). */
  restoreVersions?: readonly ApiVersion[];
}

const COLUMNS = ['id', 'project_id', 'parent_id', 'data', 'created_at', 'updated_at', 'deleted_at'] as const;

/** The recycled rows of the request's project, as the derived table `r` the helpers select from. */
function binRows(c: ApiContext, resource: string): AnyQuery {
  const inner = c
    .from('records')
    .select([...COLUMNS])
    .where('resource', '=', resource)
    .where('project_id', '=', c.requireProject().id)
    .where('deleted_at', 'is not', null);
  return (c.db as unknown as { selectFrom(t: unknown): AnyQuery }).selectFrom(inner.as('r'));
}

/** The list, show and restore operations of one resource's recycle bin. */
export function recycleBin(h: ResourceHelpers, o: BinOptions): Operation[] {
  const path = `/projects/{project_id}/recycle_bin${o.tail}`;
  const project = { from: 'path' as const };
  const showRecycled = async (c: ApiContext, id: number) => {
    const row = (await h.select(binRows(c, o.resource).where('id', '=', id)).executeTakeFirst()) as AnyRow | undefined;
    if (!row) throw ApiError.notFound();
    return (await h.serialize(c, [h.decode(row)], 'show'))[0];
  };
  return [
    {
      method: 'GET',
      path,
      operationId: `listRecycled${o.noun}s`,
      summary: 'List the recycle bin',
      project,
      versions: o.versions,
      list: { sort: { style: 'sort', keys: { id: 'id', updated_at: 'updated_at' }, default: [['id', 'asc']] } },
      response: Type.Array(h.schemas.list),
      handler: (c) => c.list(binRows(c, o.resource), h.select, (rows: AnyRow[]) => h.serialize(c, rows.map(h.decode), 'list')),
    },
    {
      method: 'GET',
      path: `${path}/{id}`,
      operationId: `showRecycled${o.noun}`,
      summary: 'Show a recycled row',
      project,
      versions: o.versions,
      response: h.schemas.show,
      handler: (c) => showRecycled(c, c.params['id'] as number),
    },
    {
      method: 'PATCH',
      path: `${path}/{id}/restore`,
      operationId: `restore${o.noun}`,
      summary: 'Restore a recycled row',
      project,
      versions: o.restoreVersions ?? o.versions,
      response: h.schemas.show,
      async handler(c) {
        const id = c.params['id'] as number;
        const now = isoSeconds(c.nowMs());
        const done = await c.db
          .updateTable('records')
          .set({ deleted_at: null, updated_at: now })
          .where('sandbox_id', '=', c.auth.sandboxId)
          .where('resource', '=', o.resource)
          .where('project_id', '=', c.requireProject().id)
          .where('id', '=', id)
          .where('deleted_at', 'is not', null)
          .executeTakeFirst();
        if (!Number(done.numUpdatedRows)) throw ApiError.notFound();
        return h.find(c, id).then(async (row) => (await h.serialize(c, [row], 'show'))[0]);
      },
    },
  ];
}
