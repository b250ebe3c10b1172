/**
 * The company directory's people: company users (`/companies/{company_id}/users`, v1.0–v1.3 and
 * vapid; `/users?company_id=`, v1.0–v1.3) and project users (`/projects/{project_id}/users`, the
 * Project Directory). Both are the sandbox's `users` rows — the seeded users who sign in — so a
 * user created here can sign in with the sandbox's user password, and an email changed here is
 * the new sign-in login. Project membership is the `project_users` row (its permission
 * template's name). Lists show active users; `…/users/inactive` the inactive ones, and
 * `PATCH …/users/inactive/{id}` reactivates one.
 */
import { Type } from '@sinclair/typebox';
import { isoSeconds } from '../../../core/clock.js';
import { defineResource, table } from '../../compile.js';
import { ApiError, FieldErrors } from '../../errors.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import type { AnyQuery, FilterDef } from '../../http/listing.js';
import { queryId } from '../../http/query.js';
import { fullName } from '../../refs.js';
import { PROJECT_ROLES } from '../project-roles/index.js';
import type { ApiContext, ApiVersion, Db, Operation, Write } from '../../resource.js';
import { NInt, NStr, Nullable, Obj, Timestamp } from '../../schemas.js';
import { syncOperation } from './sync.js';
import { inactiveOps } from './inactive.js';

const show = { in: ['show'] } as const;
const PermissionTemplate = Nullable(Obj({ id: NInt(), name: NStr(), project_specific: Type.Boolean(), type: NStr() }));
const notNull = (v: unknown) => v ?? '';

/**
 * The sandbox's permission templates (not a resource of their own): the names the seed gives
 * project members, and the ids writes may name (`permission_template_id`, …), stable in every sandbox.
 */
export const PERMISSION_TEMPLATES = ['Architect', 'Subcontractor', 'Project Manager', 'Owner', 'Superintendent', 'Standard'].map(
  (name, i) => ({ id: i + 1, name }),
);
const TemplateId = Type.Union([...PERMISSION_TEMPLATES.map((t) => Type.Literal(t.id)), Type.Null()]);
const templateNamed = (id: unknown) => PERMISSION_TEMPLATES.find((t) => t.id === id)?.name ?? null;

/** A user's fields as Procore's directory answers them (2017 `CompanyUser`/`ProjectUser`, today's catalogue). */
const userFields = {
  id: f.id({ filter: 'ids' }),
  name: f.computed(Type.String(), (r) => fullName(r as never)),
  first_name: f.text({ write: true, default: '', toColumn: notNull, sort: true, search: true }),
  last_name: f.text({ write: 'required', sort: true, search: true }),
  initials: f.computed(NStr(), (r) => r['initials'] ?? `${r['first_name'].charAt(0)}${r['last_name'].charAt(0)}`.toUpperCase()),
  initials_written: f.hidden({ column: 'initials', write: 'initials', body: Type.Union([Type.String({ maxLength: 10 }), Type.Null()]) }),
  email_address: f.text({ write: 'required', column: 'email', search: true, sort: 'email' }),
  job_title: f.text({ write: true, search: true, sort: true }),
  address: f.text({ write: true }),
  city: f.text({ write: true }),
  state_code: f.text({ write: true, max: 10 }),
  country_code: f.text({ write: true, max: 10 }),
  zip: f.text({ write: true, max: 20 }),
  avatar: f.text({ write: true }),
  business_phone: f.text({ write: true, max: 50 }),
  business_phone_extension: f.int({ write: true, min: 0 }),
  mobile_phone: f.text({ write: true, max: 50 }),
  fax_number: f.text({ write: true, max: 50 }),
  email_signature: f.text({ write: true, long: true }),
  employee_id: f.text({ write: true, max: 50 }),
  notes: f.text({ write: true, long: true }),
  is_active: f.bool({ write: true, default: true }),
  is_employee: f.bool({ write: true }),
  last_login_at: f.datetime(),
  origin_id: f.text({ write: true }),
  origin_data: f.text({ write: true, long: true }),
  default_permission_template_id: f.ref({ write: true, body: TemplateId, ...show }),
  company_permission_template_id: f.ref({ write: true, body: TemplateId, ...show }),
  vendor: f.vendor({ write: 'vendor_id', filter: 'ids', filterName: 'vendor_id' }),
  created_at: f.createdAt({ filter: 'datetime', sort: true }),
  updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  ...unmodelled({
    business_id: NStr(),
    contact_id: NInt(),
    erp_integrated_accountant: Type.Boolean(),
    welcome_email_sent_at: Timestamp(),
    company_permission_template: Nullable(Obj({ id: NInt(), name: NStr() })),
    work_classification_id: NInt(),
  }),
  ...unmodelled({ is_insurance_manager: Type.Boolean(), locale: NStr() }, show),
};

