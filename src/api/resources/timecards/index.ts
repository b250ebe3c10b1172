/**
 * Timecard entries of a project: one set of rows served at `/timecard_entries?project_id=` (the
 * 2017 `TimecardEntry` shape, `timecard_type` a name) and `/projects/{project_id}/timecard_entries`
 * (`TimecardEntryProject`, `timecard_type` an object). Dated, listed by `start_date`…`end_date`
 * (and `log_date` on the project path); the worker (`login_information_id`) must be a user of the
 * company, the time type one of the company's.
 */
import { Type } from '@sinclair/typebox';
import { isoDate } from '../../../core/clock.js';
import { defineResource, records } from '../../compile.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import type { AnyQuery } from '../../http/listing.js';
import type { ApiContext, ApiVersion, Resource, SeedContext } from '../../resource.js';
import { NIdName, NStr, Nullable, Obj } from '../../schemas.js';
import { checkFormats, logDates } from '../daily-logs/index.js';
import { seededLocations } from '../locations/index.js';

/** The company's timecard time types (Procore's defaults). */
export const TIME_TYPES = [
  { id: 1, time_type: 'Regular Time', abbreviated_time_type: 'RT' },
  { id: 2, time_type: 'Overtime', abbreviated_time_type: 'OT' },
  { id: 3, time_type: 'Double Time', abbreviated_time_type: 'DT' },
];
const TimeType = Nullable(
  Obj(
    {
      id: Type.Integer(),
      time_type: Type.String(),
      abbreviated_time_type: Type.String(),
      global: Type.Boolean(),
      company_id: Type.Integer(),
    },
    { title: 'TimecardTimeTypeProject' },
  ),
);
const timeType = (r: AnyRow) => TIME_TYPES.find((t) => t.id === r['timecard_time_type_id']) ?? null;
const CLOCK = /^\d{1,2}:\d{2}(\s?[AaPp][Mm])?$/;
const FORMATS = { hours: /^\d{1,2}(\.\d{1,2})?$/, time_in: CLOCK, time_out: CLOCK };

const byDate = (c: ApiContext, qb: AnyQuery, use: 'list' | 'find'): AnyQuery => {
  const range = use === 'list' ? logDates(c) : null;
  return range ? qb.where('date', '>=', range[0]).where('date', '<=', range[1]) : qb;
};

function timecardEntries(path: string, o: { project: boolean; versions: readonly ApiVersion[]; seed: boolean }): Resource {
  return defineResource({
    name: 'timecard_entries',
    tag: 'Timesheets',
    noun: o.project ? ['ProjectTimecardEntry', 'ProjectTimecardEntries'] : ['TimecardEntry', 'TimecardEntries'],
    titles: o.project
      ? { list: 'TimecardEntryProject', show: 'TimecardEntryProject' }
      : { list: 'TimecardEntryCompact', show: 'TimecardEntry' },
    path,
    scope: 'project',
    storage: records({ softDelete: true }),
    body: 'timecard_entry',
    versions: o.versions,
    operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
    query: {
      start_date: Type.String({ description: 'First day, YYYY-MM-DD (with end_date)' }),
      end_date: Type.String({ description: 'Last day, YYYY-MM-DD (with start_date)' }),
      ...(o.project ? { log_date: Type.String({ description: 'One day, YYYY-MM-DD' }) } : {}),
    },
    sort: {
      default: [
        ['date', 'asc'],
        ['id', 'asc'],
      ],
    },
    fields: {
      id: f.id({ filter: 'ids' }),
      date: f.date({ write: true, sort: true }),
      datetime: f.datetime(),
      hours: f.text({ write: 'required', max: 10 }),
      lunch_time: f.text({ write: true, max: 10 }),
      time_in: f.text({ write: true, max: 20 }),
      time_out: f.text({ write: true, max: 20 }),
      billable: f.bool({ write: true, default: true }),
      description: f.text({ write: true, long: true }),
      timecard_time_type_id: f.ref({
        write: true,
        body: Type.Union([...TIME_TYPES.map((t) => Type.Literal(t.id)), Type.Null()]),
        default: 1,
        in: [],
      }),
      timecard_type: o.project
        ? f.computed(TimeType, (r, x) => {
            const t = timeType(r);
            return t ? { ...t, global: true, company_id: x.c.requireProject().company_id } : null;
          })
        : f.computed(NStr(), (r) => timeType(r)?.time_type ?? null),
      login_information: f.user({ write: 'login_information_id', filter: 'ids' }),
      location: f.location({ write: 'location_id', filter: 'ids' }),
      created_by: f.user({ creator: true, filter: 'ids' }),
      created_at: f.createdAt({ sort: true }),
      updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
      deleted_at: f.datetime(),
      ...(o.project ? unmodelled({ cost_code: NIdName() }) : unmodelled({ cost_code: NStr() })),
    },
    hooks: {
      narrow: byDate,
      validate: (w) => checkFormats(w, FORMATS),
      beforeInsert(w) {
        w.set['date'] ??= isoDate(w.c.nowMs());
        w.set['datetime'] = `${String(w.set['date'])}T00:00:00Z`;
        w.set['login_information_id'] ??= w.c.auth.userId;
      },
      beforeUpdate(w) {
        if (typeof w.body.date === 'string') w.set['datetime'] = `${w.body.date}T00:00:00Z`;
      },
    },
    ...(o.seed
      ? {
          seed: (s: SeedContext) => {
            const loc = seededLocations(s);
            const entry = (n: number, hours: string, user: number, description: string, type = 1) => ({
              date: s.day(n),
              datetime: `${s.day(n)}T00:00:00Z`,
              hours,
              time_in: '07:00',
              time_out: type === 1 ? '15:30' : '18:00',
              lunch_time: '30',
              description,
              timecard_time_type_id: type,
              login_information_id: user,
              location_id: loc.site,
            });
            return [
              entry(0, '8.0', s.users.sub, 'Footing formwork'),
              entry(0, '2.5', s.users.sub, 'Formwork, after hours', 2),
              entry(1, '8.0', s.users.demo, 'Site supervision'),
            ];
          },
        }
      : {}),
  });
}

export const timecardEntriesByQuery = timecardEntries('/timecard_entries', { project: false, versions: ['v1.0', 'vapid'], seed: true });
export const projectTimecardEntries = timecardEntries('/projects/{project_id}/timecard_entries', {
  project: true,
  versions: ['v1.0', 'vapid'],
  seed: false,
});
