/**
 * Line items of a financial contract (commitments and prime contracts), shared by every holder:
 * `amount` is `quantity × unit_cost` when the line is `calculated` (Procore's unit-based lines,
 * and any line written with a quantity and a unit cost but no amount), as written when `manual`;
 * `cost_code_id` must be a cost code of the project and `line_item_type_id` a line item type of
 * the company; positions continue the contract's highest. The holder's `grand_total` is the sum
 * of its lines' amounts.
 */
import { Type, type TObject } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { f, type AnyRow, type Field, type ReadContext, type View } from '../../fields.js';
import type { ApiContext, Db, SeedContext, SeedRows, Write } from '../../resource.js';
import { Id, NInt, NNum, NStr, Nullable, Obj } from '../../schemas.js';
import type { Storage } from '../../storage.js';
import {
  NCostCode,
  NLineItemType,
  checkCatalogRefs,
  checkCostRefs,
  costCodeOf,
  costCodeRefs,
  lineItemTypeOf,
  originFilter,
  type CostCodeRefs,
} from '../cost-codes/index.js';
import { recordRows } from '../locations/store.js';

const seededHolders = new WeakMap<SeedContext, Record<'wo1' | 'wo2' | 'po1' | 'prime1', number>>();

/** The seeded contracts' ids of a sandbox being planned (so change orders can name them). */
export function seededContracts(s: SeedContext): Record<'wo1' | 'wo2' | 'po1' | 'prime1', number> {
  let ids = seededHolders.get(s);
  if (!ids) seededHolders.set(s, (ids = { wo1: s.nextId(), wo2: s.nextId(), po1: s.nextId(), prime1: s.nextId() }));
  return ids;
}

/** `"1234.50"`: Procore's money strings. */
export const money = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** A number from a body value (`"12.5"` or `12.5`); undefined when absent, NaN when not a number. */
function numberOf(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^\s*-?\d{1,12}(\.\d{1,8})?\s*$/.test(v) ? Number(v) : NaN;
}

/** What a holder's serializer needs of its lines: the lines by holder and the cost references. */
export interface LineItemsOf {
  byHolder: Map<number, AnyRow[]>;
  /** Change order amounts by contract (`../change-orders/`): approved, pending, draft. */
  changeOrders: Map<number, { approved: number; pending: number; draft: number }>;
  refs: CostCodeRefs;
  company: { id: number; name: string };
}

/** Change order statuses whose amounts count as pending. */
const PENDING = ['not_pricing', 'pricing', 'pending', 'revised', 'proceeding'];

/** A contract's approved, pending and draft change order amounts. */
export const changeOrdersOf = (holder: number, lines: LineItemsOf) =>
  lines.changeOrders.get(holder) ?? { approved: 0, pending: 0, draft: 0 };

/** The cost references and the company, for serializing lines. */
async function lineRefs(c: ApiContext, db: Db): Promise<Omit<LineItemsOf, 'byHolder' | 'changeOrders'>> {
  const company = await c.company();
  return { refs: await costCodeRefs(c, db), company: { id: company.id, name: company.name } };
}

/** Loads the lines of `holders` (their cost codes and types too). */
export async function loadLineItems(c: ApiContext, db: Db, resource: string, holders: number[]): Promise<LineItemsOf> {
  const rows = await recordRows(c, db, resource, { parentIds: holders });
  const byHolder = new Map<number, AnyRow[]>();
  for (const r of rows) byHolder.set(r['parent_id'] as number, [...(byHolder.get(r['parent_id'] as number) ?? []), r]);
  for (const list of byHolder.values()) list.sort((a, b) => Number(a['position'] ?? 0) - Number(b['position'] ?? 0) || a['id'] - b['id']);
  const changeOrders = new Map<number, { approved: number; pending: number; draft: number }>();
  const wanted = new Set(holders);
  for (const co of await recordRows(c, db, 'change_order_packages')) {
    const contract = co['contract_id'] as number;
    if (!wanted.has(contract)) continue;
    const sums = changeOrders.get(contract) ?? { approved: 0, pending: 0, draft: 0 };
    const amount = Number(co['grand_total']) || 0;
    const status = String(co['status']);
    if (status === 'approved') sums.approved += amount;
    else if (status === 'draft') sums.draft += amount;
    else if (PENDING.includes(status)) sums.pending += amount;
    changeOrders.set(contract, sums);
  }
  return { byHolder, changeOrders, ...(await lineRefs(c, db)) };
}

/**
 * Response fields built as one object per row (`fn`, run once per row): one computed field per
 * property of `schema`, named `<key>$` so write fields of the same key stay separate.
 */
