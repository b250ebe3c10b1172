/**
 * A checklist's sections and items. Sections live under their checklist
 * (`/checklist/lists/{list_id}/sections`, `project_id` in the query or body); creating one with
 * `items_attributes` creates its items; marking it `not_applicable` (or toggling it) sets its
 * items to n/a. Items (`/checklist/lists/{list_id}/items/{id}`) take a `status` — yes, no, n/a,
 * none — that is also their response (conforming, non_conforming, not_applicable, none); the
 * response itself is `/projects/{project_id}/checklist/items/{item_id}/item_response`. Project-wide
 * lists: `/projects/{project_id}/checklist/list_sections` and `…/list_items`.
 */
import { Type } from '@sinclair/typebox';
import { isoSeconds } from '../../../core/clock.js';
import { defineResource, records } from '../../compile.js';
import { f, unmodelled, type AnyRow, type ReadContext } from '../../fields.js';
import { queryId } from '../../http/query.js';
import type { ApiContext, Db, ResourceHelpers } from '../../resource.js';
import { AnyObject, Attachment, BodyDate, Id, NInt, NStr, Nullable, Obj, Timestamp } from '../../schemas.js';
import { destroyRecords, insertRecord, recordRows, setRecordData } from '../locations/store.js';
import { ITEMS, ITEM_TYPES, LISTS, RESPONSE_OF, SECTIONS, itemData } from './index.js';

const listParent = { param: 'list_id', storage: records({ softDelete: true }), name: LISTS };
const ITEM_STATUSES = ['yes', 'no', 'n/a', 'none'] as const;
const RESPONSE_STATUSES = ['conforming', 'non_conforming', 'neutral', 'not_applicable'] as const;
const STATUS_OF: Record<string, string> = { conforming: 'yes', non_conforming: 'no', not_applicable: 'n/a', neutral: 'none' };

const sectionFields = {
  id: f.id({ filter: 'ids' }),
  name: f.text({ write: 'required', sort: true }),
  position: f.int({ write: 'required', min: 0, sort: true }),
  not_applicable: f.bool({ write: true }),
  list_id: f.computed(Type.Integer(), (r) => r['parent_id']),
  created_at: f.createdAt(),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
};

/** Sets every item of a section to n/a (or back to not inspected). */
async function markItems(c: ApiContext, db: Db, listId: number, sectionId: number, notApplicable: boolean, now: string) {
  for (const item of await recordRows(c, db, ITEMS, { parentIds: [listId] }))
    if (item['section_id'] === sectionId) {
      const status = notApplicable ? 'n/a' : 'none';
      await setRecordData(c, db, item['id'], { ...item, status, response_status: RESPONSE_OF[status] ?? null }, now);
    }
}

/** A section of a checklist; `project_id` names the project (query or body). */
export const checklistSections = defineResource({
  name: SECTIONS,
  tag: 'Inspections',
  noun: ['ChecklistSection', 'ChecklistSections'],
  titles: { list: 'ChecklistSectionCompact', show: 'ChecklistSectionCompact' },
  path: '/checklist/lists/{list_id}/sections',
  scope: 'project',
  parent: listParent,
  storage: records({ parent: true }),
  body: 'section',
  versions: ['v1.0', 'vapid'],
  operations: { create: {}, show: {}, update: {}, delete: {} },
  fields: sectionFields,
  extraBody: {
    items_attributes: Type.Array(
      Type.Object({
        name: Type.String({ minLength: 1, maxLength: 1000 }),
        position: Type.Integer({ minimum: 0, maximum: 100_000 }),
        status: Type.Optional(Type.Union(ITEM_STATUSES.map((s) => Type.Literal(s)))),
      }),
      { maxItems: 500 },
    ),
  },
  hooks: {
    async afterWrite(w) {
      const listId = w.c.params['list_id'] as number;
      for (const item of w.body.items_attributes ?? [])
        await insertRecord(w.c, w.trx, ITEMS, itemData(item.name, item.position, w.id, item.status ?? 'none'), w.now, listId);
      if (w.body.not_applicable !== undefined && (w.row?.['not_applicable'] ?? false) !== w.body.not_applicable)
        await markItems(w.c, w.trx, listId, w.id, w.body.not_applicable, w.now);
    },
    // A section's items go with it.
    async afterRemove(c, trx, id, how) {
      if (how !== 'destroy') return;
      const items = await recordRows(c, trx, ITEMS, { parentIds: [c.params['list_id'] as number] });
      await destroyRecords(
        c,
        trx,
        items.filter((i) => i['section_id'] === id).map((i) => i['id'] as number),
      );
    },
  },
  extra: ({ find, serialize, schemas }) =>
    (['PUT', 'PATCH'] as const).map((method) => ({
      method: method as 'PATCH',
      path: '/checklist/lists/{list_id}/sections/{section_id}/toggle_not_applicable',
      operationId: method === 'PUT' ? 'toggleChecklistSectionNotApplicablePut' : 'toggleChecklistSectionNotApplicable',
      summary: 'Toggle a section’s not-applicable status (its items follow)',
      project: { from: 'query' as const },
      versions: method === 'PUT' ? (['v1.0', 'vapid'] as const) : (['v1.0'] as const),
      response: schemas.show,
      async handler(c: ApiContext) {
        const id = c.params['section_id'] as number;
        const listId = c.params['list_id'] as number;
        await c.db.transaction().execute(async (trx) => {
          const row = await find(c, id, trx);
          const now = isoSeconds(c.nowMs());
          const next = row['not_applicable'] !== true;
          await setRecordData(c, trx, id, { ...row, not_applicable: next }, now);
          await markItems(c, trx, listId, id, next, now);
        });
        return (await serialize(c, [await find(c, id)], 'show'))[0];
      },
    })),
});

