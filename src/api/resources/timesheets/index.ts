/**
 * Project timesheets (`/projects/{project_id}/timesheets`): one per day of a project (`date`
 * unique), numbered per project, `pending` or `approved`. A timesheet's `timecard_entries` are
 * the project's timecard entries of its day (`src/api/resources/timecards/`), so an entry written
 * through either path is on its day's timesheet. Besides CRUD: `PATCH …/timesheets` adds entries
 * to a timesheet, `PATCH …/timesheets/update_approval` sets statuses, `DELETE …/timesheets`
 * deletes a list (`ids`); `GET /companies/{company_id}/timesheets` lists every project's.
 */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isoSeconds } from '../../../core/clock.js';
import { defineResource, records } from '../../compile.js';
import { ApiError, FieldErrors } from '../../errors.js';
import { f, type AnyRow } from '../../fields.js';
import { isValidDate } from '../../http/listing.js';
import { queryString } from '../../http/query.js';
import { checkCompanyRefs, checkLocationRefs } from '../../refs.js';
import type { ApiContext, ResourceHelpers } from '../../resource.js';
import { BodyDate, BodyId, BodyNullable, Obj } from '../../schemas.js';
import { insertRecord, nextNumber, recordRows } from '../locations/store.js';
import { TIME_TYPES, projectTimecardEntries } from '../timecards/index.js';

const TIMESHEETS = 'timesheets';
const ENTRIES = 'timecard_entries';
const STATUSES = ['pending', 'approved'] as const;

/** The project's timecard entries by day, serialized as `/projects/{project_id}/timecard_entries` answers them. */
async function entriesByDay(c: ApiContext, days: Set<string>): Promise<Map<string, unknown[]>> {
  const rows = (await recordRows(c, c.db, ENTRIES)).filter((e) => days.has(String(e['date'])));
  const out = rows.length ? await projectTimecardEntries.helpers!.serialize(c, rows, 'list') : [];
  const by = new Map<string, unknown[]>();
  rows.forEach((e, i) => by.set(String(e['date']), [...(by.get(String(e['date'])) ?? []), out[i]]));
  return by;
}

const entrySchema = () => Type.Array(projectTimecardEntries.helpers!.schemas.list);

