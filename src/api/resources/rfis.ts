/**
 * RFIs: list, show, create, update, delete and replies. Numbers are assigned per project
 * (highest numeric number + 1) inside the write transaction; every id sent in a body must name a
 * user (or vendor) of the project's company, else 422 and nothing is written.
 */
import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { sql, type Transaction } from 'kysely';
import type { Database, Row } from '../../db/schema.js';
import { allocateIds } from '../../db/repos/sandboxes.js';
import { isoSeconds } from '../../core/clock.js';
import { withSerializationRetry } from '../../services/retry.js';
import { ApiError, FieldErrors } from '../errors.js';
import type { AnyQuery, ParsedFilter } from '../http/listing.js';
import { queryString } from '../http/query.js';
import { Refs, bool, checkCompanyRefs, fullName, idList, plainText } from '../refs.js';
import { findInProject, projectCollection, type Db } from '../crud.js';
import { selectByIds } from '../prepared.js';
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
  NNum,
  NStr,
  NUserRef,
  NVendorRef,
  Nullable,
  Obj,
  Timestamp,
  UserRef,
} from '../schemas.js';

const IMPACT_STATUSES = ['yes_known', 'yes_unknown', 'no_impact', 'tbd', 'n_a'] as const;
const STATUSES = ['open', 'closed', 'draft'] as const;

const Assignee = Obj({ id: Id, login: Type.String(), name: Type.String(), locale: NStr(), response_required: Type.Boolean() });

const rfiCommon = {
  id: Id,
  number: NStr(),
  full_number: NStr(),
  prefix: NStr(),
  subject: Type.String(),
  status: Type.String({ enum: ['open', 'closed', 'draft', 'recycled'] } as never),
  translated_status: NStr(),
  private: Type.Boolean(),
  reference: NStr(),
  due_date: DateOnly(),
  initiated_at: Timestamp(),
  created_at: Timestamp(),
  updated_at: Timestamp(),
  time_resolved: Timestamp(),
  created_by: NUserRef,
  assignee: NUserRef,
  assignees: Type.Array(Assignee),
  ball_in_court: NUserRef,
  ball_in_courts: Type.Array(UserRef),
  received_from: NUserRef,
  rfi_manager: NUserRef,
  responsible_contractor: NVendorRef,
  cost_code: NIdName(),
  cost_impact: Obj({ status: NStr(), value: NNum() }),
  schedule_impact: Obj({ status: NStr(), value: NInt() }),
  location_id: NInt(),
  location: Location,
  project_stage: NIdName(),
  sub_job: NIdName(),
  custom_fields: AnyObject(),
  deleted_at: Timestamp(),
};

export const RfiNormal = Obj(
  { ...rfiCommon, link: Type.String(), questions: Type.Array(Obj({ id: Id, body: Type.String(), errors: Type.Array(AnyObject()) })) },
  { title: 'RFINormal' },
);

export const RfiReply = Obj(
  {
    id: Id,
    official: Type.Boolean(),
    answer_date: Timestamp(),
    plain_text_body: Type.String(),
    rich_text_body: Type.String(),
    created_by: NStr(),
    created_by_id: NInt(),
    attachments: Type.Array(Attachment),
  },
  { title: 'RFI_Reply' },
);

export const RfiExtended = Obj(
  {
    ...rfiCommon,
    accepted: Type.Boolean(),
    ball_in_court_role: NStr(),
    draft: Type.Boolean(),
    distribution_list: Type.Array(UserRef),
    drawing_ids: Type.Array(Type.Integer()),
    drawing_number: NStr(),
    specification_section: Nullable(Obj({ id: Id, description: NStr(), number: NStr() })),
    custom_textfield_1: Obj({ label: NStr(), value: NStr() }),
    custom_textfield_2: Obj({ label: NStr(), value: NStr() }),
    questions: Type.Array(
      Obj({
        id: Id,
        question_date: Timestamp(),
        plain_text_body: Type.String(),
        rich_text_body: Type.String(),
        created_by: NStr(),
        attachments: Type.Array(Attachment),
        answers: Type.Array(RfiReply),
      }),
    ),
  },
  { title: 'RFIExtended' },
);