/** `filters[origin_id]`: the exact origin id. */
const originFilter: FilterDef = {
  kind: 'search',
  columns: ['origin_id'],
  apply: (qb, p) => (p.kind === 'search' ? qb.where('origin_id', '=', p.text) : qb),
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A sign-in email: well formed and nobody else's in the sandbox (it is the login). */
async function checkEmail(w: Write<Record<string, unknown>>): Promise<void> {
  const email = w.body['email_address'];
  if (typeof email !== 'string') return;
  if (!EMAIL.test(email)) return w.errors.add('email_address', 'is invalid');
  const taken = await w.c
    .fromIn(w.trx, 'users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('id', '!=', w.id || w.row?.['id'] || 0)
    .executeTakeFirst();
  if (taken) w.errors.add('email_address', 'has already been taken');
}

/** A new directory user: the token's company, no admin rights, the sandbox's shared password. */
function newUser(w: Write<Record<string, unknown>>): void {
  Object.assign(w.set, {
    company_id: w.c.auth.companyId,
    developer_id: null,
    is_company_admin: 0,
    is_service_account: 0,
    password_hash: null,
    last_login_at: null,
  });
}

/** `{company_id}` in the path, or `?company_id=` (required): the token's company, else the one 404. */
function requireCompany(c: ApiContext): void {
  const id = c.params['company_id'] ?? queryId(c.query, 'company_id');
  if (id === undefined) throw ApiError.badRequest('company_id is required', 'company_id');
  if (id !== c.auth.companyId) throw ApiError.notFound();
}

/** Directory lists show active users (or `filters[active]`'s); a member read finds inactive ones too. */
function active(c: ApiContext, qb: AnyQuery, use: 'list' | 'find'): AnyQuery {
  if (use === 'find' || c.filters.has('active')) return qb;
  return qb.where('is_active', '=', 1);
}

const ALL: readonly ApiVersion[] = ['v1.0', 'v1.1', 'v1.2', 'v1.3', 'vapid'];

/** Company-level writes: the path's (or query's) company first, then the email. */
const directoryHooks = {
  async validate(w: Write<Record<string, unknown>>) {
    requireCompany(w.c);
    await checkEmail(w);
  },
  beforeInsert: newUser,
};

export const companyUsers = defineResource({
  name: 'company_users',
  tag: 'Company Users',
  noun: ['Company User', 'Company Users'],
  titles: { list: 'CompanyUser', show: 'CompanyUserExtended' },
  path: '/companies/{company_id}/users',
  scope: 'sandbox',
  storage: table('users', { project: false }),
  body: 'user',
  versions: ALL,
  operations: { list: {}, show: {}, create: {}, update: {} },
  search: { filter: 'search', description: "Text in the user's first or last name, email address or job title" },
  sort: { keys: { name: 'last_name', full_name: 'first_name' } },
  filters: { origin_id: originFilter },
  query: { run_configurable_validations: Type.Boolean() },
  fields: { ...userFields, permission_template: f.computed(PermissionTemplate, () => null) },
  hooks: {
    ...directoryHooks,
    narrow(c, qb, use) {
      requireCompany(c);
      return active(c, qb, use);
    },
  },
  extra: (h) => [
    ...inactiveOps(h, {
      table: 'users',
      nameColumn: 'last_name',
      path: '/companies/{company_id}/users',
      noun: 'Company User',
      rows(c) {
        requireCompany(c);
        return h.rows(c);
      },
    }),
  ],
});

companyUsers.operations.push(
  ...bulkOps(),
  syncOperation(companyUsers, {
    path: '/companies/{company_id}/users/sync',
    operationId: 'syncCompanyUsers',
    summary: 'Sync company users (create or update up to 1,000 by id or origin_id)',
    versions: ALL,
    guard: requireCompany,
  }),
);

/** `{user_id, project_id, …}` items of a bulk body (`users`), ids as numbers or numeric strings. */
function bulkItems(c: ApiContext): { userId: number | null; projectId: number | null; templateId: unknown }[] {
  const body = c.request.body as Record<string, unknown> | null | undefined;
  const users = body && typeof body === 'object' && !Array.isArray(body) ? body['users'] : undefined;
  if (users === undefined || users === null) throw ApiError.missingParam('users');
  if (!Array.isArray(users)) throw ApiError.unprocessable({ users: ['must be an array'] });
  if (users.length > 1000) throw ApiError.unprocessable({ users: ['is too long (maximum is 1000 items)'] });
  const idOf = (v: unknown) => {
    const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
    return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
  };
  return (users as unknown[]).map((raw) => {
    const item = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
    return { userId: idOf(item['user_id']), projectId: idOf(item['project_id']), templateId: item['permission_template_id'] };
  });
}

/**
 * `POST /companies/{company_id}/users/bulk_add` and `…/bulk_remove` (v1.1–v1.3): company users on
 * or off projects, answered `{"<user id>": {"<project id>": "success" | "failure"}}`. A user already
 * on a project keeps their permission template; removing someone who is not a member fails.
 */
function bulkOps(): Operation[] {
  const run = (how: 'add' | 'remove') =>
    async function handler(c: ApiContext): Promise<unknown> {
      requireCompany(c);
      const out: Record<string, Record<string, string>> = {};
      for (const item of bulkItems(c)) {
        const done = await bulkOne(c, how, item).catch((err: unknown) => {
          if (err instanceof ApiError && err.statusCode === 404) return false;
          throw err;
        });
        if (item.userId === null || item.projectId === null) continue;
        (out[String(item.userId)] ??= {})[String(item.projectId)] = done ? 'success' : 'failure';
      }
      return out;
    };
  return (['add', 'remove'] as const).map((how) => ({
    method: 'POST' as const,
    path: `/companies/{company_id}/users/bulk_${how}`,
    operationId: `bulk${how === 'add' ? 'Add' : 'Remove'}CompanyUsers`,
    summary: `Bulk ${how === 'add' ? 'add company users to' : 'remove company users from'} projects`,
    versions: ['v1.1', 'v1.2', 'v1.3'] as const,
    status: 200 as const,
    response: Type.Object({}, { additionalProperties: true }),
    handler: run(how),
  }));
}

async function bulkOne(
  c: ApiContext,
  how: 'add' | 'remove',
  item: { userId: number | null; projectId: number | null; templateId: unknown },
): Promise<boolean> {
  if (item.userId === null || item.projectId === null) return false;
  const project = await c.loadProject(item.projectId);
  const user = await c
    .from('users')
    .select('id')
    .where('id', '=', item.userId)
    .where('company_id', '=', c.auth.companyId)
    .executeTakeFirst();
  if (!user) return false;
  const scoped = { ...c, project, requireProject: () => project } as ApiContext;
  const member = await members(scoped).where('user_id', '=', item.userId).executeTakeFirst();
  if (how === 'add') {
    if (item.templateId !== undefined && item.templateId !== null && templateNamed(Number(item.templateId)) === null) return false;
    if (!member) await addMember(scoped, c.db, item.userId, templateNamed(Number(item.templateId)), isoNow(c));
    return true;
  }
  if (!member) return false;
  await removeMember(scoped, item.userId);
  return true;
}

export const usersByQuery = defineResource({
  name: 'users',
  tag: 'Company Users',
  noun: ['User', 'Users'],
  titles: { list: 'CompanyUserByQuery', show: 'CompanyUserByQueryExtended' },
  path: '/users',
  scope: 'sandbox',
  storage: table('users', { project: false }),
  body: 'user',
  versions: ['v1.0', 'v1.1', 'v1.2', 'v1.3'],
  operations: {
    list: { summary: 'List company users (`?company_id=`)' },
    show: { summary: 'Show a company user (`?company_id=`)', versions: ['v1.0', 'v1.1', 'v1.3'] },
    create: { summary: 'Create a company user (`?company_id=`)', versions: ['v1.0'] },
  },
  search: { filter: 'search', description: "Text in the user's first or last name, email address or job title" },
  sort: { keys: { name: 'last_name', full_name: 'first_name' } },
  filters: { origin_id: originFilter, active: { kind: 'bool', column: 'is_active' } },
  query: { company_id: Type.String({ description: 'Company ID (required)' }), run_configurable_validations: Type.Boolean() },
  fields: { ...userFields, permission_template: f.computed(PermissionTemplate, () => null) },
  hooks: {
    ...directoryHooks,
    narrow(c, qb, use) {
      requireCompany(c);
      return active(c, qb, use);
    },
  },
});

// ---- Project users ---------------------------------------------------------------------------

/** Users of the request's project (`project_users` rows). */
const members = (c: ApiContext, db: Db = c.db) =>
  c.fromIn(db, 'project_users').select('user_id').where('project_id', '=', c.requireProject().id);

async function addMember(c: ApiContext, db: Db, userId: number, template: string | null, now: string): Promise<void> {
  await db
    .insertInto('project_users')
    .values({
      project_id: c.requireProject().id,
      user_id: userId,
      sandbox_id: c.auth.sandboxId,
      permission_template: template,
      created_at: now,
    })
    .execute();
}

const isoNow = (c: ApiContext) => isoSeconds(c.nowMs());

/** Takes a user off the request's project, with their project roles (`../project-roles/`). */
async function removeMember(c: ApiContext, userId: number): Promise<void> {
  await c.db
    .deleteFrom('project_users')
    .where('sandbox_id', '=', c.auth.sandboxId)
    .where('project_id', '=', c.requireProject().id)
    .where('user_id', '=', userId)
    .execute();
  const roles = (await c
    .from('records')
    .select(['id', 'data'])
    .where('resource', '=', PROJECT_ROLES)
    .where('project_id', '=', c.requireProject().id)
    .execute()) as { id: unknown; data: string }[];
  const theirs = roles.filter((r) => (JSON.parse(r.data) as { user_id?: unknown }).user_id === userId).map((r) => Number(r.id));
  if (theirs.length) await c.db.deleteFrom('records').where('sandbox_id', '=', c.auth.sandboxId).where('id', 'in', theirs).execute();
}

export const projectUsers = defineResource({
  name: 'project_users',
  tag: 'Project Users',
  noun: ['Project User', 'Project Users'],
  titles: { list: 'ProjectUser', show: 'ProjectUserExtended' },
  path: '/projects/{project_id}/users',
  scope: 'project',
  storage: table('users', { project: false }),
  body: 'user',
  versions: ['v1.0', 'vapid'],
  operations: {
    list: { summary: 'List users of a project (Project Directory)' },
    show: {},
    create: { summary: 'Create a user in the company directory and add them to the project' },
    update: {},
  },
  compact: { param: 'view', fields: ['id', 'name'] },
  search: { filter: 'search', description: "Text in the user's first or last name, email address or job title" },
  sort: { keys: { name: 'last_name', email_address: 'email' } },
  filters: { origin_id: originFilter, employee: { kind: 'bool', column: 'is_employee' } },
  extraBody: { permission_template_id: TemplateId },
  fields: {
    ...userFields,
    permission_template: f.computed(PermissionTemplate, (r, x) => {
      const name = x.extra.get(r['id']);
      const id = PERMISSION_TEMPLATES.find((t) => t.name === name)?.id ?? null;
      return name ? { id, name, project_specific: false, type: 'project' } : null;
    }),
  },
  hooks: {
    narrow: (c, qb, use) => active(c, qb.where('id', 'in', members(c)), use),
    async prepare(c, rows) {
      const found = (await c
        .from('project_users')
        .select(['user_id', 'permission_template'])
        .where('project_id', '=', c.requireProject().id)
        .where(
          'user_id',
          'in',
          rows.map((r: AnyRow) => r['id']),
        )
        .execute()) as AnyRow[];
      return new Map(found.map((m) => [Number(m['user_id']), m['permission_template']]));
    },
    validate: checkEmail,
    beforeInsert: newUser,
    async afterWrite(w) {
      if (!w.row) await addMember(w.c, w.trx, w.id, templateNamed(w.body.permission_template_id), w.now);
    },
  },
  extra: (h) => [
    {
      method: 'POST',
      path: '/projects/{project_id}/users/{id}/actions/add',
      operationId: 'addProjectUser',
      summary: 'Add a company user to the project',
      project: { from: 'path' },
      versions: ['v1.0', 'vapid'],
      status: 201,
      body: { root: 'user', schema: Type.Object({ permission_template_id: Type.Optional(TemplateId) }) },
      response: h.schemas.show,
      async handler(c) {
        const id = c.params['id'] as number;
        const user = await c.from('users').select('id').where('id', '=', id).where('company_id', '=', c.auth.companyId).executeTakeFirst();
        if (!user) throw ApiError.notFound();
        const already = await members(c).where('user_id', '=', id).executeTakeFirst();
        if (already) {
          const errors = new FieldErrors();
          errors.add('base', 'User is already a member of this project');
          errors.throwIfAny();
        }
        await addMember(c, c.db, id, templateNamed(c.body['permission_template_id']), isoNow(c));
        return (await h.serialize(c, [await h.find(c, id)], 'show'))[0];
      },
    },
    {
      method: 'DELETE',
      path: '/projects/{project_id}/users/{id}/actions/remove',
      operationId: 'removeProjectUser',
      summary: 'Remove a user from the project (the company user stays)',
      project: { from: 'path' },
      versions: ['v1.0'],
      status: 204,
      async handler(c) {
        const row = await h.find(c, c.params['id'] as number);
        await removeMember(c, row['id'] as number);
        return null;
      },
    },
    ...inactiveOps(h, {
      table: 'users',
      nameColumn: 'last_name',
      path: '/projects/{project_id}/users',
      noun: 'Project User',
      project: true,
      rows: (c) => h.rows(c).where('id', 'in', members(c)),
    }),
  ],
});
