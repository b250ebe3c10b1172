/**
 * Prime contracts: the owner contract of a project (`/prime_contract?project_id=`, its members
 * `/prime_contract/{id}`, the list `/prime_contracts?project_id=`) and its schedule of values
 * (`/prime_contracts/{prime_contract_id}/line_items`, see `../commitments/line-items.ts`).
 * Numbers continue the project's highest; `vendor_id` (the owner), `contractor_id` and
 * `architect_id` must be vendors of the company; `grand_total` and the revised contract amount
 * are the sum of the lines (no change orders, owner invoices or payments modelled).
 */
import { Type } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled, type AnyRow, type ReadContext } from '../../fields.js';
import type { AnyQuery } from '../../http/listing.js';
import { AnyObject, Attachment, NIdName, NInt, NStr, NUserRef, Nullable, Obj } from '../../schemas.js';
import { originFilter, seededCostCodes, seededLineItemTypes } from '../cost-codes/index.js';
import {
  seededContracts,
  changeOrdersOf,
  lineItemJson,
  lineItemsResource,
  loadLineItems,
  money,
  seedLineItems,
  shaped,
  totalOf,
  type LineItemsOf,
  LineItem,
} from '../commitments/line-items.js';
import { nextNumber } from '../locations/store.js';

export const PRIME_CONTRACTS = 'prime_contracts';
const LINES = 'prime_contract_line_items';
const STATUSES = ['Draft', 'Out For Bid', 'Out For Signature', 'Approved', 'Complete', 'Terminated'] as const;
const show = { in: ['show'] } as const;
const storage = records({ softDelete: true });

const TOTALS = [
  'grand_total',
  'line_items_total',
  'line_items_extended_total',
  'approved_change_orders',
  'pending_change_orders_amount',
  'draft_change_orders_amount',
  'pending_revised_contract_amount',
  'revised_contract_amount',
  'owner_invoices_amount',
  'outstanding_balance',
  'total_payments',
  'percentage_paid',
] as const;

function totals(r: AnyRow, lines: LineItemsOf): Record<(typeof TOTALS)[number], string> {
  const total = totalOf(r['id'] as number, lines);
  const co = changeOrdersOf(r['id'] as number, lines);
  return {
    grand_total: money(total),
    line_items_total: money(total),
    line_items_extended_total: money(total),
    approved_change_orders: money(co.approved),
    pending_change_orders_amount: money(co.pending),
    draft_change_orders_amount: money(co.draft),
    pending_revised_contract_amount: money(total + co.approved + co.pending),
    revised_contract_amount: money(total + co.approved),
    owner_invoices_amount: money(0),
    outstanding_balance: money(total + co.approved),
    total_payments: money(0),
    percentage_paid: '0.0',
  };
}
const linesOf = (x: ReadContext) => x.extra as LineItemsOf;
const vendorOf = (col: string) => f.computed(NIdName(), (r: AnyRow, x: ReadContext) => x.vendor(r[col]));

