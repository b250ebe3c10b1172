/** Schedule tasks and the (deprecated) calendar events derived from them. */
import { Type } from '@sinclair/typebox';
import type { Row } from '../../db/schema.js';
import { findInProject, projectRows } from '../crud.js';
import { ApiError } from '../errors.js';
import { normalizeTimestamp, type FilterDef } from '../http/listing.js';
import { queryString, type QueryTree } from '../http/query.js';
import { Refs, bool } from '../refs.js';
import { defineResource, type ApiContext } from '../resource.js';
import { AnyObject, Id, NInt, NStr, NUserRef, Obj, Timestamp } from '../schemas.js';

export const Task = Obj(
  {
    id: Id,
    name: Type.String(),
    task_name: NStr(),
    formatted_name: NStr(),
    key: NStr(),
    start_datetime: Timestamp(),
    finish_datetime: Timestamp(),
    percentage: NInt(),
    color: NStr(),
    parent_id: NInt(),
    pending: Type.Boolean(),
    activity_id: NInt(),
    schedule_activity_id: NInt(),
    resource_name: NStr(),
    resource_ids: Type.Array(Type.Integer()),
    critical_path: Type.Boolean(),
    milestone: Type.Boolean(),
    actual_start: Timestamp(),
    actual_finish: Timestamp(),
    row_number: NInt(),
    has_children: Type.Boolean(),
    full_outline_path: NStr(),
    source_uid: NStr(),
    wbs: NStr(),
    schedule_duration: NInt(),
    notes: NStr(),
    baseline_start: Timestamp(),
    baseline_finish: Timestamp(),
    start_variance: NInt(),
    finish_variance: NInt(),
    manually_edited: Type.Boolean(),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    created_by: NUserRef,
    updated_by: NUserRef,
  },
  { title: 'Task' },
);

export const CalendarEvents = Obj(
  {
    schedule_tasks_last_updated_at: Timestamp(),
    tasks: Type.Array(Task),
    todos: Type.Array(AnyObject()),
  },
  { title: 'CalendarEvents' },
);

async function serializeTasks(c: ApiContext, rows: Row<'tasks'>[], compact: boolean) {
  const parents = new Set(
    (
      await c.db
        .selectFrom('tasks')
        .select('parent_id')
        .where('sandbox_id', '=', c.auth.sandboxId)
        .where('parent_id', 'in', rows.length ? rows.map((r) => r.id) : [-1])
        .execute()
    ).map((r) => Number(r.parent_id)),
  );
  const refs = await new Refs(c.db, c.auth.sandboxId).loadUsers(rows.map((r) => r.created_by_id));
  return rows.map((t) => {
    const key = `${t.project_id}|${t.id}`;
    if (compact) return { id: t.id, name: t.name, key, formatted_name: `${t.wbs} ${t.task_name}`, task_name: t.task_name };
    return {
      id: t.id,
      name: t.name,
      task_name: t.task_name,
      formatted_name: `${t.wbs} ${t.task_name}`,
      key,
      start_datetime: t.start_datetime,
      finish_datetime: t.finish_datetime,
      percentage: t.percentage,
      color: t.color,
      parent_id: t.parent_id,
      pending: false,
      activity_id: null,
      schedule_activity_id: null,
      resource_name: t.resource_name,
      resource_ids: [],
      critical_path: bool(t.critical_path),
      milestone: bool(t.milestone),
      actual_start: t.percentage > 0 ? t.start_datetime : null,
      actual_finish: t.percentage >= 100 ? t.finish_datetime : null,
      row_number: t.row_number,
      has_children: parents.has(t.id),
      full_outline_path: t.task_name,
      source_uid: null,
      wbs: t.wbs,
      schedule_duration: t.schedule_duration,
      notes: t.notes,
      baseline_start: t.start_datetime,
      baseline_finish: t.finish_datetime,
      start_variance: 0,
      finish_variance: 0,
      manually_edited: false,
      created_at: t.created_at,
      updated_at: t.updated_at,
      created_by: refs.user(t.created_by_id),
      updated_by: refs.user(t.created_by_id),
    };
  });
}

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

const taskFilters: Record<string, FilterDef> = {
  updated_at: { kind: 'datetime', column: 'updated_at' },
  row_number: { kind: 'int', column: 'row_number' },
  query: { kind: 'search', columns: ['name', 'task_name'] },
  id: { kind: 'ids', column: 'id' },
};

export const schedule = defineResource({
  name: 'schedule',
  tag: 'Schedule',
  operations: [
    {
      method: 'GET',
      path: '/tasks',
      operationId: 'listTasks',
      summary: 'List schedule tasks of a project',
      project: { from: 'query' },
      query: { view: Type.String({ enum: ['compact', 'normal'] } as never) },
      list: {
        filters: taskFilters,
        sort: {
          style: 'sort',
          keys: { row_number: 'row_number', start_datetime: 'start_datetime', finish_datetime: 'finish_datetime', name: 'name' },
          default: [
            ['row_number', 'asc'],
            ['id', 'asc'],
          ],
        },
      },
      response: Type.Array(Task),
      async handler(c) {
        const compact = queryString(c.query, 'view') === 'compact';
        return c.list(
          projectRows(c, 'tasks'),
          (qb) => qb.selectAll(),
          (rows: Row<'tasks'>[]) => serializeTasks(c, rows, compact),
        );
      },
    },
    {
      method: 'GET',
      path: '/tasks/{id}',
      operationId: 'showTask',
      summary: 'Show a schedule task',
      project: { from: 'query' },
      response: Task,
      async handler(c) {
        const row = await findInProject(c, c.db, 'tasks', c.params['id'] as number);
        return (await serializeTasks(c, [row], false))[0];
      },
    },
    {
      method: 'GET',
      path: '/calendar_events',
      operationId: 'listCalendarEvents',
      summary: 'List calendar events (schedule tasks and to-dos) of a project',
      description:
        'Deprecated by Procore in favour of /tasks. An object, not an array: the tasks overlapping `calendar[start_datetime]`…`calendar[finish_datetime]` and the (empty) to-dos.',
      project: { from: 'query' },
      query: { 'calendar[start_datetime]': Type.String(), 'calendar[finish_datetime]': Type.String() },
      response: CalendarEvents,
      async handler(c) {
        const project = c.requireProject();
        const from = calendarBound(c.query, 'start_datetime', false);
        const to = calendarBound(c.query, 'finish_datetime', true);
        let qb = c.db.selectFrom('tasks').selectAll().where('project_id', '=', project.id).where('sandbox_id', '=', c.auth.sandboxId);
        if (from) qb = qb.where('finish_datetime', '>=', from);
        if (to) qb = qb.where('start_datetime', '<=', to);
        const rows = await qb.orderBy('row_number').orderBy('id').limit(10_000).execute();
        const last = await c.db
          .selectFrom('tasks')
          .select((eb) => eb.fn.max('updated_at').as('m'))
          .where('project_id', '=', project.id)
          .where('sandbox_id', '=', c.auth.sandboxId)
          .executeTakeFirst();
        return {
          schedule_tasks_last_updated_at: (last?.m as string | null) ?? null,
          tasks: await serializeTasks(c, rows, false),
          todos: [],
        };
      },
    },
  ],
});
