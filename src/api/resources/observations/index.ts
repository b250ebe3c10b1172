/**
 * Observations (`/observations/items?project_id=`): numbered per project, typed (Procore's default
 * observation types), with assignee, distribution and location references checked. Closing stamps
 * `closed_at`; deleting (`DELETE /projects/{project_id}/observations/items/{id}`) moves an item to
 * the recycle bin.
 */
import { Type } from '@sinclair/typebox';
import { isoSeconds } from '../../../core/clock.js';
import { defineResource, records } from '../../compile.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import { AnyObject, Attachment, Id, NIdName, NStr, Nullable, Obj } from '../../schemas.js';
import { seededLocations } from '../locations/index.js';
import { nextNumber } from '../locations/store.js';

export const OBSERVATION_STATUSES = ['initiated', 'ready_for_review', 'not_accepted', 'closed'] as const;
const PRIORITIES = ['Low', 'Medium', 'High', 'Urgent'] as const;

/** Procore's default observation types (category = name); ids are the sandbox's, stable. */
export const OBSERVATION_TYPES = ['Safety', 'Quality', 'Commissioning', 'Warranty', 'Work to Complete'].map((name, i) => ({
  id: i + 1,
  category: name,
  category_key: name.toLowerCase().replace(/ /g, '_'),
  category_id: i + 1,
  name,
  active: true,
  company_active: true,
  parent_inactive: false,
  in_use: true,
  kind: null,
  name_translations: {},
  localized_name: name,
}));
const ObservationType = Obj(
  {
    id: Id,
    category: Type.String(),
    category_key: Type.String(),
    category_id: Type.Integer(),
    name: Type.String(),
    active: Type.Boolean(),
    company_active: Type.Boolean(),
    parent_inactive: Type.Boolean(),
    in_use: Type.Boolean(),
    kind: NStr(),
    name_translations: AnyObject(),
    localized_name: NStr(),
  },
  { title: 'ObservationType' },
);
const typeOf = (r: AnyRow) => OBSERVATION_TYPES.find((t) => t.id === r['type_id']) ?? null;
const show = { in: ['show'] } as const;

