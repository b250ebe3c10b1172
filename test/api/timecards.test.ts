/**
 * Timecard entries at `/timecard_entries?project_id=` and `/projects/{project_id}/timecard_entries`
 * (same rows, the two 2017 shapes): seeded entries with real workers, date ranges, create → show →
 * list → update → delete, bad bodies, another sandbox's project, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`timecard entries on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    let P = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
      P = `/rest/v1.0/projects/${f.projectId}/timecard_entries`;
    });
    afterAll(() => f.rt.close());

    it('seeds entries of company users, in both shapes, listed by date range', async () => {
      const flat = await f.get(`/rest/v1.0/timecard_entries?${Q}`);
      expect(flat.statusCode, flat.body).toBe(200);
      const rows = flat.json();
      expect(rows).toHaveLength(3);
      expect(validateAgainstSwagger('GET', '/vapid/timecard_entries', rows)).toEqual([]);
      expect(rows[0]).toMatchObject({ hours: '8.0', login_information: { id: f.ids.users.sub }, timecard_type: 'Regular Time' });
      expect(rows[1].timecard_type).toBe('Overtime');
      const one = await f.get(`/rest/v1.0/timecard_entries/${rows[0].id}?${Q}`);
      expect(validateAgainstSwagger('GET', '/vapid/timecard_entries/{id}', one.json())).toEqual([]);
      const project = (await f.get(P)).json();
      expect(project.map((r: { id: number }) => r.id)).toEqual(rows.map((r: { id: number }) => r.id));
      expect(validateAgainstSwagger('GET', '/vapid/projects/{project_id}/timecard_entries', project)).toEqual([]);
      expect(project[0].timecard_type).toMatchObject({ id: 1, time_type: 'Regular Time', company_id: f.companyId });
      const day0 = rows[0].date;
      expect((await f.get(`/rest/v1.0/timecard_entries?${Q}&start_date=${day0}&end_date=${day0}`)).json()).toHaveLength(2);
      expect((await f.get(`${P}?log_date=${rows[2].date}`)).json().map((r: { id: number }) => r.id)).toEqual([rows[2].id]);
      expect((await f.get(`/rest/v1.0/timecard_entries?${Q}&start_date=${day0}`)).statusCode).toBe(400);
      expect((await f.get(`/vapid/timecard_entries?${Q}`, { company: false })).json()).toHaveLength(3);
    });

    it('creates, shows, updates and deletes', async () => {
      const made = await f.call('POST', `/rest/v1.0/timecard_entries?${Q}`, {
        payload: {
          timecard_entry: {
            hours: '6.5',
            date: '2030-03-04',
            login_information_id: f.ids.users.arch,
            timecard_time_type_id: 2,
            billable: false,
          },
        },
      });
      expect(made.statusCode, made.body).toBe(201);
      const e = made.json();
      expect(validateAgainstSwagger('POST', '/vapid/timecard_entries', e)).toEqual([]);
      expect(e).toMatchObject({
        hours: '6.5',
        date: '2030-03-04',
        billable: false,
        timecard_type: 'Overtime',
        login_information: { id: f.ids.users.arch },
      });
      expect((await f.get(`${P}/${e.id}`)).json()).toMatchObject({ id: e.id, timecard_type: { id: 2 } });
      const upd = await f.call('PATCH', `${P}/${e.id}`, { payload: { timecard_entry: { hours: '7', description: 'Corrected' } } });
      expect(upd.json()).toMatchObject({ hours: '7', description: 'Corrected', date: '2030-03-04' });
      // The worker defaults to the token's user, the date to today.
      const mine = await f.call('POST', P, { payload: { timecard_entry: { hours: '1' } } });
      expect(mine.json().login_information.id).toBe(f.ids.users.demo);
      expect((await f.call('DELETE', `/rest/v1.0/timecard_entries/${e.id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${P}/${e.id}`)).statusCode).toBe(404);
    });

    it('rejects bad bodies and foreign workers with 422, changing nothing', async () => {
      const before = Number((await f.get(P)).headers['total']);
      const bad = await f.call('POST', P, {
        payload: { timecard_entry: { hours: '8', timecard_time_type_id: 9 } },
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().errors).toEqual({ timecard_time_type_id: ['is not included in the list'] });
      const formats = await f.call('POST', P, { payload: { timecard_entry: { hours: 'eight', time_in: '25 o clock' } } });
      expect(formats.json().errors).toEqual({ hours: ['is invalid'], time_in: ['is invalid'] });
      expect((await f.call('POST', P, { payload: { timecard_entry: {} } })).json().errors).toHaveProperty('hours');
      const ghost = await f.call('POST', P, { payload: { timecard_entry: { hours: '1', login_information_id: 987654321 } } });
      expect(ghost.json().errors.login_information_id[0]).toMatch(/not a user of this company/);
      expect(Number((await f.get(P)).headers['total'])).toBe(before);
    });

    it("another sandbox's project and entries are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`/rest/v1.0/timecard_entries?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const theirs = await f.rt.ctx.db
        .selectFrom('records')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .where('resource', '=', 'timecard_entries')
        .executeTakeFirstOrThrow();
      expect((await f.get(`/rest/v1.0/timecard_entries/${theirs.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${P}/${theirs.id}`)).statusCode).toBe(404);
    });
  });
}
