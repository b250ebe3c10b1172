/**
 * Punch items (`/punch_items?project_id=`) and their assignments. Procore's workflow in basics:
 * `workflow_status` moves draft → initiated → (assignees resolve) ready_for_review → ready_to_close
 * → closed; `status` (Open, Closed, Overdue, Pending) and the ball in court follow from it. Each
 * assignee (`login_information_ids`) has an assignment; when every assignee has resolved theirs the
 * item is ready for review. Numbers (`position`) continue the project's highest.
 */
import { Type } from '@sinclair/typebox';
import { isoDate } from '../../../core/clock.js';
import { defineResource, records } from '../../compile.js';
import { f, unmodelled, type AnyRow, type ReadContext } from '../../fields.js';
import type { ApiContext, Db } from '../../resource.js';
import { AnyObject, Attachment, BodyDate, Id, NIdName, NInt, NStr, NUserRef, Obj, Timestamp } from '../../schemas.js';
import { seededLocations } from '../locations/index.js';
import { insertRecord, nextNumber, recordRows, destroyRecords, setRecordData } from '../locations/store.js';

export const WORKFLOW = [
  'draft',
  'initiated',
  'in_dispute',
  'work_required',
  'ready_for_review',
  'work_not_accepted',
  'ready_to_close',
  'not_accepted_by_creator',
  'closed',
] as const;
type Workflow = (typeof WORKFLOW)[number];
const IMPACT = ['yes_known', 'yes_unknown', 'no_impact', 'tbd', 'n_a'] as const;
const ASSIGNMENTS = 'punch_item_assignments';
/** Workflow states in which the assignees hold the ball. */
const WITH_ASSIGNEES: readonly string[] = ['initiated', 'work_required', 'work_not_accepted', 'in_dispute'];

function statusOf(r: AnyRow, today: string): string {
  if (r['workflow_status'] === 'closed') return 'Closed';
  if (r['workflow_status'] === 'draft') return 'Pending';
  return typeof r['due_date'] === 'string' && r['due_date'] < today ? 'Overdue' : 'Open';
}

const Ball = Obj({ id: Id, login: Type.String(), name: Type.String(), locale: NStr() }, { title: 'BallInCourt' });
const ball = (u: { id: number; login: string; name: string } | null) => (u ? [{ ...u, locale: null }] : []);

function ballInCourt(r: AnyRow, x: ReadContext): unknown[] {
  const w = r['workflow_status'] as Workflow;
  if (w === 'draft' || w === 'ready_for_review') return ball(x.user(r['punch_item_manager_id']));
  if (w === 'ready_to_close' || w === 'not_accepted_by_creator') return ball(x.user(r['final_approver_id']));
  if (!WITH_ASSIGNEES.includes(w)) return [];
  const mine = (x.extra as Map<number, AnyRow[]>).get(r['id'] as number) ?? [];
  return mine.filter((a) => !a['approved']).flatMap((a) => ball(x.user(a['login_information_id'])));
}

const Assignment = Obj(
  {
    id: Id,
    approved: Type.Boolean(),
    comment: NStr(),
    status: Type.String(),
    login_information_id: Type.Integer(),
    login_information_name: NStr(),
    login_information: NUserRef,
    notified_at: Timestamp(),
    responded_at: Timestamp(),
    updated_at: Timestamp(),
    attachments: Type.Array(Attachment),
  },
  { title: 'PunchItemAssignment' },
);
const assignmentOf = (a: AnyRow, x: ReadContext) => {
  const user = x.user(a['login_information_id']);
  return {
    id: a['id'],
    approved: a['approved'] === true,
    comment: a['comment'] ?? null,
    status: a['approved'] === true ? 'resolved' : 'unresolved',
    login_information_id: a['login_information_id'],
    login_information_name: user?.name ?? null,
    login_information: user,
    notified_at: a['notified_at'] ?? null,
    responded_at: a['responded_at'] ?? null,
    updated_at: a['updated_at'] ?? null,
    attachments: [],
  };
};
const assignmentsOf = (r: AnyRow, x: ReadContext) =>
  ((x.extra as Map<number, AnyRow[]>).get(r['id'] as number) ?? []).map((a) => assignmentOf(a, x));

