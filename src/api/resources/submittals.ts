/** Submittals: list, show, create, update, delete (soft: moved to the recycle bin). */
import { Type, type TProperties } from '@sinclair/typebox';
import type { Transaction } from 'kysely';
import { isoSeconds } from '../../core/clock.js';
import { allocateIds } from '../../db/repos/sandboxes.js';
import type { Database, Row } from '../../db/schema.js';
import { FieldErrors } from '../errors.js';
import { Refs, bool, checkCompanyRefs, idList } from '../refs.js';
import { projectCollection } from '../crud.js';
import { defineResource, type ApiContext } from '../resource.js';
import {
  AnyObject,
  Attachment,
  BodyDate,
  BodyId,
  BodyIds,
  BodyNullable,
  BodyOptional,
  DateOnly,
  Id,
  Location,
  NIdName,
  NInt,
  NStr,
  NUserRef,
  NVendorRef,
  Nullable,
  Obj,
  Timestamp,
  UserRef,
} from '../schemas.js';

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

const Status = Obj({ id: Id, name: Type.String(), status: Type.String() }, { title: 'SubmittalStatus' });

const submittalNormal = {
  id: Id,
  number: NStr(),
  revision: NStr(),
  title: NStr(),
  formatted_number: NStr(),
  status: Nullable(Status),
  submittal_log_status: Nullable(Status),
  type: Nullable(Obj({ id: Type.Integer(), name: Type.String() }, { title: 'SubmittalType' })),
  approvers: Type.Array(AnyObject()),
  attachments_count: Type.Integer(),
  ball_in_court: Type.Array(UserRef),
  buffer_time: NInt(),
  created_at: Timestamp(),
  updated_at: Timestamp(),
  created_by: NUserRef,
  current_revision: Type.Boolean(),
  distributed_at: Timestamp(),
  due_date: DateOnly(),
  issue_date: DateOnly(),
  received_date: DateOnly(),
  submit_by: DateOnly(),
  open_date: DateOnly(),
  for_record_only: Type.Boolean(),
  private: Type.Boolean(),
  received_from: NUserRef,
  submittal_manager: NUserRef,
  responsible_contractor: NVendorRef,
  specification_section: Nullable(Obj({ id: Id, number: NStr(), description: NStr(), label: NStr(), current_revision_id: NInt() })),
  sub_job: NIdName(),
  submittal_package: Nullable(Obj({ id: Id, number: NStr(), title: NStr(), attachments_count: NInt() })),
  location: Location,
  custom_fields: AnyObject(),
};

export const SubmittalNormal = Obj(submittalNormal, { title: 'SubmittalNormal' });
export const SubmittalExtended = Obj(
  {
    ...submittalNormal,
    actual_delivery_date: DateOnly(),
    confirmed_delivery_date: DateOnly(),
    required_on_site_date: DateOnly(),
    attachments: Type.Array(Attachment),
    cost_code: NIdName(),
    custom_textarea_1: NStr(),
    custom_textfield_1: NStr(),
    deleted_at: Timestamp(),
    description: NStr(),
    design_team_review_time: NInt(),
    internal_review_time: NInt(),
    lead_time: NInt(),
    distribution_members: Type.Array(UserRef),
    scheduled_task: Nullable(Obj({ id: Id, name: NStr(), key: NStr() })),
    source_submittal_log_id: NInt(),
    distributed_submittals: Type.Array(AnyObject()),
  },
  { title: 'SubmittalExtended' },
);

const writeFields: TProperties = {
  number: Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Integer({ minimum: 0 })]),
  title: BodyNullable(Type.String({ maxLength: 255 })),
  description: BodyNullable(Type.String({ maxLength: 100_000 })),
  revision: Type.Union([Type.String({ maxLength: 20 }), Type.Integer({ minimum: 0 })]),
  type: BodyNullable(Type.String({ maxLength: 100 })),
  status_id: BodyId,
  private: Type.Boolean(),
  due_date: BodyDate,
  issue_date: BodyDate,
  received_date: BodyDate,
  submit_by: BodyDate,
  submittal_manager_id: BodyNullable(BodyId),
  received_from_id: BodyNullable(BodyId),
  responsible_contractor_id: BodyNullable(BodyId),
  distribution_member_ids: BodyIds,
};
export const SubmittalCreateBody = Type.Object(
  { ...BodyOptional(writeFields), number: writeFields['number']! },
  { title: 'SubmittalCreate' },
);
export const SubmittalUpdateBody = Type.Object(BodyOptional(writeFields), { title: 'SubmittalUpdate' });

