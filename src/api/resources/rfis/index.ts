/**
 * RFIs: list, show, create, update, the recycle bin (recycle, retrieve, list) and replies
 * (`replies.ts`). Numbers are assigned per project (highest numeric number + 1) inside the write
 * transaction; the question lives in its own table.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { jsonListHasAny } from '../../../db/connect.js';
import { allocateIds } from '../../../db/repos/sandboxes.js';
import { defineResource, table } from '../../compile.js';
import { f, unmodelled, type AnyRow, type ReadContext } from '../../fields.js';
import { selectByIds } from '../../prepared.js';
import { plainText } from '../../refs.js';
import type { Write } from '../../resource.js';
import {
  AnyObject,
  Attachment,
  BodyId,
  BodyIds,
  BodyNullable,
  Id,
  Location,
  NIdName,
  NInt,
  NNum,
  NStr,
  NUserRef,
  Nullable,
  Obj,
  Timestamp,
  UserRef,
} from '../../schemas.js';
import { RfiReply, serializeReply } from './replies.js';

const IMPACT_STATUSES = ['yes_known', 'yes_unknown', 'no_impact', 'tbd', 'n_a'] as const;
const STATUSES = ['open', 'closed', 'draft'] as const;
const TRANSLATED: Record<string, string> = { open: 'Open', closed: 'Closed', draft: 'Draft', recycled: 'Recycled' };

const Assignee = Obj({ id: Id, login: Type.String(), name: Type.String(), locale: NStr(), response_required: Type.Boolean() });
const Impact = (value: TSchema) => Obj({ status: NStr(), value });
const ImpactBody = (value: TSchema) =>
  Type.Object({
    status: Type.Optional(Type.Union(IMPACT_STATUSES.map((s) => Type.Literal(s)))),
    value: Type.Optional(BodyNullable(value)),
  });

const assignees = (r: AnyRow, x: ReadContext) => x.users(r['assignee_ids']);
const isOpen = (r: AnyRow) => r['status'] === 'open';
const show = { in: ['show'] } as const;
const list = { in: ['list'] } as const;

interface Loaded {
  questions: Map<number, Row[]>;
  replies: Map<number, Row[]>;
}
type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function groupBy(rows: Row[], key: string): Map<number, Row[]> {
  const out = new Map<number, Row[]>();
  for (const r of rows) {
    const k = Number(r[key]);
    const group = out.get(k);
    if (group) group.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** `{status, value}` as sent, over what is stored (absent keys keep their value; status defaults to tbd). */
function impact(value: unknown, current: unknown): string {
  const base = (typeof current === 'string' ? JSON.parse(current) : (current ?? {})) as { status?: string; value?: number | null };
  const v = (value ?? {}) as { status?: string; value?: number | null };
  return JSON.stringify({ status: v.status ?? base.status ?? 'tbd', value: v.value === undefined ? (base.value ?? null) : v.value });
}

type RfiWrite = Write<Record<string, unknown>>;

async function lockProject(w: RfiWrite): Promise<void> {
  // A no-op update takes the project's row lock on PostgreSQL (SQLite serializes writers anyway),
  // so concurrent creates compute distinct numbers.
  await w.trx
    .updateTable('projects')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', w.scope.projectId as number)
    .execute();
}

async function numberTaken(w: RfiWrite, number: string): Promise<boolean> {
  const qb = w.c.fromIn(w.trx, 'rfis').select('id').where('project_id', '=', w.scope.projectId).where('number', '=', number);
  return (await qb.where('deleted_at', 'is', null).where('id', '!=', w.id).executeTakeFirst()) !== undefined;
}

async function nextNumber(w: RfiWrite): Promise<string> {
  const rows = (await w.c.fromIn(w.trx, 'rfis').select('number').where('project_id', '=', w.scope.projectId).execute()) as Row[];
  let max = 0;
  for (const r of rows) if (/^\d{1,15}$/.test(r['number'])) max = Math.max(max, Number(r['number']));
  return String(max + 1);
}

/** The deprecated single `assignee_id` (2017 bodies) stands for `assignee_ids: [id]`. */
function assigneeFallback(w: RfiWrite): void {
  const one = w.body['assignee_id'];
  if (!Array.isArray(w.body['assignee_ids']) && typeof one === 'number') w.set['assignee_ids'] = JSON.stringify([one]);
}

