/**
 * Inspections: Procore's checklists (`/projects/{project_id}/checklist/lists`, and the older
 * `/checklist/lists?project_id=` whose list groups the checklists by template). A checklist is
 * made from a project checklist template (`list_template_id`), whose sections and items it
 * copies; it is numbered per project (`number` continues the highest, recycled ones included),
 * its `status` is Open / In Review / Closed (written `open`, `in_review`, `closed`; closing stamps
 * `closed_at` and `closed_by`), and its item counts follow its items' responses. Deleted
 * checklists go to the project's recycle bin (`/projects/{project_id}/recycle_bin/checklist/lists`).
 * Sections, items and item responses: `sections.ts`.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { jsonListHasAny } from '../../../db/connect.js';
import { defineResource, records } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import type { AnyQuery, FilterDef } from '../../http/listing.js';
import { queryId } from '../../http/query.js';
import type { ApiContext, ApiVersion, Operation, Resource, SeedContext, Write } from '../../resource.js';
import { AnyObject, Attachment, Id, NIdName, NStr, Nullable, Obj, Timestamp } from '../../schemas.js';
import { seededLocations } from '../locations/index.js';
import { insertRecord, nextNumber, recordRows } from '../locations/store.js';
import { checkCompanyRow, companyList, companyRows, seededCompanyIds } from './company.js';
import { recycleBin } from './recycle-bin.js';

export const LISTS = 'checklist_lists';
export const TEMPLATES = 'checklist_list_templates';
export const SECTIONS = 'checklist_sections';
export const ITEMS = 'checklist_items';

const STATUSES = ['open', 'in_review', 'closed'] as const;
const STATUS_LABEL: Record<string, string> = { open: 'Open', in_review: 'In Review', closed: 'Closed' };

/** The company's inspection types, seeded with Procore's defaults (`company.ts`). */
const TYPE_NAMES = ['Quality', 'Safety', 'Commissioning', 'Environmental', 'Pre-Pour'] as const;
const TYPES = 'inspection_types';
export const inspectionTypes = companyList({
  resource: TYPES,
  tail: 'inspection_types',
  tag: 'Inspections',
  noun: ['InspectionType', 'InspectionTypes'],
  body: 'inspection_type',
  names: TYPE_NAMES,
});
const typeId = (s: SeedContext, name: (typeof TYPE_NAMES)[number]) =>
  seededCompanyIds(s, TYPES, TYPE_NAMES.length)[TYPE_NAMES.indexOf(name)]!;
const InspectionType = Nullable(
  Obj({ id: Id, name: Type.String(), created_at: Timestamp(), updated_at: Timestamp() }, { title: 'InspectionType' }),
);
/** The inspection type of a row from what `prepare` loaded (`x.extra.types`). */
const typeOf = (r: AnyRow, x: { extra: unknown }) => {
  const t = (x.extra as { types: Map<number, AnyRow> }).types.get(r['inspection_type_id'] as number);
  return t ? { id: t['id'], name: t['name'], created_at: t['created_at'], updated_at: t['updated_at'] } : null;
};
const loadTypes = (c: ApiContext, rows: AnyRow[]) =>
  companyRows(
    c,
    c.db,
    TYPES,
    rows.map((r) => r['inspection_type_id']),
  );
const checkType = (w: Write<Record<string, unknown>>) =>
  checkCompanyRow(w.c, w.trx, TYPES, 'inspection_type_id', w.body['inspection_type_id'], 'inspection type', w.errors);

/** Procore's checklist item types (`/checklist/item_types`). */
const ItemType = Obj({ id: Id, category: Type.String(), name: Type.String() }, { title: 'ChecklistItemType' });
export const ITEM_TYPES = [
  { id: 1, category: 'status', name: 'Pass/Fail/N/A' },
  { id: 2, category: 'status', name: 'Yes/No/N/A' },
  { id: 3, category: 'text', name: 'Text' },
  { id: 4, category: 'number', name: 'Number' },
  { id: 5, category: 'date', name: 'Date' },
];