type SubmittalRow = Row<'submittals'>;

async function serialize(c: ApiContext, rows: SubmittalRow[], extended: boolean) {
  const refs = await new Refs(c.db, c.auth.sandboxId).loadUsers(
    rows.flatMap((r) => [r.created_by_id, r.received_from_id, r.submittal_manager_id, ...idList(r.distribution_member_ids)]),
  );
  await refs.loadVendors(rows.map((r) => r.responsible_contractor_id));
  return rows.map((r) => {
    const st = SUBMITTAL_STATUSES[r.status_id];
    const status = st ? { id: r.status_id, ...st } : null;
    const manager = refs.user(r.submittal_manager_id);
    const base = {
      id: r.id,
      number: r.number,
      revision: r.revision,
      title: r.title,
      formatted_number: r.revision && r.revision !== '0' ? `${r.number}-${r.revision}` : r.number,
      status,
      submittal_log_status: status,
      type: r.type_name
        ? { id: Object.hasOwn(SUBMITTAL_TYPES, r.type_name) ? (SUBMITTAL_TYPES[r.type_name] as number) : 0, name: r.type_name }
        : null,
      approvers: [],
      attachments_count: 0,
      ball_in_court: st?.status === 'Open' && manager ? [manager] : [],
      buffer_time: null,
      created_at: r.created_at,
      updated_at: r.updated_at,
      created_by: refs.user(r.created_by_id),
      current_revision: true,
      distributed_at: r.distributed_at,
      due_date: r.due_date,
      issue_date: r.issue_date,
      received_date: r.received_date,
      submit_by: r.submit_by,
      open_date: r.issue_date,
      for_record_only: false,
      private: bool(r.private),
      received_from: refs.user(r.received_from_id),
      submittal_manager: manager,
      responsible_contractor: refs.vendor(r.responsible_contractor_id),
      specification_section: null,
      sub_job: null,
      submittal_package: null,
      location: null,
      custom_fields: {},
    };
    if (!extended) return base;
    return {
      ...base,
      actual_delivery_date: null,
      confirmed_delivery_date: null,
      required_on_site_date: null,
      attachments: [],
      cost_code: null,
      custom_textarea_1: null,
      custom_textfield_1: null,
      deleted_at: r.deleted_at,
      description: r.description,
      design_team_review_time: null,
      internal_review_time: null,
      lead_time: null,
      distribution_members: idList(r.distribution_member_ids)
        .map((id) => refs.user(id))
        .filter((u) => u !== null),
      scheduled_task: null,
      source_submittal_log_id: null,
      distributed_submittals: [],
    };
  });
}

async function validate(c: ApiContext, trx: Transaction<Database>, b: Record<string, unknown>): Promise<void> {
  const project = c.requireProject();
  const errors = new FieldErrors();
  await checkCompanyRefs(
    trx,
    c.auth.sandboxId,
    project.company_id,
    b,
    { users: ['submittal_manager_id', 'received_from_id', 'distribution_member_ids'], vendors: ['responsible_contractor_id'] },
    errors,
  );
  if (typeof b['status_id'] === 'number' && !SUBMITTAL_STATUSES[b['status_id'] as number])
    errors.add('status_id', `must be one of ${Object.keys(SUBMITTAL_STATUSES).join(', ')}`);
  if (typeof b['type'] === 'string' && !Object.hasOwn(SUBMITTAL_TYPES, b['type']))
    errors.add('type', `must be one of: ${Object.keys(SUBMITTAL_TYPES).join(', ')}`);
  if (typeof b['number'] === 'string' && (b['number'] as string).trim() === '') errors.add('number', "can't be blank");
  errors.throwIfAny();
}

