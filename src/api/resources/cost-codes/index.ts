/**
 * Cost codes (`/cost_codes?project_id=`) and line item types (`/line_item_types?company_id=`):
 * Procore's work breakdown structure. Cost codes form a tree per project by `parent_id` (a
 * division `03` holds `300`, whose `full_code` is `03-300`); a code is unique among its
 * siblings; a code cannot move under itself. Line item types (cost types) are the company's.
 * Commitments, budgets and change events reference both (`costCodeRefs`).
 */
import { Type } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, type AnyRow, type ReadContext } from '../../fields.js';
import type { FilterDef } from '../../http/listing.js';
import { queryId } from '../../http/query.js';
import type { ApiContext, Db, SeedContext } from '../../resource.js';
import { Id, NInt, NStr, Nullable, Obj } from '../../schemas.js';
import { recordRows } from '../locations/store.js';

export const COST_CODES = 'cost_codes';
/** Standard cost codes are the generic engine's rows (`/standard_cost_codes`). */
const STANDARD_CODE = { resource: 'catalog:/standard_cost_codes', noun: 'standard cost code' };
export const LINE_ITEM_TYPES = 'line_item_types';
const SEP = '-';

const BASE_TYPES = ['labor', 'equipment', 'materials', 'commitment', 'owner_cost', 'professional_services', 'other'] as const;

/** Procore's default line item types (cost types) of a company. */
const DEFAULT_TYPES = [
  { key: 'labor', name: 'Labor', code: 'L', base_type: 'labor' },
  { key: 'equipment', name: 'Equipment', code: 'E', base_type: 'equipment' },
  { key: 'materials', name: 'Materials', code: 'M', base_type: 'materials' },
  { key: 'commitment', name: 'Commitment', code: 'C', base_type: 'commitment' },
  { key: 'owner_cost', name: 'Owner Cost', code: 'OC', base_type: 'owner_cost' },
  { key: 'professional_services', name: 'Professional Services', code: 'PS', base_type: 'professional_services' },
  { key: 'other', name: 'Other', code: 'O', base_type: 'other' },
] as const;
export type SeedLineItemType = (typeof DEFAULT_TYPES)[number]['key'];

/** The seeded cost code tree (CSI divisions): key → code, name, parent key. */
const TREE = [
  { key: 'div01', code: '01', name: 'General Requirements', parent: null },
  { key: 'pm', code: '100', name: 'Project Management', parent: 'div01' },
  { key: 'temp', code: '500', name: 'Temporary Facilities', parent: 'div01' },
  { key: 'div03', code: '03', name: 'Concrete', parent: null },
  { key: 'concrete', code: '300', name: 'Cast-in-Place Concrete', parent: 'div03' },
  { key: 'div09', code: '09', name: 'Finishes', parent: null },
  { key: 'painting', code: '900', name: 'Painting', parent: 'div09' },
  { key: 'div26', code: '26', name: 'Electrical', parent: null },
  { key: 'electrical', code: '100', name: 'Electrical Service and Distribution', parent: 'div26' },
] as const;
export type SeedCostCode = (typeof TREE)[number]['key'];

const seededCodes = new WeakMap<SeedContext, Record<SeedCostCode, number>>();
const seededTypes = new WeakMap<SeedContext, Record<SeedLineItemType, number>>();

/** The seeded cost codes' ids of a sandbox being planned (allocated once, by whichever seed asks first). */
export function seededCostCodes(s: SeedContext): Record<SeedCostCode, number> {
  let ids = seededCodes.get(s);
  if (!ids) seededCodes.set(s, (ids = Object.fromEntries(TREE.map((t) => [t.key, s.nextId()])) as Record<SeedCostCode, number>));
  return ids;
}

/** The seeded line item types' ids of a sandbox being planned. */
export function seededLineItemTypes(s: SeedContext): Record<SeedLineItemType, number> {
  let ids = seededTypes.get(s);
  if (!ids)
    seededTypes.set(s, (ids = Object.fromEntries(DEFAULT_TYPES.map((t) => [t.key, s.nextId()])) as Record<SeedLineItemType, number>));
  return ids;
}

export const LineItemType = Obj(
  { id: Id, name: NStr(), code: NStr(), base_type: NStr(), origin_data: NStr(), origin_id: NStr() },
  { title: 'LineItemType' },
);