/** The assignments of `ids`, by punch item, their users loaded. */
async function loadAssignments(c: ApiContext, db: Db, ids: number[], refs?: { loadUsers(ids: number[]): Promise<unknown> }) {
  const rows = await recordRows(c, db, ASSIGNMENTS, { parentIds: ids });
  await refs?.loadUsers(rows.map((a) => a['login_information_id'] as number));
  const by = new Map<number, AnyRow[]>();
  for (const a of rows) by.set(a['parent_id'] as number, [...(by.get(a['parent_id'] as number) ?? []), a]);
  return by;
}

export const punchItems = defineResource({
  name: 'punch_items',
  tag: 'Punch List',
  noun: ['PunchItem', 'PunchItems'],
  titles: { list: 'PunchItemCompact', show: 'PunchItem' },
  path: '/punch_items',
  scope: 'project',
  storage: records({ softDelete: true }),
  body: 'punch_item',
  versions: ['v1.0', 'v1.1', 'vapid'],
  operations: { list: {}, show: {}, create: {}, update: {}, delete: {}, recycle_bin: { versions: ['v1.0', 'v1.1'] } },
  search: { filter: 'query', description: 'Text in name or description' },
  sort: {
    default: [
      ['position', 'asc'],
      ['id', 'asc'],
    ],
  },
  filters: {
    status: {
      kind: 'enum',
      column: 'workflow_status',
      values: ['open', 'closed', 'pending'],
      apply: (qb, p) => {
        const want = p.kind === 'enum' ? p.values : [];
        const states = WORKFLOW.filter((w) =>
          w === 'closed' ? want.includes('closed') : w === 'draft' ? want.includes('pending') : want.includes('open'),
        );
        return qb.where('workflow_status', 'in', states.length ? states : ['-']);
      },
    },
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    position: f.int({ write: true, min: 1, sort: true }),
    name: f.text({ write: 'required', sort: true, search: true }),
    description: f.text({ write: true, long: true, search: true }),
    rich_text_description: f.computed(NStr(), (r) => r['description'] ?? null, { in: ['show'] }),
    workflow_status: f.enum(WORKFLOW, { write: true, default: 'initiated', sort: true }),
    status: f.computed(Type.String({ enum: ['Open', 'Closed', 'Overdue', 'Pending'] } as never), (r, x) =>
      statusOf(r, isoDate(x.c.nowMs())),
    ),
    ball_in_court: f.computed(Type.Array(Ball), ballInCourt),
    priority: f.enum(['low', 'medium', 'high'], {
      write: true,
      default: null,
      filter: 'enum',
      body: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high'), Type.Null()]),
    }),
    due_date: f.date({ write: 'due', sort: true }),
    date_initiated: f.date({ write: true }),
    private: f.bool({ write: true }),
    reference: f.text({ write: true }),
    schedule_impact: f.enum(IMPACT, { write: true, default: null, body: Type.Union([...IMPACT.map((v) => Type.Literal(v)), Type.Null()]) }),
    schedule_impact_days: f.int({ write: true, min: 0 }),
    cost_impact: f.enum(IMPACT, { write: true, default: null, body: Type.Union([...IMPACT.map((v) => Type.Literal(v)), Type.Null()]) }),
    cost_impact_amount: f.int({ write: true, min: 0 }),
    schedule_risk: f.enum(['ml_low', 'ml_medium', 'ml_high'], {
      write: true,
      default: null,
      body: Type.Union([Type.Literal('ml_low'), Type.Literal('ml_medium'), Type.Literal('ml_high'), Type.Null()]),
    }),
    location: f.location({ write: 'location_id', filter: 'ids' }),
    punch_item_manager: f.user({ write: 'punch_item_manager_id', filter: 'ids' }),
    final_approver: f.user({ write: 'final_approver_id', filter: 'ids', filterName: 'approver_login_information_id' }),
    assignee_ids: f.hidden({
      write: 'login_information_ids',
      body: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100 }),
      store: 'json',
      default: [],
    }),
    assignees: f.users({ column: 'assignee_ids', in: ['list'] }),
    assignments: f.computed(Type.Array(Assignment), assignmentsOf),
    has_resolved_responses: f.computed(Type.Boolean(), (r, x) => assignmentsOf(r, x).some((a) => a.approved), { in: ['list'] }),
    has_unresolved_responses: f.computed(Type.Boolean(), (r, x) => assignmentsOf(r, x).some((a) => !a.approved), { in: ['list'] }),
    distribution_members: f.users({ write: 'distribution_member_ids', column: 'distribution_member_ids', in: ['show'] }),
    closed_at: f.datetime(),
    closed_by: f.user({}),
    created_by: f.user({ creator: true }),
    created_at: f.createdAt({ sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    deleted_at: f.datetime(),
    ...unmodelled({
      trade: NIdName(),
      punch_item_type: NIdName(),
      cost_code: NIdName(),
      attachments: Type.Array(Attachment),
      custom_fields: AnyObject(),
      schedule_risk_reason: NStr(),
    }),
    ...unmodelled(
      {
        can_email: Type.Boolean(),
        drawing_ids: Type.Array(Type.Integer()),
        current_drawing_revision_ids: Type.Array(Type.Integer()),
        images: Type.Array(Attachment),
        web_images: Type.Array(Attachment),
        comments: Type.Array(AnyObject()),
        download_all_attachments_uuid: NStr(),
      },
      { in: ['show'] },
    ),
    ...unmodelled({ latitude: NStr(), longitude: NStr(), schedule_risk_confidence: NInt() }, { in: ['list'] }),
  },
  refs: { users: ['login_information_ids'] },
  extraBody: {
    status: Type.Union(['Open', 'Closed', 'Overdue', 'Pending'].map((v) => Type.Literal(v))),
    due_date: BodyDate,
  },
  hooks: {
    validate(w) {
      if (w.body.due_date !== undefined && w.body.due === undefined) w.set['due_date'] = w.body.due_date;
    },
    prepare: (c, rows, _view, refs) =>
      loadAssignments(
        c,
        c.db,
        rows.map((r) => r['id'] as number),
        refs,
      ),
    async beforeInsert(w) {
      if (w.body.position == null) w.set['position'] = await nextNumber(w.c, w.trx, 'punch_items', 'position');
      w.set['date_initiated'] ??= w.now.slice(0, 10);
      closing(w);
    },
    beforeUpdate: closing,
    async afterWrite(w) {
      if (w.body.login_information_ids === undefined) return;
      const want = new Set(w.body.login_information_ids as number[]);
      const have = (await loadAssignments(w.c, w.trx, [w.id])).get(w.id) ?? [];
      await destroyRecords(
        w.c,
        w.trx,
        have.filter((a) => !want.has(a['login_information_id'])).map((a) => a['id'] as number),
      );
      const kept = new Set(have.map((a) => a['login_information_id']));
      for (const user of want)
        if (!kept.has(user))
          await insertRecord(
            w.c,
            w.trx,
            ASSIGNMENTS,
            { login_information_id: user, approved: false, comment: null, notified_at: w.now, responded_at: null },
            w.now,
            w.id,
          );
    },
    seedChildren: (row, body, s) => [
      {
        table: 'records',
        rows: ((body['login_information_ids'] as number[] | undefined) ?? []).map((user) => ({
          id: s.nextId(),
          sandbox_id: s.sandboxId,
          resource: ASSIGNMENTS,
          project_id: s.projectId,
          parent_id: row['id'],
          data: JSON.stringify({
            login_information_id: user,
            approved: !WITH_ASSIGNEES.includes(String(body['workflow_status'] ?? 'initiated')),
            comment: null,
            notified_at: s.created,
            responded_at: null,
          }),
          created_at: s.created,
          updated_at: s.created,
          deleted_at: null,
        })),
      },
    ],
  },
  seed: (s) => {
    const loc = seededLocations(s);
    return [
      {
        position: 1,
        name: 'Touch up paint at door frame',
        description: 'Scuffs on the north door frame.',
        priority: 'low',
        location_id: loc.room101,
        punch_item_manager_id: s.users.demo,
        final_approver_id: s.users.demo,
        login_information_ids: [s.users.sub],
        due: s.day(7),
        date_initiated: s.day(0),
      },
      {
        position: 2,
        name: 'Replace cracked ceiling tile',
        priority: 'medium',
        workflow_status: 'ready_for_review',
        location_id: loc.level2,
        punch_item_manager_id: s.users.demo,
        final_approver_id: s.users.arch,
        login_information_ids: [s.users.sub],
        due: s.day(10),
        date_initiated: s.day(0),
      },
      {
        position: 3,
        name: 'Seal slab control joints',
        priority: 'high',
        workflow_status: 'closed',
        location_id: loc.site,
        punch_item_manager_id: s.users.demo,
        final_approver_id: s.users.demo,
        closed_by_id: s.users.demo,
        closed_at: s.created,
        due: s.day(3),
        date_initiated: s.day(0),
      },
    ];
  },
});

