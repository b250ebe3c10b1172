/** Projects (list, show) and project users. */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Row } from '../../db/schema.js';
import { ApiError } from '../errors.js';
import type { AnyQuery, ParsedFilter } from '../http/listing.js';
import { queryId, queryString } from '../http/query.js';
import { bool, fullName } from '../refs.js';
import { defineResource, type ApiContext } from '../resource.js';
import { AnyObject, DateOnly, Id, NBool, NIdName, NInt, NNum, NStr, Nullable, Obj, Timestamp, VendorRef } from '../schemas.js';

const projectListFields = {
  id: Id,
  name: Type.String(),
  display_name: Type.String(),
  project_number: NStr(),
  address: NStr(),
  city: NStr(),
  state_code: NStr(),
  country_code: NStr(),
  zip: NStr(),
  county: NStr(),
  time_zone: NStr(),
  latitude: NNum(),
  longitude: NNum(),
  stage: NStr(),
  project_stage: NIdName(),
  project_template: NIdName(),
  phone: NStr(),
  fax: NStr(),
  created_at: Timestamp(),
  updated_at: Timestamp(),
  active: Type.Boolean(),
  is_demo: Type.Boolean(),
  parent_job_id: NInt(),
  origin_id: NStr(),
  origin_data: NStr(),
  origin_code: NStr(),
  owners_project_id: NInt(),
  total_value: NStr(),
  estimated_value: NStr(),
  store_number: NStr(),
  accounting_project_number: NStr(),
  designated_market_area: NStr(),
  project_region_id: NInt(),
  project_bid_type_id: NInt(),
  project_owner_type_id: NInt(),
  photo_id: NInt(),
  start_date: DateOnly(),
  completion_date: DateOnly(),
  company: Obj({ id: Id, name: Type.String() }),
  custom_fields: AnyObject(),
};

export const ProjectIndex = Obj(projectListFields, { title: 'ProjectIndex' });

