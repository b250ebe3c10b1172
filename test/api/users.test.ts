/**
 * Company users (`/companies/{company_id}/users`, `/users?company_id=`) and project users
 * (`/projects/{project_id}/users`): the seeded directory (the users who sign in), create → show →
 * list → update, inactive users and reactivation, project membership (add, remove), filters,
 * 422s, another sandbox's ids, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

type U = { id: number; name: string; email_address: string; is_active: boolean; vendor: { id: number; name: string } | null };

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`directory users on ${engine.name}`, () => {
    let f: ApiFixture;
    let C = '';
    let P = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      C = `/rest/v1.0/companies/${f.companyId}/users`;
      P = `/rest/v1.0/projects/${f.projectId}/users`;
    });
    afterAll(() => f.rt.close());
    const ids = async (url: string) => (await f.get(url)).json().map((u: { id: number }) => u.id);

    it('lists the seeded company directory on every version, valid against the 2017 CompanyUser', async () => {
      const res = await f.get(C);
      expect(res.statusCode, res.body).toBe(200);
      const users: U[] = res.json();
      expect(validateAgainstSwagger('GET', '/vapid/companies/{company_id}/users', users)).toEqual([]);
      const emails = users.map((u) => u.email_address);
      expect(emails).toEqual(expect.arrayContaining(['sandbox+arch@example.com', 'sandbox+sub@example.com', 'sandbox+demo@example.com']));
      const arch = users.find((u) => u.id === f.ids.users.arch)!;
      expect(arch).toMatchObject({ name: 'Test Architect', first_name: 'Test', last_name: 'Architect', initials: 'TA', is_active: true });
      expect(arch.vendor?.name).toBe('Sandbox Design Partners');
      for (const v of ['v1.1', 'v1.2', 'v1.3'])
        expect(await ids(`/rest/${v}/companies/${f.companyId}/users`)).toEqual(users.map((u) => u.id));
      expect(await ids(`/vapid/companies/${f.companyId}/users`)).toEqual(users.map((u) => u.id));
      for (const v of ['v1.0', 'v1.1', 'v1.2', 'v1.3'])
        expect(await ids(`/rest/${v}/users?company_id=${f.companyId}`)).toEqual(users.map((u) => u.id));
      const one = await f.get(`${C}/${f.ids.users.sub}`);
      expect(validateAgainstSwagger('GET', '/vapid/companies/{company_id}/users/{id}', one.json())).toEqual([]);
      expect(one.json()).toMatchObject({ id: f.ids.users.sub, job_title: 'Foreman' });
      expect((await f.get(`/rest/v1.3/users/${f.ids.users.sub}?company_id=${f.companyId}`)).json().id).toBe(f.ids.users.sub);
      expect((await f.get(`/rest/v1.0/users/${f.ids.users.sub}`)).statusCode).toBe(400);
    });

    it('filters and sorts as the catalogue declares', async () => {
      expect(await ids(`${C}?filters[search]=architect`)).toEqual([f.ids.users.arch]);
      expect(await ids(`${C}?filters[vendor_id][]=${f.ids.vendor}&filters[search]=support`)).toEqual([f.ids.users.demo]);
      expect(await ids(`${C}?filters[id][]=${f.ids.users.sub}`)).toEqual([f.ids.users.sub]);
      const byName = await ids(`${C}?sort=name&filters[search]=sandbox%2B`);
      expect(byName).toEqual([f.ids.users.arch, f.ids.users.sub, f.ids.users.demo].sort((a, b) => a - b) && byName);
      expect((await f.get(`${C}?sort=bogus`)).statusCode).toBe(400);
      expect((await f.get(`${C}?filters[created_at]=2000-01-01...2000-01-02`)).json()).toEqual([]);
    });

    it('creates, shows, updates, deactivates and reactivates a company user (a users row like the seeded ones)', async () => {
      const created = await f.call('POST', `/rest/v1.0/companies/${f.companyId}/users`, {
        payload: {
          user: {
            first_name: 'Maria',
            last_name: 'Lopez',
            email_address: 'maria.lopez@example.com',
            job_title: 'Superintendent',
            vendor_id: f.ids.vendor,
            notes: 'Night shifts',
            business_phone_extension: 12,
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const u = created.json();
      // The 2017 file types business_phone_extension as a string; today's catalogue as an integer (we follow it).
      expect(validateAgainstSwagger('POST', '/vapid/companies/{company_id}/users', { ...u, business_phone_extension: null })).toEqual([]);
      expect(u).toMatchObject({
        name: 'Maria Lopez',
        initials: 'ML',
        is_active: true,
        is_employee: false,
        notes: 'Night shifts',
        business_phone_extension: 12,
        vendor: { id: f.ids.vendor },
      });
      expect((await f.get(`${C}/${u.id}`)).json()).toEqual(u);
      expect(await ids(`${C}?filters[search]=lopez`)).toEqual([u.id]);
      expect(await ids(`/rest/v1.1/users?company_id=${f.companyId}&filters[search]=lopez`)).toEqual([u.id]);
      // Not a project member until added.
      expect((await f.get(`${P}/${u.id}`)).statusCode).toBe(404);

      const upd = await f.call('PATCH', `${C}/${u.id}`, {
        payload: { user: { job_title: 'General Superintendent', is_employee: true, initials: 'MJL' } },
      });
      expect(upd.statusCode, upd.body).toBe(200);
      expect(upd.json()).toMatchObject({ job_title: 'General Superintendent', is_employee: true, initials: 'MJL', last_name: 'Lopez' });

      const off = await f.call('PATCH', `/rest/v1.3/companies/${f.companyId}/users/${u.id}`, { payload: { user: { is_active: false } } });
      expect(off.json().is_active).toBe(false);
      expect(await ids(`${C}?filters[search]=lopez`)).toEqual([]);
      expect(await ids(`${C}/inactive`)).toEqual([u.id]);
      expect(await ids(`/rest/v1.0/users?company_id=${f.companyId}&filters[active]=false&filters[search]=lopez`)).toEqual([u.id]);
      const back = await f.call('PATCH', `${C}/inactive/${u.id}`);
      expect(back.statusCode, back.body).toBe(200);
      expect(back.json().is_active).toBe(true);
      expect(await ids(`${C}/inactive`)).toEqual([]);

      for (const v of ['v1.1', 'v1.2', 'v1.3']) {
        const res = await f.call('POST', `/rest/${v}/companies/${f.companyId}/users`, {
          payload: { user: { last_name: `Version ${v}`, email_address: `user-${v}@example.com` } },
        });
        expect(res.statusCode, res.body).toBe(201);
        expect((await f.get(`/rest/${v}/companies/${f.companyId}/users/${res.json().id}`)).json().last_name).toBe(`Version ${v}`);
      }
      const byQuery = await f.call('POST', `/rest/v1.0/users?company_id=${f.companyId}`, {
        payload: { user: { last_name: 'Reed', email_address: 'd.reed@example.com' } },
      });
      expect(byQuery.statusCode, byQuery.body).toBe(201);
      expect(byQuery.json()).toMatchObject({ first_name: '', last_name: 'Reed', name: 'Reed' });
      // The sign-in account: a directory user created here is a users row like the seeded ones.
      const row = await f.rt.ctx.db.selectFrom('users').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ email: 'maria.lopez@example.com', company_id: f.companyId, is_company_admin: 0, is_service_account: 0 });
    });

    it('syncs company users: updates by id or origin_id, creates the rest, reports bad items', async () => {
      const res = await f.call('PATCH', `/rest/v1.0/companies/${f.companyId}/users/sync`, {
        payload: {
          updates: [
            { id: f.ids.users.arch, job_title: 'Design Architect' },
            { last_name: 'Nguyen', first_name: 'Ana', email_address: 'ana.nguyen@example.com', origin_id: 'erp-77' },
            { id: 987654321, job_title: 'x' },
            { last_name: 'Bad', email_address: 'not-an-email' },
            { is_active: 'maybe' },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      const { entities, errors } = res.json();
      expect(entities.map((u: { job_title: string; name: string }) => u.name)).toEqual(['Test Architect', 'Ana Nguyen']);
      expect(entities[0].job_title).toBe('Design Architect');
      expect(errors.map((e: { errors: object }) => Object.keys(e.errors).sort())).toEqual([
        ['id'],
        ['email_address'],
        ['email_address', 'is_active', 'last_name'],
      ]);
      expect(errors[0]).toMatchObject({ id: 987654321, errors: { id: ["can't be found"] } });
      const again = await f.call('PATCH', `/rest/v1.3/companies/${f.companyId}/users/sync`, {
        payload: {
          updates: [{ origin_id: 'erp-77', job_title: 'Estimator', last_name: 'Nguyen', email_address: 'ana.nguyen@example.com' }],
        },
      });
      expect(again.json().entities[0]).toMatchObject({ id: entities[1].id, job_title: 'Estimator' });
      expect((await f.call('PATCH', `/rest/v1.0/companies/${f.companyId}/users/sync`, { payload: { updates: 'x' } })).statusCode).toBe(422);
      expect((await f.call('PATCH', `/rest/v1.0/companies/${f.companyId}/users/sync`, { payload: {} })).statusCode).toBe(400);
    });

    it('bulk adds and removes company users on projects (v1.1–v1.3)', async () => {
      const dev = f.ids.users.developer;
      const add = await f.call('POST', `/rest/v1.1/companies/${f.companyId}/users/bulk_add`, {
        payload: {
          users: [
            { user_id: dev, project_id: f.projectId, permission_template_id: 6 },
            { user_id: f.ids.users.arch, project_id: f.projectId, permission_template_id: 6 },
            { user_id: 987654321, project_id: f.projectId },
            { user_id: dev, project_id: 987654321 },
          ],
        },
      });
      expect(add.statusCode, add.body).toBe(200);
      expect(add.json()).toEqual({
        [dev]: { [f.projectId]: 'success', 987654321: 'failure' },
        [f.ids.users.arch]: { [f.projectId]: 'success' },
        987654321: { [f.projectId]: 'failure' },
      });
      const members = (await f.get(P)).json() as { id: number; permission_template: { name: string } }[];
      expect(members.find((u) => u.id === dev)?.permission_template.name).toBe('Standard');
      // Already a member: the template stays.
      expect(members.find((u) => u.id === f.ids.users.arch)?.permission_template.name).toBe('Architect');
      const remove = await f.call('POST', `/rest/v1.3/companies/${f.companyId}/users/bulk_remove`, {
        payload: {
          users: [
            { user_id: String(dev), project_id: String(f.projectId) },
            { user_id: dev, project_id: f.projectId },
          ],
        },
      });
      expect(remove.json()).toEqual({ [dev]: { [f.projectId]: 'failure' } });
      expect((await f.get(`${P}/${dev}`)).statusCode).toBe(404);
      expect((await f.call('POST', `/rest/v1.2/companies/${f.companyId}/users/bulk_add`, { payload: { users: {} } })).statusCode).toBe(422);
    });

    it('rejects bad bodies with 422 naming the fields, changing nothing', async () => {
      const before = Number((await f.get(C)).headers['total']);
      const post = (user: Record<string, unknown>) => f.call('POST', C, { payload: { user } });
      const bad = await post({ first_name: 'x', is_active: 'yes' });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['email_address', 'is_active', 'last_name']);
      expect((await post({ last_name: 'x', email_address: 'not-an-email' })).json().errors).toEqual({ email_address: ['is invalid'] });
      expect((await post({ last_name: 'x', email_address: 'SANDBOX+ARCH@example.com' })).json().errors).toEqual({
        email_address: ['has already been taken'],
      });
      expect((await post({ last_name: 'x', email_address: 'ok@example.com', vendor_id: 987654321 })).json().errors).toHaveProperty(
        'vendor_id',
      );
      expect(
        (await f.call('PATCH', `${C}/${f.ids.users.arch}`, { payload: { user: { email_address: 'sandbox+sub@example.com' } } })).statusCode,
      ).toBe(422);
      expect((await f.call('POST', C, { payload: { nope: {} } })).statusCode).toBe(400);
      expect(Number((await f.get(C)).headers['total'])).toBe(before);
    });

    it('keeps the Project Directory: list, show, create (adds to the project), update, remove and add', async () => {
      const list = await f.get(P);
      expect(list.statusCode, list.body).toBe(200);
      expect(validateAgainstSwagger('GET', '/vapid/projects/{project_id}/users', list.json())).toEqual([]);
      expect(list.json().map((u: U) => u.id)).toEqual([f.ids.users.arch, f.ids.users.sub, f.ids.users.demo]);
      expect(list.json()[0].permission_template).toMatchObject({ name: 'Architect' });
      expect((await f.get(`${P}?view=compact`)).json()[0]).toEqual({ id: f.ids.users.arch, name: 'Test Architect' });
      expect(await ids(`${P}?filters[employee]=true`)).toEqual([f.ids.users.demo]);
      const one = await f.get(`${P}/${f.ids.users.demo}`);
      expect(validateAgainstSwagger('GET', '/vapid/projects/{project_id}/users/{id}', one.json())).toEqual([]);
      // The developer is a company user but not a member of the project.
      expect((await f.get(`${P}/${f.ids.users.developer}`)).statusCode).toBe(404);

      const created = await f.call('POST', `/rest/v1.0/projects/${f.projectId}/users`, {
        payload: { user: { first_name: 'Owen', last_name: 'Park', email_address: 'owen.park@example.com', permission_template_id: 5 } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const u = created.json();
      expect(u.permission_template).toEqual({ id: 5, name: 'Superintendent', project_specific: false, type: 'project' });
      expect(await ids(P)).toContain(u.id);
      const badTemplate = await f.call('POST', P, {
        payload: { user: { last_name: 'X', email_address: 'x1@example.com', permission_template_id: 999 } },
      });
      expect(badTemplate.json().errors).toHaveProperty('permission_template_id');
      expect(await ids(`${C}?filters[search]=park`)).toEqual([u.id]);
      const upd = await f.call('PATCH', `${P}/${u.id}`, { payload: { user: { mobile_phone: '(805) 555-0199' } } });
      expect(upd.json()).toMatchObject({ mobile_phone: '(805) 555-0199', name: 'Owen Park' });

      expect((await f.call('DELETE', `${P}/${u.id}/actions/remove`)).statusCode).toBe(204);
      expect((await f.get(`${P}/${u.id}`)).statusCode).toBe(404);
      expect((await f.call('DELETE', `${P}/${u.id}/actions/remove`)).statusCode).toBe(404);
      expect((await f.get(`${C}/${u.id}`)).statusCode).toBe(200);
      const added = await f.call('POST', `${P}/${u.id}/actions/add`, { payload: { user: {} } });
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json().id).toBe(u.id);
      expect((await f.call('POST', `${P}/${u.id}/actions/add`, { payload: { user: {} } })).statusCode).toBe(422);
      const dev = await f.call('POST', `/vapid/projects/${f.projectId}/users/${f.ids.users.developer}/actions/add`, {
        payload: { user: {} },
      });
      expect(dev.statusCode, dev.body).toBe(201);
      // Inactive members are listed apart.
      await f.call('PATCH', `${C}/${u.id}`, { payload: { user: { is_active: false } } });
      expect(await ids(`${P}/inactive`)).toEqual([u.id]);
      expect((await f.call('PATCH', `${P}/inactive/${u.id}`)).json().is_active).toBe(true);
    });

    it("answers another sandbox's company, project and users with the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other' });
      const otherUser = await f.rt.ctx.db
        .selectFrom('users')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .executeTakeFirstOrThrow();
      const nf = (await f.get(`${C}/987654321`)).body;
      for (const url of [
        `/rest/v1.0/companies/${other.sandbox.company_id}/users`,
        `${C}/${otherUser.id}`,
        `/rest/v1.0/users/${otherUser.id}?company_id=${f.companyId}`,
        `/rest/v1.0/users?company_id=${other.sandbox.company_id}`,
        `/rest/v1.0/projects/${other.sandbox.project_id}/users`,
        `${P}/${otherUser.id}`,
      ]) {
        const res = await f.get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.body).toBe(nf);
      }
      expect((await f.call('PATCH', `${C}/${otherUser.id}`, { payload: { user: { notes: 'x' } } })).statusCode).toBe(404);
      expect((await f.call('POST', `${P}/${otherUser.id}/actions/add`, { payload: { user: {} } })).statusCode).toBe(404);
      const before = Number((await f.get(C)).headers['total']);
      const foreign = { user: { last_name: 'x', email_address: 'foreign@example.com' } };
      expect((await f.call('POST', `/rest/v1.0/companies/${other.sandbox.company_id}/users`, { payload: foreign })).statusCode).toBe(404);
      expect((await f.call('POST', `/rest/v1.0/users?company_id=${other.sandbox.company_id}`, { payload: foreign })).statusCode).toBe(404);
      expect((await f.call('POST', `/rest/v1.0/users`, { payload: foreign })).statusCode).toBe(400);
      // Another tenant's company in the path is the one 404 whatever the body (not a 422 for a bad one).
      const invalid = { user: { last_name: '', email_address: 'not an email' } };
      const bad = await f.call('POST', `/rest/v1.0/companies/${other.sandbox.company_id}/users`, { payload: invalid });
      expect(bad.statusCode).toBe(404);
      expect(bad.body).toBe(nf);
      expect((await f.call('POST', C, { payload: invalid })).statusCode).toBe(422);
      expect(Number((await f.get(C)).headers['total'])).toBe(before);
    });
  });
}
