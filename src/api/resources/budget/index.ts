/**
 * Budget: budget line items (`/budget_line_items`, one per cost code and line item type of a
 * project) and budget views (`/budget_views?project_id=`) with their detail and summary rows.
 * Procore computes the columns: an `automatic` line's original budget is quantity × unit cost;
 * committed costs are the commitment line items (work order and purchase order contracts) of the
 * same cost code and type; projected costs add the direct costs; with no budget changes modelled,
 * the revised and projected budgets equal the original, and over/under is projected budget −
 * projected costs.
 */
import { Type } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { queryId } from '../../http/query.js';
import { f, unmodelled, type AnyRow, type ReadContext } from '../../fields.js';
import type { ApiContext, Db, SeedContext } from '../../resource.js';
import { AnyObject, Id, NInt, NNum, NStr, Nullable, Obj } from '../../schemas.js';
import { CATALOG_REFS, money, shaped } from '../commitments/line-items.js';
import {
  checkCatalogRefs,
  checkCostRefs,
  costCodeRefs,
  fullCode,
  seededCostCodes,
  seededLineItemTypes,
  type CostCodeRefs,
} from '../cost-codes/index.js';
import { recordRows } from '../locations/store.js';

const BUDGET = 'budget_line_items';
const VIEWS = 'budget_views';
const COMMITMENT_LINES = ['work_order_contract_line_items', 'purchase_order_contract_line_items'];
const round = (n: number) => Math.round(n * 100) / 100;

interface Loaded {
  refs: CostCodeRefs;
  /** Committed amount by `cost_code_id:line_item_type_id`. */
  committed: Map<string, number>;
}
const key = (cc: unknown, lt: unknown) => `${String(cc)}:${String(lt)}`;

async function load(c: ApiContext, db: Db): Promise<Loaded> {
  const committed = new Map<string, number>();
  // Lines of live contracts only.
  for (const [lines, holders] of [
    [COMMITMENT_LINES[0]!, 'work_order_contracts'],
    [COMMITMENT_LINES[1]!, 'purchase_order_contracts'],
  ] as const) {
    const live = new Set((await recordRows(c, db, holders)).map((r) => r['id'] as number));
    for (const l of await recordRows(c, db, lines)) {
      if (!live.has(l['parent_id'] as number)) continue;
      const k = key(l['cost_code_id'], l['line_item_type_id']);
      committed.set(k, (committed.get(k) ?? 0) + (Number(l['amount']) || 0));
    }
  }
  return { refs: await costCodeRefs(c, db), committed };
}

/** The columns Procore computes for one budget line item. */
function columns(r: AnyRow, l: Loaded) {
  const original = round(Number(r['original_budget_amount']) || 0);
  const committed = round(l.committed.get(key(r['cost_code_id'], r['line_item_type_id'])) ?? 0);
  const direct = round(Number(r['direct_costs']) || 0);
  const projectedCosts = round(committed + direct);
  return {
    original_budget_amount: original,
    approved_budget_changes: 0,
    revised_budget: original,
    pending_budget_changes: 0,
    projected_budget: original,
    committed_costs: committed,
    direct_costs: direct,
    pending_cost_changes: 0,
    projected_costs: projectedCosts,
    budget_forecast: projectedCosts,
    estimated_cost_at_completion: projectedCosts,
    projected_over_under: round(original - projectedCosts),
  };
}
const COLUMNS = Obj(
  Object.fromEntries(
    [
      'original_budget_amount',
      'approved_budget_changes',
      'revised_budget',
      'pending_budget_changes',
      'projected_budget',
      'committed_costs',
      'direct_costs',
      'pending_cost_changes',
      'projected_costs',
      'budget_forecast',
      'estimated_cost_at_completion',
      'projected_over_under',
    ].map((k) => [k, NNum()]),
  ),
);

const loadedOf = (x: ReadContext) => x.extra as Loaded;
/** The top of a cost code's tree: its division. */
function rootOf(id: unknown, refs: CostCodeRefs): AnyRow | null {
  let r = typeof id === 'number' ? refs.codes.get(id) : undefined;
  for (let i = 0; r && r['parent_cost_code_id'] != null && i < 50; i++) r = refs.codes.get(r['parent_cost_code_id'] as number) ?? r;
  return r ?? null;
}
const codeOf = (id: unknown, refs: CostCodeRefs) => {
  const r = typeof id === 'number' ? refs.codes.get(id) : undefined;
  return r ? { id: r['id'], name: r['name'] ?? null, code: r['code'] ?? null, full_code: fullCode(r['id'], refs.codes) } : null;
};

