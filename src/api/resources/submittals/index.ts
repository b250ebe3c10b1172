/** Submittals: list, show, create, update; delete (v1.1 and vapid) and the recycle bin. */
import { Type } from '@sinclair/typebox';
import { defineResource, table } from '../../compile.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import { AnyObject, Attachment, BodyNullable, DateOnly, Id, Location, NIdName, NInt, NStr, Nullable, Obj, UserRef } from '../../schemas.js';

/** Procore's default submittal statuses (`status_id` values). */
export const SUBMITTAL_STATUSES: Record<number, { name: string; status: string }> = {
  1: { name: 'Draft', status: 'Draft' },
  2: { name: 'Open', status: 'Open' },
  3: { name: 'Closed', status: 'Closed' },
};

/** Procore's default submittal types; their ids are negative, as Procore's are (`-1` Field Measurement). */
export const SUBMITTAL_TYPES: Record<string, number> = {
  'Field Measurement': -1,
  Document: -2,
  'Shop Drawing': -3,
  'Product Data': -4,
  Sample: -5,
  'Product Manual': -6,
  Other: -7,
  Plans: -8,
  Specifications: -9,
  Prints: -10,
  'Mock-Up': -11,
  'Operation and Maintenance Manual': -12,
  Pay: -13,
  Warranty: -14,
  Coordination: -15,
};

const Status = Nullable(Obj({ id: Id, name: Type.String(), status: Type.String() }, { title: 'SubmittalStatus' }));
const status = (r: AnyRow) => {
  const st = SUBMITTAL_STATUSES[r['status_id'] as number];
  return st ? { id: r['status_id'], ...st } : null;
};
const numberOrText = (max: number) =>
  Type.Union([Type.String({ minLength: 1, maxLength: max, pattern: '\\S' }), Type.Integer({ minimum: 0 })]);
const show = { in: ['show'] } as const;

export const submittals = defineResource({
  name: 'submittals',
  tag: 'Submittals',
  noun: ['Submittal', 'Submittals'],
  titles: { list: 'SubmittalNormal', show: 'SubmittalExtended' },
  path: '/projects/{project_id}/submittals',
  scope: 'project',
  storage: table('submittals', { softDelete: true }),
  body: 'submittal',
  versions: ['v1.0', 'v1.1', 'vapid'],
  operations: {
    list: {},
    show: {},
    create: {},
    update: {},
    delete: { versions: ['v1.1', 'vapid'], summary: 'Delete a submittal (moves it to the recycle bin)' },
    recycle_bin: { versions: ['v1.0', 'v1.1'] },
  },
  search: { filter: 'query', description: 'Text in title, number or description' },
  fields: {
    id: f.id({ filter: 'ids' }),
    number: f.text({ write: 'required', max: 50, body: numberOrText(50), toColumn: String, sort: true, search: true }),
    revision: f.text({
      write: true,
      body: Type.Union([Type.String({ maxLength: 20 }), Type.Integer({ minimum: 0 })]),
      toColumn: String,
      default: '0',
    }),
    title: f.text({ write: true, toColumn: (v) => v ?? '', default: '', sort: true, search: true }),
    formatted_number: f.computed(NStr(), (r) => (r['revision'] && r['revision'] !== '0' ? `${r['number']}-${r['revision']}` : r['number'])),
    status_id: f.ref({
      write: true,
      body: Type.Union([1, 2, 3].map((n) => Type.Literal(n))),
      default: 1,
      filter: 'ids',
      sort: true,
      in: [],
    }),
    status: f.computed(Status, status),
    submittal_log_status: f.computed(Status, status),
    type_name: f.enum(Object.keys(SUBMITTAL_TYPES), {
      write: 'type',
      filter: 'enum',
      default: null,
      in: [],
      body: BodyNullable(Type.Union(Object.keys(SUBMITTAL_TYPES).map((t) => Type.Literal(t)))),
    }),
    type: f.computed(Nullable(Obj({ id: Type.Integer(), name: Type.String() }, { title: 'SubmittalType' })), (r) =>
      r['type_name']
        ? { id: Object.hasOwn(SUBMITTAL_TYPES, r['type_name']) ? SUBMITTAL_TYPES[r['type_name']] : 0, name: r['type_name'] }
        : null,
    ),
    ball_in_court: f.computed(Type.Array(UserRef), (r, x) => {
      const manager = x.user(r['submittal_manager_id']);
      return SUBMITTAL_STATUSES[r['status_id'] as number]?.status === 'Open' && manager ? [manager] : [];
    }),
    created_at: f.createdAt({ filter: 'datetime', sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    created_by: f.user({ creator: true }),
    distributed_at: f.datetime(),
    due_date: f.date({ write: true, sort: true }),
    issue_date: f.date({ write: true }),
    received_date: f.date({ write: true }),
    submit_by: f.date({ write: true }),
    open_date: f.computed(DateOnly(), (r) => r['issue_date']),
    private: f.bool({ write: true }),
    received_from: f.user({ write: 'received_from_id', filter: 'ids' }),
    submittal_manager: f.user({ write: 'submittal_manager_id', filter: 'ids' }),
    responsible_contractor: f.vendor({ write: 'responsible_contractor_id', filter: 'ids' }),
    current_revision: f.computed(Type.Boolean(), () => true),
    description: f.text({ write: true, long: true, search: true, ...show }),
    distribution_members: f.users({ write: 'distribution_member_ids', column: 'distribution_member_ids', ...show }),
    deleted_at: f.datetime(show),
    ...unmodelled({
      approvers: Type.Array(AnyObject()),
      attachments_count: Type.Integer(),
      buffer_time: NInt(),
      for_record_only: Type.Boolean(),
      specification_section: Nullable(Obj({ id: Id, number: NStr(), description: NStr(), label: NStr(), current_revision_id: NInt() })),
      sub_job: NIdName(),
      submittal_package: Nullable(Obj({ id: Id, number: NStr(), title: NStr(), attachments_count: NInt() })),
      location: Location,
      custom_fields: AnyObject(),
    }),
    ...unmodelled(
      {
        actual_delivery_date: DateOnly(),
        confirmed_delivery_date: DateOnly(),
        required_on_site_date: DateOnly(),
        attachments: Type.Array(Attachment),
        cost_code: NIdName(),
        custom_textarea_1: NStr(),
        custom_textfield_1: NStr(),
        design_team_review_time: NInt(),
        internal_review_time: NInt(),
        lead_time: NInt(),
        scheduled_task: Nullable(Obj({ id: Id, name: NStr(), key: NStr() })),
        source_submittal_log_id: NInt(),
        distributed_submittals: Type.Array(AnyObject()),
      },
      show,
    ),
  },
  seed: (s) => [
    {
      number: '1',
      title: 'Cast-in-Place Concrete Mix Design',
      description: 'Mix designs for footings, foundation walls and slabs on grade.',
      status_id: 2,
      type: 'Product Data',
      due_date: s.day(14),
      issue_date: s.day(0),
      submit_by: s.day(10),
      submittal_manager_id: s.users.demo,
      received_from_id: s.users.sub,
      responsible_contractor_id: s.vendors.sub,
      distribution_member_ids: [s.users.arch],
    },
  ],
});
