/**
 * Daily logs: manpower, notes and weather logs of a project, each dated (`date`, default the
 * sandbox's today) and listed by Procore's date parameters — `log_date=YYYY-MM-DD` for one day,
 * `start_date` + `end_date` for a range (without any, every day: see docs/api.md) — plus the
 * per-log counts of `daily_logs/count`. Weather logs are one set of rows served at v1.0
 * `/weather_logs` and v1.1 `/daily_logs/weather_logs`.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { isoDate } from '../../../core/clock.js';
import { defineResource, records } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled, type AnyRow, type FieldSpec } from '../../fields.js';
import { isValidDate, type AnyQuery } from '../../http/listing.js';
import { queryString } from '../../http/query.js';
import type { ApiContext, ApiVersion, Declaration, Resource, SeedContext, Write } from '../../resource.js';
import { AnyObject, Attachment, NIdName, NInt, NStr, Nullable, Obj } from '../../schemas.js';
import { seededLocations } from '../locations/index.js';
import { nextNumber } from '../locations/store.js';

const DATE_QUERY: Record<string, TSchema> = {
  log_date: Type.String({ description: 'One day, YYYY-MM-DD' }),
  start_date: Type.String({ description: 'First day of a range, YYYY-MM-DD (with end_date)' }),
  end_date: Type.String({ description: 'Last day of a range, YYYY-MM-DD (with start_date)' }),
};

function day(c: ApiContext, name: string): string | undefined {
  const v = queryString(c.query, name);
  if (v === undefined || v === '') return undefined;
  const d = v.slice(0, 10);
  if (!isValidDate(d)) throw ApiError.badRequest(`${name} must be a date (YYYY-MM-DD)`, name);
  return d;
}

/** The `[from, to]` days a daily-log request asks for, or null for every day. */
export function logDates(c: ApiContext): [string, string] | null {
  const one = day(c, 'log_date');
  const from = day(c, 'start_date');
  const to = day(c, 'end_date');
  if (one) return [one, one];
  if (!from && !to) return null;
  if (!from || !to) throw ApiError.badRequest('start_date and end_date must be given together', from ? 'end_date' : 'start_date');
  if (from > to) throw ApiError.badRequest('start_date must not be after end_date', 'start_date');
  return [from, to];
}

const byDate = (c: ApiContext, qb: AnyQuery, use: 'list' | 'find'): AnyQuery => {
  const range = use === 'list' ? logDates(c) : null;
  return range ? qb.where('date', '>=', range[0]).where('date', '<=', range[1]) : qb;
};

/** Fields every daily log has. */
const common = {
  id: f.id({ filter: 'ids' }),
  date: f.date({ write: true, sort: true }),
  datetime: f.datetime(),
  position: f.int({ sort: true }),
  status: f.enum(['pending', 'approved'], {
    write: true,
    filter: 'enum',
    body: Type.Union([Type.Literal('pending'), Type.Literal('approved')]),
  }),
  location: f.location({ write: 'location_id', filter: 'ids' }),
  created_by: f.user({ creator: true, filter: 'ids' }),
  created_at: f.createdAt({ sort: true }),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  deleted_at: f.datetime(),
  ...unmodelled({
    attachments: Type.Array(Attachment),
    custom_fields: AnyObject(),
    daily_log_segment_id: NInt(),
    permissions: Obj({ can_update: Type.Boolean(), can_delete: Type.Boolean() }),
  }),
};

/**
 * Values that must match a format, checked after the row is found (so another sandbox's id stays
 * the one 404 whatever the body): `{ num_hours: /^\d+(\.\d+)?$/ }` → 422 "is invalid".
 */
export function checkFormats(w: Write<Record<string, unknown>>, formats: Record<string, RegExp>): void {
  for (const [key, re] of Object.entries(formats)) {
    const v = w.body[key];
    if (typeof v === 'string' && !re.test(v)) w.errors.add(key, 'is invalid');
  }
}

/** Dated, numbered: the date defaults to the sandbox's today, `position` continues the project's. */
const stamp = (resource: string, formats: Record<string, RegExp> = {}) => ({
  validate(w: Write<Record<string, unknown>>) {
    checkFormats(w, formats);
  },
  async beforeInsert(w: Write<{ date?: string | null }>) {
    w.set['date'] ??= isoDate(w.c.nowMs());
    w.set['datetime'] = `${String(w.set['date'])}T12:00:00Z`;
    w.set['position'] = await nextNumber(w.c, w.trx, resource, 'position');
  },
  beforeUpdate(w: Write<{ date?: string | null }>) {
    if (typeof w.body.date === 'string') w.set['datetime'] = `${w.body.date}T12:00:00Z`;
  },
  narrow: byDate,
});
const seeded = (s: SeedContext, n: number) => ({ date: s.day(n), datetime: `${s.day(n)}T12:00:00Z` });

