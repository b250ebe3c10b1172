/**
 * Meetings (`/meetings?project_id=`, whose list groups the meetings by series title, and v1.1
 * `/projects/{project_id}/meetings`), with their attendees (`/meeting_attendee_records`: company
 * users with Present / Absent / … ), categories (`/meeting_categories`) and topics
 * (`/meeting_topics`, numbered `<category position>.<n>`). A meeting shows its categories with
 * their topics and its attendees. Dates: v1.0 writes `meeting_date` + `start_time`/`finish_time`,
 * v1.1 `starts_at`/`ends_at` (required there); each is derived from the other. Categories, topics
 * and attendees name their meeting (`meeting_id`, in the query or beside the wrapped body), which
 * must be a meeting of the project.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { f, unmodelled, type AnyRow, type ReadContext } from '../../fields.js';
import type { AnyQuery } from '../../http/listing.js';
import { queryId } from '../../http/query.js';
import { checkCompanyRefs } from '../../refs.js';
import type { ApiContext, ApiVersion, Resource, SeedContext, Write } from '../../resource.js';
import { AnyObject, Attachment, BodyIds, Id, NStr, Nullable, Obj, UserRef } from '../../schemas.js';
import { insertRecord, nextNumber, recordRows } from '../locations/store.js';

const MEETINGS = 'meetings';
const ATTENDEES = 'meeting_attendees';
const CATEGORIES = 'meeting_categories';
const TOPICS = 'meeting_topics';
const ATTENDANCE = ['Present', 'Absent', 'For Distribution Only', 'Conference'] as const;
const TOPIC_STATUS = ['Open', 'On Hold', 'Closed'] as const;
const PRIORITY = ['', 'High', 'Medium', 'Low'] as const;

const seededMeetingIds = new WeakMap<SeedContext, number[]>();
function meetingIds(s: SeedContext): number[] {
  let ids = seededMeetingIds.get(s);
  if (!ids) seededMeetingIds.set(s, (ids = [s.nextId(), s.nextId()]));
  return ids;
}

/** `meeting_id` of a request: query, or beside the wrapped body. */
function meetingIdOf(c: ApiContext): number | undefined {
  const sent = (c.request.body ?? {}) as Record<string, unknown>;
  return queryId(c.query, 'meeting_id') ?? (typeof sent['meeting_id'] === 'number' ? sent['meeting_id'] : undefined);
}

// ---- meetings ---------------------------------------------------------------------------------

const TopicSchema = Obj(
  {
    id: Id,
    number: NStr(),
    created_on: NStr(),
    position: Type.Integer(),
    due_date: NStr(),
    priority: NStr(),
    status: Type.String(),
    title: NStr(),
    minutes: NStr(),
    description: NStr(),
    meeting_category: Nullable(Obj({ id: Id, title: NStr() })),
    assignments: Type.Array(UserRef),
    attachments: Type.Array(Attachment),
  },
  { title: 'MeetingTopic' },
);
const CategorySchema = Obj(
  { id: Id, title: NStr(), position: Type.Integer(), meeting_topic: Type.Array(TopicSchema) },
  { title: 'MeetingCategoryWithTopics' },
);
const AttendeeSchema = Obj({ id: Id, status: Type.String(), login_information: Nullable(UserRef) }, { title: 'MeetingAttendeeCompact' });

interface Children {
  attendees: Map<number, AnyRow[]>;
  categories: Map<number, AnyRow[]>;
  topics: Map<number, AnyRow[]>;
}
const group = (rows: AnyRow[], key: string) => {
  const by = new Map<number, AnyRow[]>();
  for (const r of rows) by.set(r[key] as number, [...(by.get(r[key] as number) ?? []), r]);
  return by;
};
/** The attendees, categories and topics of a page of meetings, their users loaded. */
async function loadChildren(c: ApiContext, rows: AnyRow[], refs: { loadUsers(ids: number[]): Promise<unknown> }): Promise<Children> {
  const ids = new Set(rows.map((r) => r['id'] as number));
  const [attendees, categories, topics] = await Promise.all(
    [ATTENDEES, CATEGORIES, TOPICS].map(async (res) => (await recordRows(c, c.db, res)).filter((r) => ids.has(r['meeting_id'] as number))),
  );
  await refs.loadUsers([
    ...attendees!.map((a) => a['login_information_id'] as number),
    ...topics!.flatMap((t) => (t['assignment_ids'] as number[] | undefined) ?? []),
  ]);
  return {
    attendees: group(attendees!, 'meeting_id'),
    categories: group(categories!, 'meeting_id'),
    topics: group(topics!, 'meeting_category_id'),
  };
}
const topicOf = (t: AnyRow, x: ReadContext, category: AnyRow | undefined) => ({
  id: t['id'],
  number: t['number'] ?? null,
  created_on: typeof t['created_at'] === 'string' ? t['created_at'].slice(0, 10) : null,
  position: t['position'] ?? 0,
  due_date: t['due_date'] ?? null,
  priority: t['priority'] ?? '',
  status: t['status'] ?? 'Open',
  title: t['title'] ?? null,
  minutes: t['minutes'] ?? null,
  description: t['description'] ?? null,
  meeting_category: category ? { id: category['id'], title: category['title'] ?? null } : null,
  assignments: x.users(t['assignment_ids']),
  attachments: [],
});