/** `status` in a body sets the workflow; closing stamps `closed_at`/`closed_by`, reopening clears them. */
function closing(w: {
  body: { status?: unknown; workflow_status?: unknown };
  set: AnyRow;
  row: AnyRow | null;
  now: string;
  c: ApiContext;
}): void {
  const status = w.body.status;
  if (status === 'Closed') w.set['workflow_status'] = 'closed';
  else if (status === 'Pending') w.set['workflow_status'] = 'draft';
  else if (
    (status === 'Open' || status === 'Overdue') &&
    ['closed', 'draft'].includes(String(w.row?.['workflow_status'] ?? w.set['workflow_status']))
  )
    w.set['workflow_status'] = 'initiated';
  const before = w.row?.['workflow_status'];
  const after = w.set['workflow_status'] ?? before;
  if (after === 'closed' && before !== 'closed') Object.assign(w.set, { closed_at: w.now, closed_by_id: w.c.auth.userId });
  if (after !== 'closed' && before === 'closed') Object.assign(w.set, { closed_at: null, closed_by_id: null });
}

/**
 * An assignee's side of a punch item: `approved` marks the work resolved. When every assignment
 * of an item is resolved the item moves to `ready_for_review` (ball to the punch item manager);
 * un-resolving one sends it back to `work_required`.
 */
