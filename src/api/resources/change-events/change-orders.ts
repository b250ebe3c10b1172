/**
 * Change order packages (`/change_order_packages?project_id=`, body `{contract_id, change_order:
 * {…}}`): change orders of a contract — a work order, purchase order or prime contract of the
 * project. Numbers continue the contract's highest; `type` follows the contract's kind. Their
 * `grand_total` feeds the contract's totals (see `../commitments/line-items.ts`): approved ones
 * the approved change orders and revised contract, pending ones the pending revised contract.
 *
 * Potential change orders (`/potential_change_orders?project_id=`, the same body) are bound to a
 * contract and numbered the same way, each contract its own sequence; they may name the change
 * event they price (`prime_change_event_id`, `commitment_change_event_id`, checked against the
 * project's change events). They do not feed the contract's totals: those count packages.
 *
 * Change order requests (`/change_order_requests?project_id=`, the same body) are bound and
 * numbered the same way and may name the package they belong to (`change_order_package_id`, a
 * package of the same contract).
 */
import { Type } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled } from '../../fields.js';
import { queryId } from '../../http/query.js';
import type { AnyQuery } from '../../http/listing.js';
import type { ApiContext, Db, Write } from '../../resource.js';
import { AnyObject, Attachment, NInt, NStr, NUserRef } from '../../schemas.js';
import { money, seededContracts } from '../commitments/line-items.js';
import { recordRows } from '../locations/store.js';

const STATUSES = [
  'draft',
  'not_pricing',
  'pricing',
  'pending',
  'revised',
  'proceeding',
  'not_proceeding',
  'no_charge',
  'approved',
  'rejected',
  'void',
] as const;
const KINDS = {
  work_order_contracts: 'CommitmentContractChangeOrder',
  purchase_order_contracts: 'CommitmentContractChangeOrder',
  prime_contracts: 'PrimeContractChangeOrder',
} as const;

/** `contract_id` of the request: beside the wrapped body, or in the query. */
function contractParam(c: ApiContext): number | undefined {
  const sent = (c.request.body as Record<string, unknown> | null | undefined)?.['contract_id'];
  return queryId(c.query, 'contract_id') ?? (sent == null ? undefined : queryId({ contract_id: String(sent) }, 'contract_id'));
}

/** The contract's kind, or null when it is not a live contract of the project. */
async function contractKind(c: ApiContext, db: Db, id: number): Promise<keyof typeof KINDS | null> {
  for (const kind of Object.keys(KINDS) as (keyof typeof KINDS)[])
    if ((await recordRows(c, db, kind)).some((r) => r['id'] === id)) return kind;
  return null;
}

const Decimal = Type.Union([Type.String({ maxLength: 30 }), Type.Number(), Type.Null()]);

/**
 * The checks of a change order's write: `grand_total` a number (stored as its plain string); on
 * create, the contract of the request must be a live contract of the project, whose kind the row
 * keeps, and the number continues that contract's highest of `resource`.
 */
async function bindToContract(w: Write<Record<string, unknown>>, resource: string): Promise<void> {
  const v = w.body['grand_total'];
  if (v != null && !/^\s*-?\d{1,12}(\.\d{1,8})?\s*$/.test(String(v))) w.errors.add('grand_total', 'is not a number');
  else if (v != null) w.set['grand_total'] = String(Number(v));
  if (w.row) return;
  const contract = contractParam(w.c);
  if (contract === undefined) throw ApiError.badRequest('contract_id is required', 'contract_id');
  const kind = await contractKind(w.c, w.trx, contract);
  if (!kind) return w.errors.add('contract_id', `contract ${contract} is not a contract of this project`);
  const mine = (await recordRows(w.c, w.trx, resource)).filter((r) => r['contract_id'] === contract);
  Object.assign(w.set, {
    contract_id: contract,
    contract_kind: kind,
    number: w.set['number'] ?? String(1 + mine.reduce((m, r) => Math.max(m, Number(r['number']) || 0), 0)),
  });
  w.set['status'] ??= 'draft';
}

/** The list narrowed to one contract by `?contract_id=` (the 2017 description's query parameter). */
function narrowToContract(c: ApiContext, qb: AnyQuery): AnyQuery {
  const contract = queryId(c.query, 'contract_id');
  return contract === undefined ? qb : qb.where('contract_id', '=', contract);
}

/**
 * The fields of a change order bound to a contract (`contract_kind` stored, not shown),
 * numbered per contract, money as strings: packages, potential change orders and requests.
 */