/** Every checklist section of a project (`filters[list_id]`). */
export const projectChecklistSections = defineResource({
  name: SECTIONS,
  tag: 'Inspections',
  noun: ['ProjectChecklistSection', 'ProjectChecklistSections'],
  titles: { list: 'ChecklistSectionCompact', show: 'ChecklistSectionCompact' },
  path: '/projects/{project_id}/checklist/list_sections',
  scope: 'project',
  storage: records({ parent: true }),
  versions: ['v1.0'],
  operations: { list: {} },
  filters: { list_id: { kind: 'ids', column: 'parent_id' } },
  sort: {
    default: [
      ['parent_id', 'asc'],
      ['position', 'asc'],
      ['id', 'asc'],
    ],
    keys: { position: 'position' },
  },
  fields: sectionFields,
});

// ---- items -----------------------------------------------------------------------------------

const Responder = Nullable(Obj({ id: Id, login: Type.String(), name: Type.String() }, { title: 'ChecklistResponder' }));
const ItemType = Obj({ id: Id, category: Type.String(), name: Type.String() }, { title: 'ChecklistItemType' });
const ItemResponse = Obj(
  {
    item_id: Type.Integer(),
    status: NStr(),
    responded_at: Timestamp(),
    responder: Responder,
    item_type: ItemType,
    payload: Obj({
      text_value: NStr(),
      number_value: Nullable(Type.Number()),
      date_value: NStr(),
      response_option: Nullable(Obj({ id: Id, name: NStr() })),
    }),
  },
  { title: 'ChecklistItemResponse' },
);
const itemTypeOf = (r: AnyRow) => ITEM_TYPES.find((t) => t.id === r['item_type_id']) ?? ITEM_TYPES[0]!;
function responseOf(r: AnyRow, x: ReadContext) {
  return {
    item_id: r['id'],
    status: r['response_status'] ?? null,
    responded_at: r['responded_at'] ?? null,
    responder: x.user(r['responder_id']),
    item_type: itemTypeOf(r),
    payload: {
      text_value: r['text_value'] ?? null,
      number_value: r['number_value'] ?? null,
      date_value: r['date_value'] ?? null,
      response_option: null,
    },
  };
}

const itemFields = {
  id: f.id({ filter: 'ids' }),
  name: f.text({ write: true, sort: true }),
  details: f.text({ write: true, long: true }),
  position: f.int({ write: true, min: 0, sort: true }),
  status: f.enum(ITEM_STATUSES, { write: true, default: 'none' }),
  responded_with: f.computed(NStr(), (r) => (r['status'] === 'none' ? null : String(r['status']))),
  section_id: f.ref({ filter: 'ids' }),
  list_id: f.computed(Type.Integer(), (r) => r['parent_id']),
  response_status: f.text({ in: [] }),
  responder_id: f.hidden(),
  responder: f.user({ column: 'responder_id', in: [] }),
  item_response: f.computed(ItemResponse, responseOf),
  type: f.computed(ItemType, itemTypeOf),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  created_at: f.createdAt(),
  ...unmodelled({
    origin_id: NInt(),
    template_item_id: NInt(),
    response_type_id: NInt(),
    response_set_id: NInt(),
    response: Nullable(Obj({ id: Id, name: NStr(), corresponding_status: NStr() })),
    observations: Type.Array(AnyObject()),
    attachments: Type.Array(Attachment),
    attachment_histories: Type.Array(AnyObject()),
    histories: Type.Array(AnyObject()),
    comments: Type.Array(AnyObject()),
  }),
};

/** The `section_id` a request names (query or body), if any: the item must be in that section. */
function sectionOf(c: ApiContext): number | undefined {
  const sent = (c.request.body ?? {}) as Record<string, unknown>;
  return queryId(c.query, 'section_id') ?? (typeof sent['section_id'] === 'number' ? sent['section_id'] : undefined);
}

