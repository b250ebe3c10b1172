/**
 * Punch items and their assignments: seeded rows with real references, create → show → list →
 * update → delete (recycle bin), numbering, workflow and ball in court, assignee responses,
 * bad bodies and foreign references, another sandbox's project, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`punch items on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
    });
    afterAll(() => f.rt.close());
    const locations = async () => (await f.get(`/rest/v1.0/projects/${f.projectId}/locations`)).json() as { id: number; name: string }[];

    it('seeds punch items whose locations, people and assignments exist', async () => {
      const res = await f.get(`/rest/v1.0/punch_items?${Q}`);
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json();
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(validateAgainstSwagger('GET', '/vapid/punch_items', items)).toEqual([]);
      const locs = new Map((await locations()).map((l) => [l.id, l.name]));
      for (const p of items) {
        expect(locs.get(p.location.id)).toBe(p.location.name);
        expect(p.punch_item_manager).toMatchObject({ id: f.ids.users.demo, login: 'sandbox+demo@example.com' });
      }
      expect(items.map((p: { position: number }) => p.position)).toEqual([1, 2, 3]);
      expect(items.map((p: { status: string }) => p.status)).toEqual(['Open', 'Open', 'Closed']);
      const [first, second, third] = items;
      expect(first.assignees).toEqual([expect.objectContaining({ id: f.ids.users.sub })]);
      expect(first.ball_in_court.map((u: { id: number }) => u.id)).toEqual([f.ids.users.sub]);
      expect(second.ball_in_court.map((u: { id: number }) => u.id)).toEqual([f.ids.users.demo]);
      expect(third.ball_in_court).toEqual([]);
      expect(third.closed_by).toMatchObject({ id: f.ids.users.demo });
      const show = await f.get(`/rest/v1.0/punch_items/${first.id}?${Q}`);
      expect(validateAgainstSwagger('GET', '/vapid/punch_items/{id}', show.json())).toEqual([]);
      expect(show.json().assignments).toEqual([
        expect.objectContaining({ login_information_id: f.ids.users.sub, approved: false, status: 'unresolved' }),
      ]);
      // filters
      const ids = async (q: string) => (await f.get(`/rest/v1.0/punch_items?${Q}&${q}`)).json().map((p: { id: number }) => p.id);
      expect(await ids('filters[status]=closed')).toEqual([third.id]);
      expect(await ids('filters[priority]=medium')).toEqual([second.id]);
      expect(await ids(`filters[location_id][]=${first.location.id}`)).toEqual([first.id]);
      expect(await ids('filters[query]=ceiling')).toEqual([second.id]);
      // v1.1 and vapid read the same rows
      expect((await f.get(`/rest/v1.1/punch_items?${Q}`)).json().length).toBe(items.length);
      expect((await f.get(`/vapid/punch_items?${Q}`, { company: false })).json().length).toBe(items.length);
    });

    it('creates (numbered), updates through the workflow, resolves assignments and recycles', async () => {
      const loc = (await locations())[1]!;
      const created = await f.call('POST', `/rest/v1.0/punch_items`, {
        payload: {
          project_id: f.projectId,
          punch_item: {
            name: 'Patch drywall at column C4',
            location_id: loc.id,
            punch_item_manager_id: f.ids.users.demo,
            final_approver_id: f.ids.users.arch,
            login_information_ids: [f.ids.users.sub, f.ids.users.arch],
            due: '2030-01-31',
            priority: 'high',
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const p = created.json();
      expect(validateAgainstSwagger('POST', '/vapid/punch_items', p)).toEqual([]);
      expect(p).toMatchObject({
        position: 4,
        status: 'Open',
        workflow_status: 'initiated',
        location: { id: loc.id, name: loc.name },
        due_date: '2030-01-31',
        created_by: { login: 'sandbox+demo@example.com' },
      });
      expect(p.assignments).toHaveLength(2);
      expect(p.ball_in_court.map((u: { id: number }) => u.id).sort()).toEqual([f.ids.users.sub, f.ids.users.arch].sort());

      // Each assignee resolves: then the manager holds the ball.
      const A = `/rest/v1.0/projects/${f.projectId}/punch_item_assignments`;
      for (const a of p.assignments) {
        const r = await f.call('PATCH', `${A}/${a.id}`, { payload: { punch_item_assignment: { approved: true, comment: 'Done' } } });
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json()).toMatchObject({ approved: true, status: 'resolved', comment: 'Done', punch_item_id: p.id });
      }
      const ready = (await f.get(`/rest/v1.0/punch_items/${p.id}?${Q}`)).json();
      expect(ready.workflow_status).toBe('ready_for_review');
      expect(ready.ball_in_court.map((u: { id: number }) => u.id)).toEqual([f.ids.users.demo]);

      const toClose = await f.call('PATCH', `/rest/v1.0/punch_items/${p.id}?${Q}`, {
        payload: { punch_item: { workflow_status: 'ready_to_close' } },
      });
      expect(toClose.json().ball_in_court.map((u: { id: number }) => u.id)).toEqual([f.ids.users.arch]);
      const closed = await f.call('PATCH', `/rest/v1.1/punch_items/${p.id}?${Q}`, { payload: { punch_item: { status: 'Closed' } } });
      expect(closed.json()).toMatchObject({ status: 'Closed', workflow_status: 'closed', closed_by: { id: f.ids.users.demo } });
      expect(closed.json().closed_at).toMatch(/Z$/);
      const reopened = await f.call('PATCH', `/rest/v1.0/punch_items/${p.id}?${Q}`, { payload: { punch_item: { status: 'Open' } } });
      expect(reopened.json()).toMatchObject({ status: 'Open', workflow_status: 'initiated', closed_at: null, closed_by: null });

      // Reassigning drops the old assignment and adds the new one.
      const reassigned = await f.call('PATCH', `/rest/v1.0/punch_items/${p.id}?${Q}`, {
        payload: { punch_item: { login_information_ids: [f.ids.users.demo] } },
      });
      expect(reassigned.json().assignments.map((a: { login_information_id: number }) => a.login_information_id)).toEqual([
        f.ids.users.demo,
      ]);

      expect((await f.call('DELETE', `/rest/v1.0/punch_items/${p.id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`/rest/v1.0/punch_items/${p.id}?${Q}`)).statusCode).toBe(404);
      const bin = (await f.get(`/rest/v1.0/punch_items/recycle_bin?${Q}`)).json();
      expect(bin.map((x: { id: number }) => x.id)).toEqual([p.id]);
      // The next number continues past the recycled one.
      const next = await f.call('POST', `/rest/v1.0/punch_items?${Q}`, { payload: { punch_item: { name: 'Next' } } });
      expect(next.json().position).toBe(5);
    });

    it('rejects bad bodies and references outside the project with 422, changing nothing', async () => {
      const count = async () => Number((await f.get(`/rest/v1.0/punch_items?${Q}`)).headers['total']);
      const before = await count();
      const post = (punch_item: Record<string, unknown>) => f.call('POST', `/rest/v1.0/punch_items?${Q}`, { payload: { punch_item } });
      const noName = await post({ priority: 'urgent', due: 'soon' });
      expect(noName.statusCode).toBe(422);
      expect(Object.keys(noName.json().errors).sort()).toEqual(['due', 'name', 'priority']);
      expect((await post({ name: 'x', location_id: 987654321 })).json().errors.location_id[0]).toMatch(/not a location of this project/);
      expect((await post({ name: 'x', login_information_ids: [987654321] })).json().errors).toHaveProperty('login_information_ids');
      expect((await post({ name: 'x', workflow_status: 'done' })).json().errors).toHaveProperty('workflow_status');
      const missing = await f.call('POST', `/rest/v1.0/punch_items`, { payload: { punch_item: { name: 'x' } } });
      expect(missing.statusCode).toBe(400);
      expect(await count()).toBe(before);
    });

    it("another sandbox's project, punch items and locations are refused", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`/rest/v1.0/punch_items?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const theirs = await f.rt.ctx.db
        .selectFrom('records')
        .select(['id', 'resource'])
        .where('sandbox_id', '=', other.sandbox.id)
        .where('resource', 'in', ['punch_items', 'locations', 'punch_item_assignments'])
        .orderBy('id')
        .execute();
      const of = (r: string) => Number(theirs.find((x) => x.resource === r)!.id);
      expect((await f.get(`/rest/v1.0/punch_items/${of('punch_items')}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/projects/${f.projectId}/punch_item_assignments/${of('punch_item_assignments')}`)).statusCode).toBe(
        404,
      );
      const res = await f.call('POST', `/rest/v1.0/punch_items?${Q}`, {
        payload: { punch_item: { name: 'x', location_id: of('locations') } },
      });
      expect(res.statusCode).toBe(422);
    });
  });
}