export const CostCode = Obj(
  {
    id: Id,
    biller: NStr(),
    biller_id: NInt(),
    biller_type: Type.String(),
    budgeted: Type.Boolean(),
    code: NStr(),
    created_at: NStr(),
    deleted_at: NStr(),
    full_code: NStr(),
    name: NStr(),
    origin_data: NStr(),
    origin_id: NStr(),
    parent: Obj({ id: NInt() }),
    position: NInt(),
    sortable_code: NStr(),
    standard_cost_code_id: NInt(),
    standard_cost_code_list_id: NInt(),
    updated_at: NStr(),
    line_item_types: Type.Array(LineItemType),
  },
  { title: 'CostCode' },
);

/** Live line item types of the token's company. */
async function companyLineItemTypes(c: ApiContext, db: Db): Promise<AnyRow[]> {
  const rows = await c
    .fromIn(db, 'records')
    .select(['id', 'data'])
    .where('resource', '=', LINE_ITEM_TYPES)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...(JSON.parse(String(r['data'])) as AnyRow), id: Number(r['id']) }));
}

const lineItemTypeJson = (t: AnyRow) => ({
  id: t['id'],
  name: t['name'] ?? null,
  code: t['code'] ?? null,
  base_type: t['base_type'] ?? null,
  origin_data: t['origin_data'] ?? null,
  origin_id: t['origin_id'] ?? null,
});

/** What serializing cost codes (or rows that reference them) needs: the project's tree, the company's types, budgeted codes. */
export interface CostCodeRefs {
  codes: Map<number, AnyRow>;
  types: Map<number, AnyRow>;
  budgeted: Set<number>;
  project: { id: number; name: string } | null;
}

/** Loads the project's cost codes and the company's line item types (one read each). */
export async function costCodeRefs(c: ApiContext, db: Db = c.db): Promise<CostCodeRefs> {
  const codes = c.project ? await recordRows(c, db, COST_CODES) : [];
  const types = await companyLineItemTypes(c, db);
  const budget = c.project ? await recordRows(c, db, 'budget_line_items') : [];
  return {
    codes: new Map(codes.map((r) => [r['id'] as number, r])),
    types: new Map(types.map((t) => [t['id'] as number, t])),
    budgeted: new Set(budget.map((b) => b['cost_code_id'] as number)),
    project: c.project ? { id: c.project.id, name: c.project.name } : null,
  };
}

/** `03-300`: the codes from the top of the tree down. */
export function fullCode(id: number, codes: Map<number, AnyRow>): string {
  const parts: string[] = [];
  const seen = new Set<number>();
  for (let r = codes.get(id); r && !seen.has(r['id']); r = codes.get(r['parent_cost_code_id'] as number)) {
    seen.add(r['id']);
    parts.unshift(String(r['code'] ?? ''));
  }
  return parts.join(SEP);
}

/** A cost code as Procore answers it (also nested in line items). */
export function costCodeJson(r: AnyRow, refs: CostCodeRefs) {
  const full = fullCode(r['id'] as number, new Map([...refs.codes, [r['id'] as number, r]]));
  return {
    id: r['id'],
    biller: refs.project?.name ?? null,
    biller_id: refs.project?.id ?? null,
    biller_type: 'Project',
    budgeted: refs.budgeted.has(r['id'] as number),
    code: r['code'] ?? null,
    created_at: r['created_at'] ?? null,
    deleted_at: r['deleted_at'] ?? null,
    full_code: full,
    name: r['name'] ?? null,
    origin_data: r['origin_data'] ?? null,
    origin_id: r['origin_id'] ?? null,
    parent: { id: (r['parent_cost_code_id'] as number | null) ?? null },
    position: r['position'] ?? null,
    sortable_code: full,
    standard_cost_code_id: r['standard_cost_code_id'] ?? null,
    standard_cost_code_list_id: null,
    updated_at: r['updated_at'] ?? null,
    line_item_types: [...refs.types.values()].map(lineItemTypeJson),
  };
}

/** The referenced cost code, or null. */
export const costCodeOf = (id: unknown, refs: CostCodeRefs) =>
  typeof id === 'number' && refs.codes.has(id) ? costCodeJson(refs.codes.get(id)!, refs) : null;
/** The referenced line item type, or null. */
export const lineItemTypeOf = (id: unknown, refs: CostCodeRefs) =>
  typeof id === 'number' && refs.types.has(id) ? lineItemTypeJson(refs.types.get(id)!) : null;