const ImpactBody = (value: TSchema) =>
  Type.Object({
    status: Type.Optional(Type.Union(IMPACT_STATUSES.map((s) => Type.Literal(s)))),
    value: Type.Optional(BodyNullable(value)),
  });

const writeFields: TProperties = {
  subject: Type.String({ minLength: 1, maxLength: 255 }),
  rfi_manager_id: BodyId,
  question: Type.Object({ body: Type.String({ minLength: 1, maxLength: 100_000 }) }),
  assignee_id: BodyId,
  assignee_ids: BodyIds,
  required_assignee_ids: BodyIds,
  draft: Type.Boolean(),
  due_date: BodyDate,
  received_from_login_information_id: BodyNullable(BodyId),
  responsible_contractor_id: BodyNullable(BodyId),
  distribution_ids: BodyIds,
  number: Type.String({ minLength: 1, maxLength: 50 }),
  private: Type.Boolean(),
  reference: BodyNullable(Type.String({ maxLength: 255 })),
  location_id: BodyNullable(BodyId),
  drawing_number: BodyNullable(Type.String({ maxLength: 255 })),
  cost_impact: ImpactBody(Type.Number()),
  schedule_impact: ImpactBody(Type.Integer()),
};

export const RfiCreateBody = Type.Object(
  { ...BodyOptional(writeFields), subject: writeFields['subject']!, question: writeFields['question']! },
  { title: 'RFICreate' },
);
export const RfiUpdateBody = Type.Object(
  { ...BodyOptional(writeFields), status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))) },
  { title: 'RFIUpdate' },
);
export const ReplyBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 100_000 }) }, { title: 'RFIReplyCreate' });

type RfiRow = Row<'rfis'>;

const TRANSLATED: Record<string, string> = { open: 'Open', closed: 'Closed', draft: 'Draft', recycled: 'Recycled' };

function parseImpact(json: string): { status: string | null; value: number | null } {
  try {
    const v = JSON.parse(json) as { status?: unknown; value?: unknown };
    return { status: typeof v.status === 'string' ? v.status : null, value: typeof v.value === 'number' ? v.value : null };
  } catch {
    return { status: null, value: null };
  }
}

async function serializeRfis(c: ApiContext, rows: RfiRow[], extended: boolean) {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const questions = await selectByIds(c.db, 'rfi_questions', 'rfi_id', c.auth.sandboxId, ids, { orderById: true });
  const replies = extended ? await selectByIds(c.db, 'rfi_replies', 'rfi_id', c.auth.sandboxId, ids, { orderById: true }) : [];
  const questionsOf = groupBy(questions, (q) => Number(q.rfi_id));
  const repliesOf = groupBy(replies, (a) => Number(a.question_id));
  const userIds = rows.flatMap((r) => [
    r.rfi_manager_id,
    r.created_by_id,
    r.received_from_id,
    ...idList(r.assignee_ids),
    ...idList(r.distribution_ids),
  ]);
  const refs = await new Refs(c.db, c.auth.sandboxId).loadUsers([
    ...userIds,
    ...questions.map((q) => q.created_by_id),
    ...replies.map((r) => r.created_by_id),
  ]);
  await refs.loadVendors(rows.map((r) => r.responsible_contractor_id));
  const name = (id: number | null) => (id === null ? null : refs.users.get(id) ? fullName(refs.users.get(id)!) : null);
  return rows.map((r) => {
    const assignees = idList(r.assignee_ids)
      .map((id) => refs.user(id))
      .filter((u) => u !== null);
    const open = r.status === 'open';
    // Built once and extended in place (no spread copies): lists serialize hundreds of these.
    const common: Record<string, unknown> = {
      id: r.id,
      number: r.number,
      full_number: r.number,
      prefix: null,
      subject: r.subject,
      status: r.status,
      translated_status: TRANSLATED[r.status] ?? r.status,
      private: bool(r.private),
      reference: r.reference,
      due_date: r.due_date,
      initiated_at: r.initiated_at,
      created_at: r.created_at,
      updated_at: r.updated_at,
      time_resolved: r.time_resolved,
      created_by: refs.user(r.created_by_id),
      assignee: assignees[0] ?? null,
      assignees: assignees.map((u) => ({ ...u, locale: null, response_required: true })),
      ball_in_court: open ? (assignees[0] ?? null) : null,
      ball_in_courts: open ? assignees : [],
      received_from: refs.user(r.received_from_id),
      rfi_manager: refs.user(r.rfi_manager_id),
      responsible_contractor: refs.vendor(r.responsible_contractor_id),
      cost_code: null,
      cost_impact: parseImpact(r.cost_impact),
      schedule_impact: parseImpact(r.schedule_impact),
      location_id: r.location_id,
      location: null,
      project_stage: null,
      sub_job: null,
      custom_fields: {},
    };
    if (r.deleted_at) common['deleted_at'] = r.deleted_at;
    const mine = questionsOf.get(r.id) ?? [];
    if (!extended) {
      return Object.assign(common, {
        link: `${c.origin}/${r.project_id}/project/rfi/show/${r.id}`,
        questions: mine.map((q) => ({ id: q.id, body: q.body, errors: [] })),
      });
    }
    return Object.assign(common, {
      accepted: false,
      ball_in_court_role: open && assignees.length ? 'Assignees' : null,
      draft: bool(r.draft),
      distribution_list: idList(r.distribution_ids)
        .map((id) => refs.user(id))
        .filter((u) => u !== null),
      drawing_ids: [],
      drawing_number: r.drawing_number,
      specification_section: null,
      custom_textfield_1: { label: null, value: null },
      custom_textfield_2: { label: null, value: null },
      questions: mine.map((q) => ({
        id: q.id,
        question_date: q.created_at,
        plain_text_body: plainText(q.body),
        rich_text_body: q.body,
        created_by: name(q.created_by_id),
        attachments: [],
        answers: (repliesOf.get(q.id) ?? []).map((a) => serializeReply(a, name(a.created_by_id))),
      })),
    });
  });
}