const contractChangeOrderFields = () => ({
  id: f.id({ filter: 'ids' }),
  contract_id: f.int(),
  contract_kind: f.text({ in: [] }),
  number: f.text({ write: true, sort: true }),
  title: f.text({ write: true, sort: true }),
  description: f.text({ write: true, long: true, in: ['show'] }),
  status: f.enum(STATUSES, { write: true, sort: true }),
  grand_total_value: f.text({ write: 'grand_total', column: 'grand_total', body: Decimal, in: [] }),
  grand_total: f.computed(NStr(), (r) => money(Number(r['grand_total']) || 0)),
  schedule_impact_amount: f.int({ write: true }),
  private: f.computed(Type.Boolean(), () => false, { in: ['show'] }),
  due_date: f.date({ write: true, filter: 'date' }),
  invoiced_date: f.date({ write: true, filter: 'date' }),
  paid_date: f.date({ write: true, filter: 'date' }),
  origin_id: f.text({ write: true, in: ['show'] }),
  origin_data: f.text({ write: true, long: true, in: ['show'] }),
  revision: f.computed(Type.Integer(), () => 0),
  position: f.computed(NInt(), (r) => Number(r['number']) || null, { in: ['show'] }),
  creator: f.user({ creator: true, column: 'created_by_id', in: ['show'] }),
  created_by_id: f.computed(NInt(), (r) => r['created_by_id'] ?? null, { in: ['list'] }),
  created_at: f.createdAt({ filter: 'datetime', sort: true }),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  deleted_at: f.datetime(),
  reviewed_at: f.datetime({ filter: 'datetime' }),
});

/** What the declarations of contract-bound change orders share: where and how they are served. */
const contractBound = <const N extends string>(name: N, noun: [string, string], titles: { list: string; show: string }) =>
  ({
    name,
    tag: 'Change Orders',
    noun,
    titles,
    path: `/${name}`,
    scope: 'project',
    storage: records(),
    body: 'change_order',
    versions: ['v1.0', 'vapid'],
    operations: { list: {}, show: {}, create: {}, update: {} },
    query: { contract_id: Type.String({ description: 'Contract ID: only its change orders' }) },
  }) as const;

export const changeOrderPackages = defineResource({
  ...contractBound('change_order_packages', ['ChangeOrderPackage', 'ChangeOrderPackages'], {
    list: 'ChangeOrderPackageSummary',
    show: 'ChangeOrderPackage',
  }),
  filters: { contract_id: { kind: 'ids', column: 'contract_id' } },
  fields: {
    ...contractChangeOrderFields(),
    // A package's number is the contract's next; `executed` is written.
    number: f.text({ sort: true }),
    schedule_impact_amount: f.int({ write: true, in: ['show'] }),
    executed: f.bool({ write: true }),
    signed_change_order_received_date: f.date({ write: true, filter: 'date' }),
    origin_code: f.text({ write: true }),
    origin_id: f.text({ write: true }),
    origin_data: f.text({ write: true, long: true }),
    type: f.computed(Type.String(), (r) => KINDS[r['contract_kind'] as keyof typeof KINDS] ?? 'ChangeOrderPackage', { in: ['show'] }),
    ...unmodelled({ designated_reviewer: NUserRef, custom_fields: AnyObject() }),
    ...unmodelled(
      {
        review_notes: NStr(),
        reviewer: NUserRef,
        revised_substantial_completion_date: NStr(),
        attachments: Type.Array(Attachment),
        line_items: Type.Array(AnyObject()),
      },
      { in: ['show'] },
    ),
  },
  // Seed rows also set stored columns no client writes (the contract, its kind, the number).
  seed: (s) => {
    const ids = seededContracts(s);
    const rows: Record<string, unknown>[] = [
      {
        contract_id: ids.wo2,
        contract_kind: 'work_order_contracts',
        number: '1',
        title: 'Added circuits for owner equipment',
        description: 'Two 20 A circuits for the owner-furnished kitchen equipment.',
        status: 'approved' as const,
        grand_total: '3200',
        executed: true,
        due_date: s.day(14),
      },
      {
        contract_id: ids.prime1,
        contract_kind: 'prime_contracts',
        number: '1',
        title: 'Unsuitable soil at footing F3',
        description: 'Over-excavation and engineered fill (change event 1).',
        status: 'pending' as const,
        grand_total: '12130',
        due_date: s.day(10),
      },
    ];
    return rows as never[];
  },
  hooks: {
    narrow: narrowToContract,
    validate: (w) => bindToContract(w, 'change_order_packages'),
  },
});

/** The change events a potential change order may name must be the project's. */
async function checkChangeEvents(w: Write<Record<string, unknown>>): Promise<void> {
  const named = (['prime_change_event_id', 'commitment_change_event_id'] as const).filter((k) => w.set[k] != null);
  if (named.length === 0) return;
  const events = new Set((await recordRows(w.c, w.trx, 'change_events')).map((r) => r['id'] as number));
  for (const k of named)
    if (!events.has(Number(w.set[k]))) w.errors.add(k, `change event ${String(w.set[k])} is not a change event of this project`);
}