export const rfis = defineResource({
  name: 'rfis',
  tag: 'RFIs',
  noun: ['RFI', 'RFIs'],
  titles: { list: 'RFINormal', show: 'RFIExtended' },
  path: '/projects/{project_id}/rfis',
  scope: 'project',
  storage: table('rfis', { softDelete: true }),
  body: 'rfi',
  operations: {
    list: {},
    show: {},
    create: {
      description:
        '`subject` and `question.body` are required; `rfi_manager_id` too on /rest/v1.0, `assignee_id` (or `assignee_ids`) on /vapid. `number` is the highest numeric number of the project + 1 unless given.',
    },
    update: {},
    recycle: {},
    retrieve: {},
    recycle_bin: {},
  },
  search: { param: 'search', description: 'Text search on subject and number' },
  sort: {
    style: 'attribute',
    keys: { date_created: 'created_at', received_from_login_information_id: 'received_from_id' },
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    number: f.text({ write: true, max: 50, body: Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' }), sort: true, search: true }),
    full_number: f.computed(NStr(), (r) => r['number']),
    subject: f.text({ write: 'required', required: true, sort: true, search: true }),
    status: f.enum(['open', 'closed', 'draft', 'recycled'], { filter: 'enum', sort: true }),
    translated_status: f.computed(NStr(), (r) => TRANSLATED[r['status']] ?? r['status']),
    private: f.bool({ write: true }),
    reference: f.text({ write: true, sort: true }),
    due_date: f.date({ write: true, sort: true }),
    initiated_at: f.datetime({ sort: true }),
    created_at: f.createdAt({ filter: 'datetime', sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime' }),
    time_resolved: f.datetime({ sort: true }),
    created_by: f.user({ creator: true }),
    assignee_ids: f.users({ write: 'assignee_ids', column: 'assignee_ids', in: [] }),
    assignee: f.computed(NUserRef, (r, x) => assignees(r, x)[0] ?? null),
    assignees: f.computed(Type.Array(Assignee), (r, x) => assignees(r, x).map((u) => ({ ...u, locale: null, response_required: true }))),
    ball_in_court: f.computed(NUserRef, (r, x) => (isOpen(r) ? (assignees(r, x)[0] ?? null) : null)),
    ball_in_courts: f.computed(Type.Array(UserRef), (r, x) => (isOpen(r) ? assignees(r, x) : [])),
    received_from: f.user({ column: 'received_from_id', write: 'received_from_login_information_id', filter: 'ids' }),
    rfi_manager: f.user({ write: 'rfi_manager_id', filter: 'ids', sort: 'rfi_manager_id', creator: true }),
    responsible_contractor: f.vendor({ write: 'responsible_contractor_id', filter: 'ids', sort: 'responsible_contractor_id' }),
    cost_impact: f.json(Impact(NNum()), { write: true, body: ImpactBody(Type.Number()), default: { status: 'tbd', value: null } }),
    schedule_impact: f.json(Impact(NInt()), { write: true, body: ImpactBody(Type.Integer()), default: { status: 'tbd', value: null } }),
    location_id: f.ref({ write: true, filter: 'ids' }),
    deleted_at: f.computed(Timestamp(), (r) => r['deleted_at'] ?? undefined, { column: 'deleted_at' }),
    link: f.computed(Type.String(), (r, x) => `${x.c.origin}/projects/${r['project_id']}/rfis/${r['id']}`, list),
    questions_list: f.computed(
      Type.Array(Obj({ id: Id, body: Type.String(), errors: Type.Array(AnyObject()) })),
      (r, x) => ((x.extra as Loaded).questions.get(r['id']) ?? []).map((q) => ({ id: q['id'], body: q['body'], errors: [] })),
      { ...list, key: 'questions' },
    ),
    draft: f.bool({ write: true, ...show }),
    ball_in_court_role: f.computed(NStr(), (r, x) => (isOpen(r) && assignees(r, x).length ? 'Assignees' : null), show),
    distribution_list: f.users({ write: 'distribution_ids', column: 'distribution_ids', ...show }),
    drawing_number: f.text({ write: true, sort: true, ...show }),
    questions: f.computed(
      Type.Array(
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
      (r, x) =>
        ((x.extra as Loaded).questions.get(r['id']) ?? []).map((q) => ({
          id: q['id'],
          question_date: q['created_at'],
          plain_text_body: plainText(q['body']),
          rich_text_body: q['body'],
          created_by: x.user(q['created_by_id'])?.name ?? null,
          attachments: [],
          answers: ((x.extra as Loaded).replies.get(q['id']) ?? []).map((a) => serializeReply(a, x)),
        })),
      show,
    ),
    ...unmodelled({
      prefix: NStr(),
      cost_code: NIdName(),
      location: Location,
      project_stage: NIdName(),
      sub_job: NIdName(),
      custom_fields: AnyObject(),
    }),
    ...unmodelled(
      {
        accepted: Type.Boolean(),
        drawing_ids: Type.Array(Type.Integer()),
        specification_section: Nullable(Obj({ id: Id, description: NStr(), number: NStr() })),
      },
      show,
    ),
    custom_textfield_1: f.computed(Obj({ label: NStr(), value: NStr() }), () => ({ label: null, value: null }), show),
    custom_textfield_2: f.computed(Obj({ label: NStr(), value: NStr() }), () => ({ label: null, value: null }), show),
  },
  extraBody: {
    question: Type.Object({ body: Type.String({ minLength: 1, maxLength: 100_000 }) }),
    assignee_id: BodyId,
    required_assignee_ids: BodyIds,
  },
  updateBody: { status: Type.Union(STATUSES.map((s) => Type.Literal(s))) },
  required: ['question'],
  refs: { users: ['assignee_id', 'required_assignee_ids'] },
  filters: {
    // Applied by `narrow` (membership in the JSON list of assignees).
    assigned_id: { kind: 'ids', column: 'assignee_ids', apply: (qb) => qb },
    ball_in_court_id: { kind: 'ids', column: 'assignee_ids', apply: (qb) => qb },
  },
  hooks: {
    narrow(c, qb) {
      for (const name of ['assigned_id', 'ball_in_court_id']) {
        const filter = c.filters.get(name);
        if (filter?.kind !== 'ids') continue;
        qb = qb.where(jsonListHasAny(c.db, 'assignee_ids', filter.ids));
        if (name === 'ball_in_court_id') qb = qb.where('status', '=', 'open');
      }
      return qb;
    },
    async prepare(c, rows, view, refs): Promise<Loaded> {
      const ids = rows.map((r) => r['id'] as number);
      const sid = c.auth.sandboxId;
      const questions = await selectByIds(c.db, 'rfi_questions', 'rfi_id', sid, ids, { orderById: true });
      const replies = view === 'show' ? await selectByIds(c.db, 'rfi_replies', 'rfi_id', sid, ids, { orderById: true }) : [];
      await refs.loadUsers([...questions, ...replies].map((q) => q.created_by_id));
      return { questions: groupBy(questions, 'rfi_id'), replies: groupBy(replies, 'question_id') };
    },
    async validate(w) {
      const b = w.body;
      if (!w.row) {
        if (w.c.version !== 'vapid' && b.rfi_manager_id === undefined) w.errors.add('rfi_manager_id', "can't be blank");
        const assigned = (Array.isArray(b.assignee_ids) && b.assignee_ids.length > 0) || typeof b.assignee_id === 'number';
        if (w.c.version === 'vapid' && !assigned && b.draft !== true) w.errors.add('assignee_id', "can't be blank");
      }
      if (typeof b.location_id === 'number') w.errors.add('location_id', `location ${b.location_id} does not exist in this project`);
      if (typeof b.number === 'string' && (await numberTaken(w, b.number))) w.errors.add('number', 'has already been taken');
    },
    async beforeInsert(w) {
      await lockProject(w);
      if (typeof w.body.number === 'string' && (await numberTaken(w, w.body.number))) w.errors.add('number', 'has already been taken');
      w.set['number'] ??= await nextNumber(w);
      w.set['status'] = w.body.draft === true ? 'draft' : 'open';
      w.set['initiated_at'] = w.now;
      w.set['cost_impact'] = impact(w.body.cost_impact, null);
      w.set['schedule_impact'] = impact(w.body.schedule_impact, null);
      assigneeFallback(w);
    },
    beforeUpdate(w) {
      const row = w.row as Row;
      assigneeFallback(w);
      if (w.body.cost_impact !== undefined) w.set['cost_impact'] = impact(w.body.cost_impact, row['cost_impact']);
      if (w.body.schedule_impact !== undefined) w.set['schedule_impact'] = impact(w.body.schedule_impact, row['schedule_impact']);
      let status = row['status'] as string;
      if (typeof w.body.draft === 'boolean') status = w.body.draft ? 'draft' : status === 'draft' ? 'open' : status;
      const sent = (w.c.body as { status?: string }).status;
      if (typeof sent === 'string') status = sent;
      if (status !== row['status']) {
        w.set['status'] = status;
        w.set['time_resolved'] = status === 'closed' ? w.now : null;
        if (status !== 'draft') w.set['draft'] = 0;
      }
    },
    async afterWrite(w) {
      const body = w.body.question?.body;
      if (!w.row) {
        const q = {
          id: await allocateIds(w.trx, w.c.auth.sandboxId, 1),
          sandbox_id: w.c.auth.sandboxId,
          rfi_id: w.id,
          body: body ?? '',
          created_by_id: w.c.auth.userId,
          created_at: w.now,
          updated_at: w.now,
        };
        await w.trx.insertInto('rfi_questions').values(q).execute();
      } else if (body !== undefined) {
        await w.trx.updateTable('rfi_questions').set({ body, updated_at: w.now }).where('rfi_id', '=', w.id).execute();
      }
    },
    seedChildren: (row, body, s) => [
      {
        table: 'rfi_questions',
        rows: [
          {
            id: s.nextId(),
            sandbox_id: s.sandboxId,
            rfi_id: row['id'],
            body: body.question?.body ?? '',
            created_by_id: s.users.sub,
            created_at: s.created,
            updated_at: s.created,
          },
        ],
      },
    ],
  },
  seed: (s) => [
    {
      number: '1',
      subject: 'Foundation wall reinforcement at grid line A',
      reference: 'S1.01',
      due_date: s.day(7),
      initiated_at: s.created,
      rfi_manager_id: s.users.demo,
      received_from_login_information_id: s.users.sub,
      responsible_contractor_id: s.vendors.sub,
      assignee_ids: [s.users.arch],
      distribution_ids: [s.users.sub],
      drawing_number: 'S1.01',
      question: {
        body: '<p>Sheet S1.01 shows #5 bars at 12" o.c. for the foundation wall at grid line A, but the structural notes call for #6 bars. Please confirm which reinforcement governs.</p>',
      },
    },
  ],
});