function writeColumns(b: Record<string, unknown>): Partial<SubmittalRow> {
  const set: Partial<SubmittalRow> = {};
  if (b['number'] !== undefined) set.number = String(b['number']);
  if (b['revision'] !== undefined) set.revision = String(b['revision']);
  if (b['title'] !== undefined) set.title = (b['title'] as string | null) ?? '';
  if (b['description'] !== undefined) set.description = b['description'] as string | null;
  if (b['type'] !== undefined) set.type_name = b['type'] as string | null;
  if (b['status_id'] !== undefined) set.status_id = b['status_id'] as number;
  if (b['private'] !== undefined) set.private = b['private'] ? 1 : 0;
  for (const k of ['due_date', 'issue_date', 'received_date', 'submit_by'] as const) if (b[k] !== undefined) set[k] = b[k] as string | null;
  if (b['submittal_manager_id'] !== undefined) set.submittal_manager_id = b['submittal_manager_id'] as number | null;
  if (b['received_from_id'] !== undefined) set.received_from_id = b['received_from_id'] as number | null;
  if (b['responsible_contractor_id'] !== undefined) set.responsible_contractor_id = b['responsible_contractor_id'] as number | null;
  if (Array.isArray(b['distribution_member_ids']))
    set.distribution_member_ids = JSON.stringify([...new Set(b['distribution_member_ids'] as number[])]);
  return set;
}

export const submittals = defineResource({
  name: 'submittals',
  tag: 'Submittals',
  operations: [
    ...projectCollection({
      path: '/projects/{project_id}/submittals',
      table: 'submittals',
      operationIds: { one: 'Submittal', many: 'Submittals' },
      summaries: {
        list: 'List submittals of a project',
        show: 'Show a submittal',
        create: 'Create a submittal',
        update: 'Update a submittal',
        delete: 'Delete a submittal (moves it to the recycle bin)',
      },
      body: { root: 'submittal', create: SubmittalCreateBody, update: SubmittalUpdateBody },
      response: { normal: SubmittalNormal, extended: SubmittalExtended },
      list: {
        filters: {
          id: { kind: 'ids', column: 'id' },
          status_id: { kind: 'ids', column: 'status_id' },
          submittal_manager_id: { kind: 'ids', column: 'submittal_manager_id' },
          received_from_id: { kind: 'ids', column: 'received_from_id' },
          responsible_contractor_id: { kind: 'ids', column: 'responsible_contractor_id' },
          type: { kind: 'enum', column: 'type_name', values: Object.keys(SUBMITTAL_TYPES) },
          query: { kind: 'search', columns: ['title', 'number', 'description'] },
          created_at: { kind: 'datetime', column: 'created_at' },
          updated_at: { kind: 'datetime', column: 'updated_at' },
        },
        sort: {
          style: 'sort',
          keys: {
            number: 'number',
            title: 'title',
            due_date: 'due_date',
            created_at: 'created_at',
            updated_at: 'updated_at',
            status_id: 'status_id',
          },
          default: [['id', 'asc']],
        },
      },
      serialize,
      async create(c, trx) {
        await validate(c, trx, c.body);
        const id = await allocateIds(trx, c.auth.sandboxId, 1);
        const now = isoSeconds(c.nowMs());
        await trx
          .insertInto('submittals')
          .values({
            id,
            sandbox_id: c.auth.sandboxId,
            project_id: c.requireProject().id,
            number: '',
            revision: '0',
            title: '',
            description: null,
            status_id: 1,
            type_name: null,
            private: 0,
            due_date: null,
            issue_date: null,
            received_date: null,
            submit_by: null,
            submittal_manager_id: null,
            received_from_id: null,
            responsible_contractor_id: null,
            created_by_id: c.auth.userId,
            distribution_member_ids: '[]',
            distributed_at: null,
            deleted_at: null,
            created_at: now,
            updated_at: now,
            ...writeColumns(c.body),
          })
          .execute();
        return id;
      },
      async update(c, trx, row) {
        await validate(c, trx, c.body);
        await trx
          .updateTable('submittals')
          .set({ ...writeColumns(c.body), updated_at: isoSeconds(c.nowMs()) })
          .where('id', '=', row.id)
          .where('sandbox_id', '=', c.auth.sandboxId)
          .execute();
      },
    }),
  ],
});