export const potentialChangeOrders = defineResource({
  ...contractBound('potential_change_orders', ['PotentialChangeOrder', 'PotentialChangeOrders'], {
    list: 'PotentialChangeOrderIndex',
    show: 'PotentialChangeOrder',
  }),
  filters: { contract_id: { kind: 'ids', column: 'contract_id' } },
  fields: {
    ...contractChangeOrderFields(),
    prime_change_event_id: f.ref({ write: true, in: ['show'] }),
    commitment_change_event_id: f.ref({ write: true, in: ['show'] }),
    executed: f.computed(Type.Boolean(), (r) => r['status'] === 'approved', { in: ['list'] }),
    void: f.computed(Type.Boolean(), (r) => r['status'] === 'void', { in: ['show'] }),
    paid: f.computed(Type.Boolean(), (r) => r['paid_date'] != null, { in: ['show'] }),
    accounting_method: f.computed(Type.String(), () => 'amount', { in: ['show'] }),
    field_change: f.computed(Type.Boolean(), () => false, { in: ['show'] }),
    ...unmodelled({ change_order_request_id: NInt(), custom_fields: AnyObject() }),
    ...unmodelled(
      {
        change_reason: NStr(),
        change_order_request_title: NStr(),
        change_order_package_title: NStr(),
        potential_change_order_acronym_number: NStr(),
        change_order_request_acronym_number: NStr(),
        change_order_package_acronym_number: NStr(),
      },
      { in: ['list'] },
    ),
    ...unmodelled(
      {
        change_order_change_reason_id: NInt(),
        location_id: NInt(),
        request_for_quote_id: NInt(),
        designated_reviewer: NUserRef,
        received_from: NUserRef,
        reviewer: NUserRef,
        reason: NStr(),
        reference: NStr(),
        review_notes: NStr(),
        attachments: Type.Array(Attachment),
        line_items: Type.Array(AnyObject()),
        line_items_total: NStr(),
        line_items_extended_total: NStr(),
      },
      { in: ['show'] },
    ),
  },
  // Seed rows set the contract, its kind and the number as a create would.
  seed: (s) => {
    const ids = seededContracts(s);
    const rows: Record<string, unknown>[] = [
      {
        contract_id: ids.prime1,
        contract_kind: 'prime_contracts',
        number: '1',
        title: 'Over-excavation and engineered fill at F3',
        description: 'Prices change event 1: unsuitable soil at footing F3.',
        status: 'pending' as const,
        grand_total: '12130',
        schedule_impact_amount: 3,
        due_date: s.day(10),
      },
      {
        contract_id: ids.prime1,
        contract_kind: 'prime_contracts',
        number: '2',
        title: 'Accent paint, level 1',
        description: 'Owner-requested accent walls (change event 2).',
        status: 'draft' as const,
        grand_total: '2100',
        due_date: s.day(21),
      },
      {
        contract_id: ids.wo2,
        contract_kind: 'work_order_contracts',
        number: '1',
        title: 'Added circuits for owner equipment',
        status: 'approved' as const,
        grand_total: '3200',
        due_date: s.day(14),
      },
    ];
    return rows as never[];
  },
  hooks: {
    narrow: narrowToContract,
    async validate(w) {
      await bindToContract(w, 'potential_change_orders');
      await checkChangeEvents(w);
    },
  },
});

/** A change order request's package must be a package of the same contract. */
async function checkPackage(w: Write<Record<string, unknown>>): Promise<void> {
  const id = w.set['change_order_package_id'];
  if (id == null) return;
  const contract = w.set['contract_id'] ?? w.row?.['contract_id'];
  const pkg = (await recordRows(w.c, w.trx, 'change_order_packages')).find((r) => r['id'] === Number(id));
  if (!pkg || pkg['contract_id'] !== contract)
    w.errors.add('change_order_package_id', `change order package ${String(id)} is not a package of contract ${String(contract)}`);
}

export const changeOrderRequests = defineResource({
  ...contractBound('change_order_requests', ['ChangeOrderRequest', 'ChangeOrderRequests'], {
    list: 'ChangeOrderRequestIndex',
    show: 'ChangeOrderRequest',
  }),
  filters: {
    contract_id: { kind: 'ids', column: 'contract_id' },
    change_order_package_id: { kind: 'ids', column: 'change_order_package_id' },
    status: { kind: 'enum', column: 'status', values: STATUSES },
    not_status: {
      kind: 'enum',
      column: 'status',
      values: STATUSES,
      apply: (qb, filter) => (filter.kind === 'enum' ? qb.where('status', 'not in', filter.values) : qb),
    },
  },
  fields: {
    ...contractChangeOrderFields(),
    change_order_package_id: f.ref({ write: true }),
    ...unmodelled({ currency_configuration: AnyObject() }, { in: ['list'] }),
    ...unmodelled({ designated_reviewer: NUserRef, reviewer: NUserRef, review_notes: NStr() }, { in: ['show'] }),
  },
  // As a create would store them: the contract, its kind, the number.
  seed: (s) => {
    const ids = seededContracts(s);
    const rows: Record<string, unknown>[] = [
      {
        contract_id: ids.prime1,
        contract_kind: 'prime_contracts',
        number: '1',
        title: 'Site conditions, footings F3–F4',
        description: 'Groups the potential change orders for unsuitable soil.',
        status: 'pending' as const,
        grand_total: '12130',
        schedule_impact_amount: 3,
        due_date: s.day(12),
      },
    ];
    return rows as never[];
  },
  hooks: {
    narrow: narrowToContract,
    async validate(w) {
      await bindToContract(w, 'change_order_requests');
      await checkPackage(w);
    },
  },
});
