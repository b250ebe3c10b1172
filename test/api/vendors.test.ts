/**
 * Company vendors (`/vendors?company_id=`) and project vendors (`/projects/{project_id}/vendors`):
 * the seeded vendors (the rows users and other resources reference), create → show → list →
 * update (→ delete on vapid), inactive vendors and reactivation, project membership (add,
 * remove), filters, 422s, another sandbox's ids, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

type V = { id: number; name: string; is_active: boolean; project_ids: number[] };

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`directory vendors on ${engine.name}`, () => {
    let f: ApiFixture;
    let V = '';
    let Q = '';
    let P = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      V = '/rest/v1.0/vendors';
      Q = `company_id=${f.companyId}`;
      P = `/rest/v1.0/projects/${f.projectId}/vendors`;
    });
    afterAll(() => f.rt.close());
    const names = async (url: string) => (await f.get(url)).json().map((v: V) => v.name);

    it('lists the seeded active vendors, valid against the 2017 Vendor, referenced by the users', async () => {
      const res = await f.get(`${V}?${Q}`);
      expect(res.statusCode, res.body).toBe(200);
      const vendors: V[] = res.json();
      expect(validateAgainstSwagger('GET', '/vapid/vendors', vendors)).toEqual([]);
      expect(vendors.map((v) => v.name)).toEqual([
        'Sandbox Builders Inc.',
        'Sandbox Design Partners',
        'Test Subcontractor Co.',
        'Harbor Point Development LLC',
        'Coastal Electric Co.',
      ]);
      expect(vendors[0]!.id).toBe(f.ids.vendor);
      expect(vendors[0]!.project_ids).toEqual([f.projectId]);
      expect(vendors[4]).toMatchObject({ project_ids: [], union_member: true, bidding: { small_business: true, womens_business: false } });
      const arch = (await f.get(`/rest/v1.0/companies/${f.companyId}/users/${f.ids.users.arch}`)).json();
      expect(vendors.find((v) => v.id === arch.vendor.id)?.name).toBe('Sandbox Design Partners');
      const one = await f.get(`${V}/${f.ids.vendor}?${Q}`);
      expect(validateAgainstSwagger('GET', '/vapid/vendors/{id}', one.json())).toEqual([]);
      expect(one.json()).toMatchObject({ id: f.ids.vendor, trade_name: 'General Contractor', is_active: true });
      expect((await f.get(`/vapid/vendors?${Q}`)).json()).toHaveLength(5);
      expect((await f.get(`${V}/${f.ids.vendor}`)).statusCode).toBe(400);
      expect(await names(`/rest/v1.0/companies/${f.companyId}/vendors/inactive`)).toEqual(['Ridgeline Drywall Inc.']);
    });

    it('filters and sorts as the catalogue declares', async () => {
      expect(await names(`${V}?${Q}&filters[search]=electric`)).toEqual(['Coastal Electric Co.']);
      expect(await names(`${V}?${Q}&filters[id][]=${f.ids.vendor}`)).toEqual(['Sandbox Builders Inc.']);
      expect(await names(`${V}?${Q}&sort=-name&per_page=2`)).toEqual(['Test Subcontractor Co.', 'Sandbox Design Partners']);
      expect(await names(`${P}?filters[search]=harbor`)).toEqual(['Harbor Point Development LLC']);
      expect((await f.get(`${V}?${Q}&filters[created_at]=2000-01-01...2000-01-02`)).json()).toEqual([]);
    });

    it('creates, shows, updates, deactivates, reactivates and (vapid) deletes a company vendor', async () => {
      const created = await f.call('POST', '/rest/v1.0/vendors', {
        payload: {
          company_id: f.companyId,
          vendor: {
            name: 'Mesa Plumbing',
            trade_name: 'Plumbing',
            primary_contact_id: f.ids.users.sub,
            bidding: { minority_business_enterprise: true },
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const v = created.json();
      expect(validateAgainstSwagger('POST', '/vapid/vendors', v)).toEqual([]);
      expect(v).toMatchObject({
        name: 'Mesa Plumbing',
        is_active: true,
        primary_contact: { id: f.ids.users.sub, email_address: 'sandbox+sub@example.com' },
        bidding: { minority_business_enterprise: true, small_business: false },
        project_ids: [],
      });
      expect((await f.get(`${V}/${v.id}?${Q}`)).json()).toEqual(v);
      const upd = await f.call('PATCH', `${V}/${v.id}`, {
        payload: { company_id: f.companyId, vendor: { website: 'https://mesa.example.com', is_active: false } },
      });
      expect(upd.statusCode, upd.body).toBe(200);
      expect(upd.json()).toMatchObject({ website: 'https://mesa.example.com', is_active: false, name: 'Mesa Plumbing' });
      expect(await names(`${V}?${Q}&filters[search]=mesa`)).toEqual([]);
      const back = await f.call('PATCH', `/rest/v1.0/companies/${f.companyId}/vendors/inactive/${v.id}`);
      expect(back.statusCode, back.body).toBe(200);
      expect(back.json().is_active).toBe(true);
      // Users may now name it.
      const u = await f.call('PATCH', `/rest/v1.0/companies/${f.companyId}/users/${f.ids.users.sub}`, {
        payload: { user: { vendor_id: v.id } },
      });
      expect(u.json().vendor).toEqual({ id: v.id, name: 'Mesa Plumbing' });
      expect((await f.call('DELETE', `/rest/v1.0/vendors/${v.id}?${Q}`)).statusCode).toBe(405);
      expect((await f.call('DELETE', `/vapid/vendors/${v.id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${V}/${v.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/companies/${f.companyId}/users/${f.ids.users.sub}`)).json().vendor).toBeNull();
    });

    it('keeps project vendors: list, show, create (adds to the project), update, remove and add', async () => {
      const list = await f.get(P);
      expect(list.statusCode, list.body).toBe(200);
      expect(validateAgainstSwagger('GET', '/vapid/projects/{project_id}/vendors', list.json())).toEqual([]);
      expect(list.json().map((v: V) => v.name)).toEqual([
        'Sandbox Builders Inc.',
        'Sandbox Design Partners',
        'Test Subcontractor Co.',
        'Harbor Point Development LLC',
      ]);
      expect(await names(`/rest/v1.1/projects/${f.projectId}/vendors`)).toHaveLength(4);
      expect(await names(`${P}/inactive`)).toEqual(['Ridgeline Drywall Inc.']);
      const coastal = (await f.get(`${V}?${Q}&filters[search]=coastal`)).json()[0] as V;
      expect((await f.get(`${P}/${coastal.id}`)).statusCode).toBe(404);
      const added = await f.call('POST', `${P}/${coastal.id}/actions/add`);
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json()).toMatchObject({ id: coastal.id, project_ids: [f.projectId] });
      expect((await f.call('POST', `${P}/${coastal.id}/actions/add`)).statusCode).toBe(422);
      expect((await f.get(`${P}/${coastal.id}`)).statusCode).toBe(200);
      expect((await f.call('DELETE', `/rest/v1.1/projects/${f.projectId}/vendors/${coastal.id}/actions/remove`)).statusCode).toBe(204);
      expect((await f.get(`${P}/${coastal.id}`)).statusCode).toBe(404);
      expect((await f.get(`${V}/${coastal.id}?${Q}`)).statusCode).toBe(200);

      const created = await f.call('POST', `/rest/v1.0/projects/${f.projectId}/vendors`, {
        payload: { vendor: { name: 'Pacific Steel Erectors', trade_name: 'Structural Steel' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const v = created.json();
      expect(v.project_ids).toEqual([f.projectId]);
      expect(await names(`${V}?${Q}&filters[search]=pacific`)).toEqual(['Pacific Steel Erectors']);
      const v11 = await f.call('POST', `/rest/v1.1/projects/${f.projectId}/vendors`, { payload: { vendor: { name: 'Summit Glazing' } } });
      expect(v11.statusCode, v11.body).toBe(201);
      const upd = await f.call('PATCH', `${P}/${v.id}`, { payload: { vendor: { abbreviated_name: 'PSE' } } });
      expect(upd.json()).toMatchObject({ abbreviated_name: 'PSE', name: 'Pacific Steel Erectors' });
    });

    it('syncs company vendors by id or origin_id (v1.0 PATCH, vapid POST)', async () => {
      const res = await f.call('PATCH', '/rest/v1.0/vendors/sync', {
        payload: {
          company_id: f.companyId,
          updates: [
            { id: f.ids.vendor, website: 'https://builders.example.com' },
            { name: 'Granite Masonry', origin_id: 'erp-v-9' },
            { origin_id: 'erp-v-10' },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      const { entities, errors } = res.json();
      expect(entities.map((v: V) => v.name)).toEqual(['Sandbox Builders Inc.', 'Granite Masonry']);
      expect(entities[0].website).toBe('https://builders.example.com');
      expect(errors).toEqual([{ origin_id: 'erp-v-10', errors: { name: ["can't be blank"] } }]);
      const vapid = await f.call('POST', `/vapid/vendors/sync?${Q}`, {
        payload: { updates: [{ origin_id: 'erp-v-9', notes: 'Synced twice' }] },
      });
      expect(vapid.statusCode, vapid.body).toBe(200);
      expect(vapid.json().entities[0]).toMatchObject({ id: entities[1].id, notes: 'Synced twice', name: 'Granite Masonry' });
      const foreign = await f.call('PATCH', '/rest/v1.0/vendors/sync', { payload: { company_id: 987654321, updates: [{ name: 'x' }] } });
      expect(foreign.statusCode).toBe(404);
    });

    it('rejects bad bodies with 422 naming the fields, changing nothing', async () => {
      const before = Number((await f.get(`${V}?${Q}`)).headers['total']);
      const post = (vendor: Record<string, unknown>) => f.call('POST', V, { payload: { company_id: f.companyId, vendor } });
      const bad = await post({ is_active: 'yes', bidding: { small_business: 'no' } });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['bidding.small_business', 'is_active', 'name'].sort());
      expect((await post({ name: 'x', primary_contact_id: 987654321 })).json().errors).toHaveProperty('primary_contact_id');
      expect((await post({ name: '' })).statusCode).toBe(422);
      expect((await f.call('POST', V, { payload: { vendor: { name: 'No company' } } })).statusCode).toBe(400);
      expect(Number((await f.get(`${V}?${Q}`)).headers['total'])).toBe(before);
    });

    it("answers another sandbox's company, project and vendors with the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other' });
      const otherVendor = await f.rt.ctx.db
        .selectFrom('vendors')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .executeTakeFirstOrThrow();
      const nf = (await f.get(`${V}/987654321?${Q}`)).body;
      for (const url of [
        `${V}?company_id=${other.sandbox.company_id}`,
        `${V}/${otherVendor.id}?${Q}`,
        `/rest/v1.0/projects/${other.sandbox.project_id}/vendors`,
        `${P}/${otherVendor.id}`,
      ]) {
        const res = await f.get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.body).toBe(nf);
      }
      expect((await f.call('POST', `${P}/${otherVendor.id}/actions/add`)).statusCode).toBe(404);
      expect(
        (await f.call('PATCH', `${V}/${otherVendor.id}`, { payload: { company_id: f.companyId, vendor: { notes: 'x' } } })).statusCode,
      ).toBe(404);
      expect((await f.call('POST', V, { payload: { company_id: other.sandbox.company_id, vendor: { name: 'x' } } })).statusCode).toBe(404);
    });
  });
}