export const projectTimesheets = defineResource({
  name: TIMESHEETS,
  tag: 'Timesheets',
  noun: ['Timesheet', 'Timesheets'],
  path: '/projects/{project_id}/timesheets',
  scope: 'project',
  storage: records({ softDelete: true }),
  body: 'timesheet',
  versions: ['v1.0'],
  operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
  sort: {
    default: [
      ['date', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    date: f.date({ write: 'required', filter: 'date', sort: true }),
    number: f.int({ sort: true }),
    name: f.computed(Type.String(), (r) => `Timesheet #${String(r['number'] ?? r['id'])}`),
    status: f.enum(STATUSES, { default: 'pending', filter: 'enum' }),
    created_by: f.user({ creator: true }),
    timecard_entries: f.computed(entrySchema(), (r, x) => (x.extra as Map<string, unknown[]>).get(String(r['date'])) ?? []),
    created_at: f.createdAt({ sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    deleted_at: f.datetime({ filter: 'datetime', in: [] }),
  },
  hooks: {
    prepare: (c, rows) => entriesByDay(c, new Set(rows.map((r) => String(r['date'])))),
    // One timesheet per day of a project.
    async validate(w) {
      const date = w.body.date;
      if (date === null) w.errors.add('date', "can't be blank");
      if (
        typeof date === 'string' &&
        (await recordRows(w.c, w.trx, TIMESHEETS)).some((t) => t['date'] === date && t['id'] !== w.row?.['id'])
      )
        w.errors.add('date', 'has already been taken');
    },
    async beforeInsert(w) {
      w.set['number'] = await nextNumber(w.c, w.trx, TIMESHEETS, 'number');
    },
  },
  seed: (s) => [
    { date: s.day(0), number: 1, status: 'approved' },
    { date: s.day(1), number: 2, status: 'pending' },
  ],
  extra: (h) => bulkOperations(h),
});

const EntryBody = Type.Object({
  id: Type.Optional(BodyId),
  date: Type.Optional(BodyDate),
  hours: Type.Optional(Type.String({ pattern: '^\\d{1,2}(\\.\\d{1,2})?$' })),
  description: Type.Optional(BodyNullable(Type.String({ maxLength: 10_000 }))),
  time_in: Type.Optional(BodyNullable(Type.String({ maxLength: 20 }))),
  time_out: Type.Optional(BodyNullable(Type.String({ maxLength: 20 }))),
  lunch_time: Type.Optional(BodyNullable(Type.String({ maxLength: 10 }))),
  billable: Type.Optional(Type.Boolean()),
  login_information_id: Type.Optional(BodyNullable(BodyId)),
  location_id: Type.Optional(BodyNullable(BodyId)),
  timecard_time_type_id: Type.Optional(Type.Union(TIME_TYPES.map((t) => Type.Literal(t.id)))),
});

function bulkOperations(h: ResourceHelpers) {
  const project = { from: 'path' as const };
  const show = async (c: ApiContext, id: number) => (await h.serialize(c, [await h.find(c, id)], 'show'))[0];
  /** The flat (unwrapped) JSON body of a bulk operation. */
  const flat = (c: ApiContext): Record<string, unknown> => {
    const b = c.request.body;
    if (b === undefined || b === null || typeof b !== 'object' || Array.isArray(b))
      throw ApiError.badRequest('Request body must be a JSON object', 'body');
    return b as Record<string, unknown>;
  };
  return [
    {
      method: 'PATCH' as const,
      path: '/projects/{project_id}/timesheets',
      operationId: 'updateTimesheetTimecardEntries',
      summary: 'Add or change the timecard entries of a timesheet',
      description:
        '`{"timesheet_id": 1, "timecard_entries": [{"hours": "8", "login_information_id": 2}]}`: entries with an `id` are updated, others created on the timesheet’s day.',
      project,
      versions: ['v1.0' as const],
      response: h.schemas.show,
      async handler(c: ApiContext) {
        const body = flat(c);
        const errors = new FieldErrors();
        const id = body['timesheet_id'];
        const entries = body['timecard_entries'];
        if (!Array.isArray(entries) || entries.length > 1000)
          errors.add('timecard_entries', Array.isArray(entries) ? 'is too long (maximum is 1000 entries)' : "can't be blank");
        if (typeof id !== 'number' || !Number.isSafeInteger(id)) errors.add('timesheet_id', "can't be blank");
        errors.throwIfAny();
        const sheet = await h.find(c, id as number);
        const list = entries as Record<string, unknown>[];
        list.forEach((e, i) => {
          if (!Value.Check(EntryBody, e)) errors.add(`timecard_entries[${i}]`, 'is invalid');
          else if (typeof e['date'] === 'string' && !isValidDate(e['date']))
            errors.add(`timecard_entries[${i}].date`, 'is not a valid date');
        });
        errors.throwIfAny();
        await c.db.transaction().execute(async (trx) => {
          const company = c.requireProject().company_id;
          const users = list.flatMap((e) => (typeof e['login_information_id'] === 'number' ? [e['login_information_id']] : []));
          await checkCompanyRefs(
            trx,
            c.auth.sandboxId,
            company,
            { login_information_id: users },
            { users: ['login_information_id'], vendors: [] },
            errors,
          );
          const locations = list.flatMap((e) => (typeof e['location_id'] === 'number' ? [e['location_id']] : []));
          await checkLocationRefs(trx, c.auth.sandboxId, c.requireProject().id, { location_id: locations }, ['location_id'], errors);
          const existing = new Map((await recordRows(c, trx, ENTRIES)).map((e) => [e['id'] as number, e]));
          for (const e of list)
            if (typeof e['id'] === 'number' && !existing.has(e['id']))
              errors.add('timecard_entries', `timecard entry ${e['id']} is not an entry of this project`);
          errors.throwIfAny();
          const now = isoSeconds(c.nowMs());
          for (const e of list) {
            const date = (e['date'] as string | undefined) ?? String(sheet['date']);
            const { id: entryId, ...fields } = e;
            if (typeof entryId === 'number') {
              const merged = { ...existing.get(entryId)!, ...fields, date, datetime: `${date}T00:00:00Z` };
              await trx
                .updateTable('records')
                .set({
                  data: JSON.stringify(
                    Object.fromEntries(
                      Object.entries(merged).filter(([k]) => !['id', 'parent_id', 'created_at', 'updated_at'].includes(k)),
                    ),
                  ),
                  updated_at: now,
                })
                .where('sandbox_id', '=', c.auth.sandboxId)
                .where('id', '=', entryId)
                .execute();
            } else
              await insertRecord(
                c,
                trx,
                ENTRIES,
                {
                  date,
                  datetime: `${date}T00:00:00Z`,
                  hours: '0',
                  lunch_time: null,
                  time_in: null,
                  time_out: null,
                  billable: true,
                  description: null,
                  timecard_time_type_id: 1,
                  login_information_id: c.auth.userId,
                  location_id: null,
                  created_by_id: c.auth.userId,
                  ...fields,
                },
                now,
              );
          }
        });
        return show(c, sheet['id'] as number);
      },
    },
    {
      method: 'PATCH' as const,
      path: '/projects/{project_id}/timesheets/update_approval',
      operationId: 'updateTimesheetApproval',
      summary: 'Set the status (pending, approved) of timesheets',
      project,
      versions: ['v1.0' as const],
      response: Type.Array(h.schemas.show),
      async handler(c: ApiContext) {
        const list = flat(c)['timesheets'];
        const errors = new FieldErrors();
        if (!Array.isArray(list) || !list.length || list.length > 1000) errors.add('timesheets', "can't be blank");
        else
          list.forEach((t: unknown, i) => {
            const x = (t ?? {}) as { id?: unknown; status?: unknown };
            if (typeof x.id !== 'number' || !Number.isSafeInteger(x.id)) errors.add(`timesheets[${i}].id`, "can't be blank");
            if (!STATUSES.includes(x.status as never)) errors.add(`timesheets[${i}].status`, 'is not included in the list');
          });
        errors.throwIfAny();
        const items = list as { id: number; status: string }[];
        await c.db.transaction().execute(async (trx) => {
          const now = isoSeconds(c.nowMs());
          for (const t of items) {
            const row = await h.find(c, t.id, trx);
            const { id, parent_id, project_id, created_at, updated_at, deleted_at, ...data } = row;
            void [id, parent_id, project_id, created_at, updated_at, deleted_at];
            await trx
              .updateTable('records')
              .set({ data: JSON.stringify({ ...data, status: t.status }), updated_at: now })
              .where('sandbox_id', '=', c.auth.sandboxId)
              .where('id', '=', t.id)
              .execute();
          }
        });
        const out = [];
        for (const t of items) out.push(await show(c, t.id));
        return out;
      },
    },
    {
      method: 'DELETE' as const,
      path: '/projects/{project_id}/timesheets',
      operationId: 'deleteTimesheets',
      summary: 'Delete timesheets (`ids`)',
      project,
      versions: ['v1.0' as const],
      status: 204 as const,
      async handler(c: ApiContext) {
        const ids = (c.request.body as { ids?: unknown } | undefined)?.ids ?? queryString(c.query, 'ids')?.split(',').map(Number);
        if (!Array.isArray(ids) || !ids.length || ids.some((x) => !Number.isSafeInteger(x)))
          throw ApiError.unprocessable({ ids: ["can't be blank"] });
        await c.db.transaction().execute(async (trx) => {
          for (const id of ids as number[]) await h.find(c, id, trx);
          const now = isoSeconds(c.nowMs());
          await trx
            .updateTable('records')
            .set({ deleted_at: now, updated_at: now })
            .where('sandbox_id', '=', c.auth.sandboxId)
            .where('resource', '=', TIMESHEETS)
            .where('id', 'in', ids as number[])
            .execute();
        });
        return null;
      },
    },
    {
      method: 'GET' as const,
      path: '/companies/{company_id}/timesheets',
      operationId: 'listCompanyTimesheets',
      summary: 'List the timesheets of every project of the company',
      description: '`start_date` and `end_date` (YYYY-MM-DD) bound the days.',
      versions: ['v1.0' as const],
      // A list (its catalogue reads, e.g. `filters/*`, read it too); paging is not offered.
      list: {},
      query: { start_date: Type.String(), end_date: Type.String() },
      response: Type.Array(
        Obj(
          { ...(h.schemas.list as unknown as { properties: Record<string, never> }).properties, project_id: Type.Integer() },
          { title: 'CompanyTimesheet' },
        ),
      ),
      async handler(c: ApiContext) {
        if (c.params['company_id'] !== c.auth.companyId) throw ApiError.notFound();
        const from = queryString(c.query, 'start_date');
        const to = queryString(c.query, 'end_date');
        for (const [k, v] of [
          ['start_date', from],
          ['end_date', to],
        ] as const)
          if (v !== undefined && !isValidDate(v)) throw ApiError.badRequest(`${k} must be a date (YYYY-MM-DD)`, k);
        const rows = await c
          .from('records')
          .select(['id', 'project_id', 'data', 'created_at', 'updated_at'])
          .where('resource', '=', TIMESHEETS)
          .where('deleted_at', 'is', null)
          .orderBy('id')
          .execute();
        const out: unknown[] = [];
        for (const r of rows) {
          const data = JSON.parse(String(r['data'])) as AnyRow;
          if ((from && String(data['date']) < from) || (to && String(data['date']) > to)) continue;
          const p = await c.loadProject(Number(r['project_id'])).catch(() => null);
          if (!p) continue;
          c.project = p;
          const [one] = await h.serialize(
            c,
            [{ ...data, id: Number(r['id']), project_id: p.id, created_at: r['created_at'], updated_at: r['updated_at'] }],
            'list',
          );
          out.push({ ...(one as object), project_id: p.id });
        }
        return out;
      },
    },
  ];
}
