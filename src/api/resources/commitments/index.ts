/**
 * Commitments: work order contracts (subcontracts, `/work_order_contracts?project_id=`) and
 * purchase order contracts (`/purchase_order_contracts?project_id=`), each with its line items
 * (`…/{contract_id}/line_items`, see `line-items.ts`). Numbers continue the project's highest
 * of each kind; `vendor_id` must be a vendor of the company (and `assignee_id` a user); the
 * contract's `grand_total` is the sum of its lines, and with no change orders or payments
 * modelled, the revised contract equals it and all of it is outstanding. Deleting a contract
 * moves it to the recycle bin.
 */
import { Type } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { f, unmodelled, type AnyRow, type FieldSpec, type ReadContext } from '../../fields.js';
import type { ApiContext, Db, SeedContext } from '../../resource.js';
import { Attachment, AnyObject, Id, NInt, NStr, Nullable, Obj } from '../../schemas.js';
import { originFilter, seededCostCodes, seededLineItemTypes } from '../cost-codes/index.js';
import { nextNumber, recordRows } from '../locations/store.js';
import {
  changeOrdersOf,
  LineItem,
  seededContracts,
  lineItemJson,
  lineItemsResource,
  loadLineItems,
  money,
  seedLineItems,
  shaped,
  totalOf,
  type LineItemsOf,
} from './line-items.js';

export const WORK_ORDER_STATUSES = ['Draft', 'Out For Bid', 'Out For Signature', 'Approved', 'Complete', 'Terminated', 'Void'] as const;
export const PURCHASE_ORDER_STATUSES = [
  'Draft',
  'Processing',
  'Submitted',
  'Partially Received',
  'Received',
  'Approved',
  'Closed',
] as const;

const VendorOf = Obj({ id: Id, company: NStr(), origin_data: NStr(), origin_id: NStr() }, { title: 'CommitmentVendor' });
const show = { in: ['show'] } as const;

interface Kind {
  name: 'work_order_contracts' | 'purchase_order_contracts';
  lines: string;
  one: string;
  many: string;
  body: string;
  holderType: string;
  param: string;
  statuses: readonly string[];
  titles: { list: string; show: string };
}

const TOTALS = [
  'grand_total',
  'approved_change_orders',
  'pending_change_orders',
  'draft_change_orders_amount',
  'pending_revised_contract',
  'revised_contract',
  'remaining_balance_outstanding',
  'percentage_paid',
  'total_payments',
  'total_draw_requests_amount',
  'total_requisitions_amount',
] as const;

/** The totals Procore computes from a contract's lines (no change orders, payments or invoices modelled). */
function totals(r: AnyRow, lines: LineItemsOf) {
  const total = totalOf(r['id'] as number, lines);
  const co = changeOrdersOf(r['id'] as number, lines);
  const revised = total + co.approved;
  return {
    grand_total: money(total),
    approved_change_orders: money(co.approved),
    pending_change_orders: money(co.pending),
    draft_change_orders_amount: money(co.draft),
    pending_revised_contract: money(revised + co.pending),
    revised_contract: money(revised),
    remaining_balance_outstanding: money(revised),
    percentage_paid: '0.0',
    total_payments: money(0),
    total_draw_requests_amount: money(0),
    total_requisitions_amount: money(0),
  };
}

const linesOf = (x: ReadContext) => x.extra as LineItemsOf;