const Contact = Nullable(
  Obj(
    {
      id: Type.Integer(),
      name: NStr(),
      vendor_name: NStr(),
      login_information_id: NInt(),
      email: NStr(),
      business_phone: NStr(),
      mobile_phone: NStr(),
    },
    { title: 'Contact' },
  ),
);

/**
 * One daily log kind: the options every log shares (project scope, records() storage with the
 * recycle bin, the date query, date→position order, the dated/numbered hooks) around its own
 * name, path, fields and seed.
 */
function dailyLog<const Fs extends Record<string, FieldSpec>>(
  d: Pick<Declaration<Fs, Record<never, never>>, 'name' | 'noun' | 'path' | 'fields'> &
    Partial<Pick<Declaration<Fs, Record<never, never>>, 'body' | 'search' | 'seed' | 'versions' | 'operations'>> & {
      title: string;
      formats?: Record<string, RegExp>;
    },
): Resource {
  const { title, formats, ...rest } = d;
  return defineResource({
    tag: 'Daily Log',
    titles: { list: title, show: title },
    scope: 'project',
    storage: records({ softDelete: true }),
    versions: ['v1.0', 'vapid'],
    operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
    query: DATE_QUERY,
    sort: {
      default: [
        ['date', 'asc'],
        ['position', 'asc'],
        ['id', 'asc'],
      ],
    },
    hooks: stamp(d.name, formats),
    ...rest,
  });
}

export const manpowerLogs = dailyLog({
  name: 'manpower_logs',
  noun: ['ManpowerLog', 'ManpowerLogs'],
  title: 'ManpowerLog',
  path: '/projects/{project_id}/manpower_logs',
  body: 'manpower_log',
  search: { filter: 'search', description: 'Text in the notes' },
  formats: { num_hours: /^\d{1,5}(\.\d{1,2})?$/ },
  fields: {
    ...common,
    num_workers: f.int({ write: true, min: 0, max: 10_000 }),
    num_hours: f.text({ write: true, max: 20 }),
    man_hours: f.computed(NStr(), (r) =>
      r['num_workers'] == null || r['num_hours'] == null ? null : (Number(r['num_workers']) * Number(r['num_hours'])).toFixed(1),
    ),
    notes: f.text({ write: true, long: true, search: true }),
    vendor: f.vendor({ write: 'contact_id', filter: 'ids', filterName: 'vendor_id' }),
    contact: f.computed(Contact, (r, x) => {
      const v = x.vendor(r['vendor_id']);
      return v
        ? { id: v.id, name: v.name, vendor_name: v.name, login_information_id: null, email: null, business_phone: null, mobile_phone: null }
        : null;
    }),
    user: f.user({ write: 'user_id' }),
    ...unmodelled({ cost_code: NIdName(), trade: NIdName() }),
  },
  seed: (s) => {
    const loc = seededLocations(s);
    return [
      {
        ...seeded(s, 0),
        num_workers: 6,
        num_hours: '8.0',
        notes: 'Formwork for footings F1–F4.',
        contact_id: s.vendors.sub,
        location_id: loc.site,
        position: 1,
        status: 'approved',
      },
      {
        ...seeded(s, 0),
        num_workers: 2,
        num_hours: '4.5',
        notes: 'Layout and survey.',
        contact_id: s.vendors.gc,
        user_id: s.users.demo,
        location_id: loc.bldgA,
        position: 2,
      },
      {
        ...seeded(s, 1),
        num_workers: 8,
        num_hours: '8.0',
        notes: 'Rebar placement.',
        contact_id: s.vendors.sub,
        location_id: loc.site,
        position: 3,
      },
    ];
  },
});

export const notesLogs = dailyLog({
  name: 'notes_logs',
  noun: ['NotesLog', 'NotesLogs'],
  title: 'NotesLog',
  path: '/projects/{project_id}/notes_logs',
  body: 'notes_log',
  fields: {
    ...common,
    comment: f.text({ write: 'required', long: true }),
    is_issue_day: f.bool({ write: true, filter: 'bool' }),
    vendor: f.vendor({ write: 'vendor_id', filter: 'ids' }),
    daily_log_header_id: f.computed(NInt(), () => null),
    created_by_collaborator: f.computed(Type.Boolean(), () => false),
    ...unmodelled({ daily_log_segment: Nullable(AnyObject()) }),
  },
  seed: (s) => {
    const loc = seededLocations(s);
    return [
      { ...seeded(s, 0), comment: 'Site walk with the owner’s representative; no open issues.', location_id: loc.site, position: 1 },
      {
        ...seeded(s, 1),
        comment: 'Concrete pump arrived two hours late.',
        is_issue_day: true,
        vendor_id: s.vendors.sub,
        location_id: loc.site,
        position: 2,
      },
    ];
  },
});