/** 422s for a `cost_code_id` / `line_item_type_id` that is not the project's / company's. */
export function checkCostRefs(
  body: Record<string, unknown>,
  refs: CostCodeRefs,
  errors: { add(field: string, message: string): void },
  keys: { costCode?: string; lineItemType?: string } = { costCode: 'cost_code_id', lineItemType: 'line_item_type_id' },
): void {
  const cc = keys.costCode ? body[keys.costCode] : undefined;
  if (typeof cc === 'number' && !refs.codes.has(cc)) errors.add(keys.costCode!, `cost code ${cc} is not a cost code of this project`);
  const lt = keys.lineItemType ? body[keys.lineItemType] : undefined;
  if (typeof lt === 'number' && !refs.types.has(lt))
    errors.add(keys.lineItemType!, `line item type ${lt} is not a line item type of this company`);
}

/** `filters[origin_id]`: the exact origin id. */
export const originFilter: FilterDef = {
  kind: 'search',
  columns: ['origin_id'],
  description: 'Origin ID (exact)',
  apply: (qb, p) => (p.kind === 'search' ? qb.where('origin_id', '=', p.text) : qb),
};
const refsOf = (x: ReadContext) => x.extra as CostCodeRefs;
const fullCodeOf = (r: AnyRow, x: ReadContext) => fullCode(r['id'] as number, new Map([...refsOf(x).codes, [r['id'] as number, r]]));

export const costCodes = defineResource({
  name: COST_CODES,
  tag: 'Cost Codes',
  noun: ['CostCode', 'CostCodes'],
  titles: { list: 'CostCode', show: 'CostCode' },
  path: '/cost_codes',
  scope: 'project',
  storage: records(),
  body: 'cost_code',
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, show: {}, create: {}, update: {} },
  query: {
    sub_job_id: Type.String({ description: 'Sub job (not modelled: every cost code bills to the project)' }),
    view: Type.String({ description: '`default` or `erp_compact` (the same fields here)' }),
  },
  sort: {
    default: [
      ['position', 'asc'],
      ['id', 'asc'],
    ],
  },
  filters: { origin_id: originFilter },
  fields: {
    id: f.id({ filter: 'ids' }),
    biller: f.computed(NStr(), (r, x) => refsOf(x).project?.name ?? null),
    biller_id: f.computed(NInt(), (r, x) => refsOf(x).project?.id ?? null),
    biller_type: f.computed(Type.String(), () => 'Project'),
    budgeted: f.computed(Type.Boolean(), (r, x) => refsOf(x).budgeted.has(r['id'] as number)),
    code: f.text({ write: 'required', max: 50, sort: true }),
    full_code: f.computed(NStr(), (r, x) => fullCodeOf(r, x)),
    name: f.text({ write: 'required', sort: true }),
    origin_data: f.text({ write: true, long: true }),
    origin_id: f.text({ write: true }),
    parent_id: f.ref({ write: true, column: 'parent_cost_code_id', in: [] }),
    parent: f.computed(Obj({ id: NInt() }), (r) => ({ id: (r['parent_cost_code_id'] as number | null) ?? null })),
    position: f.int({ write: true, min: 0, sort: true }),
    sortable_code: f.computed(NStr(), (r, x) => fullCodeOf(r, x)),
    standard_cost_code_id: f.ref({ write: true }),
    standard_cost_code_list_id: f.computed(NInt(), () => null),
    line_item_types: f.computed(Type.Array(LineItemType), (r, x) => [...refsOf(x).types.values()].map(lineItemTypeJson)),
    created_at: f.createdAt({ sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    deleted_at: f.datetime(),
  },
  hooks: {
    prepare: (c) => costCodeRefs(c),
    async validate(w) {
      const all = await recordRows(w.c, w.trx, COST_CODES);
      const byId = new Map(all.map((r) => [r['id'] as number, r]));
      const parentId = w.body.parent_id !== undefined ? w.body.parent_id : ((w.row?.['parent_cost_code_id'] as number | null) ?? null);
      if (parentId != null && !byId.has(parentId))
        return w.errors.add('parent_id', `cost code ${parentId} is not a cost code of this project`);
      if (w.row && parentId != null) {
        for (let p = byId.get(parentId); p; p = byId.get(p['parent_cost_code_id'] as number))
          if (p['id'] === w.row['id']) return w.errors.add('parent_id', 'cannot be the cost code itself or one of its sub codes');
      }
      const code = String(w.body.code ?? w.row?.['code'] ?? '').trim();
      if (
        all.some((r) => r['id'] !== w.row?.['id'] && (r['parent_cost_code_id'] ?? null) === parentId && String(r['code']).trim() === code)
      )
        w.errors.add('code', 'has already been taken');
      if (w.body.code != null) w.set['code'] = code;
      await checkCatalogRefs(w.c, w.trx, w.body, { standard_cost_code_id: STANDARD_CODE }, w.errors);
    },
  },
  seed: (s) => {
    const ids = seededCostCodes(s);
    return TREE.map((t, i) => ({
      id: ids[t.key],
      code: t.code,
      name: t.name,
      parent_id: t.parent ? ids[t.parent] : null,
      position: i + 1,
    }));
  },
});

/**
 * 422s for ids of things the sandbox keeps only as the generic engine's rows (standard cost
 * codes, tax codes, WBS codes): each must be a live row of `resource` in the token's sandbox.
 */
export async function checkCatalogRefs(
  c: ApiContext,
  db: Db,
  body: Record<string, unknown>,
  refs: Record<string, { resource: string; noun: string }>,
  errors: { add(field: string, message: string): void },
): Promise<void> {
  for (const [key, ref] of Object.entries(refs)) {
    const id = body[key];
    if (typeof id !== 'number') continue;
    const row = await c
      .fromIn(db, 'records')
      .select('id')
      .where('resource', '=', ref.resource)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) errors.add(key, `${ref.noun} ${id} is not a ${ref.noun} of this company`);
  }
}