function commitment(k: Kind, own: Record<string, FieldSpec>) {
  const storage = records({ softDelete: true });
  const contracts = defineResource({
    name: k.name,
    tag: 'Commitments',
    noun: [k.one, k.many],
    titles: k.titles,
    path: `/${k.name}`,
    scope: 'project',
    storage,
    body: k.body,
    versions: ['v1.0', 'vapid'],
    operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
    query: {
      view: Type.String({ description: '`compact` (default for lists) or `extended`' }),
      run_configurable_validations: Type.String({ description: 'Not modelled: the validations are always the same' }),
    },
    sort: { default: [['id', 'asc']] },
    filters: { origin_id: originFilter },
    fields: {
      id: f.id({ filter: 'ids' }),
      number: f.text({ write: true, max: 255, sort: true }),
      title: f.text({ write: true, sort: true }),
      description: f.text({ write: true, long: true }),
      status: f.enum(k.statuses, { write: true, filter: 'enum', sort: true }),
      executed: f.bool({ write: true }),
      private: f.bool({ write: true, default: true }),
      accounting_method: f.enum(['amount', 'unit'], { write: true }),
      retainage_percent: f.text({ write: true, default: '0.0' }),
      contract_date: f.date({ write: true }),
      execution_date: f.date({ write: true }),
      issued_on_date: f.date({ write: true }),
      letter_of_intent_date: f.date({ write: true }),
      returned_date: f.date({ write: true }),
      signed_contract_received_date: f.date({ write: true }),
      approval_letter_date: f.text({ write: true }),
      origin_id: f.text({ write: true }),
      origin_code: f.text({ write: true }),
      origin_data: f.text({ write: true, long: true }),
      ...own,
      vendor_id: f.vendor({ write: 'vendor_id', column: 'vendor_id', in: [] }),
      vendor: f.computed(Nullable(VendorOf), (r, x) => {
        const v = x.vendor(r['vendor_id']);
        return v ? { id: v.id, company: v.name, origin_data: null, origin_id: null } : null;
      }),
      project: f.computed(Obj({ id: NInt(), name: NStr() }), (_r, x) => ({ id: x.c.project?.id ?? null, name: x.c.project?.name ?? null })),
      creator: f.user({ creator: true, column: 'created_by_id', in: [] }),
      created_by_id: f.computed(NInt(), (r) => r['created_by_id'] ?? null),
      ...shaped(Obj(Object.fromEntries(TOTALS.map((t) => [t, NStr()]))), (r, x) => totals(r, linesOf(x))),
      show_line_items_to_non_admins: f.computed(Type.Boolean(), () => false),
      requisitions_are_enabled: f.computed(Type.Boolean(), () => false),
      line_items: f.computed(
        Type.Array(LineItem),
        (r, x) => (linesOf(x).byHolder.get(r['id'] as number) ?? []).map((l) => lineItemJson(l, k.holderType, linesOf(x))),
        show,
      ),
      created_at: f.createdAt({ filter: 'datetime', sort: true }),
      updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
      deleted_at: f.datetime(),
      ...unmodelled({ currency_configuration: AnyObject() }),
      ...unmodelled(
        {
          attachments: k.name === 'purchase_order_contracts' ? Nullable(Attachment) : Type.Array(Attachment),
          change_order_packages: Type.Array(AnyObject()),
          change_order_requests: Type.Array(AnyObject()),
          potential_change_orders: Type.Array(AnyObject()),
          payments_issued: Type.Array(AnyObject()),
          invoice_contacts: Type.Array(AnyObject()),
        },
        show,
      ),
    },
    extraBody: { invoice_contact_user_ids: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100 }) },
    refs: { users: ['invoice_contact_user_ids'] },
    hooks: {
      prepare: (c, rows) =>
        loadLineItems(
          c,
          c.db,
          k.lines,
          rows.map((r) => r['id'] as number),
        ),
      async beforeInsert(w) {
        const number = (w.body as { number?: unknown }).number;
        if (number == null || number === '') w.set['number'] = String(await nextNumber(w.c, w.trx, k.name, 'number'));
        w.set['accounting_method'] ??= 'amount';
      },
      seedChildren: (row, body, s) => seedLineItems(s, k.lines, row['id'] as number, (body as { lines?: SeedLine[] }).lines ?? []),
    },
    seed: (s) => seeds(s, k.name),
  });
  const lineItems = lineItemsResource({
    name: k.lines,
    tag: 'Commitments',
    noun: [`${k.one}LineItem`, `${k.one}LineItems`],
    holderPath: `/${k.name}`,
    holderParam: k.param,
    holder: { name: k.name, storage, type: k.holderType },
    versions: ['v1.0', 'vapid'],
    accounting: (c, db, holder) => accountingOf(c, db, k.name, holder),
  });
  return { contracts, lineItems };
}

async function accountingOf(c: ApiContext, db: Db, resource: string, id: number): Promise<'amount' | 'unit'> {
  const [row] = (await recordRows(c, db, resource)).filter((r) => r['id'] === id);
  return row?.['accounting_method'] === 'unit' ? 'unit' : 'amount';
}

type SeedLine = Parameters<typeof seedLineItems>[3][number];

