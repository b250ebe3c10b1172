/**
 * Change events (`/change_events?project_id=`): one set of rows served in two shapes — v1.0 and
 * vapid (2017 `ChangeEvent`: `number` an integer, `change_event_line_items`, `change_event_status`)
 * and v1.1 (`number` a string, `scope`, `status` an object, `change_items`). Numbers continue the
 * project's highest; `status_id` / `change_event_status_id` is one of Procore's default statuses
 * (`/change_event/statuses`); line items reference the project's cost codes and the company's
 * line item types; deleting (v1.1) moves an event to the recycle bin.
 */
import { Type } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { f, unmodelled, type AnyRow, type ReadContext } from '../../fields.js';
import type { ApiContext, ApiVersion, Db, Resource, SeedContext } from '../../resource.js';
import { AnyObject, Attachment, BodyNullable, Id, NInt, NStr, Nullable, Obj } from '../../schemas.js';
import { money } from '../commitments/line-items.js';
import {
  NCostCode,
  NLineItemType,
  checkCostRefs,
  costCodeOf,
  costCodeRefs,
  lineItemTypeOf,
  seededCostCodes,
  seededLineItemTypes,
  type CostCodeRefs,
} from '../cost-codes/index.js';
import { destroyRecords, insertRecord, nextNumber, recordRows } from '../locations/store.js';

const EVENTS = 'change_events';
const LINES = 'change_event_line_items';
const TYPES = ['tbd', 'allowance', 'contingency', 'owner_change', 'transfer'] as const;
const SCOPES = ['tbd', 'in_scope', 'out_of_scope'] as const;

/** Procore's default change event statuses. */
export const CHANGE_EVENT_STATUSES = [
  { id: 1, name: 'Open', mapped_to_status: 'open', show_in_select: true, default_status: true },
  { id: 2, name: 'Pending', mapped_to_status: 'pending', show_in_select: true, default_status: false },
  { id: 3, name: 'Closed', mapped_to_status: 'closed', show_in_select: true, default_status: false },
] as const;
const statusOf = (r: AnyRow) => CHANGE_EVENT_STATUSES.find((s) => s.id === r['status_id']) ?? CHANGE_EVENT_STATUSES[0];
const StatusIds = Type.Union(CHANGE_EVENT_STATUSES.map((s) => Type.Literal(s.id)));

const ChangeEventStatus = Obj(
  { id: Id, name: Type.String(), mapped_to_status: Type.String(), show_in_select: Type.Boolean(), default_status: Type.Boolean() },
  { title: 'ChangeEventStatus' },
);

/** A line as written in a v1.0 body (`change_event_line_items: […]`). */
const LineBody = Type.Object({
  description: Type.Optional(Type.String({ maxLength: 255 })),
  cost_code_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  line_item_type_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  rom: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  revenue_rom: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
});

interface Loaded {
  lines: Map<number, AnyRow[]>;
  refs: CostCodeRefs;
}
const loadedOf = (x: ReadContext) => x.extra as Loaded;
const linesOf = (r: AnyRow, x: ReadContext) => loadedOf(x).lines.get(r['id'] as number) ?? [];

async function load(c: ApiContext, db: Db, rows: AnyRow[]): Promise<Loaded> {
  const all = await recordRows(c, db, LINES, { parentIds: rows.map((r) => r['id'] as number) });
  const lines = new Map<number, AnyRow[]>();
  for (const l of all) lines.set(l['parent_id'] as number, [...(lines.get(l['parent_id'] as number) ?? []), l]);
  return { lines, refs: await costCodeRefs(c, db) };
}

/** Replaces an event's lines with the written ones. */
async function writeLines(c: ApiContext, db: Db, event: number, lines: AnyRow[] | undefined, now: string): Promise<void> {
  if (!lines) return;
  await destroyRecords(
    c,
    db,
    (await recordRows(c, db, LINES, { parentIds: [event] })).map((l) => l['id'] as number),
  );
  for (const l of lines)
    await insertRecord(
      c,
      db,
      LINES,
      {
        description: l['description'] ?? null,
        cost_code_id: l['cost_code_id'] ?? null,
        line_item_type_id: l['line_item_type_id'] ?? null,
        rom: l['rom'] ?? null,
        revenue_rom: l['revenue_rom'] ?? null,
      },
      now,
      event,
    );
}

const common = {
  id: f.id({ filter: 'ids' }),
  title: f.text({ write: true, sort: true, search: true }),
  description: f.text({ write: true, long: true, search: true }),
  project_id: f.computed(NInt(), (r: AnyRow) => r['project_id'] ?? null),
  created_by: f.user({ creator: true }),
  created_at: f.createdAt({ filter: 'datetime', sort: true }),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  deleted_at: f.datetime(),
};