const Attendees = Type.Union([
  BodyIds,
  Type.Array(
    Type.Object({
      login_information_id: Type.Integer({ minimum: 1 }),
      status: Type.Optional(Type.Union(ATTENDANCE.map((s) => Type.Literal(s)))),
    }),
    { maxItems: 1000 },
  ),
]);
const attendeeUsers = (v: unknown) =>
  Array.isArray(v) ? v.map((a) => (typeof a === 'number' ? a : (a as { login_information_id: number }).login_information_id)) : [];

const TIME = /^([01]?\d|2[0-3]):[0-5]\d$/;
const BodyDateTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

/** v1.0 `meeting_date`/`start_time`/`finish_time` ↔ v1.1 `starts_at`/`ends_at`. */
function deriveTimes(w: Write<Record<string, unknown>>): void {
  const b = w.body;
  for (const key of ['start_time', 'finish_time'])
    if (typeof b[key] === 'string' && b[key] !== '' && !TIME.test(b[key] as string)) w.errors.add(key, 'is not a valid time (HH:MM)');
  if (!w.row && w.c.version === 'v1.1')
    for (const key of ['starts_at', 'ends_at']) if (b[key] == null || b[key] === '') w.errors.add(key, "can't be blank");
  if (!w.row && (b['position'] === undefined || b['position'] === null)) w.errors.add('position', "can't be blank");
  if (typeof b['starts_at'] === 'string')
    Object.assign(w.set, { meeting_date: b['starts_at'].slice(0, 10), start_time: b['starts_at'].slice(11, 16) });
  if (typeof b['ends_at'] === 'string') w.set['finish_time'] = b['ends_at'].slice(11, 16);
  const date = (w.set['meeting_date'] ?? w.row?.['meeting_date']) as string | null | undefined;
  const start = (w.set['start_time'] ?? w.row?.['start_time']) as string | null | undefined;
  const end = (w.set['finish_time'] ?? w.row?.['finish_time']) as string | null | undefined;
  if (typeof b['starts_at'] !== 'string' && date) w.set['starts_at'] = `${date}T${start || '00:00'}:00Z`;
  if (typeof b['ends_at'] !== 'string' && date) w.set['ends_at'] = `${date}T${end || start || '00:00'}:00Z`;
  const starts = (w.set['starts_at'] ?? w.row?.['starts_at']) as string | undefined;
  const ends = (w.set['ends_at'] ?? w.row?.['ends_at']) as string | undefined;
  if (starts && ends && ends < starts) w.errors.add('ends_at', 'must be after starts_at');
}