/** Rows grouped by a key, each group in the rows' order. */
function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function serializeReply(a: Row<'rfi_replies'>, createdBy: string | null) {
  return {
    id: a.id,
    official: bool(a.official),
    answer_date: a.created_at,
    plain_text_body: plainText(a.body),
    rich_text_body: a.body,
    created_by: createdBy,
    created_by_id: a.created_by_id,
    attachments: [],
  };
}

/** JSON-list membership (`[1,2]` holds 2), portable across engines. */
function jsonListHas(column: string, ids: number[]) {
  return (qb: AnyQuery) =>
    qb.where((eb) =>
      eb.or(
        (ids.length ? ids : [-1]).flatMap((id) => [
          sql<boolean>`${sql.ref(column)} like ${`[${id}]`}`,
          sql<boolean>`${sql.ref(column)} like ${`[${id},%`}`,
          sql<boolean>`${sql.ref(column)} like ${`%,${id},%`}`,
          sql<boolean>`${sql.ref(column)} like ${`%,${id}]`}`,
        ]),
      ),
    );
}

const idsOf = (f: ParsedFilter) => (f.kind === 'ids' ? f.ids : []);

const findRfi = (c: ApiContext, db: Db, id: number) => findInProject(c, db, 'rfis', id, { softDeleted: true });

/** Checks every user/vendor id of a write against the project's company; collects 422s. */
async function checkReferences(
  c: ApiContext,
  trx: Transaction<Database>,
  body: Record<string, unknown>,
  errors: FieldErrors,
): Promise<void> {
  await checkCompanyRefs(
    trx,
    c.auth.sandboxId,
    c.requireProject().company_id,
    body,
    {
      users: [
        'rfi_manager_id',
        'assignee_id',
        'received_from_login_information_id',
        'assignee_ids',
        'required_assignee_ids',
        'distribution_ids',
      ],
      vendors: ['responsible_contractor_id'],
    },
    errors,
  );
  if (typeof body['location_id'] === 'number') errors.add('location_id', `location ${body['location_id']} does not exist in this project`);
}

function impactJson(value: unknown, current: string): string {
  const base = parseImpact(current);
  const v = (value ?? {}) as { status?: string; value?: number | null };
  return JSON.stringify({ status: v.status ?? base.status ?? 'tbd', value: v.value === undefined ? base.value : v.value });
}

async function lockProject(trx: Transaction<Database>, projectId: number): Promise<void> {
  // A no-op update takes the project's row lock on PostgreSQL (SQLite serializes writers anyway),
  // so concurrent creates compute distinct numbers.
  await trx
    .updateTable('projects')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', projectId)
    .execute();
}