/** Seeded templates: name, type, and the sections and items a checklist made from it starts with. */
const SEED_TEMPLATES = [
  {
    key: 'prePour',
    name: 'Concrete Pre-Pour Inspection',
    description: 'Checks before placing concrete in footings, slabs and walls.',
    inspection_type: 'Pre-Pour',
    sections: [
      { name: 'Formwork', items: ['Forms are clean, oiled and braced', 'Dimensions and elevations match the drawings'] },
      {
        name: 'Reinforcement',
        items: ['Rebar size and spacing per the drawings', 'Cover and chairs in place', 'Embeds and sleeves installed'],
      },
    ],
  },
  {
    key: 'safety',
    name: 'Weekly Site Safety Inspection',
    description: 'Weekly walk of the site by the superintendent.',
    inspection_type: 'Safety',
    sections: [
      { name: 'Fall Protection', items: ['Guardrails in place at open edges', 'Floor openings covered and marked'] },
      { name: 'Housekeeping', items: ['Walkways clear of debris', 'Materials stored safely'] },
    ],
  },
  {
    key: 'drywall',
    name: 'Drywall Pre-Close Inspection',
    description: 'In-wall work complete before the walls are closed.',
    inspection_type: 'Quality',
    sections: [{ name: 'In-Wall Work', items: ['Electrical rough-in inspected', 'Plumbing pressure tested', 'Blocking installed'] }],
  },
] as const;
type SeedTemplate = (typeof SEED_TEMPLATES)[number]['key'];
type TemplateSections = { name: string; items: readonly string[] }[];

const seededTemplates = new WeakMap<SeedContext, Record<SeedTemplate, number>>();
function templateIds(s: SeedContext): Record<SeedTemplate, number> {
  let ids = seededTemplates.get(s);
  if (!ids)
    seededTemplates.set(s, (ids = Object.fromEntries(SEED_TEMPLATES.map((t) => [t.key, s.nextId()])) as Record<SeedTemplate, number>));
  return ids;
}

// ---- templates -------------------------------------------------------------------------------