export const punchItemAssignments = defineResource({
  name: ASSIGNMENTS,
  tag: 'Punch List',
  noun: ['PunchItemAssignment', 'PunchItemAssignments'],
  titles: { list: 'PunchItemAssignment', show: 'PunchItemAssignment' },
  path: '/projects/{project_id}/punch_item_assignments',
  scope: 'project',
  storage: records({ parent: true }),
  body: 'punch_item_assignment',
  versions: ['v1.0', 'vapid'],
  operations: { show: {}, update: {} },
  fields: {
    id: f.id(),
    approved: f.bool({ write: true }),
    comment: f.text({ write: true, long: true }),
    status: f.computed(Type.String(), (r) => (r['approved'] === true ? 'resolved' : 'unresolved')),
    login_information_id: f.int(),
    login_information: f.user({}),
    login_information_name: f.computed(NStr(), (r, x) => x.user(r['login_information_id'])?.name ?? null),
    name: f.computed(NStr(), (r, x) => x.user(r['login_information_id'])?.name ?? null),
    punch_item_id: f.computed(Type.Integer(), (r) => r['parent_id']),
    notified_at: f.datetime(),
    responded_at: f.datetime(),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
    ...unmodelled({ attachments: Type.Array(Attachment), vendor: NIdName() }),
  },
  hooks: {
    beforeUpdate(w) {
      if (w.body.approved !== undefined || w.body.comment !== undefined) w.set['responded_at'] = w.now;
    },
    async afterWrite(w) {
      const itemId = w.row?.['parent_id'] as number;
      const [item] = (await recordRows(w.c, w.trx, 'punch_items')).filter((r) => r['id'] === itemId);
      if (!item) return;
      const all = (await loadAssignments(w.c, w.trx, [itemId])).get(itemId) ?? [];
      const resolved = all.every((a) => a['approved'] === true);
      const state = item['workflow_status'] as string;
      const next =
        resolved && WITH_ASSIGNEES.includes(state)
          ? 'ready_for_review'
          : !resolved && state === 'ready_for_review'
            ? 'work_required'
            : null;
      if (next) await setRecordData(w.c, w.trx, itemId, { ...item, workflow_status: next }, w.now);
    },
  },
});
