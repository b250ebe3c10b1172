/**
 * The generic engine through the built app, on both engines: catalogue operations no declaration
 * serves, stateful on `records` rows, scoped, validated, with Procore's list machinery, v2.0's
 * envelope, sync, filter options, potential users, the 405/404 of the catch-all, and the
 * declared resources' other versions reading the declared rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/apps.js';
import { createApiFixture, type ApiFixture } from '../../../test/api/fixture.js';
import { ENGINES } from '../../../test/helpers/runtime.js';
import { loadCatalog } from '../../catalog/load.js';
import { planOf } from './plan.js';

type Item = { id: number; name?: string; percentage?: number; private?: boolean; start?: string; project_id?: number };

for (const engine of ENGINES)
  describe.skipIf(!engine.available)(`generic engine on ${engine.name}`, () => {
    let f: ApiFixture;
    let items: string;
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      items = `/rest/v1.0/projects/${f.projectId}/schedule/calendar_items`;
    });
    afterAll(async () => {
      await f?.rt.close();
    });
    const create = (calendar_item: Record<string, unknown>) => f.call('POST', items, { payload: { calendar_item } });

    it('creates, shows, lists (filters, sort, search, paging), updates and deletes stored rows', async () => {
      const made = await create({ name: 'Pour slab', percentage: 10, start: '2026-04-01', private: false, color: 'red' });
      expect(made.statusCode).toBe(200); // the catalogue's documented status for this create
      const a = made.json() as Item;
      expect(a).toMatchObject({ name: 'Pour slab', percentage: 10, start: '2026-04-01', project_id: f.projectId });
      expect(typeof a.id).toBe('number');
      const b = (await create({ name: 'Frame walls', percentage: 50, start: '2026-05-01', private: true })).json() as Item;

      expect((await f.get(`${items}/${a.id}`)).json()).toMatchObject({ id: a.id, name: 'Pour slab' });
      const list = await f.get(`${items}?per_page=1&sort=-name`);
      expect(list.statusCode).toBe(200);
      expect(list.headers['total']).toBe('2');
      expect(list.headers['per-page']).toBe('1');
      expect(String(list.headers['link'])).toContain('rel="next"');
      expect((list.json() as Item[]).map((r) => r.id)).toEqual([a.id]); // "Pour slab" > "Frame walls"
      expect((await f.get(`${items}?filters[query]=Frame%20walls`)).json()).toHaveLength(1);
      expect((await f.get(`${items}?filters[updated_at]=2000-01-01...2000-01-02`)).json()).toEqual([]);

      const patched = await f.call('PATCH', `${items}/${b.id}`, { payload: { calendar_item: { percentage: 75, unknown_field: 'x' } } });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ id: b.id, name: 'Frame walls', percentage: 75 });
      expect(patched.json()).not.toHaveProperty('unknown_field');

      expect((await f.call('DELETE', `${items}/${a.id}`)).statusCode).toBe(200);
      expect((await f.get(`${items}/${a.id}`)).statusCode).toBe(404);
      expect((await f.get(items)).json()).toEqual([expect.objectContaining({ id: b.id })]);
    });

    it('bad input is a 4xx naming the field, and changes nothing', async () => {
      const before = (await f.get(items)).json() as Item[];
      const bad = await create({ name: 12, start: '2026-02-30', percentage: 1.5 });
      expect(bad.statusCode).toBe(422);
      expect(bad.json()).toMatchObject({
        errors: { name: ['must be a string'], start: ['is not a valid date'], percentage: ['must be an integer'] },
      });
      const missing = await f.call('POST', items, { payload: { name: 'x' } });
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ message: 'param is missing or the value is empty: calendar_item' });
      expect((await f.get(`${items}?page=0`)).statusCode).toBe(400);
      expect((await f.get(`${items}?sort=nope`)).json()).toMatchObject({ fields: 'sort' });
      expect((await f.get(`${items}?filters[assigned_id]=abc`)).json()).toMatchObject({ fields: 'filters[assigned_id]' });
      expect((await f.get(`${items}/12abc`)).statusCode).toBe(404);
      expect((await f.get(items)).json()).toEqual(before);
    });

    it('scope: another project, company or sandbox is the one 404; headers as on declared routes', async () => {
      expect((await f.get(`/rest/v1.0/projects/999999999/schedule/calendar_items`)).statusCode).toBe(404);
      expect((await f.get(`/rest/v2.0/companies/999999999/change_order_change_reasons`)).statusCode).toBe(404);
      expect((await f.get(items, { company: false })).statusCode).toBe(400);
      expect((await f.get(items, { token: null })).statusCode).toBe(401);
      const mine = (await create({ name: 'Mine' })).json() as Item;
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      const theirs = await f.rt.mintToken({ sandboxId: other.sandbox.id, email: 'sandbox+demo@example.com' });
      const headers = { 'procore-company-id': String(other.sandbox.company_id) };
      expect((await f.get(items, { token: theirs, headers })).statusCode).toBe(404); // not their project
      const theirItems = `/rest/v1.0/projects/${other.sandbox.project_id}/schedule/calendar_items`;
      expect((await f.get(`${theirItems}/${mine.id}`, { token: theirs, headers })).statusCode).toBe(404);
      expect((await f.get(theirItems, { token: theirs, headers })).json()).toEqual([]);
    });

    it('sync upserts by id, reports unknown ids in errors', async () => {
      const row = (await create({ name: 'Sync me' })).json() as Item;
      const res = await f.call('PATCH', `${items}/sync`, {
        payload: { updates: [{ id: row.id, name: 'Synced' }, { name: 'New by sync' }, { id: 999999999, name: 'ghost' }] },
      });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { entities: Item[]; errors: { id: number; errors: Record<string, string[]> }[] };
      expect(body.entities.map((e) => e.name)).toEqual(['Synced', 'New by sync']);
      expect(body.errors).toEqual([expect.objectContaining({ id: 999999999, errors: { id: ["can't be found"] } })]);
      expect((await f.get(`${items}/${row.id}`)).json()).toMatchObject({ name: 'Synced' });
    });

    it('v2.0: {data} envelope, string ids, company in the path', async () => {
      const base = `/rest/v2.0/companies/${f.companyId}/change_order_change_reasons`;
      const made = await f.call('POST', base, { payload: { change_order_change_reason: { change_reason: 'Owner request' } } });
      expect(made.statusCode).toBe(201);
      const data = (made.json() as { data: { id: string; change_reason: string } }).data;
      expect(data).toMatchObject({ change_reason: 'Owner request', company_id: String(f.companyId) });
      expect(data.id).toMatch(/^\d+$/);
      const list = (await f.get(base)).json() as { data: { id: string }[] };
      expect(list.data.map((r) => r.id)).toContain(data.id);
    });

    it('potential_* lists the project’s users; filter_options the stored values', async () => {
      const users = (await f.get(`/rest/v1.0/projects/${f.projectId}/rfis/potential_assignees`)).json() as { id: number; login: string }[];
      expect(users.map((u) => u.login)).toContain('sandbox+arch@example.com');
      const statuses = await f.get(`/rest/v1.0/projects/${f.projectId}/rfis/filter_options/status`);
      expect(statuses.statusCode).toBe(200);
      expect(statuses.json()).toContainEqual(expect.objectContaining({ id: 'open' })); // the seeded RFI, through its declaration
    });

    it('under a parent row that does not exist (or is another sandbox’s) reads and writes are the 404, storing nothing', async () => {
      const tools = `/rest/v1.0/companies/${f.companyId}/generic_tools`;
      const tool = (await f.call('POST', tools, { payload: { generic_tool: { title: 'Permits' } } })).json() as { id: number };
      const statuses = (toolId: number) => `${tools}/${toolId}/statuses`;
      const status = { generic_tool_status: { status_name: 'Open', status: 'open' } };
      expect((await f.call('POST', statuses(tool.id), { payload: status })).statusCode).toBeLessThan(300);
      expect((await f.get(statuses(tool.id))).json()).toHaveLength(1);
      expect((await f.get(statuses(987654321))).statusCode).toBe(404);
      expect((await f.call('POST', statuses(987654321), { payload: status })).statusCode).toBe(404);
      // A declared parent (the company's vendors) is looked up through its declaration.
      const insurances = (vendorId: number) => `/rest/v1.0/companies/${f.companyId}/vendors/${vendorId}/insurances`;
      const [vendor] = (await f.get(`/rest/v1.0/vendors?company_id=${f.companyId}`)).json() as { id: number }[];
      expect((await f.get(insurances(vendor!.id))).statusCode).toBe(200);
      expect((await f.call('POST', insurances(987654321), { payload: { insurance: { name: 'General liability' } } })).statusCode).toBe(404);
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Parent Other' });
      const theirVendor = await f.rt.ctx.db
        .selectFrom('vendors')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .executeTakeFirstOrThrow();
      expect((await f.get(insurances(Number(theirVendor.id)))).statusCode).toBe(404);
      const stored = await f.rt.ctx.db
        .selectFrom('records')
        .select('parent_id')
        .where('resource', 'like', '%generic_tools/{generic_tool_id}/statuses')
        .execute();
      expect(stored.map((r) => Number(r.parent_id))).toEqual([tool.id]); // the refused create stored nothing
    });

    it('the catch-all: a wrong method is 405 with Allow, an unknown path the did-you-mean 404', async () => {
      const wrong = await f.call('PUT', items);
      expect(wrong.statusCode).toBe(405);
      expect(String(wrong.headers['allow'])).toContain('POST');
      const declaredWrong = await f.call('DELETE', `/rest/v1.0/projects/${f.projectId}/rfis`);
      expect(declaredWrong.statusCode).toBe(405);
      expect(String(declaredWrong.headers['allow'])).toContain('GET');
      const unknown = await f.get(`/rest/v1.0/projects/${f.projectId}/calendar_itemz`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: 'Not Found', did_you_mean: expect.any(Array) });
    });

    it('a declared resource on another version reads the declared rows; writes it does not model are refused', async () => {
      const v11 = await f.get(`/rest/v1.1/projects?company_id=${f.companyId}`);
      expect((v11.json() as { id: number }[]).map((p) => p.id)).toContain(f.projectId);
      const refused = await f.call('POST', '/rest/v1.0/tasks', { payload: { task: { name: 'x' } } });
      expect(refused.statusCode).toBe(405);
      expect(String(refused.headers['allow'])).toContain('GET');
    });
  });

describe('plans', () => {
  it('potential_/possible_ reads of people are the people; a resource named potential_… is a resource', () => {
    const catalog = loadCatalog();
    const behaviour = (id: string) => planOf(catalog.operation(id)!).behaviour;
    expect(behaviour('RestV10ProjectsProjectIdRfisPotentialAssigneesGet')).toBe('potential');
    expect(behaviour('RestV10PotentialChangeOrdersGet')).toBe('list');
    expect(behaviour('RestV10PotentialChangeOrdersIdGet')).toBe('show');
  });
});
