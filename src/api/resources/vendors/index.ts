/**
 * The company directory's companies: company vendors (`/vendors?company_id=`, v1.0 and vapid) and
 * project vendors (`/projects/{project_id}/vendors`, v1.0, v1.1, vapid). Both are the sandbox's
 * `vendors` rows — the ones users, RFIs, commitments… reference as `vendor_id` — and a vendor is
 * on a project when a `project_vendors` record (`parent_id` = the vendor) joins them. Lists show
 * active vendors; `…/vendors/inactive` the inactive ones, `PATCH …/vendors/inactive/{id}`
 * reactivates one. Creating a project vendor creates the company vendor and adds it to the
 * project; `actions/add` / `actions/remove` add an existing vendor or take it off the project.
 */
import { Type } from '@sinclair/typebox';
import { isoSeconds } from '../../../core/clock.js';
import { allocateIds } from '../../../db/repos/sandboxes.js';
import { defineResource, table } from '../../compile.js';
import { ApiError, FieldErrors } from '../../errors.js';
import { f, unmodelled, type AnyRow, type View } from '../../fields.js';
import type { AnyQuery, FilterDef } from '../../http/listing.js';
import { queryId } from '../../http/query.js';
import type { Refs } from '../../refs.js';
import type { ApiContext, Db, Resource, SeedContext } from '../../resource.js';
import { Attachment, Id, NStr, Nullable, Obj, Timestamp } from '../../schemas.js';
import { syncOperation } from '../users/sync.js';
import { inactiveOps } from '../users/inactive.js';

/** The `records` resource joining a vendor (`parent_id`) to a project (`project_id`). */
export const PROJECT_VENDORS = 'project_vendors';

const BIDDING_FLAGS = [
  'affirmative_action',
  'small_business',
  'african_american_business',
  'hispanic_business',
  'womens_business',
  'historically_underutilized_business',
  'sdvo_business',
  'certified_business_enterprise',
  'asian_american_business',
  'native_american_business',
  'disadvantaged_business',
  'minority_business_enterprise',
  'eight_a_business',
] as const;
const NO_BIDDING = Object.fromEntries(BIDDING_FLAGS.map((k) => [k, false]));
const Bidding = Obj(Object.fromEntries(BIDDING_FLAGS.map((k) => [k, Type.Boolean()])), { title: 'VendorBidding' });
const BiddingBody = Type.Union([
  Type.Object(Object.fromEntries(BIDDING_FLAGS.map((k) => [k, Type.Optional(Type.Boolean())]))),
  Type.Null(),
]);
const PrimaryContact = Nullable(
  Obj({ id: Id, first_name: NStr(), last_name: NStr(), email_address: NStr(), created_at: Timestamp(), updated_at: Timestamp() }),
);

interface Extra {
  company: string;
  contacts: Refs['users'];
  projects: Map<number, number[]>;
}

