/**
 * Company-level lists the field tools reference (inspection types, incident action types): rows
 * of the sandbox at `/companies/{company_id}/…` (the token's company, else the one 404), seeded
 * with Procore's defaults, written like any resource. Other resources reference them by id
 * (`checkCompanyRow`) and show them as `{id, name}` (`companyRows`).
 */
import { Type } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { ApiError, type FieldErrors } from '../../errors.js';
import { f } from '../../fields.js';
import type { ApiContext, Db, Resource, SeedContext } from '../../resource.js';

/** 404 unless `{company_id}` is the token's company. */
export function ownCompany(c: ApiContext): void {
  if (c.params['company_id'] !== c.auth.companyId) throw ApiError.notFound();
}

/** Live rows of a sandbox-level `records` resource by id: `{id, name, created_at, updated_at}`. */
export async function companyRows(c: ApiContext, db: Db, resource: string, ids: unknown[]): Promise<Map<number, Record<string, unknown>>> {
  const want = [...new Set(ids.filter((x): x is number => typeof x === 'number' && Number.isSafeInteger(x)))];
  if (!want.length) return new Map();
  const rows = await c
    .fromIn(db, 'records')
    .select(['id', 'data', 'created_at', 'updated_at'])
    .where('resource', '=', resource)
    .where('deleted_at', 'is', null)
    .where('id', 'in', want)
    .execute();
  return new Map(
    rows.map((r) => [
      Number(r['id']),
      {
        ...(JSON.parse(String(r['data'])) as Record<string, unknown>),
        id: Number(r['id']),
        created_at: r['created_at'],
        updated_at: r['updated_at'],
      },
    ]),
  );
}

/** A body id naming a live row of `resource` in the sandbox, else a 422 on `field`. */
export async function checkCompanyRow(
  c: ApiContext,
  db: Db,
  resource: string,
  field: string,
  id: unknown,
  noun: string,
  errors: FieldErrors,
) {
  if (typeof id !== 'number') return;
  if (!(await companyRows(c, db, resource, [id])).has(id)) errors.add(field, `${noun} ${id} is not a ${noun} of this company`);
}

const seeded = new WeakMap<SeedContext, Map<string, number[]>>();
/** Stable ids of a company list's seeded rows (allocated once per sandbox plan, by whichever seed asks first). */
export function seededCompanyIds(s: SeedContext, resource: string, n: number): number[] {
  let by = seeded.get(s);
  if (!by) seeded.set(s, (by = new Map()));
  let ids = by.get(resource);
  if (!ids) by.set(resource, (ids = Array.from({ length: n }, () => s.nextId())));
  return ids;
}

/** A company list of named rows at `/companies/{company_id}/<tail>`, seeded with `names`. */
export function companyList(o: {
  resource: string;
  tail: string;
  tag: string;
  noun: [string, string];
  body: string;
  names: readonly string[];
}): Resource {
  return defineResource({
    name: o.resource,
    tag: o.tag,
    noun: o.noun,
    path: `/companies/{company_id}/${o.tail}`,
    scope: 'sandbox',
    storage: records({ softDelete: true, project: false }),
    body: o.body,
    versions: ['v1.0'],
    operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
    sort: {
      default: [
        ['name', 'asc'],
        ['id', 'asc'],
      ],
    },
    fields: {
      id: f.id({ filter: 'ids' }),
      name: f.text({ write: 'required', sort: true, search: true }),
      active: f.bool({ write: true, default: true }),
      company_id: f.computed(Type.Integer(), (_r, x) => x.c.auth.companyId),
      is_deletable: f.computed(Type.Boolean(), () => true),
      created_at: f.createdAt(),
      updated_at: f.updatedAt({ filter: 'datetime' }),
      deleted_at: f.datetime(),
    },
    hooks: {
      narrow(c, qb) {
        ownCompany(c);
        return qb;
      },
      async validate(w) {
        ownCompany(w.c);
        const name = w.body.name?.trim();
        if (!name) return;
        const rows = await w.c
          .fromIn(w.trx, 'records')
          .select(['id', 'data'])
          .where('resource', '=', o.resource)
          .where('deleted_at', 'is', null)
          .execute();
        if (rows.some((r) => Number(r['id']) !== w.row?.['id'] && (JSON.parse(String(r['data'])) as { name?: string }).name === name))
          w.errors.add('name', 'has already been taken');
      },
    },
    seed: (s) => {
      const ids = seededCompanyIds(s, o.resource, o.names.length);
      return o.names.map((name, i) => ({ id: ids[i], name }));
    },
  });
}
