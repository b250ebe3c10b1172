/**
 * `GET <path>/inactive` and `PATCH <path>/inactive/{id}` (reactivate) beside a directory
 * declaration: company and project users (`users` rows) and vendors (`vendors` rows).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { isoSeconds } from '../../../core/clock.js';
import { ApiError } from '../../errors.js';
import type { AnyRow } from '../../fields.js';
import type { AnyQuery } from '../../http/listing.js';
import type { ApiContext, Operation, ResourceHelpers } from '../../resource.js';

export interface InactiveOptions {
  /** The table holding the rows and their `is_active` flag. */
  table: 'users' | 'vendors';
  path: string;
  noun: string;
  /** `{project_id}` in the path. */
  project?: boolean;
  /** The column `sort=name` orders by. */
  nameColumn: string;
  query?: Record<string, TSchema>;
  /** The rows the request may see (its company or project checked). */
  rows(c: ApiContext): AnyQuery;
}

export function inactiveOps(h: ResourceHelpers, o: InactiveOptions): Operation[] {
  const project = o.project ? { project: { from: 'path' as const } } : {};
  const noun = o.noun.replace(/\W/g, '');
  return [
    {
      method: 'GET',
      path: `${o.path}/inactive`,
      operationId: `listInactive${noun}s`,
      summary: `List inactive ${o.noun.toLowerCase()}s`,
      versions: ['v1.0'],
      ...project,
      ...(o.query ? { query: o.query } : {}),
      list: { sort: { style: 'sort', keys: { name: o.nameColumn }, default: [['id', 'asc']] } },
      response: Type.Array(h.schemas.list),
      handler: (c) => c.list(o.rows(c).where('is_active', '=', 0), h.select, (r: AnyRow[]) => h.serialize(c, r.map(h.decode), 'list')),
    },
    {
      method: 'PATCH',
      path: `${o.path}/inactive/{id}`,
      operationId: `reactivate${noun}`,
      summary: `Reactivate a ${o.noun.toLowerCase()}`,
      versions: ['v1.0'],
      ...project,
      response: h.schemas.show,
      async handler(c) {
        const id = c.params['id'] as number;
        const row = (await h.select(o.rows(c).where('id', '=', id)).executeTakeFirst()) as AnyRow | undefined;
        if (!row) throw ApiError.notFound();
        await c.db
          .updateTable(o.table)
          .set({ is_active: 1, updated_at: isoSeconds(c.nowMs()) })
          .where('sandbox_id', '=', c.auth.sandboxId)
          .where('id', '=', id)
          .execute();
        return (await h.serialize(c, [await h.find(c, id)], 'show'))[0];
      },
    },
  ];
}