const meetingFields = {
  id: f.id({ filter: 'ids' }),
  position: f.int({ write: true, min: 0, sort: true }),
  title: f.text({ write: true, sort: true, search: true }),
  location: f.text({ write: true }),
  description: f.text({ write: 'overview', long: true }),
  overview: f.computed(NStr(), (r) => r['description'] ?? null),
  minutes: f.text({ write: true, long: true }),
  conclusion: f.text({ write: true, long: true }),
  meeting_date: f.date({ write: true, sort: true, filter: 'date' }),
  start_time: f.text({ write: true, max: 10 }),
  finish_time: f.text({ write: true, max: 10 }),
  starts_at: f.text({ write: true, body: BodyDateTime, sort: true }),
  ends_at: f.text({ write: true, body: BodyDateTime }),
  time_zone: f.text({ write: true, max: 100 }),
  occurred: f.bool({ write: true }),
  is_private: f.bool({ write: true }),
  is_draft: f.bool({ write: true }),
  mode: f.computed(Type.String({ enum: ['minutes', 'agenda'] } as never), (r) => (r['occurred'] === true ? 'minutes' : 'agenda')),
  attendees: f.computed(Type.Array(AttendeeSchema), (r, x) =>
    ((x.extra as Children).attendees.get(r['id'] as number) ?? []).map((a) => ({
      id: a['id'],
      status: a['status'] ?? 'Present',
      login_information: x.user(a['login_information_id']),
    })),
  ),
  meeting_categories: f.computed(Type.Array(CategorySchema), (r, x) =>
    ((x.extra as Children).categories.get(r['id'] as number) ?? [])
      .sort((a, b) => Number(a['position'] ?? 0) - Number(b['position'] ?? 0))
      .map((cat) => ({
        id: cat['id'],
        title: cat['title'] ?? null,
        position: cat['position'] ?? 0,
        meeting_topic: ((x.extra as Children).topics.get(cat['id'] as number) ?? []).map((t) => topicOf(t, x, cat)),
      })),
  ),
  created_by: f.user({ creator: true }),
  created_at: f.createdAt({ sort: true }),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  deleted_at: f.datetime({ in: [] }),
  ...unmodelled({ attachments: Type.Array(Attachment), parent_id: Nullable(Type.Integer()) }),
};

function meetings(path: string, o: { versions: readonly ApiVersion[]; byQuery: boolean; seed: boolean }): Resource {
  return defineResource({
    name: MEETINGS,
    tag: 'Meetings',
    noun: o.byQuery ? ['Meeting', 'Meetings'] : ['ProjectMeeting', 'ProjectMeetings'],
    titles: { list: 'Meeting', show: 'Meeting' },
    path,
    scope: 'project',
    storage: records({ softDelete: true }),
    body: 'meeting',
    versions: o.versions,
    operations: o.byQuery ? { show: {}, create: {}, update: {}, delete: {} } : { list: {}, show: {}, create: {}, update: {}, delete: {} },
    sort: {
      default: [
        ['meeting_date', 'asc'],
        ['position', 'asc'],
        ['id', 'asc'],
      ],
    },
    filters: { assignee_id: { kind: 'ids', column: 'id', apply: (qb) => qb } },
    query: { deleted_only: Type.String({ description: 'true: the recycled meetings' }) },
    fields: meetingFields,
    extraBody: { attendees: Attendees },
    hooks: {
      prepare: (c, rows, _view, refs) => loadChildren(c, rows, refs),
      narrow: (c, qb, use) => (use === 'list' ? byAssignee(c, qb) : qb),
      async validate(w) {
        deriveTimes(w);
        const users = attendeeUsers(w.body.attendees);
        if (users.length)
          await checkCompanyRefs(
            w.trx,
            w.c.auth.sandboxId,
            w.c.requireProject().company_id,
            { attendees: users },
            { users: ['attendees'], vendors: [] },
            w.errors,
          );
      },
      async beforeInsert(w) {
        w.set['position'] ??= await nextNumber(w.c, w.trx, MEETINGS, 'position');
      },
      async afterWrite(w) {
        if (w.row || !Array.isArray(w.body.attendees)) return;
        for (const a of w.body.attendees as unknown[]) {
          const user = typeof a === 'number' ? a : (a as { login_information_id: number }).login_information_id;
          const status = typeof a === 'number' ? 'Present' : ((a as { status?: string }).status ?? 'Present');
          await insertRecord(w.c, w.trx, ATTENDEES, { meeting_id: w.id, login_information_id: user, status }, w.now);
        }
        // Every meeting starts with Procore's "Uncategorized Items" category.
        await insertRecord(w.c, w.trx, CATEGORIES, { meeting_id: w.id, title: 'Uncategorized Items', position: 0 }, w.now);
      },
      seedChildren: seedChildren,
    },
    ...(o.seed ? { seed: seedMeetings } : {}),
    extra: o.byQuery
      ? ({ serialize, rows, select, decode, schemas }) => [groupedMeetings(serialize, rows, select, decode, schemas.list)]
      : undefined,
  });
}