/** A vendor's fields (2017 `Vendor`, the catalogue's create/update body). */
const vendorFields = {
  id: f.id({ filter: 'ids' }),
  name: f.text({ write: 'required', sort: true, search: true }),
  abbreviated_name: f.text({ write: true, max: 50, search: true }),
  trade_name: f.text({ write: true, search: true }),
  address: f.text({ write: true }),
  city: f.text({ write: true }),
  state_code: f.text({ write: true, max: 10 }),
  country_code: f.text({ write: true, max: 10 }),
  zip: f.text({ write: true, max: 20 }),
  business_phone: f.text({ write: true, max: 50 }),
  mobile_phone: f.text({ write: true, max: 50 }),
  fax_number: f.text({ write: true, max: 50 }),
  email_address: f.text({ write: true }),
  website: f.text({ write: true }),
  license_number: f.text({ write: true, max: 100 }),
  labor_union: f.text({ write: true }),
  notes: f.text({ write: true, long: true }),
  is_active: f.bool({ write: true, default: true }),
  authorized_bidder: f.bool({ write: true }),
  prequalified: f.bool({ write: true }),
  union_member: f.bool({ write: true }),
  non_union_prevailing_wage: f.bool({ write: true }),
  origin_id: f.text({ write: true }),
  origin_data: f.text({ write: true, long: true }),
  origin_code: f.text({ write: true }),
  bidding: f.computed(Bidding, (r, x) => ({ ...NO_BIDDING, ...((x.json(r['bidding']) as object | null) ?? {}) })),
  bidding_written: f.hidden({ column: 'bidding', store: 'json', write: 'bidding', body: BiddingBody }),
  company: f.computed(Type.String(), (_r, x) => (x.extra as Extra).company),
  primary_contact: f.computed(PrimaryContact, (r, x) => {
    const u = (x.extra as Extra).contacts.get(r['primary_contact_id']);
    return u
      ? {
          id: u['id'],
          first_name: u['first_name'],
          last_name: u['last_name'],
          email_address: u['email'],
          created_at: u['created_at'],
          updated_at: u['updated_at'],
        }
      : null;
  }),
  primary_contact_id: f.hidden({ write: 'primary_contact_id' }),
  project_ids: f.computed(Type.Array(Type.Integer()), (r, x) => (x.extra as Extra).projects.get(r['id']) ?? []),
  company_id: f.hidden({}),
  created_at: f.createdAt({ filter: 'datetime', sort: true }),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  ...unmodelled({ logo: NStr(), attachments: Type.Array(Attachment) }),
};

const originFilter: FilterDef = {
  kind: 'search',
  columns: ['origin_id'],
  apply: (qb, p) => (p.kind === 'search' ? qb.where('origin_id', '=', p.text) : qb),
};

/** The vendors of the request's project. */
const members = (c: ApiContext, db: Db = c.db): AnyQuery =>
  c
    .fromIn(db, 'records')
    .select('parent_id')
    .where('resource', '=', PROJECT_VENDORS)
    .where('project_id', '=', c.requireProject().id)
    .where('deleted_at', 'is', null);

async function prepare(c: ApiContext, rows: AnyRow[], _view: View, refs: Refs): Promise<Extra> {
  const ids = rows.map((r) => Number(r['id']));
  await refs.loadUsers(rows.map((r) => r['primary_contact_id']).filter((x): x is number => typeof x === 'number'));
  const joins = (await c
    .from('records')
    .select(['parent_id', 'project_id'])
    .where('resource', '=', PROJECT_VENDORS)
    .where('deleted_at', 'is', null)
    .where('parent_id', 'in', ids.length ? ids : [-1])
    .orderBy('project_id')
    .execute()) as AnyRow[];
  const projects = new Map<number, number[]>();
  for (const j of joins) {
    const list = projects.get(Number(j['parent_id'])) ?? [];
    list.push(Number(j['project_id']));
    projects.set(Number(j['parent_id']), list);
  }
  return { company: (await c.company()).name, contacts: refs.users, projects };
}

/** `?company_id=` or the body's top-level `company_id` (Procore's vendor writes): the token's company, else the one 404. */
function requireCompany(c: ApiContext): void {
  const sent = (c.request.body as Record<string, unknown> | null | undefined)?.['company_id'];
  const id =
    c.params['company_id'] ??
    queryId(c.query, 'company_id') ??
    (typeof sent === 'number' || typeof sent === 'string' ? queryId({ company_id: String(sent) }, 'company_id') : undefined);
  // Required to list, show and create; an update or delete names the vendor by id (and the header the company).
  if (id === undefined && (c.request.method === 'PATCH' || c.request.method === 'DELETE')) return;
  if (id === undefined) throw ApiError.badRequest('company_id is required', 'company_id');
  if (id !== c.auth.companyId) throw ApiError.notFound();
}

const active = (c: ApiContext, qb: AnyQuery, use: 'list' | 'find') => (use === 'find' ? qb : qb.where('is_active', '=', 1));

