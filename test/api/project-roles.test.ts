/**
 * Project roles (`/project_roles?project_id=`): the seeded roles with their members, create →
 * list → delete, a user off the project loses their roles, filters, 409/422s, another sandbox's
 * project and ids, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

type R = { id: number; name: string | null; role: string; user_id: number | null; contact_id: number | null; is_active: boolean };

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`project roles on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    const R = '/rest/v1.0/project_roles';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
    });
    afterAll(() => f.rt.close());
    const roles = async (q = '') => (await f.get(`${R}?${Q}${q}`)).json() as R[];

    it('seeds the project roles with the project members who fill them', async () => {
      const res = await f.get(`${R}?${Q}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(validateAgainstSwagger('GET', '/vapid/project_roles', res.json())).toEqual([]);
      expect(res.json().map((r: R) => [r.role, r.name])).toEqual([
        ['Architect', 'Test Architect'],
        ['Owner', null],
        ['Project Manager', 'API Support'],
        ['Superintendent', 'API Support'],
        ['Foreman', 'Test Subcontractor'],
      ]);
      expect(res.json()[0]).toMatchObject({ user_id: f.ids.users.arch, contact_id: f.ids.users.arch, is_active: true });
      expect((await f.get(`/vapid/project_roles?${Q}`, { company: false })).json()).toHaveLength(5);
      expect((await roles(`&filters[user_id][]=${f.ids.users.demo}`)).map((r) => r.role)).toEqual(['Project Manager', 'Superintendent']);
      expect((await roles('&sort=role')).map((r) => r.role)[0]).toBe('Architect');
      expect(await roles('&filters[created_at]=2000-01-01...2000-01-02')).toEqual([]);
      expect((await f.get(R)).statusCode).toBe(400);
    });

    it('creates (project_id in the body) and deletes a role; 409 for the same role twice', async () => {
      const created = await f.call('POST', R, {
        payload: { project_id: f.projectId, project_role: { role: 'Engineer', user_id: f.ids.users.arch } },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ role: 'Engineer', user_id: f.ids.users.arch, name: 'Test Architect' });
      expect((await roles()).map((r) => r.role)).toContain('Engineer');
      const again = await f.call('POST', R, {
        payload: { project_id: f.projectId, project_role: { role: 'engineer', user_id: f.ids.users.arch } },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().errors.base[0]).toMatch(/already has the role/);
      expect((await f.call('DELETE', `${R}/${created.json().id}?${Q}`)).statusCode).toBe(204);
      expect((await roles()).map((r) => r.role)).not.toContain('Engineer');
      expect((await f.call('DELETE', `${R}/${created.json().id}?${Q}`)).statusCode).toBe(404);
    });

    it('rejects bad bodies and users off the project with 422, changing nothing', async () => {
      const before = (await roles()).length;
      const post = (project_role: Record<string, unknown>) => f.call('POST', `${R}?${Q}`, { payload: { project_role } });
      const bad = await post({});
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['role', 'user_id']);
      expect((await post({ role: 'Owner', user_id: 987654321 })).json().errors).toHaveProperty('user_id');
      // The developer is a company user, not a project member.
      expect((await post({ role: 'Owner', user_id: f.ids.users.developer })).json().errors).toEqual({
        user_id: ['is not a member of this project'],
      });
      expect((await roles()).length).toBe(before);
    });

    it('drops the roles of a user removed from the project', async () => {
      const P = `/rest/v1.0/projects/${f.projectId}/users`;
      expect((await f.call('DELETE', `${P}/${f.ids.users.sub}/actions/remove`)).statusCode).toBe(204);
      expect((await roles()).map((r) => r.role)).not.toContain('Foreman');
      expect((await f.call('POST', `${P}/${f.ids.users.sub}/actions/add`, { payload: { user: {} } })).statusCode).toBe(201);
    });

    it("answers another sandbox's project and roles with the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other' });
      const theirs = await f.rt.ctx.db
        .selectFrom('records')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .where('resource', '=', 'project_roles')
        .executeTakeFirstOrThrow();
      expect((await f.get(`${R}?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const gone = await f.call('DELETE', `${R}/${theirs.id}?${Q}`);
      expect(gone.statusCode).toBe(404);
      expect(gone.body).toBe((await f.call('DELETE', `${R}/987654321?${Q}`)).body);
      const post = await f.call('POST', R, {
        payload: { project_id: other.sandbox.project_id, project_role: { role: 'x', user_id: f.ids.users.arch } },
      });
      expect(post.statusCode).toBe(404);
    });
  });
}
