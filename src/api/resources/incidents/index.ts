/**
 * Incidents (`/projects/{project_id}/incidents`) and their records: actions, injuries and witness
 * statements (`/projects/{project_id}/incidents/{actions,injuries,witness_statements}`, each naming
 * its `incident_id` in the body, which must be an incident of the project). Incidents are numbered
 * per project (`number` continues the highest, recycled ones included), `open` or `closed`
 * (closing stamps `closed_at`); an incident created with `injuries` or
 * `witness_statements_attributes` creates those records. Deleted rows go to the project's recycle
 * bin (`/projects/{project_id}/recycle_bin/incidents…`, with restore). Action types and incident
 * statuses are Procore's defaults, read-only here.
 */
import { Type } from '@sinclair/typebox';
import { jsonListHasAny } from '../../../db/connect.js';
import { defineResource, records } from '../../compile.js';
import { f, unmodelled, type AnyRow, type FieldSpec } from '../../fields.js';
import type { AnyQuery } from '../../http/listing.js';
import { queryId } from '../../http/query.js';
import { checkCompanyRefs } from '../../refs.js';
import type { ApiContext, ApiVersion, Operation, Resource, SeedContext, Write } from '../../resource.js';
import { AnyObject, Attachment, BodyDate, Id, NIdName, Nullable, Obj } from '../../schemas.js';
import { seededLocations } from '../locations/index.js';
import { insertRecord, nextNumber, recordRows } from '../locations/store.js';
import { checkCompanyRow, companyList, companyRows, ownCompany, seededCompanyIds } from '../inspections/company.js';
import { recycleBin } from '../inspections/recycle-bin.js';

export const INCIDENTS = 'incidents';
const ACTIONS = 'incident_actions';
const INJURIES = 'incident_injuries';
const WITNESS = 'incident_witness_statements';

/** The company's incident action types, seeded with Procore's defaults (`inspections/company.ts`). */
const ACTION_TYPE_NAMES = ['Corrective Action', 'Preventive Action', 'Investigation', 'Training', 'Disciplinary Action'] as const;
const ACTION_TYPES = 'incident_action_types';
export const incidentActionTypes = companyList({
  resource: ACTION_TYPES,
  tail: 'incidents/action_types',
  tag: 'Incidents',
  noun: ['IncidentActionType', 'IncidentActionTypes'],
  body: 'action_type',
  names: ACTION_TYPE_NAMES,
});
const actionTypeId = (s: SeedContext, name: (typeof ACTION_TYPE_NAMES)[number]) =>
  seededCompanyIds(s, ACTION_TYPES, ACTION_TYPE_NAMES.length)[ACTION_TYPE_NAMES.indexOf(name)]!;
/** Company lists of the catalogue (served by the generic engine) an incident's ids must name. */
const CATALOGUE_REFS = {
  hazard_id: ['catalog:/companies/{company_id}/hazards', 'hazard'],
  contributing_behavior_id: ['catalog:/companies/{company_id}/contributing_behaviors', 'contributing behavior'],
  contributing_condition_id: ['catalog:/companies/{company_id}/contributing_conditions', 'contributing condition'],
} as const;

/** Procore's incident statuses (company level). */
const STATUSES = [
  { id: 1, name: 'Open', status: 'open' },
  { id: 2, name: 'Closed', status: 'closed' },
];
const FILING_TYPES = ['fatality', 'first_aid', 'lost_time', 'medically_treated', 'refused_care', 'report_only', 'restricted_work'] as const;
const DATETIME_BODY = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const nullableEnum = (values: readonly string[]) =>
  f.enum(values, { write: true, default: null, body: Type.Union([...values.map((v) => Type.Literal(v)), Type.Null()]) });

const seededIncidentIds = new WeakMap<SeedContext, number[]>();
/** The seeded incidents' ids (allocated once per sandbox plan, by whichever seed asks first). */
function incidentIds(s: SeedContext): number[] {
  let ids = seededIncidentIds.get(s);
  if (!ids) seededIncidentIds.set(s, (ids = [s.nextId(), s.nextId(), s.nextId()]));
  return ids;
}

function stampClosing(w: Write<Record<string, unknown>>): void {
  const before = w.row?.['status'] ?? null;
  const after = w.set['status'] ?? before;
  if (after === 'closed' && before !== 'closed') w.set['closed_at'] = w.now;
  if (after !== 'closed' && before === 'closed') w.set['closed_at'] = null;
}