export function shaped(schema: TObject, fn: (r: AnyRow, x: ReadContext) => Record<string, unknown>, o: { in?: readonly View[] } = {}) {
  const cache = new WeakMap<AnyRow, Record<string, unknown>>();
  const of = (r: AnyRow, x: ReadContext) => {
    let v = cache.get(r);
    if (!v) cache.set(r, (v = fn(r, x)));
    return v;
  };
  return Object.fromEntries(
    Object.entries(schema.properties).map(([key, sch]) => [`${key}$`, f.computed(sch, (r, x) => of(r, x)[key] ?? null, { key, in: o.in })]),
  ) as Record<string, Field>;
}

/** The sum of a holder's line amounts. */
export const totalOf = (holder: number, lines: LineItemsOf): number =>
  (lines.byHolder.get(holder) ?? []).reduce((sum, l) => sum + (Number(l['amount']) || 0), 0);

export const LineItem = Obj(
  {
    id: Id,
    amount: NStr(),
    company: Obj({ id: NInt(), name: NStr() }),
    wbs_code: Nullable(Obj({ id: NInt(), flat_code: NStr(), description: NStr() })),
    cost_code: NCostCode,
    created_at: NStr(),
    description: NStr(),
    extended_type: Type.String(),
    holder: Obj({ id: NInt(), holder_type: NStr() }),
    line_item_type: NLineItemType,
    origin_data: NStr(),
    origin_id: NStr(),
    position: NInt(),
    project: Obj({ id: NInt(), name: NStr() }),
    quantity: NNum(),
    tax_code_id: NInt(),
    total_amount: NNum(),
    extended_amount: NNum(),
    unit_cost: NNum(),
    uom: NStr(),
    updated_at: NStr(),
  },
  { title: 'LineItem' },
);

/** A line as Procore answers it (also nested in its holder's show). */
export function lineItemJson(l: AnyRow, holderType: string, lines: Pick<LineItemsOf, 'refs' | 'company'>) {
  const amount = Number(l['amount']) || 0;
  return {
    id: l['id'],
    amount: money(amount),
    company: lines.company,
    wbs_code: null,
    cost_code: costCodeOf(l['cost_code_id'], lines.refs),
    created_at: l['created_at'] ?? null,
    description: l['description'] ?? null,
    extended_type: l['extended_type'] ?? 'manual',
    holder: { id: l['parent_id'] ?? null, holder_type: holderType },
    line_item_type: lineItemTypeOf(l['line_item_type_id'], lines.refs),
    origin_data: l['origin_data'] ?? null,
    origin_id: l['origin_id'] ?? null,
    position: l['position'] ?? null,
    project: { id: lines.refs.project?.id ?? null, name: lines.refs.project?.name ?? null },
    quantity: l['quantity'] ?? null,
    tax_code_id: l['tax_code_id'] ?? null,
    total_amount: amount,
    extended_amount: amount,
    unit_cost: l['unit_cost'] ?? null,
    uom: l['uom'] ?? null,
    updated_at: l['updated_at'] ?? null,
  };
}

/** Tax codes and WBS codes are the generic engine's rows. */
export const CATALOG_REFS = {
  tax_code_id: { resource: 'catalog:/tax_codes', noun: 'tax code' },
  wbs_code_id: { resource: 'catalog:/projects/{project_id}/work_breakdown_structure/wbs_codes', noun: 'WBS code' },
};

const Decimal = Type.Union([Type.String({ maxLength: 30 }), Type.Number(), Type.Null()]);

/** Amount, quantity and unit cost of a write: numbers checked, the amount computed for calculated lines. */
function amounts(w: Write<Record<string, unknown>>, accounting: 'amount' | 'unit'): void {
  const value: Record<string, number | undefined> = {};
  for (const key of ['amount', 'quantity', 'unit_cost'] as const) {
    const sent = numberOf(w.body[key]);
    if (sent !== undefined && Number.isNaN(sent)) w.errors.add(key, 'is not a number');
    else if (w.body[key] !== undefined) w.set[key] = sent ?? null;
    value[key] = w.body[key] !== undefined ? sent : ((w.row?.[key] as number | null | undefined) ?? undefined);
  }
  const q = value['quantity'];
  const u = value['unit_cost'];
  const sentAmount = w.body['amount'] !== undefined && w.body['amount'] !== null;
  const type =
    (w.body['extended_type'] as string | undefined) ??
    (sentAmount ? 'manual' : q !== undefined && u !== undefined ? 'calculated' : ((w.row?.['extended_type'] as string) ?? undefined)) ??
    (accounting === 'unit' ? 'calculated' : 'manual');
  w.set['extended_type'] = type;
  if (type === 'calculated') {
    if (q === undefined) w.errors.add('quantity', "can't be blank");
    if (u === undefined) w.errors.add('unit_cost', "can't be blank");
    if (q !== undefined && u !== undefined && !Number.isNaN(q) && !Number.isNaN(u)) w.set['amount'] = round(q * u, 2);
  } else if (value['amount'] === undefined) w.set['amount'] = q !== undefined && u !== undefined ? round(q * u, 2) : 0;
  else if (typeof value['amount'] === 'number') w.set['amount'] = round(value['amount'], 2);
}