async function join(c: ApiContext, db: Db, vendorId: number, now: string): Promise<void> {
  const id = await allocateIds(db as never, c.auth.sandboxId, 1);
  await db
    .insertInto('records')
    .values({
      id,
      sandbox_id: c.auth.sandboxId,
      resource: PROJECT_VENDORS,
      project_id: c.requireProject().id,
      parent_id: vendorId,
      data: '{}',
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
}

const common = {
  storage: table('vendors', { project: false }),
  body: 'vendor',
  search: { filter: 'search', description: 'Text in the name, abbreviated name or trade name' },
  filters: { origin_id: originFilter },
  query: { view: Type.String({ description: 'View (the normal view is answered)' }), run_configurable_validations: Type.Boolean() },
  refs: { users: ['primary_contact_id'] },
  fields: vendorFields,
} as const;

const companyVendorsDeclared = defineResource({
  ...common,
  name: 'vendors',
  tag: 'Company Vendors',
  noun: ['Vendor', 'Vendors'],
  titles: { list: 'Vendor', show: 'VendorExtended' },
  path: '/vendors',
  scope: 'sandbox',
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, show: {}, create: {}, update: {}, delete: { versions: ['vapid'] } },
  query: { ...common.query, company_id: Type.String({ description: 'Company ID (required; in the body on writes)' }) },
  hooks: {
    narrow(c, qb, use) {
      requireCompany(c);
      return active(c, qb, use);
    },
    prepare,
    validate: (w) => requireCompany(w.c),
    beforeInsert(w) {
      w.set['company_id'] = w.c.auth.companyId;
    },
    async afterRemove(c, trx, id) {
      await trx
        .deleteFrom('records')
        .where('sandbox_id', '=', c.auth.sandboxId)
        .where('resource', '=', PROJECT_VENDORS)
        .where('parent_id', '=', id)
        .execute();
    },
  },
  seed: (s) => seededVendors(s).map(({ member: _m, ...v }) => v),
  extra: (h) =>
    inactiveOps(h, {
      table: 'vendors',
      nameColumn: 'name',
      query: { view: Type.String() },
      path: '/companies/{company_id}/vendors',
      noun: 'Company Vendor',
      rows(c) {
        requireCompany(c);
        return h.rows(c);
      },
    }),
});

for (const [method, versions] of [
  ['PATCH', ['v1.0']],
  ['POST', ['vapid']],
] as const)
  companyVendorsDeclared.operations.push(
    syncOperation(companyVendorsDeclared, {
      method,
      path: '/vendors/sync',
      operationId: method === 'PATCH' ? 'syncVendors' : 'syncVendorsVapid',
      summary: 'Sync company vendors (create or update up to 1,000 by id or origin_id)',
      versions,
      guard: requireCompany,
    }),
  );

/** Company vendors, seeded with the project memberships of every seeded vendor. */
export const companyVendors: Resource = {
  ...companyVendorsDeclared,
  seed: (s) => {
    const rows = companyVendorsDeclared.seed!(s);
    const core = Object.values(s.vendors);
    const joined = [
      ...core,
      ...seededVendors(s)
        .filter((v) => v.member)
        .map((v) => v.id),
    ];
    rows.push({
      table: 'records',
      rows: joined.map((vendorId) => ({
        id: s.nextId(),
        sandbox_id: s.sandboxId,
        resource: PROJECT_VENDORS,
        project_id: s.projectId,
        parent_id: vendorId,
        data: '{}',
        created_at: s.created,
        updated_at: s.created,
        deleted_at: null,
      })),
    });
    return rows;
  },
};

const seeded = new WeakMap<SeedContext, ReturnType<typeof vendorSeeds>>();

/** The directory's extra vendors (the core seed has the general contractor, the architect and the concrete sub). */
function seededVendors(s: SeedContext) {
  let v = seeded.get(s);
  if (!v) seeded.set(s, (v = vendorSeeds(s)));
  return v;
}

function vendorSeeds(s: SeedContext) {
  const place = { city: 'San Luis Obispo', state_code: 'CA', country_code: 'US' };
  return [
    {
      id: s.nextId(),
      member: true,
      company_id: s.companyId,
      name: 'Harbor Point Development LLC',
      abbreviated_name: 'HPD',
      trade_name: 'Owner',
      address: '200 Marsh Street',
      zip: '93401',
      ...place,
      business_phone: '(805) 555-0140',
      email_address: 'projects@harborpoint.example.com',
      website: 'https://harborpoint.example.com',
      notes: "Owner's representative for the Sandbox Test Project.",
    },
    {
      id: s.nextId(),
      member: false,
      company_id: s.companyId,
      name: 'Coastal Electric Co.',
      abbreviated_name: 'CEC',
      trade_name: 'Electrical',
      address: '1450 Industrial Way',
      zip: '93401',
      ...place,
      business_phone: '(805) 555-0150',
      email_address: 'estimating@coastalelectric.example.com',
      license_number: 'C10-884120',
      labor_union: 'IBEW Local 639',
      union_member: true,
      authorized_bidder: true,
      prequalified: true,
      bidding: { small_business: true },
      primary_contact_id: null,
    },
    {
      id: s.nextId(),
      member: true,
      company_id: s.companyId,
      name: 'Ridgeline Drywall Inc.',
      abbreviated_name: 'RDI',
      trade_name: 'Drywall',
      address: '88 Higuera Street',
      zip: '93401',
      ...place,
      business_phone: '(805) 555-0160',
      is_active: false,
      notes: 'Inactive: closed their local branch.',
    },
  ];
}

export const projectVendors = defineResource({
  ...common,
  name: 'project_vendors_directory',
  tag: 'Project Vendors',
  noun: ['Project Vendor', 'Project Vendors'],
  titles: { list: 'ProjectVendor', show: 'ProjectVendorExtended' },
  path: '/projects/{project_id}/vendors',
  scope: 'project',
  versions: ['v1.0', 'v1.1', 'vapid'],
  operations: { list: {}, show: {}, create: { summary: 'Create a company vendor and add it to the project' }, update: {} },
  hooks: {
    narrow: (c, qb, use) => active(c, qb.where('id', 'in', members(c)), use),
    prepare,
    beforeInsert(w) {
      w.set['company_id'] = w.c.auth.companyId;
    },
    async afterWrite(w) {
      if (!w.row) await join(w.c, w.trx, w.id, w.now);
    },
  },
  extra: (h) => [
    {
      method: 'POST',
      path: '/projects/{project_id}/vendors/{id}/actions/add',
      operationId: 'addProjectVendor',
      summary: 'Add a company vendor to the project',
      project: { from: 'path' },
      versions: ['v1.0', 'v1.1', 'vapid'],
      status: 201,
      query: { view: Type.String() },
      response: h.schemas.show,
      async handler(c) {
        const id = c.params['id'] as number;
        const vendor = await c
          .from('vendors')
          .select('id')
          .where('id', '=', id)
          .where('company_id', '=', c.auth.companyId)
          .executeTakeFirst();
        if (!vendor) throw ApiError.notFound();
        if (await members(c).where('parent_id', '=', id).executeTakeFirst()) {
          const errors = new FieldErrors();
          errors.add('base', 'Vendor is already on this project');
          errors.throwIfAny();
        }
        await join(c, c.db, id, isoSeconds(c.nowMs()));
        return (await h.serialize(c, [await h.find(c, id)], 'show'))[0];
      },
    },
    {
      method: 'DELETE',
      path: '/projects/{project_id}/vendors/{id}/actions/remove',
      operationId: 'removeProjectVendor',
      summary: 'Remove a vendor from the project (the company vendor stays)',
      project: { from: 'path' },
      versions: ['v1.0', 'v1.1', 'vapid'],
      status: 204,
      async handler(c) {
        const row = await h.find(c, c.params['id'] as number);
        await c.db
          .deleteFrom('records')
          .where('sandbox_id', '=', c.auth.sandboxId)
          .where('resource', '=', PROJECT_VENDORS)
          .where('project_id', '=', c.requireProject().id)
          .where('parent_id', '=', row['id'] as number)
          .execute();
        return null;
      },
    },
    ...inactiveOps(h, {
      table: 'vendors',
      nameColumn: 'name',
      query: { view: Type.String() },
      path: '/projects/{project_id}/vendors',
      noun: 'Project Vendor',
      project: true,
      rows: (c) => h.rows(c).where('id', 'in', members(c)),
    }),
  ],
});