/** Seeded contracts and their lines, against the seeded cost codes, line item types and vendors. */
function seeds(s: SeedContext, kind: Kind['name']): Record<string, unknown>[] {
  const cc = seededCostCodes(s);
  const lt = seededLineItemTypes(s);
  const line = (description: string, code: number, type: number, quantity: number, unit_cost: number, uom: string): SeedLine => ({
    description,
    cost_code_id: code,
    line_item_type_id: type,
    quantity,
    unit_cost,
    uom,
  });
  const ids = seededContracts(s);
  if (kind === 'work_order_contracts')
    return [
      {
        id: ids.wo1,
        number: '1',
        title: 'Concrete Foundations and Slabs',
        description: 'Footings, foundation walls and slab on grade for Building A.',
        status: 'Approved',
        executed: true,
        vendor_id: s.vendors.sub,
        retainage_percent: '10.0',
        contract_date: s.day(0),
        contract_start_date: s.day(7),
        contract_estimated_completion_date: s.day(60),
        inclusions: 'Formwork, reinforcing, placement and finishing.',
        exclusions: 'Winter protection.',
        lines: [
          line('Footings', cc.concrete, lt.commitment, 120, 185, 'cy'),
          line('Slab on grade', cc.concrete, lt.commitment, 850, 9.5, 'sf'),
        ],
      },
      {
        id: ids.wo2,
        number: '2',
        title: 'Electrical Rough-In',
        status: 'Out For Signature',
        vendor_id: s.vendors.gc,
        contract_date: s.day(1),
        lines: [line('Service and distribution rough-in', cc.electrical, lt.labor, 1, 48_500, 'ls')],
      },
    ];
  return [
    {
      id: ids.po1,
      number: '1',
      title: 'Ready-Mix Concrete Supply',
      description: '4000 psi ready-mix for foundations.',
      status: 'Submitted',
      vendor_id: s.vendors.sub,
      assignee_id: s.users.demo,
      ship_to_address: '1234 Sandbox Way, Site gate B',
      ship_via: 'Truck',
      payment_terms: 'Net 30',
      delivery_date: s.day(10),
      lines: [
        line('Ready-mix 4000 psi', cc.concrete, lt.materials, 130, 142.5, 'cy'),
        line('Temporary site fencing', cc.temp, lt.materials, 600, 4.1, 'lf'),
      ],
    },
  ];
}

const wo = commitment(
  {
    name: 'work_order_contracts',
    lines: 'work_order_contract_line_items',
    one: 'WorkOrderContract',
    many: 'WorkOrderContracts',
    body: 'work_order_contract',
    holderType: 'WorkOrderContract',
    param: 'work_order_contract_id',
    statuses: WORK_ORDER_STATUSES,
    titles: { list: 'WorkOrderContractCompact', show: 'WorkOrderContract' },
  },
  {
    inclusions: f.text({ write: true, long: true }),
    exclusions: f.text({ write: true, long: true }),
    contract_start_date: f.date({ write: true }),
    contract_estimated_completion_date: f.date({ write: true }),
    actual_completion_date: f.date({ write: true }),
  },
);

const po = commitment(
  {
    name: 'purchase_order_contracts',
    lines: 'purchase_order_contract_line_items',
    one: 'PurchaseOrderContract',
    many: 'PurchaseOrderContracts',
    body: 'purchase_order_contract',
    holderType: 'PurchaseOrderContract',
    param: 'purchase_order_contract_id',
    statuses: PURCHASE_ORDER_STATUSES,
    titles: { list: 'PurchaseOrderContractCompact', show: 'PurchaseOrderContract' },
  },
  {
    assignee_id: f.user({ write: 'assignee_id', column: 'assignee_id', in: [] }),
    assignee: f.computed(Nullable(Obj({ id: Id })), (r) => (r['assignee_id'] ? { id: r['assignee_id'] } : null)),
    bill_to_address: f.text({ write: true, long: true }),
    ship_to_address: f.text({ write: true, long: true }),
    ship_via: f.text({ write: true }),
    payment_terms: f.text({ write: true }),
    delivery_date: f.date({ write: true }),
  },
);

export const workOrderContracts = wo.contracts;
export const workOrderContractLineItems = wo.lineItems;
export const purchaseOrderContracts = po.contracts;
export const purchaseOrderContractLineItems = po.lineItems;