/** Records counted per incident (injuries, witness statements), for the page's incidents. */
async function recordCounts(c: ApiContext, rows: AnyRow[]): Promise<Map<number, { injuries: number; witness: number }>> {
  const ids = new Set(rows.map((r) => r['id'] as number));
  const by = new Map<number, { injuries: number; witness: number }>();
  for (const [resource, key] of [
    [INJURIES, 'injuries'],
    [WITNESS, 'witness'],
  ] as const)
    for (const r of await recordRows(c, c.db, resource)) {
      const id = r['incident_id'] as number;
      if (!ids.has(id)) continue;
      const n = by.get(id) ?? { injuries: 0, witness: 0 };
      n[key]++;
      by.set(id, n);
    }
  return by;
}
const countOf = (r: AnyRow, x: { extra: unknown }, key: 'injuries' | 'witness') =>
  (x.extra as Map<number, { injuries: number; witness: number }>).get(r['id'] as number)?.[key] ?? 0;

const InjuryBody = Type.Object({
  description: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
  filing_type: Type.Optional(Type.Union([...FILING_TYPES.map((v) => Type.Literal(v)), Type.Null()])),
  recordable: Type.Optional(Type.Boolean()),
  affected_person_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
});
const WitnessBody = Type.Object({
  statement: Type.Optional(Type.Union([Type.String({ maxLength: 100_000 }), Type.Null()])),
  date_received: Type.Optional(BodyDate),
  witness_id: Type.Integer({ minimum: 1 }),
});

