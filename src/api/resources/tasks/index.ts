/** Schedule tasks (the sandbox's 8) and the deprecated calendar events derived from them. */
import { Type } from '@sinclair/typebox';
import { isoSeconds } from '../../../core/clock.js';
import { defineResource, table } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import { normalizeTimestamp } from '../../http/listing.js';
import type { QueryTree } from '../../http/query.js';
import { PROJECT, SCHEDULE_TASKS } from '../../../core/seed/content.js';
import { AnyObject, NInt, NStr, NUserRef, Obj, Timestamp } from '../../schemas.js';

const DAY_MS = 86_400_000;

const COLORS = ['#6070A0', '#3C9FCB', '#E56A4F', '#8DB255', '#F2A541', '#7D5BA6', '#2BA39B', '#1F1F1F'];

function calendarBound(tree: QueryTree, name: 'start_datetime' | 'finish_datetime', end: boolean): string | undefined {
  const cal = tree['calendar'];
  if (cal === undefined) return undefined;
  if (typeof cal !== 'object' || Array.isArray(cal))
    throw ApiError.badRequest('calendar must be given as calendar[start_datetime]=…', 'calendar');
  const raw = cal[name];
  if (raw === undefined || raw === '') return undefined;
  const v = typeof raw === 'string' ? normalizeTimestamp(raw, end) : null;
  if (!v) throw ApiError.badRequest(`calendar[${name}] must be an ISO 8601 timestamp`, `calendar[${name}]`);
  return v;
}

const started = (r: AnyRow) => (r['percentage'] as number) > 0;

export const tasks = defineResource({
  name: 'tasks',
  tag: 'Schedule',
  noun: ['Task', 'Tasks'],
  titles: { list: 'Task', show: 'Task' },
  path: '/tasks',
  scope: 'project',
  storage: table('tasks'),
  operations: { list: { summary: 'List schedule tasks of a project' }, show: { summary: 'Show a schedule task' } },
  compact: { param: 'view', fields: ['id', 'name', 'key', 'formatted_name', 'task_name'] },
  search: { filter: 'query' },
  sort: {
    default: [
      ['row_number', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    name: f.text({ required: true, sort: true, search: true }),
    task_name: f.text({ search: true }),
    formatted_name: f.computed(NStr(), (r) => `${r['wbs']} ${r['task_name']}`),
    key: f.computed(NStr(), (r) => `${r['project_id']}|${r['id']}`),
    start_datetime: f.datetime({ sort: true }),
    finish_datetime: f.datetime({ sort: true }),
    percentage: f.int(),
    color: f.text(),
    parent_id: f.int(),
    resource_name: f.text(),
    critical_path: f.bool(),
    milestone: f.bool(),
    actual_start: f.computed(Timestamp(), (r) => (started(r) ? r['start_datetime'] : null)),
    actual_finish: f.computed(Timestamp(), (r) => ((r['percentage'] as number) >= 100 ? r['finish_datetime'] : null)),
    row_number: f.int({ filter: 'int', sort: true }),
    has_children: f.computed(Type.Boolean(), (r, x) => (x.extra as Set<number>).has(r['id'])),
    full_outline_path: f.computed(NStr(), (r) => r['task_name']),
    wbs: f.text(),
    schedule_duration: f.int(),
    notes: f.text(),
    baseline_start: f.computed(Timestamp(), (r) => r['start_datetime']),
    baseline_finish: f.computed(Timestamp(), (r) => r['finish_datetime']),
    start_variance: f.computed(Type.Integer(), () => 0),
    finish_variance: f.computed(Type.Integer(), () => 0),
    created_at: f.createdAt(),
    updated_at: f.updatedAt({ filter: 'datetime' }),
    created_by: f.user({ creator: true }),
    updated_by: f.computed(NUserRef, (r, x) => x.user(r['created_by_id'])),
    ...unmodelled({
      pending: Type.Boolean(),
      activity_id: NInt(),
      schedule_activity_id: NInt(),
      resource_ids: Type.Array(Type.Integer()),
      source_uid: NStr(),
      manually_edited: Type.Boolean(),
    }),
  },
  hooks: {
    // Which tasks of the page have children.
    async prepare(c, rows) {
      const children = await c
        .from('tasks')
        .select('parent_id')
        .where(
          'parent_id',
          'in',
          rows.map((r) => r['id']),
        )
        .execute();
      return new Set(children.map((r) => Number(r['parent_id'])));
    },
  },
  seed: (s) =>
    SCHEDULE_TASKS.map((t, i) => {
      // 08:00–17:00 Pacific (stored UTC); a milestone has no duration.
      const start = s.day0Ms + t.start * DAY_MS + 15 * 3600_000;
      const finish = t.days === 0 ? start : s.day0Ms + (t.start + t.days) * DAY_MS + 3600_000;
      return {
        name: `${PROJECT.display_name} > ${t.task_name}`,
        task_name: t.task_name,
        wbs: `1.${i + 1}`,
        row_number: i + 1,
        start_datetime: isoSeconds(start),
        finish_datetime: isoSeconds(finish),
        percentage: t.percentage,
        color: COLORS[i] ?? '#6070A0',
        milestone: t.milestone,
        critical_path: t.critical,
        schedule_duration: t.days,
      };
    }),
  extra: ({ rows, select, decode, serialize, schemas }) => [
    {
      method: 'GET',
      path: '/calendar_events',
      operationId: 'listCalendarEvents',
      summary: 'List calendar events (schedule tasks and to-dos) of a project',
      description:
        'Deprecated by Procore in favour of /tasks. An object, not an array: the tasks overlapping `calendar[start_datetime]`…`calendar[finish_datetime]` and the (empty) to-dos.',
      project: { from: 'query' },
      query: { 'calendar[start_datetime]': Type.String(), 'calendar[finish_datetime]': Type.String() },
      response: Obj(
        { schedule_tasks_last_updated_at: Timestamp(), tasks: Type.Array(schemas.list), todos: Type.Array(AnyObject()) },
        { title: 'CalendarEvents' },
      ),
      async handler(c) {
        const from = calendarBound(c.query, 'start_datetime', false);
        const to = calendarBound(c.query, 'finish_datetime', true);
        let qb = rows(c);
        if (from) qb = qb.where('finish_datetime', '>=', from);
        if (to) qb = qb.where('start_datetime', '<=', to);
        const found = await select(qb).orderBy('row_number').orderBy('id').limit(10_000).execute();
        const last = await rows(c)
          .select((eb) => eb.fn.max('updated_at').as('m'))
          .executeTakeFirst();
        return {
          schedule_tasks_last_updated_at: (last?.['m'] as string | null) ?? null,
          tasks: await serialize(c, found.map(decode), 'list'),
          todos: [],
        };
      },
    },
  ],
});