function changeEvents(versions: readonly ApiVersion[], shape: 'v1.0' | 'v1.1'): Resource {
  const hooks = {
    prepare: (c: ApiContext, rows: AnyRow[]) => load(c, c.db, rows),
    async validate(w: { c: ApiContext; trx: Db; body: Record<string, unknown>; errors: { add(f: string, m: string): void } }) {
      const lines = w.body['change_event_line_items'] as AnyRow[] | undefined;
      if (!lines) return;
      const refs = await costCodeRefs(w.c, w.trx);
      lines.forEach((l, i) => {
        const errors = { add: (field: string, m: string) => w.errors.add(`change_event_line_items[${i}].${field}`, m) };
        checkCostRefs(l, refs, errors);
      });
    },
    async beforeInsert(w: { c: ApiContext; trx: Db; body: Record<string, unknown>; set: AnyRow }) {
      const n = await nextNumber(w.c, w.trx, EVENTS, 'number');
      w.set['number'] = n;
      w.set['status_id'] ??= 1;
    },
    async afterWrite(w: { c: ApiContext; trx: Db; body: Record<string, unknown>; id: number; now: string }) {
      await writeLines(w.c, w.trx, w.id, w.body['change_event_line_items'] as AnyRow[] | undefined, w.now);
    },
  };
  const extraBody = { change_event_line_items: Type.Array(LineBody, { maxItems: 500 }) };
  if (shape === 'v1.0')
    return defineResource({
      name: EVENTS,
      tag: 'Change Events',
      noun: ['ChangeEvent', 'ChangeEvents'],
      titles: { list: 'ChangeEvent', show: 'ChangeEvent' },
      path: '/change_events',
      scope: 'project',
      storage: records({ softDelete: true }),
      body: 'change_event',
      versions,
      operations: { list: {}, show: {}, create: {}, update: {} },
      query: { include_rfqs: Type.String({ description: 'Not modelled: RFQs are always empty' }) },
      fields: {
        ...common,
        number: f.int({ sort: true }),
        alphanumeric_number: f.computed(NStr(), (r) => (r['number'] == null ? null : String(r['number']))),
        status: f.computed(Type.String(), (r) => statusOf(r).mapped_to_status),
        status_id: f.ref({ write: 'change_event_status_id', body: StatusIds, in: [] }),
        change_event_status: f.computed(ChangeEventStatus, (r) => statusOf(r)),
        event_type: f.enum(TYPES, { write: true, default: 'tbd', filter: 'enum' }),
        event_scope: f.enum(SCOPES, { write: true, default: 'tbd', filter: 'enum' }),
        origin_id: f.text({ write: true }),
        origin_data: f.text({ write: true, long: true }),
        change_event_line_items: f.computed(
          Type.Array(
            Obj({ id: Id, description: NStr(), rom: NInt(), revenue_rom: NInt(), cost_code: NCostCode, line_item_type: NLineItemType }),
          ),
          (r, x) =>
            linesOf(r, x).map((l) => ({
              id: l['id'],
              description: l['description'] ?? null,
              rom: l['rom'] == null ? null : Math.round(Number(l['rom'])),
              revenue_rom: l['revenue_rom'] == null ? null : Math.round(Number(l['revenue_rom'])),
              cost_code: costCodeOf(l['cost_code_id'], loadedOf(x).refs),
              line_item_type: lineItemTypeOf(l['line_item_type_id'], loadedOf(x).refs),
            })),
        ),
        ...unmodelled({
          rfi: Nullable(AnyObject()),
          change_order_change_reason: Nullable(AnyObject()),
          change_event_origin_id: NInt(),
          change_event_origin_type: NStr(),
          attachments: Type.Array(Attachment),
          rfqs: Type.Array(AnyObject()),
          currency_configuration: AnyObject(),
        }),
      },
      extraBody,
      hooks: {
        ...hooks,
        seedChildren: (row, body, sc) => [
          {
            table: 'records',
            rows: ((body as { lines?: AnyRow[] }).lines ?? []).map((l) => ({
              id: sc.nextId(),
              sandbox_id: sc.sandboxId,
              resource: LINES,
              project_id: sc.projectId,
              parent_id: row['id'],
              data: JSON.stringify(l),
              created_at: sc.created,
              updated_at: sc.created,
              deleted_at: null,
            })),
          },
        ],
      },
      seed: seeds,
      extra: () => [
        {
          method: 'GET',
          path: '/change_event/statuses',
          operationId: 'listChangeEventStatuses',
          summary: "List a project's change event statuses",
          project: { from: 'query' },
          versions,
          response: Type.Array(ChangeEventStatus),
          handler: async () => CHANGE_EVENT_STATUSES,
        },
      ],
    });
  const impact = (v: unknown) => ({ value: v == null ? null : money(Number(v)) });
  return defineResource({
    name: EVENTS,
    tag: 'Change Events',
    noun: ['ChangeEventV11', 'ChangeEventsV11'],
    titles: { list: 'ChangeEventV11', show: 'ChangeEventV11' },
    path: '/change_events',
    scope: 'project',
    storage: records({ softDelete: true }),
    body: 'change_event',
    versions,
    operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
    query: { include_deleted_change_event_line_items: Type.String({ description: 'Not modelled' }) },
    fields: {
      ...common,
      number: f.computed(NStr(), (r) => (r['number'] == null ? null : String(r['number']))),
      number_value: f.int({ column: 'number', in: [] }),
      origin_id: f.text({ in: [] }),
      origin_data: f.text({ in: [] }),
      scope: f.enum(SCOPES, { write: true, column: 'event_scope', default: 'tbd' }),
      status_id: f.ref({ write: true, body: StatusIds, in: [] }),
      status: f.computed(Obj({ id: Id, name: Type.String(), mapped_to_status: Type.String() }), (r) => {
        const s = statusOf(r);
        return { id: s.id, name: s.name, mapped_to_status: s.mapped_to_status };
      }),
      company_id: f.computed(NInt(), (_r, x) => x.c.project?.company_id ?? null),
      comments_enabled: f.computed(Type.Boolean(), () => false),
      deletable: f.computed(Type.Boolean(), () => true),
      in_recycle_bin: f.computed(Type.Boolean(), (r) => r['deleted_at'] != null),
      external_data: f.computed(Obj({ origin_id: NStr(), origin_data: NStr() }), (r) => ({
        origin_id: r['origin_id'] ?? null,
        origin_data: r['origin_data'] ?? null,
      })),
      change_items: f.computed(Type.Array(AnyObject()), (r, x) =>
        linesOf(r, x).map((l) => {
          const cc = costCodeOf(l['cost_code_id'], loadedOf(x).refs);
          return {
            id: l['id'],
            event_id: r['id'],
            event_number: String(r['number'] ?? ''),
            event_title: r['title'] ?? null,
            item_type: 'line_item',
            description: l['description'] ?? null,
            budget_code: cc ? { id: cc.id, code: cc.full_code, name: cc.name } : null,
            cost_impact: impact(l['rom']),
            revenue_impact: impact(l['revenue_rom']),
            budget_impact: impact(l['revenue_rom']),
            latest_cost_values: impact(l['rom']),
            latest_revenue_values: impact(l['revenue_rom']),
            deletable: true,
            editable: true,
            source: null,
            notes: null,
            created_at: l['created_at'] ?? null,
            updated_at: l['updated_at'] ?? null,
            deleted_at: null,
          };
        }),
      ),
      ...unmodelled({
        event_origin: Nullable(AnyObject()),
        change_type: Nullable(AnyObject()),
        change_reason: Nullable(AnyObject()),
        prime_contract_for_estimates: Nullable(AnyObject()),
        attachments: Type.Array(Attachment),
        custom_fields: AnyObject(),
        markup_items: Type.Array(AnyObject()),
        production_quantities: Type.Array(AnyObject()),
        notes: Nullable(AnyObject()),
        currency_configuration: AnyObject(),
        source: NStr(),
      }),
    },
    extraBody: {
      ...extraBody,
      status: Type.Object({ id: StatusIds }),
      external_data: Type.Object({
        origin_id: Type.Optional(BodyNullable(Type.String())),
        origin_data: Type.Optional(BodyNullable(Type.String())),
      }),
    },
    hooks: {
      ...hooks,
      async validate(w) {
        await hooks.validate(w);
        const b = w.body as { status?: { id: number }; external_data?: { origin_id?: string | null; origin_data?: string | null } };
        if (b.status) w.set['status_id'] = b.status.id;
        if (b.external_data?.origin_id !== undefined) w.set['origin_id'] = b.external_data.origin_id;
        if (b.external_data?.origin_data !== undefined) w.set['origin_data'] = b.external_data.origin_data;
      },
    },
  });
}