export const budgetLineItems = defineResource({
  name: BUDGET,
  tag: 'Budget',
  noun: ['BudgetLineItem', 'BudgetLineItems'],
  titles: { list: 'BudgetLineItem', show: 'BudgetLineItem' },
  path: '/budget_line_items',
  scope: 'project',
  storage: records(),
  body: 'budget_line_item',
  versions: ['v1.0', 'v1.1', 'vapid'],
  operations: { list: { versions: ['vapid'] }, show: {}, create: {}, update: {} },
  fields: {
    id: f.id({ filter: 'ids' }),
    cost_code_id: f.ref({ write: 'cost_code_id', filter: 'ids', in: [] }),
    line_item_type_id: f.ref({ write: 'line_item_type_id', in: [] }),
    wbs_code_id: f.ref({ write: true, in: [] }),
    uom: f.text({ write: true }),
    quantity: f.number({ write: true }),
    unit_cost: f.number({ write: true }),
    calculation_strategy: f.enum(['manual', 'automatic'], { write: true }),
    original_budget_amount_value: f.number({ write: 'original_budget_amount', column: 'original_budget_amount', in: [] }),
    direct_costs_value: f.number({ write: 'direct_costs', column: 'direct_costs', in: [] }),
    ...shaped(COLUMNS, (r, x) => columns(r, loadedOf(x))),
    cost_code: f.computed(Nullable(Obj({ id: Id, name: NStr(), code: NStr(), full_code: NStr() })), (r, x) =>
      codeOf(r['cost_code_id'], loadedOf(x).refs),
    ),
    division: f.computed(Nullable(Obj({ id: Id, name: NStr(), full_code: NStr() })), (r, x) => {
      const root = rootOf(r['cost_code_id'], loadedOf(x).refs);
      return root ? { id: root['id'], name: root['name'] ?? null, full_code: fullCode(root['id'], loadedOf(x).refs.codes) } : null;
    }),
    line_item_type: f.computed(Nullable(Obj({ id: Id, name: NStr() })), (r, x) => {
      const t = loadedOf(x).refs.types.get(r['line_item_type_id'] as number);
      return t ? { id: t['id'], name: t['name'] ?? null } : null;
    }),
    ...unmodelled({ wbs_code: Nullable(AnyObject()), currency_configuration: AnyObject() }),
  },
  hooks: {
    prepare: (c) => load(c, c.db),
    async validate(w) {
      const refs = await costCodeRefs(w.c, w.trx);
      checkCostRefs(w.body, refs, w.errors);
      await checkCatalogRefs(w.c, w.trx, w.body, { wbs_code_id: CATALOG_REFS.wbs_code_id }, w.errors);
      const cc = w.body.cost_code_id !== undefined ? w.body.cost_code_id : w.row?.['cost_code_id'];
      const lt = w.body.line_item_type_id !== undefined ? w.body.line_item_type_id : w.row?.['line_item_type_id'];
      if (w.c.version !== 'v1.1') {
        if (cc == null) w.errors.add('cost_code_id', "can't be blank");
        if (lt == null) w.errors.add('line_item_type_id', "can't be blank");
      }
      if (cc != null && lt != null) {
        const all = await recordRows(w.c, w.trx, BUDGET);
        if (all.some((b) => b['id'] !== w.row?.['id'] && b['cost_code_id'] === cc && b['line_item_type_id'] === lt))
          w.errors.add('cost_code_id', 'has already been taken');
      }
      const num = (k: string) => (w.body as Record<string, unknown>)[k] ?? w.row?.[k];
      const strategy =
        (num('calculation_strategy') as string | undefined) ?? (w.body.original_budget_amount == null ? 'automatic' : 'manual');
      w.set['calculation_strategy'] = strategy;
      if (strategy === 'automatic')
        w.set['original_budget_amount'] = round((Number(num('quantity')) || 0) * (Number(num('unit_cost')) || 0));
    },
  },
  seed: (s) => seeds(s),
});

function seeds(s: SeedContext) {
  const cc = seededCostCodes(s);
  const lt = seededLineItemTypes(s);
  const line = (cost_code_id: number, line_item_type_id: number, original_budget_amount: number) => ({
    cost_code_id,
    line_item_type_id,
    original_budget_amount,
    calculation_strategy: 'manual' as const,
    quantity: 1,
    unit_cost: original_budget_amount,
    uom: 'ls',
  });
  return [
    line(cc.pm, lt.labor, 42_000),
    line(cc.temp, lt.materials, 3_000),
    line(cc.concrete, lt.commitment, 32_000),
    line(cc.concrete, lt.materials, 19_500),
    line(cc.painting, lt.labor, 11_000),
    line(cc.electrical, lt.labor, 52_000),
  ];
}