/** An item of a checklist: its status is its response (`yes` → conforming …). */
export const checklistItems = defineResource({
  name: ITEMS,
  tag: 'Inspections',
  noun: ['ChecklistItem', 'ChecklistItems'],
  titles: { list: 'ChecklistSectionItem', show: 'ChecklistSectionItem' },
  path: '/checklist/lists/{list_id}/items',
  scope: 'project',
  parent: listParent,
  storage: records({ parent: true }),
  body: 'item',
  versions: ['v1.0', 'vapid'],
  operations: { show: {}, update: {} },
  query: { section_id: Type.String({ description: 'Section of the item' }) },
  fields: itemFields,
  hooks: {
    beforeUpdate(w) {
      if (w.body.status === undefined || w.body.status === w.row?.['status']) return;
      Object.assign(w.set, {
        response_status: RESPONSE_OF[w.body.status] ?? null,
        responded_at: w.body.status === 'none' ? null : w.now,
        responder_id: w.body.status === 'none' ? null : w.c.auth.userId,
      });
    },
    narrow(c, qb) {
      const section = sectionOf(c);
      return section === undefined ? qb : qb.where('section_id', '=', section);
    },
  },
});

/** Every checklist item of a project, and the item responses. */
export const projectChecklistItems = defineResource({
  name: ITEMS,
  tag: 'Inspections',
  noun: ['ProjectChecklistItem', 'ProjectChecklistItems'],
  titles: { list: 'ChecklistSectionItem', show: 'ChecklistSectionItem' },
  path: '/projects/{project_id}/checklist/list_items',
  scope: 'project',
  storage: records({ parent: true }),
  versions: ['v1.0'],
  operations: { list: { versions: ['v1.0', 'v1.1'] } },
  filters: {
    list_id: { kind: 'ids', column: 'parent_id' },
    item_response_status: {
      kind: 'enum',
      column: 'response_status',
      values: [...RESPONSE_STATUSES, 'null'],
      apply: (qb, p) => {
        const want = p.kind === 'enum' ? p.values : [];
        const some = want.filter((v) => v !== 'null');
        return qb.where((eb) =>
          eb.or([
            ...(some.length ? [eb('response_status', 'in', some)] : []),
            ...(want.includes('null') ? [eb('response_status', 'is', null)] : []),
          ]),
        );
      },
    },
  },
  sort: {
    default: [
      ['parent_id', 'asc'],
      ['section_id', 'asc'],
      ['position', 'asc'],
      ['id', 'asc'],
    ],
    keys: { position_by_section: 'position' },
  },
  fields: itemFields,
  extra: (h) => itemResponses(h),
});

function itemResponses(h: ResourceHelpers) {
  const path = '/projects/{project_id}/checklist/items/{item_id}/item_response';
  const project = { from: 'path' as const };
  const show = async (c: ApiContext) => {
    const [row] = await h.serialize(c, [await h.find(c, c.params['item_id'] as number)], 'show');
    return (row as { item_response: unknown }).item_response;
  };
  const write = async (c: ApiContext, set: AnyRow) => {
    await c.db.transaction().execute(async (trx) => {
      const row = await h.find(c, c.params['item_id'] as number, trx);
      await setRecordData(c, trx, row['id'] as number, { ...row, ...set }, isoSeconds(c.nowMs()));
    });
  };
  return [
    {
      method: 'GET' as const,
      path,
      operationId: 'showChecklistItemResponse',
      summary: 'Show a checklist item’s response',
      project,
      versions: ['v1.0' as const],
      response: ItemResponse,
      handler: show,
    },
    {
      method: 'POST' as const,
      path,
      operationId: 'createChecklistItemResponse',
      summary: 'Respond to a checklist item (its status follows)',
      project,
      versions: ['v1.0' as const],
      body: {
        root: 'item_response',
        schema: Type.Object({
          status: Type.Optional(Type.Union(RESPONSE_STATUSES.map((s) => Type.Literal(s)))),
          text_value: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
          number_value: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
          date_value: Type.Optional(BodyDate),
        }),
      },
      response: ItemResponse,
      async handler(c: ApiContext) {
        const b = c.body as { status?: string; text_value?: string | null; number_value?: number | null; date_value?: string | null };
        const status = b.status ?? 'neutral';
        await write(c, {
          response_status: status,
          status: STATUS_OF[status] ?? 'none',
          responded_at: isoSeconds(c.nowMs()),
          responder_id: c.auth.userId,
          text_value: b.text_value ?? null,
          number_value: b.number_value ?? null,
          date_value: b.date_value ?? null,
        });
        return show(c);
      },
    },
    {
      method: 'DELETE' as const,
      path,
      operationId: 'deleteChecklistItemResponse',
      summary: 'Clear a checklist item’s response',
      project,
      versions: ['v1.0' as const],
      status: 204 as const,
      async handler(c: ApiContext) {
        await write(c, {
          response_status: null,
          status: 'none',
          responded_at: null,
          responder_id: null,
          text_value: null,
          number_value: null,
          date_value: null,
        });
        return null;
      },
    },
  ];
}