/** Seeded change events and their lines, against the seeded cost codes. */
function seeds(s: SeedContext) {
  const cc = seededCostCodes(s);
  const lt = seededLineItemTypes(s);
  return [
    {
      number: 1,
      title: 'Unsuitable soil at footing F3',
      description: 'Over-excavate and replace with engineered fill.',
      event_type: 'owner_change' as const,
      event_scope: 'out_of_scope' as const,
      change_event_status_id: 1 as const,
      lines: [
        {
          description: 'Over-excavation and fill',
          cost_code_id: cc.concrete,
          line_item_type_id: lt.commitment,
          rom: 8_400,
          revenue_rom: 9_660,
        },
        { description: 'Additional concrete', cost_code_id: cc.concrete, line_item_type_id: lt.materials, rom: 2_150, revenue_rom: 2_470 },
      ],
    },
    {
      number: 2,
      title: 'Owner-requested accent paint',
      event_type: 'allowance' as const,
      event_scope: 'in_scope' as const,
      change_event_status_id: 2 as const,
      lines: [
        { description: 'Accent walls, level 1', cost_code_id: cc.painting, line_item_type_id: lt.labor, rom: 1_800, revenue_rom: 2_100 },
      ],
    },
  ];
}

export const changeEventsV10 = changeEvents(['v1.0', 'vapid'], 'v1.0');
export const changeEventsV11 = changeEvents(['v1.1'], 'v1.1');