export const Project = Obj(
  {
    ...projectListFields,
    logo_url: NStr(),
    template: NBool(),
    tz_name: NStr(),
    description: NStr(),
    square_feet: NInt(),
    flag: NStr(),
    public_notes: NStr(),
    actual_start_date: DateOnly(),
    projected_finish_date: DateOnly(),
    estimated_start_date: DateOnly(),
    estimated_completion_date: DateOnly(),
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
  { title: 'Project' },
);

/** IANA name of the Rails time zones the seed uses. */
const TZ_NAMES: Record<string, string> = {
  'Pacific Time (US & Canada)': 'America/Los_Angeles',
  'Mountain Time (US & Canada)': 'America/Denver',
  'Central Time (US & Canada)': 'America/Chicago',
  'Eastern Time (US & Canada)': 'America/New_York',
  UTC: 'Etc/UTC',
};

function projectIndex(p: Row<'projects'>, company: Row<'companies'>) {
  return {
    id: p.id,
    name: p.name,
    display_name: p.display_name,
    project_number: p.project_number,
    address: p.address,
    city: p.city,
    state_code: p.state_code,
    country_code: p.country_code,
    zip: p.zip,
    county: p.county,
    time_zone: p.time_zone,
    latitude: p.latitude,
    longitude: p.longitude,
    stage: p.stage,
    project_stage: { id: null, name: p.stage },
    project_template: null,
    phone: p.phone,
    fax: p.fax,
    created_at: p.created_at,
    updated_at: p.updated_at,
    active: bool(p.active),
    is_demo: false,
    parent_job_id: null,
    origin_id: null,
    origin_data: null,
    origin_code: null,
    owners_project_id: null,
    total_value: p.total_value,
    estimated_value: null,
    store_number: null,
    accounting_project_number: null,
    designated_market_area: null,
    project_region_id: null,
    project_bid_type_id: null,
    project_owner_type_id: null,
    photo_id: null,
    start_date: p.start_date,
    completion_date: p.completion_date,
    company: { id: company.id, name: company.name },
    custom_fields: {},
  };
}

function projectFull(p: Row<'projects'>, company: Row<'companies'>) {
  return {
    ...projectIndex(p, company),
    logo_url: null,
    template: false,
    tz_name: TZ_NAMES[p.time_zone] ?? p.time_zone,
    description: p.description,
    square_feet: p.square_feet,
    flag: 'Green',
    public_notes: null,
    actual_start_date: p.start_date,
    projected_finish_date: p.completion_date,
    estimated_start_date: p.start_date,
    estimated_completion_date: p.completion_date,
    warranty_start_date: null,
    warranty_end_date: null,
    standard_cost_code_list_id: null,
    is_erp_integrated: false,
    inbound_email: null,
    code: null,
    persistent_message: null,
    office: null,
    project_stage_id: null,
    project_type: null,
    program: null,
    departments: [],
    project_region: null,
    project_bid_type: null,
    project_owner_type: null,
  };
}

/** `company_id` query parameter: required, and it must be the token's company (else 404). */
function requireCompanyParam(c: ApiContext): number {
  const id = queryId(c.query, 'company_id');
  if (id === undefined) throw ApiError.badRequest('company_id is required', 'company_id');
  if (id !== c.auth.companyId) throw ApiError.notFound();
  return id;
}

/** Projects of the token's company that its user may see (admins and service accounts: all). */
function visibleProjects(c: ApiContext): AnyQuery {
  let qb = c.db
    .selectFrom('projects')
    .where('projects.sandbox_id', '=', c.auth.sandboxId)
    .where('projects.company_id', '=', c.auth.companyId);
  if (!c.auth.isCompanyAdmin && !c.auth.isServiceAccount) {
    qb = qb.where('projects.id', 'in', c.db.selectFrom('project_users').select('project_id').where('user_id', '=', c.auth.userId));
  }
  return qb as AnyQuery;
}

const byStatus = (qb: AnyQuery, f: ParsedFilter): AnyQuery => {
  if (f.kind !== 'enum') return qb;
  const v = f.values[0];
  return v === 'All' ? qb : qb.where('projects.active', '=', v === 'Inactive' ? 0 : 1);
};

export const projects = defineResource({
  name: 'projects',
  tag: 'Projects',
  operations: [
    {
      method: 'GET',
      path: '/projects',
      operationId: 'listProjects',
      summary: 'List projects of a company',
      description: 'Active projects by default; company admins see all, other users only projects they belong to.',
      query: {
        company_id: Type.String({ description: 'Company ID (required)' }),
        serializer_view: Type.String({ enum: ['compact', 'normal'] } as never),
      },
      list: {
        filters: {
          by_status: { kind: 'enum', column: 'projects.active', values: ['Active', 'Inactive', 'All'], apply: byStatus },
          name: { kind: 'search', columns: ['projects.name'] },
          id: { kind: 'ids', column: 'projects.id' },
          created_at: { kind: 'datetime', column: 'projects.created_at' },
          updated_at: { kind: 'datetime', column: 'projects.updated_at' },
        },
        sort: {
          style: 'sort',
          keys: {
            name: 'projects.name',
            display_name: 'projects.display_name',
            project_number: 'projects.project_number',
            created_at: 'projects.created_at',
            updated_at: 'projects.updated_at',
            id: 'projects.id',
          },
          default: [['projects.id', 'asc']],
        },
      },
      response: Type.Array(ProjectIndex),
      async handler(c) {
        requireCompanyParam(c);
        const view = queryString(c.query, 'serializer_view');
        const company = await c.company();
        let base = visibleProjects(c);
        if (!c.filters.has('by_status')) base = base.where('projects.active', '=', 1);
        return c.list(
          base,
          (qb) => qb.selectAll('projects'),
          (rows: Row<'projects'>[]) =>
            rows.map((p) => (view === 'compact' ? { id: p.id, name: p.name, display_name: p.display_name } : projectIndex(p, company))),
        );
      },
    },
    {
      method: 'GET',
      path: '/projects/{id}',
      operationId: 'showProject',
      summary: 'Show a project',
      query: { company_id: Type.String({ description: 'Company ID (required)' }) },
      response: Project,
      async handler(c) {
        requireCompanyParam(c);
        const project = await c.loadProject(c.params['id'] as number);
        return projectFull(project, await c.company());
      },
    },
  ],
});

export const ProjectUser = Obj(
  {
    id: Id,
    name: Type.String(),
    first_name: NStr(),
    last_name: NStr(),
    initials: NStr(),
    email_address: NStr(),
    job_title: NStr(),
    address: NStr(),
    city: NStr(),
    state_code: NStr(),
    country_code: NStr(),
    zip: NStr(),
    avatar: NStr(),
    business_phone: NStr(),
    business_phone_extension: NInt(),
    business_id: NStr(),
    mobile_phone: NStr(),
    fax_number: NStr(),
    email_signature: NStr(),
    employee_id: NStr(),
    erp_integrated_accountant: Type.Boolean(),
    is_active: Type.Boolean(),
    is_employee: Type.Boolean(),
    last_login_at: Timestamp(),
    notes: NStr(),
    welcome_email_sent_at: Timestamp(),
    origin_id: NStr(),
    origin_data: NStr(),
    contact_id: NInt(),
    work_classification_id: NInt(),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    vendor: Nullable(VendorRef),
    permission_template: Nullable(Obj({ id: NInt(), name: NStr(), project_specific: Type.Boolean(), type: NStr() })),
    company_permission_template: Nullable(Obj({ id: NInt(), name: NStr() })),
  },
  { title: 'ProjectUser' },
);

type ProjectUserRow = Row<'users'> & { permission_template: string | null; vendor_name: string | null };

function projectUser(u: ProjectUserRow, compact: boolean) {
  const name = fullName(u);
  if (compact) return { id: u.id, name };
  return {
    id: u.id,
    name,
    first_name: u.first_name,
    last_name: u.last_name,
    initials: `${u.first_name.charAt(0)}${u.last_name.charAt(0)}`.toUpperCase(),
    email_address: u.email,
    job_title: u.job_title,
    address: u.address,
    city: u.city,
    state_code: u.state_code,
    country_code: u.country_code,
    zip: u.zip,
    avatar: null,
    business_phone: u.business_phone,
    business_phone_extension: null,
    business_id: null,
    mobile_phone: u.mobile_phone,
    fax_number: null,
    email_signature: null,
    employee_id: null,
    erp_integrated_accountant: false,
    is_active: bool(u.is_active),
    is_employee: bool(u.is_employee),
    last_login_at: u.last_login_at,
    notes: null,
    welcome_email_sent_at: null,
    origin_id: null,
    origin_data: null,
    contact_id: null,
    work_classification_id: null,
    created_at: u.created_at,
    updated_at: u.updated_at,
    vendor: u.vendor_id !== null && u.vendor_name !== null ? { id: u.vendor_id, name: u.vendor_name } : null,
    permission_template: u.permission_template ? { id: null, name: u.permission_template, project_specific: false, type: 'project' } : null,
    company_permission_template: null,
  };
}

export const projectUsers = defineResource({
  name: 'project_users',
  tag: 'Project Users',
  operations: [
    {
      method: 'GET',
      path: '/projects/{project_id}/users',
      operationId: 'listProjectUsers',
      summary: 'List users of a project (Project Directory)',
      project: { from: 'path' },
      query: { view: Type.String({ enum: ['compact', 'normal'] } as never) },
      list: {
        filters: {
          id: { kind: 'ids', column: 'users.id' },
          vendor_id: { kind: 'ids', column: 'users.vendor_id' },
          employee: { kind: 'bool', column: 'users.is_employee' },
          search: { kind: 'search', columns: ['users.first_name', 'users.last_name', 'users.email'] },
          created_at: { kind: 'datetime', column: 'users.created_at' },
          updated_at: { kind: 'datetime', column: 'users.updated_at' },
        },
        sort: {
          style: 'sort',
          keys: {
            name: 'users.last_name',
            first_name: 'users.first_name',
            last_name: 'users.last_name',
            email_address: 'users.email',
            created_at: 'users.created_at',
            id: 'users.id',
          },
          default: [['users.id', 'asc']],
        },
      },
      response: Type.Array(ProjectUser),
      async handler(c) {
        const project = c.requireProject();
        const compact = queryString(c.query, 'view') === 'compact';
        const base = c.db
          .selectFrom('project_users')
          .innerJoin('users', 'users.id', 'project_users.user_id')
          .leftJoin('vendors', 'vendors.id', 'users.vendor_id')
          .where('project_users.project_id', '=', project.id)
          .where('users.sandbox_id', '=', c.auth.sandboxId) as AnyQuery;
        return c.list(
          base,
          (qb) => qb.selectAll('users').select(['project_users.permission_template', sql<string | null>`vendors.name`.as('vendor_name')]),
          (rows: ProjectUserRow[]) => rows.map((u) => projectUser(u, compact)),
        );
      },
    },
  ],
});