/** Project checklist templates (`/projects/{project_id}/checklist/list_templates`). */
export const checklistTemplates = defineResource({
  name: TEMPLATES,
  tag: 'Inspections',
  noun: ['ChecklistTemplate', 'ChecklistTemplates'],
  titles: { list: 'ChecklistTemplate', show: 'ChecklistTemplate' },
  path: '/projects/{project_id}/checklist/list_templates',
  scope: 'project',
  storage: records({ softDelete: true }),
  body: 'list_template',
  versions: ['v1.0'],
  operations: {
    list: { versions: ['v1.0', 'v1.1'] },
    show: { versions: ['v1.0', 'v1.1'] },
    create: {},
    update: {},
    delete: {},
  },
  search: { filter: 'search', description: 'Text in the name or description' },
  fields: {
    id: f.id({ filter: 'ids' }),
    name: f.text({ write: 'required', sort: true, search: true }),
    description: f.text({ write: true, long: true, search: true }),
    inspection_type_id: f.ref({ write: true, filter: 'ids', in: [] }),
    inspection_type: f.computed(InspectionType, typeOf),
    sections: f.hidden({ store: 'json' }),
    items_count: f.computed(Type.Integer(), (r) =>
      ((r['sections'] as TemplateSections | null) ?? []).reduce((n, s) => n + s.items.length, 0),
    ),
    created_by: f.user({ creator: true }),
    created_at: f.createdAt({ sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    ...unmodelled({ trade: NIdName(), alternative_response_set: Nullable(AnyObject()), attachments: Type.Array(Attachment) }),
  },
  hooks: { prepare: async (c, rows) => ({ types: await loadTypes(c, rows) }), validate: checkType },
  seed: (s) => {
    const ids = templateIds(s);
    return SEED_TEMPLATES.map((t) => ({
      id: ids[t.key],
      name: t.name,
      description: t.description,
      inspection_type_id: typeId(s, t.inspection_type),
      sections: t.sections.map((x) => ({ name: x.name, items: [...x.items] })),
    }));
  },
});

// ---- checklists ------------------------------------------------------------------------------

interface Counts {
  item_count: number;
  conforming: number;
  deficient: number;
  not_applicable: number;
  neutral: number;
}
const NO_COUNTS: Counts = { item_count: 0, conforming: 0, deficient: 0, not_applicable: 0, neutral: 0 };

/** Item counts of the checklists of a page, by list id (from the items' responses). */
async function countItems(c: ApiContext, rows: AnyRow[]): Promise<Map<number, Counts>> {
  const items = await recordRows(c, c.db, ITEMS, { parentIds: rows.map((r) => r['id'] as number) });
  const by = new Map<number, Counts>();
  for (const i of items) {
    const n = by.get(i['parent_id'] as number) ?? { ...NO_COUNTS };
    n.item_count++;
    const s = i['response_status'];
    if (s === 'conforming') n.conforming++;
    else if (s === 'non_conforming') n.deficient++;
    else if (s === 'not_applicable') n.not_applicable++;
    else if (s === 'neutral') n.neutral++;
    by.set(i['parent_id'] as number, n);
  }
  return by;
}
const countsOf = (r: AnyRow, x: { extra: unknown }) =>
  (x.extra as { counts: Map<number, Counts> }).counts.get(r['id'] as number) ?? NO_COUNTS;

const UserCompany = Obj({ id: Id, login: Type.String(), name: Type.String(), company_name: NStr() }, { title: 'ChecklistUser' });
const ResponseSet = Obj({ conforming_response: Type.String(), deficient_response: Type.String(), global: Type.Boolean() });
const DEFAULT_RESPONSES = { conforming_response: 'Pass', deficient_response: 'Fail', global: true };
const FILTER_STATUS = ['0', '1', '2', ...STATUSES, ...Object.values(STATUS_LABEL)];

/** The template a create names, beside the wrapped body (`list_template_id`, or `template_id` on `/checklist/lists`). */
function templateIdOf(c: ApiContext): unknown {
  const sent = (c.request.body ?? {}) as Record<string, unknown>;
  return sent['list_template_id'] ?? sent['template_id'] ?? (c.body as Record<string, unknown>)['list_template_id'];
}

async function validateList(w: Write<Record<string, unknown>>): Promise<void> {
  if (w.row) return;
  const id = templateIdOf(w.c);
  const key = w.c.request.url.includes('/projects/') ? 'list_template_id' : 'template_id';
  if (id === undefined || id === null || id === '') return w.errors.add(key, "can't be blank");
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return w.errors.add(key, 'must be an integer');
  const [template] = (await recordRows(w.c, w.trx, TEMPLATES)).filter((t) => t['id'] === id);
  if (!template) return w.errors.add(key, `checklist template ${id} is not a template of this project`);
  w.set['list_template_id'] = id;
  w.set['list_template_name'] = template['name'];
  w.set['name'] ??= template['name'];
  w.set['inspection_type_id'] ??= template['inspection_type_id'] ?? null;
  (w as { template?: AnyRow }).template = template;
}

function stampClosing(w: Write<Record<string, unknown>>): void {
  const before = w.row?.['status_key'] ?? null;
  const after = w.set['status_key'] ?? before;
  if (after === 'closed' && before !== 'closed') Object.assign(w.set, { closed_at: w.now, closed_by_id: w.c.auth.userId });
  if (after !== 'closed' && before === 'closed') Object.assign(w.set, { closed_at: null, closed_by_id: null });
}

/** A new checklist's sections and items, copied from its template. */
async function copyTemplate(w: Write<Record<string, unknown>>): Promise<void> {
  const template = (w as { template?: AnyRow }).template;
  if (w.row || !template) return;
  const sections = (template['sections'] as TemplateSections | null) ?? [];
  for (const [i, s] of sections.entries()) {
    const sectionId = await insertRecord(w.c, w.trx, SECTIONS, { name: s.name, position: i + 1, not_applicable: false }, w.now, w.id);
    for (const [j, name] of s.items.entries()) await insertRecord(w.c, w.trx, ITEMS, itemData(name, j + 1, sectionId), w.now, w.id);
  }
}

/** Stored fields of a new checklist item. */
export function itemData(name: string, position: number, sectionId: number, status = 'none'): AnyRow {
  return { name, position, section_id: sectionId, status, response_status: RESPONSE_OF[status] ?? null, details: null };
}
/** An item's `status` (yes/no/n/a/none) and its response status. */
export const RESPONSE_OF: Record<string, string | null> = { yes: 'conforming', no: 'non_conforming', 'n/a': 'not_applicable', none: null };

const listFields = {
  id: f.id({ filter: 'ids' }),
  name: f.text({ write: true, sort: true, search: true }),
  description: f.text({ write: true, long: true, search: true }),
  number: f.int({ write: true, min: 1, sort: true }),
  identifier: f.computed(NStr(), (r) => (r['number'] == null ? null : String(r['number']))),
  status_key: f.enum(STATUSES, { write: 'status', column: 'status_key', default: 'open', in: [] }),
  status: f.computed(
    Type.String({ enum: ['Open', 'In Review', 'Closed'] } as never),
    (r) => STATUS_LABEL[String(r['status_key'])] ?? 'Open',
  ),
  list_template_id: f.ref({ filter: 'ids' }),
  template_id: f.computed(Type.Integer(), (r) => r['list_template_id']),
  list_template_name: f.text(),
  inspection_type_id: f.ref({ write: true, filter: 'ids', in: [] }),
  inspection_type: f.computed(InspectionType, typeOf),
  inspection_date: f.date({ write: true, sort: true, filter: 'date' }),
  due_at: f.text({ write: true, body: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) }),
  overdue: f.computed(
    Type.Boolean(),
    (r, x) => typeof r['due_at'] === 'string' && r['status_key'] !== 'closed' && Date.parse(r['due_at']) < x.c.nowMs(),
  ),
  private: f.bool({ write: true, default: true }),
  personal: f.computed(Type.Boolean(), (r) => r['private'] === true),
  deleted: f.computed(Type.Boolean(), (r) => r['deleted_at'] != null),
  location: f.location({ write: 'location_id', filter: 'ids' }),
  point_of_contact: f.user({ write: 'point_of_contact_id', filter: 'ids' }),
  responsible_party: f.computed(Nullable(UserCompany), (r, x) => x.user(r['point_of_contact_id'])),
  inspectors: f.users({ write: 'inspector_ids', column: 'inspector_ids' }),
  distribution_members: f.users({ write: 'distribution_member_ids', column: 'distribution_member_ids' }),
  responsible_contractor: f.vendor({ write: 'responsible_contractor_id', filter: 'ids' }),
  created_by: f.user({ creator: true, filter: 'ids' }),
  closed_by: f.user({ filter: 'ids' }),
  closed_at: f.datetime({ filter: 'datetime' }),
  created_at: f.createdAt({ filter: 'datetime', sort: true }),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  deleted_at: f.datetime({ in: [] }),
  item_count: f.computed(Type.Integer(), (r, x) => countsOf(r, x).item_count),
  item_total: f.computed(Type.Integer(), (r, x) => countsOf(r, x).item_count),
  conforming_item_count: f.computed(Type.Integer(), (r, x) => countsOf(r, x).conforming),
  yes_item_count: f.computed(Type.Integer(), (r, x) => countsOf(r, x).conforming),
  deficient_item_count: f.computed(Type.Integer(), (r, x) => countsOf(r, x).deficient),
  not_applicable_item_count: f.computed(Type.Integer(), (r, x) => countsOf(r, x).not_applicable),
  na_item_count: f.computed(Type.Integer(), (r, x) => countsOf(r, x).not_applicable),
  neutral_item_count: f.computed(Type.Integer(), (r, x) => countsOf(r, x).neutral),
  inspected_item_count: f.computed(Type.Integer(), (r, x) => {
    const n = countsOf(r, x);
    return n.conforming + n.deficient + n.not_applicable + n.neutral;
  }),
  not_inspected_item_count: f.computed(Type.Integer(), (r, x) => {
    const n = countsOf(r, x);
    return n.item_count - n.conforming - n.deficient - n.not_applicable - n.neutral;
  }),
  default_response_phrasing: f.computed(ResponseSet, () => DEFAULT_RESPONSES),
  response_set: f.computed(ResponseSet, () => DEFAULT_RESPONSES),
  ...unmodelled({
    trade: NIdName(),
    specification_section: Nullable(Obj({ id: Id, description: NStr(), section: NStr(), latest_revision_url: NStr() })),
    managed_equipment_id: Nullable(Type.Integer()),
    drawing_ids: Type.Array(Type.Integer()),
    current_drawing_revision_ids: Type.Array(Type.Integer()),
    attachments: Type.Array(Attachment),
    signature_requests: Type.Array(AnyObject()),
    observations_count: Type.Integer(),
    closed_observations_count: Type.Integer(),
    custom_fields: AnyObject(),
  }),
};

const statusFilter: FilterDef = {
  kind: 'enum',
  column: 'status_key',
  values: FILTER_STATUS,
  apply: (qb, p) => {
    const want = (p.kind === 'enum' ? p.values : []).map((v) => (/^\d$/.test(v) ? STATUSES[Number(v)] : v.toLowerCase().replace(' ', '_')));
    return qb.where('status_key', 'in', want.length ? want : ['-']);
  },
};

function checklists(path: string, o: { versions: readonly ApiVersion[]; byQuery: boolean; seed: boolean }): Resource {
  return defineResource({
    name: LISTS,
    tag: 'Inspections',
    noun: o.byQuery ? ['Checklist', 'Checklists'] : ['ProjectChecklist', 'ProjectChecklists'],
    titles: { list: 'ChecklistList', show: 'Checklist' },
    path,
    scope: 'project',
    storage: records({ softDelete: true }),
    body: 'list',
    versions: o.versions,
    operations: o.byQuery
      ? { show: {}, create: {}, update: {}, delete: { versions: ['v1.0'] } }
      : {
          list: {},
          show: {},
          create: { versions: ['v1.0', 'v1.1'] },
          update: { versions: ['v1.0', 'v1.1'] },
          delete: { versions: ['v1.0', 'v1.1'] },
        },
    search: { filter: o.byQuery ? 'search' : 'query', description: 'Text in the name or description' },
    sort: {
      default: [
        ['number', 'asc'],
        ['id', 'asc'],
      ],
      keys: { location: 'location_id' },
    },
    filters: {
      status: statusFilter,
      template_id: { kind: 'ids', column: 'list_template_id' },
      // Applied by `narrow` (membership in the JSON list of inspectors).
      inspector_id: { kind: 'ids', column: 'inspector_ids', apply: (qb) => qb },
    },
    fields: listFields,
    hooks: {
      prepare: async (c, rows) => ({ counts: await countItems(c, rows), types: await loadTypes(c, rows) }),
      narrow(c, qb) {
        const p = c.filters.get('inspector_id');
        return p?.kind === 'ids' ? qb.where(jsonListHasAny(c.db, 'inspector_ids', p.ids)) : qb;
      },
      async validate(w) {
        await checkType(w);
        await validateList(w);
      },
      async beforeInsert(w) {
        if (w.body.number == null) w.set['number'] = await nextNumber(w.c, w.trx, LISTS, 'number');
        stampClosing(w);
      },
      beforeUpdate: stampClosing,
      afterWrite: copyTemplate,
      seedChildren: seedSections,
    },
    ...(o.seed ? { seed: seedLists } : {}),
    extra: (h) => [
      ...(o.byQuery ? [groupedList(h.serialize, h.rows, h.select, h.decode, h.schemas.list)] : []),
      ...(o.byQuery
        ? []
        : recycleBin(h, {
            resource: LISTS,
            tail: '/checklist/lists',
            noun: 'Checklist',
            versions: ['v1.0'],
            restoreVersions: ['v1.0', 'v1.1'],
          })),
      ...(o.byQuery ? [] : referenceLists()),
    ],
  });
}

/** `GET /checklist/lists?project_id=`: the project's checklists grouped by template (Procore's older list). */
function groupedList(
  serialize: (c: ApiContext, rows: AnyRow[], view: 'list' | 'show') => Promise<unknown[]>,
  rows: (c: ApiContext) => AnyQuery,
  select: (qb: AnyQuery) => AnyQuery,
  decode: (row: Record<string, unknown>) => AnyRow,
  listSchema: TSchema,
): Operation {
  return {
    method: 'GET',
    path: '/checklist/lists',
    operationId: 'listChecklistsGrouped',
    summary: 'List checklists, grouped by template',
    description:
      '`filters[list_template_id][]`, `filters[status][]` (open, in_review, closed) and `filters[search]` narrow the checklists.',
    project: { from: 'query' },
    // A list (its catalogue reads read it too); grouped, so not paged.
    list: {},
    versions: ['v1.0', 'vapid'],
    query: { 'filters[list_template_id]': Type.String(), 'filters[status]': Type.String(), 'filters[search]': Type.String() },
    response: Type.Array(
      Obj(
        { name: Type.String(), template_id: Type.Integer(), response_set: ResponseSet, lists: Type.Array(listSchema) },
        { title: 'ChecklistsGroupedByTemplate' },
      ),
    ),
    async handler(c) {
      const all = (await select(rows(c)).orderBy('id').execute()).map((r) => decode(r as Record<string, unknown>));
      const filters = (c.query['filters'] ?? {}) as Record<string, unknown>;
      const listOf = (v: unknown) => (v === undefined ? null : (Array.isArray(v) ? v : [v]).map(String));
      const templates = listOf(filters['list_template_id']);
      const statuses = listOf(filters['status'])?.map((v) => (/^\d$/.test(v) ? STATUSES[Number(v)] : v));
      const text = typeof filters['search'] === 'string' ? filters['search'].toLowerCase() : null;
      const kept = all.filter(
        (r) =>
          (!templates || templates.includes(String(r['list_template_id']))) &&
          (!statuses || statuses.includes(String(r['status_key']))) &&
          (!text || `${String(r['name'] ?? '')} ${String(r['description'] ?? '')}`.toLowerCase().includes(text)),
      );
      const serialized = (await serialize(c, kept, 'list')) as AnyRow[];
      const groups = new Map<number, { name: string; template_id: number; response_set: typeof DEFAULT_RESPONSES; lists: AnyRow[] }>();
      kept.forEach((r, i) => {
        const id = r['list_template_id'] as number;
        const g = groups.get(id) ?? {
          name: String(r['list_template_name'] ?? ''),
          template_id: id,
          response_set: DEFAULT_RESPONSES,
          lists: [],
        };
        g.lists.push(serialized[i]!);
        groups.set(id, g);
      });
      return [...groups.values()];
    },
  };
}

/** Procore's checklist item types (the same in every company; read-only). */
function referenceLists(): Operation[] {
  return [
    {
      method: 'GET',
      path: '/checklist/item_types',
      operationId: 'listChecklistItemTypes',
      summary: 'List checklist item types',
      project: { from: 'query' },
      versions: ['v1.0'],
      query: { company_id: Type.String({ description: 'Company ID (required)' }) },
      response: Type.Array(ItemType),
      handler: async (c) => {
        const id = queryId(c.query, 'company_id');
        if (id === undefined) throw ApiError.badRequest('company_id is required', 'company_id');
        if (id !== c.auth.companyId) throw ApiError.notFound();
        return ITEM_TYPES;
      },
    },
  ];
}

/** A `records` row of a seeded child (section or item). */
function childRow(s: SeedContext, resource: string, parentId: unknown, data: AnyRow): Record<string, unknown> {
  return {
    id: s.nextId(),
    sandbox_id: s.sandboxId,
    resource,
    project_id: s.projectId,
    parent_id: parentId,
    data: JSON.stringify(data),
    created_at: s.created,
    updated_at: s.created,
    deleted_at: null,
  };
}

/** The sections and items of a seeded checklist, responses as planned. */
function seedSections(row: Record<string, unknown>, body: Record<string, unknown>, s: SeedContext) {
  const sections = (body['seed_sections'] ?? []) as TemplateSections;
  const responses = [...((body['seed_responses'] ?? []) as string[])];
  const out: Record<string, unknown>[] = [];
  sections.forEach((x, i) => {
    const section = childRow(s, SECTIONS, row['id'], { name: x.name, position: i + 1, not_applicable: false });
    out.push(section);
    x.items.forEach((name, j) => {
      const status = responses.shift() ?? 'none';
      const data = itemData(name, j + 1, section['id'] as number, status);
      if (status !== 'none') Object.assign(data, { responded_at: s.created, responder_id: s.users.demo });
      out.push(childRow(s, ITEMS, row['id'], data));
    });
  });
  return [{ table: 'records' as const, rows: out }];
}

const SEED_LISTS = [
  { template: 'prePour', status: 'closed', name: 'Pre-Pour: Footings F1–F4', day: 0, responses: ['yes', 'yes', 'yes', 'yes', 'n/a'] },
  { template: 'safety', status: 'in_review', name: 'Weekly Site Safety Inspection', day: 1, responses: ['no', 'yes', 'yes', 'none'] },
  { template: 'drywall', status: 'open', name: 'Drywall Pre-Close: Level 1', day: 2, responses: [] },
] as const;

function seedLists(s: SeedContext): AnyRow[] {
  const loc = seededLocations(s);
  const t = templateIds(s);
  const where = [loc.site, loc.level2, loc.level1];
  return SEED_LISTS.map((x, i) => {
    const template = SEED_TEMPLATES.find((y) => y.key === x.template)!;
    return {
      name: x.name,
      number: i + 1,
      status: x.status,
      list_template_id: t[x.template],
      list_template_name: template.name,
      inspection_type_id: typeId(s, template.inspection_type),
      inspection_date: s.day(x.day),
      due_at: `${s.day(x.day + 2)}T17:00:00Z`,
      private: false,
      location_id: where[i] ?? null,
      point_of_contact_id: s.users.sub,
      inspector_ids: [s.users.demo],
      distribution_member_ids: [s.users.arch],
      responsible_contractor_id: s.vendors.sub,
      seed_sections: template.sections,
      seed_responses: x.responses,
      ...(x.status === 'closed' ? { closed_at: s.created, closed_by_id: s.users.demo } : {}),
    };
  });
}

export const projectChecklists = checklists('/projects/{project_id}/checklist/lists', { versions: ['v1.0'], byQuery: false, seed: true });
export const checklistsByQuery = checklists('/checklist/lists', { versions: ['v1.0', 'vapid'], byQuery: true, seed: false });
