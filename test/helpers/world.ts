/**
 * Two tenants on one server, for the fuzz and isolation suites: sandbox A (the default
 * developer's default app) and sandbox B (a second developer's app), each with an API token, a
 * portal session, client credentials and the ids of every row it holds.
 */
import { createSession, SESSION_COOKIE } from '../../src/portal/sessions.js';
import { getPostmanLinks } from '../../src/postman/links.js';
import { SANDBOX_TABLES, type Row } from '../../src/db/schema.js';
import { allocateIds } from '../../src/db/repos/sandboxes.js';
import { createApp, revealCredentials, revealUserPassword, type Credentials } from '../../src/services/apps.js';
import { createDeveloper } from '../../src/services/developers.js';
import type { Settings } from '../../src/context/settings.js';
import { createTestRuntime, type EngineName, type TestRuntime } from './runtime.js';

export interface Tenant {
  name: 'A' | 'B';
  app: Row<'apps'>;
  sandbox: Row<'sandboxes'>;
  developer: Row<'developers'>;
  credentials: Credentials;
  productionCredentials: Credentials;
  userPassword: string;
  /** API token of API Support (sandbox+demo@example.com, a company admin). */
  token: string;
  /** API token of the same user on the production environment. */
  productionToken: string;
  /** `psb_portal=…` cookie of the tenant's developer. */
  portalCookie: string;
  /** Postman import-link token of the app. */
  postmanToken: string;
  companyId: number;
  projectId: number;
  /** Ids of the sandbox's rows by table (`rfis`, `users`, …), plus `apps`. */
  ids: Record<string, number[]>;
  /** Upload uuids (`…/uploads/:uuid`) of the company and of the project. */
  uploads: { company: string[]; project: string[] };
  /** Distinctive strings of the tenant (names, emails, subjects) that must never leak. */
  names: string[];
  users: Row<'users'>[];
}

export interface World {
  rt: TestRuntime;
  engine: EngineName;
  A: Tenant;
  B: Tenant;
  /** Re-reads both tenants' row ids (after writes, resets). */
  refresh(): Promise<void>;
}

async function tenantIds(rt: TestRuntime, sandboxId: number, appId: number): Promise<Record<string, number[]>> {
  const ids: Record<string, number[]> = { apps: [appId] };
  for (const table of SANDBOX_TABLES) {
    if (table === 'project_users') continue;
    const rows = await rt.ctx.db.selectFrom(table).select('id').where('sandbox_id', '=', sandboxId).orderBy('id').execute();
    ids[table] = rows.map((r) => Number(r.id));
  }
  // Rows of records() resources, by resource name (and `items` for observations' `/observations/items/:id`).
  const records = await rt.ctx.db
    .selectFrom('records')
    .select(['id', 'resource', 'deleted_at'])
    .where('sandbox_id', '=', sandboxId)
    .orderBy('id')
    .execute();
  for (const r of records) (ids[r.resource] ??= []).push(Number(r.id));
  // Recycled rows by resource, for the recycle bin's member routes (`…/recycle_bin/incidents/:id`).
  for (const r of records) if (r.deleted_at !== null) (ids[`recycled_${r.resource}`] ??= []).push(Number(r.id));
  if (ids['observations']) ids['items'] = ids['observations'];
  // Routes whose id is a member of the project, not any row of the table
  // (`/projects/:project_id/users/:id`, `…/vendors/:id`), and the inactive ones (`…/inactive/:id`).
  const db = rt.ctx.db;
  const members = await db.selectFrom('project_users').select('user_id').where('sandbox_id', '=', sandboxId).orderBy('user_id').execute();
  ids['project_users'] = members.map((m) => Number(m.user_id));
  const vendors = await db
    .selectFrom('records')
    .select('parent_id')
    .where('sandbox_id', '=', sandboxId)
    .where('resource', '=', 'project_vendors')
    .where('deleted_at', 'is', null)
    .orderBy('parent_id')
    .execute();
  ids['project_vendors'] = vendors.map((v) => Number(v.parent_id));
  for (const table of ['users', 'vendors'] as const) {
    const off = await db
      .selectFrom(table)
      .select('id')
      .where('sandbox_id', '=', sandboxId)
      .where('is_active', '=', 0)
      .orderBy('id')
      .execute();
    ids[`inactive_${table}`] = off.map((r) => Number(r.id));
    ids[`inactive_project_${table}`] = ids[`inactive_${table}`]!.filter((id) => ids[`project_${table}`]!.includes(id));
  }
  return ids;
}

/** The sandbox's direct uploads by scope (records rows of `uploads`, keyed by their ULID). */
async function tenantUploads(rt: TestRuntime, sandboxId: number): Promise<Tenant['uploads']> {
  const rows = await rt.ctx.db
    .selectFrom('records')
    .select(['project_id', 'data'])
    .where('sandbox_id', '=', sandboxId)
    .where('resource', '=', 'uploads')
    .orderBy('id')
    .execute();
  const out: Tenant['uploads'] = { company: [], project: [] };
  for (const r of rows) {
    const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as { uuid: string };
    out[r.project_id === null ? 'company' : 'project'].push(data.uuid);
  }
  return out;
}

async function tenantNames(rt: TestRuntime, sandboxId: number): Promise<string[]> {
  const db = rt.ctx.db;
  const out: string[] = [];
  for (const r of await db.selectFrom('rfis').select(['subject']).where('sandbox_id', '=', sandboxId).execute()) out.push(r.subject);
  for (const r of await db.selectFrom('submittals').select(['title']).where('sandbox_id', '=', sandboxId).execute())
    if (r.title) out.push(r.title);
  return out.filter((s) => s.length >= 6);
}