/** `filters[assignee_id]`: meetings with a topic assigned to one of the users. */
async function byAssignee(c: ApiContext, qb: AnyQuery): Promise<AnyQuery> {
  const p = c.filters.get('assignee_id');
  if (p?.kind !== 'ids') return qb;
  const topics = await recordRows(c, c.db, TOPICS);
  const ids = topics
    .filter((t) => ((t['assignment_ids'] as number[] | undefined) ?? []).some((u) => p.ids.includes(u)))
    .map((t) => t['meeting_id'] as number);
  return qb.where('id', 'in', ids.length ? ids : [-1]);
}

/** `GET /meetings?project_id=`: the meetings grouped by title (Procore's meeting series). */
function groupedMeetings(
  serialize: (c: ApiContext, rows: AnyRow[], view: 'list' | 'show') => Promise<unknown[]>,
  rows: (c: ApiContext) => AnyQuery,
  select: (qb: AnyQuery) => AnyQuery,
  decode: (row: Record<string, unknown>) => AnyRow,
  listSchema: TSchema,
) {
  return {
    method: 'GET' as const,
    path: '/meetings',
    operationId: 'listMeetingsGrouped',
    summary: 'List meetings, grouped by series (title)',
    description: '`deleted_only=true` lists the recycled meetings.',
    project: { from: 'query' as const },
    // A list (its catalogue reads read it too); grouped, so not paged.
    list: {},
    versions: ['v1.0', 'vapid'] as const,
    query: { deleted_only: Type.String(), serializer_view: Type.String({ enum: ['normal', 'extended'] } as never) },
    response: Type.Array(Obj({ group_title: Type.String(), meetings: Type.Array(listSchema) }, { title: 'MeetingsGrouped' })),
    async handler(c: ApiContext) {
      let qb: AnyQuery = rows(c);
      if (c.query['deleted_only'] === 'true')
        qb = (c.db as unknown as { selectFrom(t: unknown): AnyQuery }).selectFrom(
          c
            .from('records')
            .select(['id', 'project_id', 'parent_id', 'data', 'created_at', 'updated_at', 'deleted_at'])
            .where('resource', '=', MEETINGS)
            .where('project_id', '=', c.requireProject().id)
            .where('deleted_at', 'is not', null)
            .as('r'),
        );
      const all = (await select(qb).orderBy('id').execute()).map((r) => decode(r as Record<string, unknown>));
      all.sort(
        (a, b) =>
          String(a['meeting_date'] ?? '').localeCompare(String(b['meeting_date'] ?? '')) || Number(a['position']) - Number(b['position']),
      );
      const out = (await serialize(c, all, 'list')) as AnyRow[];
      const groups = new Map<string, AnyRow[]>();
      all.forEach((r, i) => groups.set(String(r['title'] ?? ''), [...(groups.get(String(r['title'] ?? '')) ?? []), out[i]!]));
      return [...groups].map(([group_title, meetings]) => ({ group_title, meetings }));
    },
  };
}

function seedMeetings(s: SeedContext): AnyRow[] {
  const [a, b] = meetingIds(s);
  return [
    {
      id: a,
      position: 1,
      title: 'Weekly OAC Meeting',
      location: 'Site trailer',
      overview: 'Owner, architect and contractor weekly coordination.',
      meeting_date: s.day(0),
      start_time: '09:00',
      finish_time: '10:00',
      starts_at: `${s.day(0)}T09:00:00Z`,
      ends_at: `${s.day(0)}T10:00:00Z`,
      time_zone: 'UTC',
      occurred: true,
      seed_attendees: [
        [s.users.demo, 'Present'],
        [s.users.arch, 'Present'],
        [s.users.sub, 'Absent'],
      ],
      seed_topics: [
        ['Schedule', [['Footing pour sequence', 'Open', s.users.sub]]],
        ['RFIs and Submittals', [['Door hardware submittal review', 'On Hold', s.users.arch]]],
      ],
    },
    {
      id: b,
      position: 2,
      title: 'Weekly OAC Meeting',
      location: 'Site trailer',
      overview: 'Owner, architect and contractor weekly coordination.',
      meeting_date: s.day(7),
      start_time: '09:00',
      finish_time: '10:00',
      starts_at: `${s.day(7)}T09:00:00Z`,
      ends_at: `${s.day(7)}T10:00:00Z`,
      time_zone: 'UTC',
      seed_attendees: [
        [s.users.demo, 'Present'],
        [s.users.arch, 'Present'],
      ],
      seed_topics: [],
    },
  ];
}