export interface LineItemsOptions {
  /** Records resource of the lines, e.g. `work_order_contract_line_items`. */
  name: string;
  tag: string;
  noun: readonly [string, string];
  /** Holder collection path and its id parameter: `/work_order_contracts`, `work_order_contract_id`. */
  holderPath: string;
  holderParam: string;
  holder: { name: string; storage: Storage; type: string };
  versions: NonNullable<Parameters<typeof defineResource>[0]['versions']>;
  /** The holder's accounting method (`unit`: lines are calculated unless written otherwise). */
  accounting?: (c: ApiContext, db: Db, holder: number) => Promise<'amount' | 'unit'>;
}

/** One holder's line item resource: `{holderPath}/{holderParam}/line_items`. */
export function lineItemsResource(o: LineItemsOptions) {
  const refsOf = (x: ReadContext) => x.extra as LineItemsOf;
  return defineResource({
    name: o.name,
    tag: o.tag,
    noun: o.noun,
    titles: { list: 'LineItem', show: 'LineItem' },
    path: `${o.holderPath}/{${o.holderParam}}/line_items`,
    scope: 'project',
    parent: { param: o.holderParam, storage: o.holder.storage, name: o.holder.name },
    storage: records({ parent: true }),
    body: 'line_item',
    versions: o.versions,
    operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
    query: { view: Type.String({ description: '`default` (the only view modelled)' }) },
    sort: {
      default: [
        ['position', 'asc'],
        ['id', 'asc'],
      ],
    },
    filters: {
      origin_id: originFilter,
      cost_code_id: {
        kind: 'ids',
        column: 'cost_code_id',
        apply: (qb, p) => (p.kind === 'ids' ? qb.where('cost_code_id', 'in', p.ids.length ? p.ids : [-1]) : qb),
      },
    },
    fields: {
      id: f.id({ filter: 'ids' }),
      amount: f.number({ write: true, body: Decimal, in: [] }),
      quantity: f.number({ write: true, body: Decimal, in: [] }),
      unit_cost: f.number({ write: true, body: Decimal, in: [] }),
      description: f.text({ write: true, long: true, in: [] }),
      extended_type: f.enum(['manual', 'calculated'], { write: true, in: [] }),
      uom: f.text({ write: true, in: [] }),
      cost_code_id: f.ref({ write: true, in: [] }),
      line_item_type_id: f.ref({ write: true, filter: 'ids', in: [] }),
      tax_code_id: f.ref({ write: true, in: [] }),
      wbs_code_id: f.ref({ write: true, in: [] }),
      origin_id: f.text({ write: true, in: [] }),
      origin_data: f.text({ write: true, long: true, in: [] }),
      position: f.int({ sort: true, in: [] }),
      created_at: f.createdAt({ filter: 'datetime', sort: true, in: [] }),
      updated_at: f.updatedAt({ filter: 'datetime', sort: true, in: [] }),
      ...shaped(LineItem, (r, x) => lineItemJson(r, o.holder.type, refsOf(x))),
    },
    hooks: {
      prepare: (c) => lineRefs(c, c.db),
      async validate(w) {
        checkCostRefs(w.body, await costCodeRefs(w.c, w.trx), w.errors);
        await checkCatalogRefs(w.c, w.trx, w.body, CATALOG_REFS, w.errors);
        const holder = w.scope.parentId as number;
        amounts(w, o.accounting ? await o.accounting(w.c, w.trx, holder) : 'amount');
      },
      async beforeInsert(w) {
        const mine = await recordRows(w.c, w.trx, o.name, { parentIds: [w.scope.parentId as number] });
        w.set['position'] = 1 + mine.reduce((m, l) => Math.max(m, Number(l['position']) || 0), 0);
      },
    },
  });
}

/** Seed rows of a holder's lines (`lines`: what a client would write). */
export function seedLineItems(
  s: SeedContext,
  resource: string,
  holder: number,
  lines: { description: string; cost_code_id: number; line_item_type_id: number; quantity: number; unit_cost: number; uom: string }[],
): SeedRows {
  return [
    {
      table: 'records',
      rows: lines.map((l, i) => ({
        id: s.nextId(),
        sandbox_id: s.sandboxId,
        resource,
        project_id: s.projectId,
        parent_id: holder,
        data: JSON.stringify({ ...l, amount: round(l.quantity * l.unit_cost, 2), extended_type: 'calculated', position: i + 1 }),
        created_at: s.created,
        updated_at: s.created,
        deleted_at: null,
      })),
    },
  ];
}