/** records() resources with a recycle bin member route (`/projects/:project_id/recycle_bin/…/:id`). */
const RECYCLED = ['checklist_lists', 'incidents', 'incident_actions', 'incident_injuries', 'incident_witness_statements'];

export async function createWorld(engine: EngineName, settings: Partial<Settings> = {}): Promise<World> {
  const rt = await createTestRuntime({
    engine,
    settings: {
      rateLimit: { hourly: 1e9, spike: 1e9, enabled: true },
      loginAttemptsPerHour: 1e9,
      ...settings,
    },
  });
  const ctx = rt.ctx;
  const devA = await ctx.db.selectFrom('developers').selectAll().where('id', '=', rt.app.developer_id).executeTakeFirstOrThrow();
  const devB = await createDeveloper(ctx, { email: 'tenant-b@example.com', name: 'Tenant B Developer', password: 'tenant-b-password-1' });
  // Distinct names so a leak of B into A's answers is visible.
  const createdB = await createApp(ctx, { developerId: devB.id, name: 'Tenant B Zanzibar App' });
  await ctx.db
    .updateTable('rfis')
    .set({ subject: 'Tenant B secret subject Zanzibar' })
    .where('sandbox_id', '=', createdB.sandbox.id)
    .execute();

  // A recycled copy of the newest row of each resource whose recycle bin shows a member, in both
  // sandboxes (the live rows stay as seeded: some resources seed only one).
  for (const sandboxId of [rt.sandbox.id, createdB.sandbox.id])
    for (const resource of RECYCLED) {
      const last = await ctx.db
        .selectFrom('records')
        .selectAll()
        .where('sandbox_id', '=', sandboxId)
        .where('resource', '=', resource)
        .where('deleted_at', 'is', null)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (!last) continue;
      const id = await allocateIds(ctx.db, sandboxId, 1);
      await ctx.db
        .insertInto('records')
        .values({ ...last, id, deleted_at: '2026-01-01T00:00:00Z' })
        .execute();
    }

  // A reply to the seeded RFI in both sandboxes (the seed has none), for `…/replies/:id`.
  for (const sandboxId of [rt.sandbox.id, createdB.sandbox.id]) {
    const question = await ctx.db
      .selectFrom('rfi_questions')
      .select(['id', 'rfi_id'])
      .where('sandbox_id', '=', sandboxId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const id = await allocateIds(ctx.db, sandboxId, 1);
    await ctx.db
      .insertInto('rfi_replies')
      .values({
        id,
        sandbox_id: sandboxId,
        rfi_id: question.rfi_id,
        question_id: question.id,
        body: '<p>See detail 4 on A-501.</p>',
        official: 0,
        created_by_id: null,
        created_at: '2026-01-02T00:00:00Z',
        updated_at: '2026-01-02T00:00:00Z',
      })
      .execute();
  }

  async function tenant(name: 'A' | 'B', app: Row<'apps'>, developer: Row<'developers'>): Promise<Tenant> {
    const sandbox = await ctx.db.selectFrom('sandboxes').selectAll().where('app_id', '=', app.id).executeTakeFirstOrThrow();
    const credentials = (await revealCredentials(ctx, app.id, 'sandbox'))!;
    const productionCredentials = (await revealCredentials(ctx, app.id, 'production'))!;
    const session = await createSession(ctx, developer.id);
    const links = await getPostmanLinks(ctx, app.id, 'http://localhost');
    const postmanToken = new URL(links.collectionUrl).pathname.split('/')[2] ?? '';
    const users = await ctx.db.selectFrom('users').selectAll().where('sandbox_id', '=', sandbox.id).orderBy('id').execute();
    return {
      name,
      app,
      sandbox,
      developer,
      credentials,
      productionCredentials,
      userPassword: revealUserPassword(ctx, sandbox),
      token: await rt.mintToken({ sandboxId: sandbox.id }),
      productionToken: await rt.mintToken({ sandboxId: sandbox.id, environment: 'production' }),
      portalCookie: `${SESSION_COOKIE}=${session.sessionId}`,
      postmanToken,
      companyId: sandbox.company_id,
      projectId: sandbox.project_id,
      ids: await tenantIds(rt, sandbox.id, app.id),
      uploads: { company: [], project: [] },
      names: await tenantNames(rt, sandbox.id),
      users,
    };
  }

  const world: World = {
    rt,
    engine,
    A: await tenant('A', rt.app, devA),
    B: await tenant('B', createdB.app, devB),
    async refresh() {
      for (const t of [world.A, world.B]) {
        const sandbox = await ctx.db.selectFrom('sandboxes').selectAll().where('app_id', '=', t.app.id).executeTakeFirst();
        if (!sandbox) continue;
        t.sandbox = sandbox;
        t.projectId = sandbox.project_id;
        t.companyId = sandbox.company_id;
        t.ids = await tenantIds(rt, sandbox.id, t.app.id);
        t.uploads = await tenantUploads(rt, sandbox.id);
      }
    },
  };
  // One direct upload of the company and one of the project per tenant (`…/uploads/:uuid`).
  for (const t of [world.A, world.B])
    for (const path of [`/rest/v1.0/companies/${t.companyId}/uploads`, `/rest/v1.0/projects/${t.projectId}/uploads`]) {
      const res = await rt.sandboxApp.inject({
        method: 'POST',
        url: path,
        headers: { authorization: `Bearer ${t.token}`, 'procore-company-id': String(t.companyId) },
        payload: { response_filename: `${t.name}.txt`, response_content_type: 'text/plain' },
      });
      if (res.statusCode !== 201) throw new Error(`world: ${path} answered ${res.statusCode} ${res.body}`);
    }
  await world.refresh();
  return world;
}
