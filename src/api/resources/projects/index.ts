/** Projects (list, show). Project users (the Project Directory) are in `../users/`. */
import { Type } from '@sinclair/typebox';
import { defineResource, table } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled } from '../../fields.js';
import type { AnyQuery, ParsedFilter } from '../../http/listing.js';
import { queryId } from '../../http/query.js';
import type { ApiContext } from '../../resource.js';
import { AnyObject, DateOnly, Id, NBool, NIdName, NInt, NStr, Nullable, Obj } from '../../schemas.js';

/** IANA name of the Rails time zones the seed uses. */
const TZ_NAMES: Record<string, string> = {
  'Pacific Time (US & Canada)': 'America/Los_Angeles',
  'Mountain Time (US & Canada)': 'America/Denver',
  'Central Time (US & Canada)': 'America/Chicago',
  'Eastern Time (US & Canada)': 'America/New_York',
  UTC: 'Etc/UTC',
};

/** `company_id` query parameter: required, and it must be the token's company (else 404). */
function requireCompanyParam(c: ApiContext): void {
  const id = queryId(c.query, 'company_id');
  if (id === undefined) throw ApiError.badRequest('company_id is required', 'company_id');
  if (id !== c.auth.companyId) throw ApiError.notFound();
}

const byStatus = (qb: AnyQuery, f: ParsedFilter): AnyQuery => {
  if (f.kind !== 'enum') return qb;
  const v = f.values[0];
  return v === 'All' ? qb : qb.where('active', '=', v === 'Inactive' ? 0 : 1);
};

const show = { in: ['show'] } as const;
const copy = (column: string) => f.computed(DateOnly(), (r) => r[column] ?? null, show);

export const projects = defineResource({
  name: 'projects',
  tag: 'Projects',
  noun: ['Project', 'Projects'],
  titles: { list: 'ProjectIndex', show: 'Project' },
  path: '/projects',
  scope: 'sandbox',
  storage: table('projects', { project: false }),
  operations: {
    list: {
      summary: 'List projects of a company',
      description: 'Active projects by default; company admins see all, other users only projects they belong to.',
    },
    show: {},
  },
  query: { company_id: Type.String({ description: 'Company ID (required)' }) },
  compact: { param: 'serializer_view', fields: ['id', 'name', 'display_name'] },
  filters: { by_status: { kind: 'enum', column: 'active', values: ['Active', 'Inactive', 'All'], apply: byStatus } },
  fields: {
    id: f.id({ filter: 'ids' }),
    name: f.text({ required: true, filter: 'search', sort: true }),
    display_name: f.text({ required: true, sort: true }),
    project_number: f.text({ sort: true }),
    address: f.text(),
    city: f.text(),
    state_code: f.text(),
    country_code: f.text(),
    zip: f.text(),
    county: f.text(),
    time_zone: f.text(),
    latitude: f.number(),
    longitude: f.number(),
    stage: f.text(),
    project_stage: f.computed(NIdName(), (r) => ({ id: null, name: r['stage'] })),
    phone: f.text(),
    fax: f.text(),
    created_at: f.createdAt({ filter: 'datetime', sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    active: f.bool(),
    total_value: f.text(),
    start_date: f.date(),
    completion_date: f.date(),
    company: f.computed(Obj({ id: Id, name: Type.String() }), (_r, x) => ({ id: x.extra.company.id, name: x.extra.company.name })),
    ...unmodelled({
      project_template: NIdName(),
      is_demo: Type.Boolean(),
      parent_job_id: NInt(),
      origin_id: NStr(),
      origin_data: NStr(),
      origin_code: NStr(),
      owners_project_id: NInt(),
      estimated_value: NStr(),
      store_number: NStr(),
      accounting_project_number: NStr(),
      designated_market_area: NStr(),
      project_region_id: NInt(),
      project_bid_type_id: NInt(),
      project_owner_type_id: NInt(),
      photo_id: NInt(),
      custom_fields: AnyObject(),
    }),
    tz_name: f.computed(NStr(), (r) => TZ_NAMES[r['time_zone']] ?? r['time_zone'], show),
    description: f.text(show),
    square_feet: f.int(show),
    flag: f.computed(NStr(), () => 'Green', show),
    actual_start_date: copy('start_date'),
    projected_finish_date: copy('completion_date'),
    estimated_start_date: copy('start_date'),
    estimated_completion_date: copy('completion_date'),
    template: f.computed(NBool(), () => false, show),
    ...unmodelled(
      {
        logo_url: NStr(),
        public_notes: NStr(),
        warranty_start_date: DateOnly(),
        warranty_end_date: DateOnly(),
        standard_cost_code_list_id: NInt(),
        is_erp_integrated: Type.Boolean(),
        inbound_email: NStr(),
        code: NStr(),
        persistent_message: Nullable(Obj({ title: NStr(), message: NStr() })),
        office: NIdName(),
        project_stage_id: NInt(),
        project_type: NIdName(),
        program: NIdName(),
        departments: Type.Array(Obj({ id: Id, name: Type.String() })),
        project_region: NIdName(),
        project_bid_type: NIdName(),
        project_owner_type: NIdName(),
      },
      show,
    ),
  },
  hooks: {
    // The token's company only; company admins and service accounts see every project, others their own.
    narrow(c, qb, use) {
      requireCompanyParam(c);
      qb = qb.where('company_id', '=', c.auth.companyId);
      if (!c.auth.isCompanyAdmin && !c.auth.isServiceAccount)
        qb = qb.where('id', 'in', c.from('project_users').select('project_id').where('user_id', '=', c.auth.userId));
      if (use === 'list' && !c.filters.has('by_status')) qb = qb.where('active', '=', 1);
      return qb;
    },
    prepare: async (c) => ({ company: await c.company() }),
  },
});