async function numberTaken(trx: Transaction<Database>, projectId: number, number: string, exceptId?: number): Promise<boolean> {
  let qb = trx
    .selectFrom('rfis')
    .select('id')
    .where('project_id', '=', projectId)
    .where('number', '=', number)
    .where('deleted_at', 'is', null);
  if (exceptId !== undefined) qb = qb.where('id', '!=', exceptId);
  return (await qb.executeTakeFirst()) !== undefined;
}

async function nextNumber(trx: Transaction<Database>, projectId: number): Promise<string> {
  const rows = await trx.selectFrom('rfis').select('number').where('project_id', '=', projectId).execute();
  let max = 0;
  for (const r of rows) if (/^\d{1,15}$/.test(r.number)) max = Math.max(max, Number(r.number));
  return String(max + 1);
}

const userIdsJson = (v: unknown) => JSON.stringify([...new Set(v as number[])]);

/** Inserts the RFI and its question; the version's required fields differ (v1.0: manager, vapid: assignee). */
async function createRfi(c: ApiContext, trx: Transaction<Database>): Promise<number> {
  const project = c.requireProject();
  const b = c.body;
  const errors = new FieldErrors();
  const assignees = Array.isArray(b['assignee_ids'])
    ? (b['assignee_ids'] as number[])
    : typeof b['assignee_id'] === 'number'
      ? [b['assignee_id'] as number]
      : [];
  if (c.version === 'v1.0' && b['rfi_manager_id'] === undefined) errors.add('rfi_manager_id', "can't be blank");
  if (c.version === 'vapid' && !assignees.length && b['draft'] !== true) errors.add('assignee_id', "can't be blank");
  errors.throwIfAny();
  await checkReferences(c, trx, b, errors);
  errors.throwIfAny();
  await lockProject(trx, project.id);
  let number = typeof b['number'] === 'string' ? (b['number'] as string) : null;
  if (number !== null && (await numberTaken(trx, project.id, number))) errors.add('number', 'has already been taken');
  errors.throwIfAny();
  number ??= await nextNumber(trx, project.id);
  const first = await allocateIds(trx, c.auth.sandboxId, 2);
  const now = isoSeconds(c.nowMs());
  const draft = b['draft'] === true;
  await trx
    .insertInto('rfis')
    .values({
      id: first,
      sandbox_id: c.auth.sandboxId,
      project_id: project.id,
      number,
      subject: b['subject'] as string,
      status: draft ? 'draft' : 'open',
      private: b['private'] === true ? 1 : 0,
      draft: draft ? 1 : 0,
      reference: (b['reference'] as string | null | undefined) ?? null,
      due_date: (b['due_date'] as string | null | undefined) ?? null,
      initiated_at: now,
      rfi_manager_id: (b['rfi_manager_id'] as number | undefined) ?? c.auth.userId,
      created_by_id: c.auth.userId,
      received_from_id: (b['received_from_login_information_id'] as number | null | undefined) ?? null,
      responsible_contractor_id: (b['responsible_contractor_id'] as number | null | undefined) ?? null,
      assignee_ids: userIdsJson(assignees),
      distribution_ids: userIdsJson(b['distribution_ids'] ?? []),
      cost_impact: impactJson(b['cost_impact'], '{}'),
      schedule_impact: impactJson(b['schedule_impact'], '{}'),
      location_id: null,
      drawing_number: (b['drawing_number'] as string | null | undefined) ?? null,
      time_resolved: null,
      deleted_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await trx
    .insertInto('rfi_questions')
    .values({
      id: first + 1,
      sandbox_id: c.auth.sandboxId,
      rfi_id: first,
      body: (b['question'] as { body: string }).body,
      created_by_id: c.auth.userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return first;
}

async function updateRfi(c: ApiContext, trx: Transaction<Database>, row: RfiRow): Promise<void> {
  const project = c.requireProject();
  const b = c.body;
  const id = row.id;
  const errors = new FieldErrors();
  await checkReferences(c, trx, b, errors);
  if (typeof b['number'] === 'string' && (await numberTaken(trx, project.id, b['number'] as string, id)))
    errors.add('number', 'has already been taken');
  errors.throwIfAny();
  const now = isoSeconds(c.nowMs());
  const set: Partial<RfiRow> = { updated_at: now };
  if (typeof b['subject'] === 'string') set.subject = b['subject'] as string;
  if (typeof b['number'] === 'string') set.number = b['number'] as string;
  if (typeof b['private'] === 'boolean') set.private = b['private'] ? 1 : 0;
  if (b['reference'] !== undefined) set.reference = b['reference'] as string | null;
  if (b['due_date'] !== undefined) set.due_date = b['due_date'] as string | null;
  if (b['drawing_number'] !== undefined) set.drawing_number = b['drawing_number'] as string | null;
  if (typeof b['rfi_manager_id'] === 'number') set.rfi_manager_id = b['rfi_manager_id'] as number;
  if (b['received_from_login_information_id'] !== undefined)
    set.received_from_id = b['received_from_login_information_id'] as number | null;
  if (b['responsible_contractor_id'] !== undefined) set.responsible_contractor_id = b['responsible_contractor_id'] as number | null;
  if (Array.isArray(b['assignee_ids'])) set.assignee_ids = userIdsJson(b['assignee_ids']);
  else if (typeof b['assignee_id'] === 'number') set.assignee_ids = userIdsJson([b['assignee_id']]);
  if (Array.isArray(b['distribution_ids'])) set.distribution_ids = userIdsJson(b['distribution_ids']);
  if (b['cost_impact'] !== undefined) set.cost_impact = impactJson(b['cost_impact'], row.cost_impact);
  if (b['schedule_impact'] !== undefined) set.schedule_impact = impactJson(b['schedule_impact'], row.schedule_impact);
  let status = row.status;
  if (typeof b['draft'] === 'boolean') {
    set.draft = b['draft'] ? 1 : 0;
    if (b['draft']) status = 'draft';
    else if (status === 'draft') status = 'open';
  }
  if (typeof b['status'] === 'string') status = b['status'] as RfiRow['status'];
  if (status !== row.status) {
    set.status = status;
    set.time_resolved = status === 'closed' ? now : null;
    if (status !== 'draft') set.draft = 0;
  }
  await trx.updateTable('rfis').set(set).where('id', '=', id).where('sandbox_id', '=', c.auth.sandboxId).execute();
  const question = b['question'] as { body?: string } | undefined;
  if (question?.body !== undefined) {
    await trx
      .updateTable('rfi_questions')
      .set({ body: question.body, updated_at: now })
      .where('rfi_id', '=', id)
      .where('sandbox_id', '=', c.auth.sandboxId)
      .execute();
  }
}

/** `?search=`: case-insensitive substring of the subject or the number. */
function searchSubjectAndNumber(c: ApiContext, base: AnyQuery): AnyQuery {
  const search = queryString(c.query, 'search');
  if (!search) return base;
  const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return base.where((eb) =>
    eb.or([sql<boolean>`lower(subject) like ${pattern} escape '\\'`, sql<boolean>`lower(number) like ${pattern} escape '\\'`]),
  );
}

const rfiListFilters = {
  id: { kind: 'ids', column: 'id' },
  status: { kind: 'enum', column: 'status', values: STATUSES },
  assigned_id: { kind: 'ids', column: 'assignee_ids', apply: (qb: AnyQuery, f: ParsedFilter) => jsonListHas('assignee_ids', idsOf(f))(qb) },
  ball_in_court_id: {
    kind: 'ids',
    column: 'assignee_ids',
    apply: (qb: AnyQuery, f: ParsedFilter) => jsonListHas('assignee_ids', idsOf(f))(qb.where('status', '=', 'open')),
  },
  rfi_manager_id: { kind: 'ids', column: 'rfi_manager_id' },
  received_from_login_information_id: { kind: 'ids', column: 'received_from_id' },
  responsible_contractor_id: { kind: 'ids', column: 'responsible_contractor_id' },
  location_id: { kind: 'ids', column: 'location_id' },
  created_at: { kind: 'datetime', column: 'created_at' },
  updated_at: { kind: 'datetime', column: 'updated_at' },
} as const;

export const rfis = defineResource({
  name: 'rfis',
  tag: 'RFIs',
  operations: [
    ...projectCollection({
      path: '/projects/{project_id}/rfis',
      table: 'rfis',
      operationIds: { one: 'Rfi', many: 'Rfis' },
      summaries: {
        list: 'List RFIs of a project',
        show: 'Show an RFI',
        create: 'Create an RFI',
        update: 'Update an RFI',
        delete: 'Delete an RFI (moves it to the recycle bin)',
      },
      descriptions: {
        create:
          '`subject` and `question.body` are required; `rfi_manager_id` too on /rest/v1.0, `assignee_id` (or `assignee_ids`) on /vapid. `number` is the highest numeric number of the project + 1 unless given.',
      },
      body: { root: 'rfi', create: RfiCreateBody, update: RfiUpdateBody },
      response: { normal: RfiNormal, extended: RfiExtended },
      list: {
        filters: rfiListFilters as never,
        sort: {
          style: 'attribute',
          keys: {
            number: 'number',
            subject: 'subject',
            due_date: 'due_date',
            date_created: 'created_at',
            created_at: 'created_at',
            initiated_at: 'initiated_at',
            time_resolved: 'time_resolved',
            reference: 'reference',
            drawing_number: 'drawing_number',
            rfi_manager_id: 'rfi_manager_id',
            received_from_login_information_id: 'received_from_id',
            responsible_contractor_id: 'responsible_contractor_id',
            status: 'status',
          },
          default: [['id', 'asc']],
        },
        query: { search: Type.String({ description: 'Text search on subject and number' }) },
        narrow: searchSubjectAndNumber,
      },
      serialize: serializeRfis,
      create: createRfi,
      update: updateRfi,
    }),
    {
      method: 'GET',
      path: '/projects/{project_id}/rfis/{rfi_id}/replies',
      operationId: 'listRfiReplies',
      summary: 'List replies of an RFI',
      project: { from: 'path' },
      list: { sort: { style: 'sort', keys: { created_at: 'created_at' }, default: [['id', 'asc']] } },
      response: Type.Array(RfiReply),
      async handler(c) {
        const rfi = await findRfi(c, c.db, c.params['rfi_id'] as number);
        const base = c.db.selectFrom('rfi_replies').where('rfi_id', '=', rfi.id).where('sandbox_id', '=', c.auth.sandboxId) as AnyQuery;
        return c.list(
          base,
          (qb) => qb.selectAll(),
          async (rows: Row<'rfi_replies'>[]) => {
            const refs = await new Refs(c.db, c.auth.sandboxId).loadUsers(rows.map((r) => r.created_by_id));
            return rows.map((r) => serializeReply(r, r.created_by_id === null ? null : (refs.user(r.created_by_id)?.name ?? null)));
          },
        );
      },
    },
    {
      method: 'POST',
      path: '/projects/{project_id}/rfis/{rfi_id}/replies',
      operationId: 'createRfiReply',
      summary: 'Reply to an RFI',
      project: { from: 'path' },
      body: { root: 'reply', schema: ReplyBody },
      response: RfiReply,
      async handler(c) {
        const rfiId = c.params['rfi_id'] as number;
        const reply = await withSerializationRetry(() =>
          c.db.transaction().execute(async (trx) => {
            await findRfi(c, trx, rfiId);
            const question = await trx
              .selectFrom('rfi_questions')
              .select('id')
              .where('rfi_id', '=', rfiId)
              .where('sandbox_id', '=', c.auth.sandboxId)
              .orderBy('id')
              .executeTakeFirst();
            if (!question) throw ApiError.notFound();
            const id = await allocateIds(trx, c.auth.sandboxId, 1);
            const now = isoSeconds(c.nowMs());
            const row = {
              id,
              sandbox_id: c.auth.sandboxId,
              rfi_id: rfiId,
              question_id: question.id,
              body: c.body['body'] as string,
              official: 0 as const,
              created_by_id: c.auth.userId,
              created_at: now,
              updated_at: now,
            };
            await trx.insertInto('rfi_replies').values(row).execute();
            await trx.updateTable('rfis').set({ updated_at: now }).where('id', '=', rfiId).execute();
            return row;
          }),
        );
        const refs = await new Refs(c.db, c.auth.sandboxId).loadUsers([c.auth.userId]);
        return serializeReply(reply, refs.user(c.auth.userId)?.name ?? null);
      },
    },
  ],
});