const DetailRow = Obj(
  {
    id: Id,
    deletable: Type.Boolean(),
    company_id: NInt(),
    company: NStr(),
    project_id: NInt(),
    project: NStr(),
    wbs_code_id: NInt(),
    biller_id: NInt(),
    biller: NStr(),
    biller_type: Type.String(),
    root_cost_code_id: NInt(),
    root_cost_code: NStr(),
    cost_code_id: NInt(),
    cost_code: NStr(),
    cost_code_origin_id: NStr(),
    category_id: NInt(),
    category: NStr(),
    original_budget_amount: NStr(),
    budget_modifications: NStr(),
    revised_budget: NStr(),
    committed_costs: NStr(),
    direct_costs: NStr(),
    projected_costs: NStr(),
    projected_over_under: NStr(),
    budget_forecast: AnyObject(),
    currency_configuration: AnyObject(),
    unbudgeted_reason: NStr(),
  },
  { title: 'BudgetViewDetailRow' },
);
const label = (r: AnyRow | null | undefined, refs: CostCodeRefs) =>
  r ? `${fullCode(r['id'] as number, refs.codes)} - ${String(r['name'] ?? '')}` : null;

function detailRow(b: AnyRow, l: Loaded, company: { id: number; name: string }) {
  const cols = columns(b, l);
  const code = l.refs.codes.get(b['cost_code_id'] as number);
  const root = rootOf(b['cost_code_id'], l.refs);
  const type = l.refs.types.get(b['line_item_type_id'] as number);
  return {
    id: b['id'],
    deletable: true,
    company_id: company.id,
    company: company.name,
    project_id: l.refs.project?.id ?? null,
    project: l.refs.project?.name ?? null,
    wbs_code_id: null,
    biller_id: l.refs.project?.id ?? null,
    biller: l.refs.project?.name ?? null,
    biller_type: 'Project',
    root_cost_code_id: root?.['id'] ?? null,
    root_cost_code: label(root, l.refs),
    cost_code_id: b['cost_code_id'] ?? null,
    cost_code: label(code, l.refs),
    cost_code_origin_id: code?.['origin_id'] ?? null,
    category_id: b['line_item_type_id'] ?? null,
    category: type ? `${String(type['code'] ?? '')} - ${String(type['name'] ?? '')}` : null,
    original_budget_amount: money(cols.original_budget_amount),
    budget_modifications: money(0),
    revised_budget: money(cols.revised_budget),
    committed_costs: money(cols.committed_costs),
    direct_costs: money(cols.direct_costs),
    projected_costs: money(cols.projected_costs),
    projected_over_under: money(cols.projected_over_under),
    budget_forecast: { amount: money(cols.budget_forecast) },
    currency_configuration: { currency_iso_code: 'USD' },
    unbudgeted_reason: null,
  };
}

const SUMMARY_GROUPS = ['project', 'biller', 'category', 'cost_code', 'root_cost_code', 'cost_code_name', 'root_cost_code_name'] as const;