/** `company_id` (the token's company) or `project_id` (a project of the sandbox) names the company; lists and creates need one. */
async function companyScope(c: ApiContext, required: boolean): Promise<void> {
  // Write bodies name the company beside the wrapped object (`{company_id, line_item_type: {…}}`).
  const sent = (c.request.body as Record<string, unknown> | null | undefined)?.['company_id'];
  const company = queryId(c.query, 'company_id') ?? (sent == null ? undefined : queryId({ company_id: String(sent) }, 'company_id'));
  const project = queryId(c.query, 'project_id');
  if (required && company === undefined && project === undefined) throw ApiError.badRequest('company_id is required', 'company_id');
  if (company !== undefined && company !== c.auth.companyId) throw ApiError.notFound();
  if (project !== undefined) await c.loadProject(project);
}

export const lineItemTypes = defineResource({
  name: LINE_ITEM_TYPES,
  tag: 'Cost Codes',
  noun: ['LineItemType', 'LineItemTypes'],
  titles: { list: 'LineItemType', show: 'LineItemType' },
  path: '/line_item_types',
  scope: 'sandbox',
  storage: records({ project: false }),
  body: 'line_item_type',
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, show: {}, create: {}, update: {} },
  query: {
    company_id: Type.String({ description: 'Company ID' }),
    project_id: Type.String({ description: 'Project ID' }),
  },
  filters: { origin_id: originFilter },
  fields: {
    id: f.id({ filter: 'ids' }),
    name: f.text({ write: 'required', sort: true }),
    code: f.text({ write: 'csv_import_code', sort: true }),
    base_type: f.enum(BASE_TYPES, { write: true, default: 'other' }),
    origin_data: f.text({ write: true, long: true }),
    origin_id: f.text({ write: true }),
  },
  hooks: {
    async narrow(c, qb, use) {
      await companyScope(c, use === 'list');
      return qb;
    },
    async validate(w) {
      await companyScope(w.c, w.row === null);
      const all = await companyLineItemTypes(w.c, w.trx);
      const name = String(w.body.name ?? w.row?.['name'] ?? '').trim();
      if (all.some((t) => t['id'] !== w.row?.['id'] && String(t['name']).trim().toLowerCase() === name.toLowerCase()))
        w.errors.add('name', 'has already been taken');
    },
  },
  seed: (s) => {
    const ids = seededLineItemTypes(s);
    return DEFAULT_TYPES.map((t) => ({ id: ids[t.key], name: t.name, csv_import_code: t.code, base_type: t.base_type }));
  },
});

/** For a line item's `line_item_type`: the schema. */
export const NLineItemType = Nullable(LineItemType);
export const NCostCode = Nullable(CostCode);