function seedChildren(row: Record<string, unknown>, body: Record<string, unknown>, s: SeedContext) {
  const rec = (resource: string, data: AnyRow) => ({
    id: s.nextId(),
    sandbox_id: s.sandboxId,
    resource,
    project_id: s.projectId,
    parent_id: null,
    data: JSON.stringify(data),
    created_at: s.created,
    updated_at: s.created,
    deleted_at: null,
  });
  const out = ((body['seed_attendees'] ?? []) as [number, string][]).map(([user, status]) =>
    rec(ATTENDEES, { meeting_id: row['id'], login_information_id: user, status }),
  );
  const cats: [string, [string, string, number][]][] = [
    ['Uncategorized Items', []],
    ...((body['seed_topics'] ?? []) as [string, [string, string, number][]][]),
  ];
  cats.forEach(([title, topics], i) => {
    const cat = rec(CATEGORIES, { meeting_id: row['id'], title, position: i });
    out.push(cat);
    topics.forEach(([t, status, user], j) =>
      out.push(
        rec(TOPICS, {
          meeting_id: row['id'],
          meeting_category_id: cat.id,
          number: `${i}.${j + 1}`,
          position: j,
          title: t,
          status,
          priority: 'Medium',
          assignment_ids: [user],
          due_date: s.day(7),
        }),
      ),
    );
  });
  return [{ table: 'records' as const, rows: out }];
}

export const meetingsByQuery = meetings('/meetings', { versions: ['v1.0', 'vapid'], byQuery: true, seed: true });
export const projectMeetings = meetings('/projects/{project_id}/meetings', { versions: ['v1.1'], byQuery: false, seed: false });

// ---- attendees, categories, topics ---------------------------------------------------------------

/** The request's meeting: a live meeting of the project, else 422 on `meeting_id`. */
async function checkMeeting(w: Write<Record<string, unknown>>): Promise<void> {
  if (w.row) return;
  const id = meetingIdOf(w.c);
  if (id === undefined) return w.errors.add('meeting_id', "can't be blank");
  if (!(await recordRows(w.c, w.trx, MEETINGS)).some((m) => m['id'] === id))
    return w.errors.add('meeting_id', `meeting ${id} is not a meeting of this project`);
  w.set['meeting_id'] = id;
}
const byMeeting = (c: ApiContext, qb: AnyQuery, use: 'list' | 'find') => {
  const id = meetingIdOf(c);
  return id === undefined || use === 'find' ? qb : qb.where('meeting_id', '=', id);
};

export const meetingAttendees = defineResource({
  name: ATTENDEES,
  tag: 'Meetings',
  noun: ['MeetingAttendeeRecord', 'MeetingAttendeeRecords'],
  titles: { list: 'MeetingAttendee', show: 'MeetingAttendee' },
  path: '/meeting_attendee_records',
  scope: 'project',
  storage: records(),
  body: 'meeting_attendee_record',
  versions: ['v1.0', 'vapid'],
  operations: { create: {}, update: {}, delete: {} },
  query: { meeting_id: Type.String({ description: 'Meeting ID (required)' }) },
  fields: {
    id: f.id(),
    meeting_id: f.ref({ filter: 'ids' }),
    status: f.enum(ATTENDANCE, { write: true, default: 'Present' }),
    login_information: f.user({ write: 'login_information_id' }),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
  },
  required: ['login_information_id'],
  hooks: {
    async validate(w) {
      await checkMeeting(w);
      const meeting = (w.set['meeting_id'] ?? w.row?.['meeting_id']) as number;
      const user = w.body.login_information_id;
      if (
        typeof user === 'number' &&
        (await recordRows(w.c, w.trx, ATTENDEES)).some(
          (a) => a['meeting_id'] === meeting && a['login_information_id'] === user && a['id'] !== w.row?.['id'],
        )
      )
        w.errors.add('login_information_id', 'has already been taken');
    },
  },
});