export const budgetViews = defineResource({
  name: VIEWS,
  tag: 'Budget',
  noun: ['BudgetView', 'BudgetViews'],
  titles: { list: 'BudgetView', show: 'BudgetView' },
  path: '/budget_views',
  // Budget views are the company's (Procore assigns them to projects); `project_id` is optional.
  scope: 'sandbox',
  storage: records({ project: false }),
  versions: ['v1.0'],
  operations: { list: {} },
  query: { project_id: Type.String({ description: 'Project ID (optional): a project of the company' }) },
  sort: { keys: { created_at: 'created_at' } },
  hooks: {
    async narrow(c, qb) {
      const project = queryId(c.query, 'project_id');
      if (project !== undefined) await c.loadProject(project);
      return qb;
    },
  },
  fields: {
    id: f.id(),
    name: f.text({ required: true }),
    description: f.text(),
    role: f.text(),
    created_by: f.user({ creator: true }),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
    links: f.computed(AnyObject(), (r, x) => ({
      detail_rows: x.c.apiUrl(`/budget_views/${String(r['id'])}/detail_rows?project_id=${String(x.c.project?.id ?? '')}`),
      summary_rows: x.c.apiUrl(`/budget_views/${String(r['id'])}/summary_rows?project_id=${String(x.c.project?.id ?? '')}`),
    })),
  },
  seed: () => [{ name: 'Procore Standard Budget', description: 'The standard budget view', role: 'standard' }],
  extra: ({ find }) => {
    const rowsOf = async (c: ApiContext) => {
      await find(c, c.params['budget_view_id'] as number);
      const l = await load(c, c.db);
      const company = await c.company();
      const budget = await recordRows(c, c.db, BUDGET);
      const want = (name: string) => {
        const v = c.query[name] ?? c.query[name.replace('[]', '')];
        return v === undefined ? null : new Set((Array.isArray(v) ? v : [v]).map(String));
      };
      const byCode = want('cost_code_id[]');
      const byRoot = want('root_cost_code_id[]');
      const byCategory = want('category_id[]');
      const byLine = want('budget_line_item_id[]');
      const rows = budget
        .map((b) => detailRow(b, l, { id: company.id, name: company.name }))
        .filter(
          (r) =>
            (!byCode || byCode.has(String(r.cost_code_id))) &&
            (!byRoot || byRoot.has(String(r.root_cost_code_id))) &&
            (!byCategory || byCategory.has(String(r.category_id))) &&
            (!byLine || byLine.has(String(r.id))),
        );
      const type = c.query['budget_row_type'];
      if (type !== undefined && !['budgeted', 'unbudgeted', 'all'].includes(String(type)))
        throw ApiError.badRequest('budget_row_type must be one of: budgeted, unbudgeted, all', 'budget_row_type');
      // Every row here is budgeted: unbudgeted rows (costs without a budget line) are not modelled.
      return type === 'unbudgeted' ? [] : rows;
    };
    const page = <T>(c: ApiContext, rows: T[]): T[] => {
      const { page: n, perPage } = c.page;
      c.reply.header('Total', String(rows.length)).header('Per-Page', String(perPage));
      return rows.slice((n - 1) * perPage, n * perPage);
    };
    return [
      {
        method: 'GET',
        path: '/budget_views/{budget_view_id}/detail_rows',
        operationId: 'listBudgetViewDetailRows',
        summary: 'List budget view detail rows (one per budget line item)',
        project: { from: 'query' },
        versions: ['v1.0'],
        response: Type.Array(DetailRow),
        handler: async (c) => page(c, await rowsOf(c)),
      },
      {
        method: 'GET',
        path: '/budget_views/{budget_view_id}/summary_rows',
        operationId: 'listBudgetViewSummaryRows',
        summary: 'List budget view summary rows (detail rows grouped)',
        project: { from: 'query' },
        versions: ['v1.0'],
        query: { group_by: Type.String({ enum: [...SUMMARY_GROUPS] } as never) },
        response: Type.Array(
          Obj(
            {
              id: Type.String(),
              name: NStr(),
              biller_type: Type.String(),
              original_budget_amount: NStr(),
              budget_modifications: NStr(),
              revised_budget: NStr(),
              committed_costs: NStr(),
              direct_costs: NStr(),
              projected_costs: NStr(),
              budget_forecast: AnyObject(),
              currency_configuration: AnyObject(),
            },
            { title: 'BudgetViewSummaryRow' },
          ),
        ),
        async handler(c) {
          const group = String(c.query['group_by'] ?? 'project');
          if (!(SUMMARY_GROUPS as readonly string[]).includes(group))
            throw ApiError.badRequest(`group_by must be one of: ${SUMMARY_GROUPS.join(', ')}`, 'group_by');
          const field = group === 'cost_code_name' ? 'cost_code' : group === 'root_cost_code_name' ? 'root_cost_code' : group;
          const groups = new Map<string, { id: string; name: string | null; total: number; committed: number; direct: number }>();
          for (const r of await rowsOf(c)) {
            const rec = r as Record<string, unknown>;
            const id = String(rec[`${field}_id`] ?? rec[field] ?? '');
            const g = groups.get(id) ?? { id, name: (rec[field] as string | null) ?? null, total: 0, committed: 0, direct: 0 };
            g.total += Number(r.original_budget_amount);
            g.committed += Number(r.committed_costs);
            g.direct += Number(r.direct_costs);
            groups.set(id, g);
          }
          return page(
            c,
            [...groups.values()].map((g) => ({
              id: g.id,
              name: g.name,
              biller_type: 'Project',
              original_budget_amount: money(g.total),
              budget_modifications: money(0),
              revised_budget: money(g.total),
              committed_costs: money(g.committed),
              direct_costs: money(g.direct),
              projected_costs: money(g.committed + g.direct),
              budget_forecast: { amount: money(g.committed + g.direct) },
              currency_configuration: { currency_iso_code: 'USD' },
            })),
          );
        },
      },
    ];
  },
});