export const incidents = defineResource({
  name: INCIDENTS,
  tag: 'Incidents',
  noun: ['Incident', 'Incidents'],
  path: '/projects/{project_id}/incidents',
  scope: 'project',
  storage: records({ softDelete: true }),
  body: 'incident',
  versions: ['v1.0'],
  operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
  search: { filter: 'query', description: 'Text in the title or description' },
  sort: {
    default: [
      ['number', 'asc'],
      ['id', 'asc'],
    ],
  },
  filters: {
    status: { kind: 'enum', column: 'status', values: ['open', 'closed'] },
    // Applied by `narrow` (membership in the JSON list of assignees).
    assignee_id: { kind: 'ids', column: 'assignee_ids', apply: (qb) => qb },
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    number: f.text({ write: true, max: 50, sort: true, search: true }),
    title: f.text({ write: true, sort: true, search: true }),
    description: f.text({ write: true, long: true, search: true }),
    event_date: f.text({ write: true, body: DATETIME_BODY, sort: true }),
    time_unknown: f.bool({ write: true, filter: 'bool' }),
    status: f.enum(['open', 'closed'], { write: true, default: 'open', sort: true }),
    closed_at: f.datetime(),
    recordable: f.bool({ write: true, filter: 'bool', sort: true }),
    private: f.bool({ write: true }),
    contributing_behavior_id: f.ref({ write: true, filter: 'ids', sort: 'contributing_behavior' }),
    contributing_condition_id: f.ref({ write: true, filter: 'ids', sort: 'contributing_condition' }),
    hazard_id: f.ref({ write: true, filter: 'ids', sort: 'hazard' }),
    location: f.location({ write: 'location_id', filter: 'ids' }),
    assignees: f.users({ write: 'assignee_ids', column: 'assignee_ids' }),
    distribution_members: f.users({ write: 'distribution_member_ids', column: 'distribution_member_ids' }),
    records_count: f.computed(Type.Integer(), (r, x) => countOf(r, x, 'injuries')),
    witness_statements_count: f.computed(Type.Integer(), (r, x) => countOf(r, x, 'witness')),
    created_by: f.user({ creator: true, filter: 'ids' }),
    created_at: f.createdAt({ filter: 'datetime', sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    deleted_at: f.datetime({ in: [] }),
    ...unmodelled({
      contributing_behavior: NIdName(),
      contributing_condition: NIdName(),
      hazard: NIdName(),
      type: NIdName(),
      custom_status: NIdName(),
      attachments: Type.Array(Attachment),
      custom_fields: AnyObject(),
    }),
  },
  extraBody: {
    injuries: Type.Array(InjuryBody, { maxItems: 100 }),
    witness_statements_attributes: Type.Array(WitnessBody, { maxItems: 100 }),
  },
  hooks: {
    prepare: (c, rows) => recordCounts(c, rows),
    narrow(c, qb) {
      const p = c.filters.get('assignee_id');
      return p?.kind === 'ids' ? qb.where(jsonListHasAny(c.db, 'assignee_ids', p.ids)) : qb;
    },
    async validate(w) {
      for (const [field, [resource, noun]] of Object.entries(CATALOGUE_REFS))
        await checkCompanyRow(w.c, w.trx, resource, field, (w.body as Record<string, unknown>)[field], noun, w.errors);
      // Nested records name company users: checked as the top-level references are.
      const sent = {
        injuries: (w.body.injuries ?? []).flatMap((i) => (typeof i.affected_person_id === 'number' ? [i.affected_person_id] : [])),
        witness_statements_attributes: (w.body.witness_statements_attributes ?? []).map((x) => x.witness_id),
      };
      await checkCompanyRefs(
        w.trx,
        w.c.auth.sandboxId,
        w.c.requireProject().company_id,
        sent,
        { users: Object.keys(sent), vendors: [] },
        w.errors,
      );
    },
    async beforeInsert(w) {
      if (w.body.number == null || w.body.number === '') w.set['number'] = String(await nextNumber(w.c, w.trx, INCIDENTS, 'number'));
      stampClosing(w);
    },
    beforeUpdate: stampClosing,
    async afterWrite(w) {
      for (const i of w.body.injuries ?? [])
        await insertRecord(
          w.c,
          w.trx,
          INJURIES,
          { incident_id: w.id, recordable: false, filing_type: null, description: null, ...i },
          w.now,
        );
      for (const s of w.body.witness_statements_attributes ?? [])
        await insertRecord(w.c, w.trx, WITNESS, { incident_id: w.id, statement: null, date_received: null, ...s }, w.now);
    },
  },
  seed: (s) => {
    const loc = seededLocations(s);
    const [a, b, c] = incidentIds(s);
    return [
      {
        id: a,
        number: '1',
        title: 'Laborer cut hand on rebar',
        description: 'Laceration to the left hand while tying rebar at footing F2; first aid on site.',
        event_date: `${s.day(0)}T10:15:00Z`,
        status: 'closed',
        closed_at: s.created,
        recordable: false,
        location_id: loc.site,
        assignee_ids: [s.users.demo],
        distribution_member_ids: [s.users.arch],
      },
      {
        id: b,
        number: '2',
        title: 'Dropped tool from Level 2 deck',
        description: 'A hammer fell from the Level 2 deck edge into the laydown area; nobody was hurt.',
        event_date: `${s.day(1)}T14:40:00Z`,
        recordable: false,
        location_id: loc.level2,
        assignee_ids: [s.users.sub],
      },
      {
        id: c,
        number: '3',
        title: 'Hydraulic fluid leak from excavator',
        description: 'Small leak contained with absorbent pads.',
        event_date: `${s.day(2)}T08:05:00Z`,
        time_unknown: false,
        recordable: false,
        location_id: loc.site,
        assignee_ids: [s.users.demo],
      },
    ];
  },
  extra: (h) => [...recycleBin(h, { resource: INCIDENTS, tail: '/incidents', noun: 'Incident', versions: ['v1.0'] }), ...companyLists()],
});

/** `incident_id` in a record's body: an incident of the project (live). */
async function checkIncident(w: Write<{ incident_id?: number | null }>): Promise<void> {
  const id = w.body.incident_id;
  if (id === undefined || id === null) return;
  const [found] = (await recordRows(w.c, w.trx, INCIDENTS)).filter((r) => r['id'] === id);
  if (!found) w.errors.add('incident_id', `incident ${id} is not an incident of this project`);
}

/** `?incident_id=` narrows a list to one incident's records (a show finds the row by its id alone). */
const byIncident = (c: ApiContext, qb: AnyQuery, use: 'list' | 'find') => {
  const id = use === 'list' ? queryId(c.query, 'incident_id') : undefined;
  return id === undefined ? qb : qb.where('incident_id', '=', id);
};

interface RecordOptions {
  resource: string;
  tail: string;
  noun: [string, string];
  body: string;
  fields: Record<string, FieldSpec>;
  required?: readonly string[];
  binVersions: readonly ApiVersion[];
  seed?: (s: SeedContext) => Record<string, unknown>[];
  sortKeys?: Record<string, string>;
  prepare?: (c: ApiContext, rows: AnyRow[]) => Promise<unknown>;
  validate?: (w: Write<Record<string, unknown>>) => Promise<void>;
}

/** An incident record (action, injury, witness statement): CRUD, `incident_id` checked, recycle bin. */
function incidentRecord(o: RecordOptions): Resource {
  return defineResource({
    name: o.resource,
    tag: 'Incidents',
    noun: o.noun,
    path: `/projects/{project_id}/incidents${o.tail}`,
    scope: 'project',
    storage: records({ softDelete: true }),
    body: o.body,
    versions: ['v1.0'],
    operations: { list: {}, show: {}, create: {}, update: {}, delete: {} },
    query: { incident_id: Type.String({ description: 'Only the records of this incident' }) },
    search: { filter: 'query' },
    sort: { default: [['id', 'asc']], keys: o.sortKeys ?? {} },
    fields: {
      id: f.id({ filter: 'ids' }),
      incident_id: f.ref({ write: 'required', filter: 'ids' }),
      ...o.fields,
      created_by: f.user({ creator: true }),
      created_at: f.createdAt({ filter: 'datetime', sort: true }),
      updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
      ...unmodelled({ attachments: Type.Array(Attachment), custom_fields: AnyObject() }),
    },
    required: o.required,
    hooks: {
      async validate(w) {
        await checkIncident(w);
        await o.validate?.(w as Write<Record<string, unknown>>);
      },
      narrow: byIncident,
      ...(o.prepare ? { prepare: o.prepare } : {}),
    },
    ...(o.seed ? { seed: o.seed as never } : {}),
    extra: (h) => recycleBin(h, { resource: o.resource, tail: `/incidents${o.tail}`, noun: o.noun[0], versions: o.binVersions }),
  });
}

const ActionType = Nullable(Obj({ id: Id, name: Type.String() }, { title: 'IncidentActionType' }));

export const incidentActions = incidentRecord({
  resource: ACTIONS,
  tail: '/actions',
  noun: ['IncidentAction', 'IncidentActions'],
  body: 'incident_action',
  binVersions: ['v1.0', 'v1.1'],
  sortKeys: { action_type: 'action_type_id' },
  required: ['action_type_id'],
  fields: {
    description: f.text({ write: true, long: true, search: true }),
    action_type_id: f.ref({ write: true, filter: 'ids', in: [] }),
    action_type: f.computed(ActionType, (r, x) => {
      const t = (x.extra as Map<number, AnyRow> | undefined)?.get(r['action_type_id'] as number);
      return t ? { id: t['id'], name: t['name'] } : null;
    }),
  },
  prepare: (c, rows) =>
    companyRows(
      c,
      c.db,
      ACTION_TYPES,
      rows.map((r) => r['action_type_id']),
    ),
  validate: (w) => checkCompanyRow(w.c, w.trx, ACTION_TYPES, 'action_type_id', w.body['action_type_id'], 'action type', w.errors),
  seed: (s) => [
    {
      incident_id: incidentIds(s)[0],
      action_type_id: actionTypeId(s, 'Corrective Action'),
      description: 'Issued cut-resistant gloves to the rebar crew; toolbox talk on hand safety.',
    },
    {
      incident_id: incidentIds(s)[1],
      action_type_id: actionTypeId(s, 'Preventive Action'),
      description: 'Install toe boards along the Level 2 deck edge.',
    },
  ],
});

export const incidentInjuries = incidentRecord({
  resource: INJURIES,
  tail: '/injuries',
  noun: ['IncidentInjury', 'IncidentInjuries'],
  body: 'injury',
  binVersions: ['v1.0'],
  fields: {
    description: f.text({ write: true, long: true, search: true }),
    filing_type: nullableEnum(FILING_TYPES),
    recordable: f.bool({ write: true }),
    hospitalized_overnight: f.bool({ write: true }),
    treated_in_er: f.bool({ write: true }),
    treatment_facility: f.text({ write: true }),
    treatment_provider: f.text({ write: true }),
    date_returned_to_work: f.date({ write: true }),
    work_days_absent: f.int({ write: true, min: 0 }),
    work_days_restricted: f.int({ write: true, min: 0 }),
    work_days_transferred: f.int({ write: true, min: 0 }),
    body_diagram_type: nullableEnum(['feminine', 'masculine']),
    affected_person: f.user({ write: 'affected_person_id', filter: 'ids' }),
    affected_company: f.vendor({ write: 'affected_company_id', filter: 'ids' }),
    ...unmodelled({ affliction_type: NIdName(), harm_source: NIdName(), body_parts: Type.Array(AnyObject()) }),
  },
  seed: (s) => [
    {
      incident_id: incidentIds(s)[0],
      description: 'Laceration, left palm.',
      filing_type: 'first_aid',
      recordable: false,
      affected_person_id: s.users.sub,
      affected_company_id: s.vendors.sub,
    },
  ],
});

export const incidentWitnessStatements = incidentRecord({
  resource: WITNESS,
  tail: '/witness_statements',
  noun: ['WitnessStatement', 'WitnessStatements'],
  body: 'witness_statement',
  binVersions: ['v1.0', 'v1.1'],
  required: ['witness_id'],
  fields: {
    statement: f.text({ write: true, long: true, search: true }),
    date_received: f.date({ write: true, sort: true }),
    witness: f.user({ write: 'witness_id', filter: 'ids' }),
  },
  seed: (s) => [
    {
      incident_id: incidentIds(s)[1],
      statement: 'I saw the hammer slide off the deck edge when the plank was moved.',
      date_received: s.day(1),
      witness_id: s.users.demo,
    },
  ],
});

/** Procore's incident statuses (the same in every company; read-only). */
function companyLists(): Operation[] {
  return [
    {
      method: 'GET',
      path: '/companies/{company_id}/incidents/statuses',
      operationId: 'listIncidentStatuses',
      summary: 'List incident statuses',
      versions: ['v1.0'],
      response: Type.Array(Obj({ id: Id, name: Type.String(), status: Type.String() }, { title: 'IncidentStatus' })),
      handler: async (c) => {
        ownCompany(c);
        return STATUSES;
      },
    },
  ];
}