export const meetingCategories = defineResource({
  name: CATEGORIES,
  tag: 'Meetings',
  noun: ['MeetingCategory', 'MeetingCategories'],
  titles: { list: 'MeetingCategory', show: 'MeetingCategory' },
  path: '/meeting_categories',
  scope: 'project',
  storage: records(),
  body: 'meeting_category',
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, create: {}, update: {} },
  query: { meeting_id: Type.String({ description: 'Meeting ID (required)' }) },
  sort: {
    default: [
      ['position', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id(),
    meeting_id: f.ref({ filter: 'ids' }),
    title: f.text({ write: 'required', sort: true }),
    position: f.int({ write: true, min: 0, sort: true }),
    created_by: f.user({ creator: true }),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
  },
  hooks: {
    narrow: byMeeting,
    validate: checkMeeting,
    async beforeInsert(w) {
      if (w.set['position'] == null)
        w.set['position'] = (await recordRows(w.c, w.trx, CATEGORIES)).filter((x) => x['meeting_id'] === w.set['meeting_id']).length;
    },
  },
});

function meetingTopics(path: string, versions: readonly ApiVersion[]): Resource {
  return defineResource({
    name: TOPICS,
    tag: 'Meetings',
    noun: versions.includes('v1.1') ? ['ProjectMeetingTopic', 'ProjectMeetingTopics'] : ['MeetingTopic', 'MeetingTopics'],
    titles: { list: 'MeetingTopic', show: 'MeetingTopic' },
    path,
    scope: 'project',
    storage: records(),
    body: 'meeting_topic',
    versions,
    operations: { create: {}, update: {} },
    fields: {
      id: f.id(),
      meeting_id: f.ref({}),
      number: f.text({
        write: 'meeting_wide_number',
        body: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
        toColumn: (v) => (v == null ? null : String(v)),
      }),
      position: f.int({ min: 0 }),
      created_on: f.computed(NStr(), (r) => (typeof r['created_at'] === 'string' ? r['created_at'].slice(0, 10) : null)),
      title: f.text({ write: true }),
      description: f.text({ write: true, long: true }),
      minutes: f.text({ write: true, long: true }),
      due_date: f.date({ write: true }),
      status: f.enum(TOPIC_STATUS, { write: true, default: 'Open' }),
      priority: f.enum(PRIORITY, { write: true, default: '' }),
      is_private: f.bool({ write: true }),
      added_under_agenda: f.bool({ write: true }),
      closed_at: f.datetime(),
      meeting_category_id: f.ref({ write: true, in: [] }),
      meeting_category: f.computed(Nullable(Obj({ id: Id, title: NStr() })), (r, x) => {
        const cat = (x.extra as Map<number, AnyRow>).get(r['meeting_category_id'] as number);
        return cat ? { id: cat['id'], title: cat['title'] ?? null } : null;
      }),
      assignments: f.users({ write: 'assignment_ids', column: 'assignment_ids' }),
      created_at: f.createdAt(),
      updated_at: f.updatedAt(),
      ...unmodelled({ attachments: Type.Array(Attachment), custom_fields: AnyObject() }),
    },
    hooks: {
      prepare: async (c) => new Map((await recordRows(c, c.db, CATEGORIES)).map((x) => [x['id'] as number, x])),
      async validate(w) {
        await checkMeeting(w);
        const meeting = (w.set['meeting_id'] ?? w.row?.['meeting_id']) as number;
        const cats = (await recordRows(w.c, w.trx, CATEGORIES)).filter((x) => x['meeting_id'] === meeting);
        const want = w.body.meeting_category_id;
        if (typeof want === 'number' && !cats.some((x) => x['id'] === want))
          w.errors.add('meeting_category_id', `category ${want} is not a category of this meeting`);
        if (w.row) return;
        // A topic without a category goes under "Uncategorized Items" (position 0).
        const cat = cats.find((x) => x['id'] === want) ?? [...cats].sort((a, b) => Number(a['position']) - Number(b['position']))[0];
        if (!cat) return;
        w.set['meeting_category_id'] = cat['id'];
        const siblings = (await recordRows(w.c, w.trx, TOPICS)).filter((t) => t['meeting_category_id'] === cat['id']);
        w.set['position'] = siblings.length;
        w.set['number'] ??= `${Number(cat['position'] ?? 0)}.${siblings.length + 1}`;
      },
      beforeUpdate(w) {
        if (w.body.status === undefined || w.body.status === w.row?.['status']) return;
        w.set['closed_at'] = w.body.status === 'Closed' ? w.now : null;
      },
    },
  });
}

export const meetingTopicsByQuery = meetingTopics('/meeting_topics', ['v1.0', 'vapid']);
export const projectMeetingTopics = meetingTopics('/projects/{project_id}/meeting_topics', ['v1.1']);