const SKY = ['Clear', 'Cloudy', 'Fog', 'Ice/Sleet/Hail', 'Overcast', 'Mist', 'Rain', 'Snow'] as const;
const TEMPERATURE = ['Cold', 'Hot', 'Mild', 'Very Cold', 'Very Hot'] as const;
const WIND = ['Calm', 'High Wind', 'Light Wind'] as const;
const GROUND = ['Dry', 'Flooded', 'Frozen', 'Heavy Surf/Swell', 'High Tide', 'Low Tide', 'Snow', 'Wet/Muddy', '-----'] as const;
const CALAMITY = ['Earthquake', 'Fire', 'Flash Flood', 'Hurricane', 'Landslide', 'Other', 'Snow', 'Tornado'] as const;
const choice = (values: readonly string[]) =>
  f.enum(values, { write: true, default: null, body: Type.Union([...values.map((v) => Type.Literal(v)), Type.Null()]) });

/** Weather logs at one path; both paths share the rows (`records` resource `weather_logs`). */
function weatherLogs(path: string, versions: readonly ApiVersion[], seed: boolean): Resource {
  return dailyLog({
    name: 'weather_logs',
    noun: [
      versions.includes('v1.1') ? 'DailyLogWeatherLog' : 'WeatherLog',
      versions.includes('v1.1') ? 'DailyLogWeatherLogs' : 'WeatherLogs',
    ],
    title: 'WeatherLog',
    path,
    body: 'weather_log',
    versions,
    // Procore documents 200 (not 201) for a created weather log, and no delete in the 2017 description.
    operations: { list: {}, show: {}, create: { status: 200 }, update: {}, delete: { versions: versions.filter((v) => v !== 'vapid') } },
    fields: {
      ...common,
      sky: choice(SKY),
      temperature: choice(TEMPERATURE),
      wind: choice(WIND),
      ground: choice(GROUND),
      calamity: choice(CALAMITY),
      average: f.text({ write: true, max: 50 }),
      precipitation: f.text({ write: true, max: 50 }),
      comments: f.text({ write: true, long: true }),
      time: f.text({ write: true, max: 20 }),
      is_weather_delay: f.text({
        write: true,
        body: Type.Union([Type.Integer({ minimum: 0, maximum: 1 }), Type.Boolean(), Type.Null()]),
        toColumn: (v) => (v == null ? null : String(Number(v))),
        default: '0',
      }),
      vendor: f.vendor({ write: 'vendor_id', filter: 'ids' }),
      ...unmodelled({ daily_log_segment: Nullable(AnyObject()) }),
    },
    ...(seed
      ? {
          seed: (s: SeedContext) => [
            {
              ...seeded(s, 0),
              sky: 'Clear',
              temperature: 'Mild',
              wind: 'Light Wind',
              ground: 'Dry',
              average: '64',
              precipitation: '0.0',
              time: '07:00',
              position: 1,
            },
            {
              ...seeded(s, 1),
              sky: 'Rain',
              temperature: 'Cold',
              wind: 'High Wind',
              ground: 'Wet/Muddy',
              average: '51',
              precipitation: '0.6',
              is_weather_delay: '1',
              comments: 'Pour postponed.',
              time: '07:00',
              position: 2,
            },
          ],
        }
      : {}),
  });
}

export const weatherLogsV10 = weatherLogs('/projects/{project_id}/weather_logs', ['v1.0', 'vapid'], true);
export const weatherLogsV11 = weatherLogs('/projects/{project_id}/daily_logs/weather_logs', ['v1.1'], false);

const LOG_MODULES = [
  { module_name: 'manpower_logs', resource: 'manpower_logs' },
  { module_name: 'notes_logs', resource: 'notes_logs' },
  { module_name: 'weather_logs', resource: 'weather_logs' },
] as const;

/** `GET /projects/{project_id}/daily_logs/count`: how many logs of each kind the days hold. */
export const dailyLogCounts: Resource = {
  name: 'daily_log_counts',
  tag: 'Daily Log',
  operations: [
    {
      method: 'GET',
      path: '/projects/{project_id}/daily_logs/count',
      operationId: 'countDailyLogs',
      summary: 'Count the daily logs of a project, by log',
      project: { from: 'path' },
      versions: ['v1.0'],
      query: DATE_QUERY,
      response: Type.Array(
        Obj({ module_name: Type.String(), count: Type.Integer(), position: Type.Integer() }, { title: 'DailyLogCount' }),
      ),
      async handler(c) {
        const range = logDates(c);
        const rows = await c
          .from('records')
          .select(['resource', 'data'])
          .where('project_id', '=', c.requireProject().id)
          .where('deleted_at', 'is', null)
          .where(
            'resource',
            'in',
            LOG_MODULES.map((m) => m.resource),
          )
          .execute();
        const counts = new Map<string, number>();
        for (const r of rows) {
          const date = (JSON.parse(String(r['data'])) as AnyRow)['date'];
          if (range && (typeof date !== 'string' || date < range[0] || date > range[1])) continue;
          counts.set(String(r['resource']), (counts.get(String(r['resource'])) ?? 0) + 1);
        }
        return LOG_MODULES.map((m, i) => ({ module_name: m.module_name, count: counts.get(m.resource) ?? 0, position: i + 1 }));
      },
    },
  ],
};