export const observations = defineResource({
  name: 'observations',
  tag: 'Observations',
  noun: ['ObservationItem', 'ObservationItems'],
  titles: { list: 'ObservationItemIndex', show: 'ObservationItem' },
  path: '/observations/items',
  scope: 'project',
  storage: records({ softDelete: true }),
  body: 'observation',
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, show: {}, create: {}, update: {} },
  search: { filter: 'search', description: 'Text in number, name or description' },
  sort: { default: [['id', 'asc']] },
  filters: {
    status: {
      kind: 'int',
      column: 'status',
      apply: (qb, p) => {
        const values = p.kind === 'in' ? p.values.map((n) => OBSERVATION_STATUSES[n] ?? '-') : [];
        return qb.where('status', 'in', values.length ? values : ['-']);
      },
    },
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    number: f.text({ write: true, max: 50, search: true, sort: true }),
    name: f.text({ write: 'required', sort: true, search: true }),
    description: f.text({ write: true, long: true, search: true }),
    description_rich_text: f.computed(NStr(), (r) => r['description'] ?? null),
    status: f.enum(OBSERVATION_STATUSES, { write: true, default: 'initiated', sort: true }),
    priority: f.enum(PRIORITIES, {
      write: true,
      default: null,
      filter: 'enum',
      body: Type.Union([...PRIORITIES.map((v) => Type.Literal(v)), Type.Null()]),
    }),
    type_id: f.ref({ write: true, body: Type.Union(OBSERVATION_TYPES.map((t) => Type.Literal(t.id))), filter: 'ids', in: [] }),
    type: f.computed(Nullable(ObservationType), typeOf),
    date_notified: f.date({}),
    due_date: f.date({ write: true, sort: true }),
    closed_at: f.datetime(),
    personal: f.bool({ write: true }),
    assignee: f.user({ write: 'assignee_id', filter: 'ids' }),
    created_by: f.user({ creator: true, filter: 'ids' }),
    distribution_members: f.users({ write: 'distribution_member_ids', column: 'distribution_member_ids', ...show }),
    location: f.location({ write: 'location_id', filter: 'ids' }),
    created_at: f.createdAt({ sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    deleted_at: f.datetime(),
    ...unmodelled({
      trade: NIdName(),
      origin: Nullable(Obj({ type: NStr(), payload: AnyObject() })),
      specification_section: NIdName(),
      custom_fields: AnyObject(),
    }),
    ...unmodelled(
      {
        checklist_item: Nullable(Obj({ id: Id })),
        checklist_list: Nullable(Obj({ id: Id })),
        attachments: Type.Array(Attachment),
        drawing_revisions: Type.Array(AnyObject()),
        drawing_ids: Type.Array(Type.Integer()),
        current_drawing_revision_ids: Type.Array(Type.Integer()),
        contributing_behavior: NIdName(),
        contributing_condition: NIdName(),
        hazard: NIdName(),
      },
      show,
    ),
  },
  required: ['type_id'],
  hooks: {
    async beforeInsert(w) {
      if (w.body.number == null || w.body.number === '') w.set['number'] = String(await nextNumber(w.c, w.trx, 'observations', 'number'));
      w.set['date_notified'] = w.now.slice(0, 10);
      if (w.set['status'] === 'closed') w.set['closed_at'] = w.now;
    },
    beforeUpdate(w) {
      if (w.body.status === undefined || w.body.status === w.row?.['status']) return;
      w.set['closed_at'] = w.body.status === 'closed' ? w.now : null;
    },
  },
  seed: (s) => {
    const loc = seededLocations(s);
    return [
      {
        number: '1',
        name: 'Missing guardrail at stair 2',
        description: 'Temporary guardrail removed on the second floor landing.',
        type_id: 1,
        priority: 'High',
        assignee_id: s.users.sub,
        location_id: loc.level2,
        due_date: s.day(2),
        date_notified: s.day(0),
      },
      {
        number: '2',
        name: 'Honeycombing at footing F3',
        type_id: 2,
        priority: 'Medium',
        status: 'ready_for_review',
        assignee_id: s.users.sub,
        location_id: loc.site,
        due_date: s.day(5),
        date_notified: s.day(0),
      },
      {
        number: '3',
        name: 'Door hardware does not match submittal',
        type_id: 5,
        priority: 'Low',
        status: 'closed',
        closed_at: s.created,
        assignee_id: s.users.arch,
        location_id: loc.room101,
        date_notified: s.day(0),
      },
    ];
  },
  extra: ({ find }) => [
    {
      method: 'DELETE',
      path: '/projects/{project_id}/observations/items/{id}',
      operationId: 'deleteObservationItem',
      summary: 'Delete an observation (moves it to the recycle bin)',
      project: { from: 'path' },
      versions: ['v1.0'],
      status: 204,
      async handler(c) {
        const row = await find(c, c.params['id'] as number);
        const now = isoSeconds(c.nowMs());
        await c.db
          .updateTable('records')
          .set({ deleted_at: now, updated_at: now })
          .where('sandbox_id', '=', c.auth.sandboxId)
          .where('id', '=', row['id'] as number)
          .execute();
        return null;
      },
    },
    {
      method: 'GET',
      path: '/observations/items/next_available_number',
      operationId: 'nextObservationNumber',
      summary: 'The next available observation number of a project',
      project: { from: 'query' },
      versions: ['v1.0'],
      response: Obj({ next_available_number: Type.String() }, { title: 'ObservationNextNumber' }),
      handler: async (c) => ({ next_available_number: String(await nextNumber(c, c.db, 'observations', 'number')) }),
    },
    {
      method: 'GET',
      path: '/observations/types',
      operationId: 'listObservationTypes',
      summary: 'List observation types of a project',
      project: { from: 'query' },
      versions: ['v1.0', 'vapid'],
      response: Type.Array(ObservationType),
      handler: async () => OBSERVATION_TYPES,
    },
  ],
});