export const primeContracts = defineResource({
  name: PRIME_CONTRACTS,
  tag: 'Prime Contracts',
  noun: ['PrimeContract', 'PrimeContracts'],
  titles: { list: 'PrimeContract', show: 'PrimeContract' },
  path: '/prime_contract',
  scope: 'project',
  storage,
  body: 'prime_contract',
  versions: ['v1.0', 'vapid'],
  operations: { show: {}, create: {}, update: {}, delete: {} },
  query: { run_configurable_validations: Type.String({ description: 'Not modelled: the validations are always the same' }) },
  filters: { origin_id: originFilter },
  fields: {
    id: f.id({ filter: 'ids' }),
    number: f.text({ write: true, sort: true }),
    title: f.text({ write: true, sort: true }),
    description: f.text({ write: true, long: true }),
    status: f.enum(STATUSES, { write: true }),
    executed: f.bool({ write: true }),
    private: f.bool({ write: true, default: true }),
    accounting_method: f.enum(['amount', 'unit'], { write: true }),
    retainage_percent: f.text({ write: true, default: '0.0' }),
    inclusions: f.text({ write: true, long: true }),
    exclusions: f.text({ write: true, long: true }),
    actual_completion_date: f.date({ write: true }),
    approval_letter_date: f.date({ write: true }),
    contract_date: f.date({ write: true }),
    contract_estimated_completion_date: f.date({ write: true }),
    contract_start_date: f.date({ write: true }),
    contract_termination_date: f.date({}),
    execution_date: f.date({ write: true }),
    issued_on_date: f.date({ write: true }),
    letter_of_intent_date: f.date({ write: true }),
    returned_date: f.date({ write: true }),
    signed_contract_received_date: f.date({ write: true }),
    origin_id: f.text({ write: true }),
    origin_data: f.text({ write: true, long: true }),
    vendor_id: f.vendor({ write: 'vendor_id', column: 'vendor_id', in: [] }),
    contractor_id: f.vendor({ write: 'contractor_id', column: 'contractor_id', in: [] }),
    architect_id: f.vendor({ write: 'architect_id', column: 'architect_id', in: [] }),
    vendor: vendorOf('vendor_id'),
    contractor: vendorOf('contractor_id'),
    architect: vendorOf('architect_id'),
    created_by: f.user({ creator: true }),
    ...shaped(Obj(Object.fromEntries(TOTALS.map((t) => [t, NStr()]))), (r, x) => totals(r, linesOf(x))),
    position: f.computed(NInt(), () => null),
    allow_comments: f.computed(Type.Boolean(), () => false),
    allow_markups: f.computed(Type.Boolean(), () => false),
    allow_payment_applications: f.computed(Type.Boolean(), () => true),
    allow_payments: f.computed(Type.Boolean(), () => true),
    allow_redistributions: f.computed(Type.Boolean(), () => false),
    display_materials_retainage: f.computed(Type.Boolean(), () => true),
    display_stored_materials: f.computed(Type.Boolean(), () => true),
    display_work_retainage: f.computed(Type.Boolean(), () => true),
    show_line_items_to_non_admins: f.computed(Type.Boolean(), () => false),
    erp_rejected: f.computed(Type.Boolean(), () => false),
    erp_reviewable: f.computed(Type.Boolean(), () => false),
    type: f.computed(Type.String(), () => 'PrimeContract'),
    line_items: f.computed(Type.Array(LineItem), (r, x) =>
      (linesOf(x).byHolder.get(r['id'] as number) ?? []).map((l) => lineItemJson(l, 'PrimeContract', linesOf(x))),
    ),
    created_at: f.createdAt({ sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    deleted_at: f.datetime(),
    ...unmodelled({
      bill_to: NStr(),
      ship_to: NStr(),
      ship_via: NStr(),
      payment_terms: NStr(),
      delivery_date: NStr(),
      requisition_number: NStr(),
      rejected_message: NStr(),
      budget_line_item_id: NInt(),
      cost_code: Nullable(AnyObject()),
      assigned_to: NUserRef,
      received_from: NUserRef,
      attachments: Type.Array(Attachment),
      change_order_packages: Type.Array(AnyObject()),
      change_order_requests: Type.Array(AnyObject()),
      potential_change_orders: Type.Array(AnyObject()),
      payments_received: Type.Array(AnyObject()),
      currency_configuration: AnyObject(),
    }),
    ...unmodelled({ attachments_count: NInt() }, show),
  },
  hooks: {
    prepare: (c, rows) =>
      loadLineItems(
        c,
        c.db,
        LINES,
        rows.map((r) => r['id'] as number),
      ),
    async beforeInsert(w) {
      const number = (w.body as { number?: unknown }).number;
      if (number == null || number === '') w.set['number'] = String(await nextNumber(w.c, w.trx, PRIME_CONTRACTS, 'number'));
      w.set['accounting_method'] ??= 'amount';
    },
    seedChildren: (row, body, s) =>
      seedLineItems(s, LINES, row['id'] as number, (body as { lines?: Parameters<typeof seedLineItems>[3] }).lines ?? []),
  },
  seed: (s) => {
    const cc = seededCostCodes(s);
    const lt = seededLineItemTypes(s);
    const ls = (description: string, cost_code_id: number, amount: number) => ({
      description,
      cost_code_id,
      line_item_type_id: lt.owner_cost,
      quantity: 1,
      unit_cost: amount,
      uom: 'ls',
    });
    return [
      {
        id: seededContracts(s).prime1,
        number: '1',
        title: 'Owner Agreement - Sandbox Test Project',
        description: 'Stipulated sum agreement between the owner and the contractor.',
        status: 'Approved',
        executed: true,
        contractor_id: s.vendors.gc,
        architect_id: s.vendors.design,
        retainage_percent: '5.0',
        contract_date: s.day(0),
        contract_start_date: s.day(7),
        contract_estimated_completion_date: s.day(180),
        lines: [
          ls('General requirements', cc.pm, 45_000),
          ls('Concrete', cc.concrete, 38_000),
          ls('Finishes', cc.painting, 12_500),
          ls('Electrical', cc.electrical, 56_000),
        ],
      },
    ];
  },
  extra: ({ rows, select, decode, serialize, schemas }) => [
    {
      method: 'GET',
      path: '/prime_contracts',
      operationId: 'listPrimeContracts',
      summary: 'List prime contracts of a project',
      project: { from: 'query' },
      versions: ['v1.0'],
      list: {
        filters: {
          id: { kind: 'ids', column: 'id' },
          updated_at: { kind: 'datetime', column: 'updated_at' },
        },
        sort: { style: 'sort', keys: { id: 'id', updated_at: 'updated_at' }, default: [['id', 'asc']] },
      },
      response: Type.Array(schemas.list),
      handler: (c) => c.list(rows(c), select, (page: AnyRow[]) => serialize(c, page.map(decode), 'list')),
    },
    {
      method: 'GET',
      path: '/prime_contract',
      operationId: 'showProjectPrimeContract',
      summary: "The project's prime contract",
      project: { from: 'query' },
      versions: ['v1.0', 'vapid'],
      response: schemas.show,
      async handler(c) {
        const first = (await select(rows(c) as AnyQuery)
          .orderBy('r.id')
          .executeTakeFirst()) as AnyRow | undefined;
        if (!first) throw ApiError.notFound();
        return (await serialize(c, [decode(first)], 'show'))[0];
      },
    },
  ],
});

export const primeContractLineItems = lineItemsResource({
  name: LINES,
  tag: 'Prime Contracts',
  noun: ['PrimeContractLineItem', 'PrimeContractLineItems'],
  holderPath: '/prime_contracts',
  holderParam: 'prime_contract_id',
  holder: { name: PRIME_CONTRACTS, storage, type: 'PrimeContract' },
  versions: ['v1.0'],
});
