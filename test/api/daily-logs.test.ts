/**
 * Daily logs (manpower, notes, weather; counts): seeded dated rows with real references, the
 * `log_date` / `start_date`…`end_date` parameters, create → show → list → update → delete, v1.0 and
 * v1.1 weather paths over the same rows, bad bodies and dates, another sandbox's project, on both
 * engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

const KINDS = [
  { path: 'manpower_logs', root: 'manpower_log', body: { num_workers: 4, num_hours: '7.5', notes: 'Masonry crew' } },
  { path: 'notes_logs', root: 'notes_log', body: { comment: 'Inspector on site at 10:00.' } },
  { path: 'weather_logs', root: 'weather_log', body: { sky: 'Overcast', temperature: 'Mild', wind: 'Calm' } },
] as const;

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`daily logs on ${engine.name}`, () => {
    let f: ApiFixture;
    let P = '';
    let day0 = '';
    let day1 = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      P = `/rest/v1.0/projects/${f.projectId}`;
      const sb = await f.rt.ctx.db.selectFrom('sandboxes').select('created_at').where('id', '=', f.rt.sandbox.id).executeTakeFirstOrThrow();
      const ms = Date.parse(String(sb.created_at));
      day0 = new Date(ms).toISOString().slice(0, 10);
      day1 = new Date(ms + 86_400_000).toISOString().slice(0, 10);
    });
    afterAll(() => f.rt.close());

    it.each(KINDS)('$path: seeded, valid against the 2017 definition, listed by log_date and ranges', async ({ path }) => {
      const all = await f.get(`${P}/${path}`);
      expect(all.statusCode, all.body).toBe(200);
      const rows = all.json();
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(validateAgainstSwagger('GET', `/vapid/projects/{project_id}/${path}`, rows)).toEqual([]);
      const locs = new Set(((await f.get(`${P}/locations`)).json() as { id: number }[]).map((l) => l.id));
      for (const r of rows) if (r.location) expect(locs.has(r.location.id)).toBe(true);
      const onDay0 = (await f.get(`${P}/${path}?log_date=${day0}`)).json();
      const onDay1 = (await f.get(`${P}/${path}?log_date=${day1}`)).json();
      expect(onDay0.length).toBeGreaterThan(0);
      expect(onDay1.length).toBeGreaterThan(0);
      expect(onDay0.every((r: { date: string }) => r.date === day0)).toBe(true);
      expect(onDay0.length + onDay1.length).toBe(rows.length);
      expect((await f.get(`${P}/${path}?start_date=${day0}&end_date=${day1}`)).json()).toHaveLength(rows.length);
      expect((await f.get(`${P}/${path}?start_date=2001-01-01&end_date=2001-12-31`)).json()).toEqual([]);
      // Bad dates are 400 naming the parameter.
      const bad = await f.get(`${P}/${path}?log_date=2026-02-30`);
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toMatch(/log_date/);
      expect((await f.get(`${P}/${path}?start_date=${day0}`)).json().message).toMatch(/end_date/);
      expect((await f.get(`${P}/${path}?start_date=${day1}&end_date=${day0}`)).statusCode).toBe(400);
      const vapid = await f.get(`/vapid/projects/${f.projectId}/${path}`, { company: false });
      expect(vapid.json()).toHaveLength(rows.length);
    });

    it('manpower logs: vendor, contact, user and man-hours', async () => {
      const rows = (await f.get(`${P}/manpower_logs?log_date=${day0}`)).json();
      expect(rows[0]).toMatchObject({ num_workers: 6, num_hours: '8.0', man_hours: '48.0', vendor: { name: 'Test Subcontractor Co.' } });
      expect(rows[0].contact).toMatchObject({ id: rows[0].vendor.id, name: 'Test Subcontractor Co.' });
      expect(rows[1].user).toMatchObject({ id: f.ids.users.demo });
      expect((await f.get(`${P}/manpower_logs?filters[vendor_id][]=${rows[0].vendor.id}`)).json().length).toBe(2);
    });

    it.each(KINDS)('$path: create, show, update, delete', async ({ path, root, body }) => {
      const loc = ((await f.get(`${P}/locations`)).json() as { id: number }[])[0]!;
      const created = await f.call('POST', `${P}/${path}`, { payload: { [root]: { ...body, date: '2030-05-01', location_id: loc.id } } });
      expect(created.statusCode, created.body).toBe(path === 'weather_logs' ? 200 : 201);
      const log = created.json();
      expect(validateAgainstSwagger('GET', `/vapid/projects/{project_id}/${path}/{id}`, log)).toEqual([]);
      expect(log).toMatchObject({
        ...body,
        date: '2030-05-01',
        location: { id: loc.id },
        created_by: { id: f.ids.users.demo },
        status: 'pending',
      });
      expect(log.position).toBeGreaterThan(1);
      expect((await f.get(`${P}/${path}/${log.id}`)).json()).toEqual(log);
      expect((await f.get(`${P}/${path}?log_date=2030-05-01`)).json().map((r: { id: number }) => r.id)).toEqual([log.id]);
      const moved = await f.call('PATCH', `${P}/${path}/${log.id}`, { payload: { [root]: { date: '2030-05-02', status: 'approved' } } });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ date: '2030-05-02', status: 'approved', datetime: '2030-05-02T12:00:00Z' });
      expect((await f.get(`${P}/${path}?log_date=2030-05-01`)).json()).toEqual([]);
      expect((await f.call('DELETE', `${P}/${path}/${log.id}`)).statusCode).toBe(204);
      expect((await f.get(`${P}/${path}/${log.id}`)).statusCode).toBe(404);
      // Without a date, today's.
      const today = await f.call('POST', `${P}/${path}`, { payload: { [root]: body } });
      expect(today.json().date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('weather logs: v1.0 and v1.1 serve the same rows; counts by log', async () => {
      const v10 = (await f.get(`${P}/weather_logs`)).json();
      const v11 = (await f.get(`/rest/v1.1/projects/${f.projectId}/daily_logs/weather_logs`)).json();
      expect(v11.map((r: { id: number }) => r.id)).toEqual(v10.map((r: { id: number }) => r.id));
      const made = await f.call('POST', `/rest/v1.1/projects/${f.projectId}/daily_logs/weather_logs`, {
        payload: { weather_log: { date: day1, sky: 'Snow', is_weather_delay: true } },
      });
      expect(made.statusCode, made.body).toBe(200);
      expect(made.json()).toMatchObject({ sky: 'Snow', is_weather_delay: '1' });
      expect((await f.get(`${P}/weather_logs/${made.json().id}`)).json().sky).toBe('Snow');
      const counts = (await f.get(`${P}/daily_logs/count?log_date=${day1}`)).json();
      const weather = counts.find((x: { module_name: string }) => x.module_name === 'weather_logs');
      expect(weather.count).toBe((await f.get(`${P}/weather_logs?log_date=${day1}`)).json().length);
      expect(counts.map((x: { module_name: string }) => x.module_name)).toEqual(['manpower_logs', 'notes_logs', 'weather_logs']);
    });

    it('bad bodies are 422 naming the field, and change nothing', async () => {
      const before = Number((await f.get(`${P}/weather_logs`)).headers['total']);
      const bad = await f.call('POST', `${P}/weather_logs`, {
        payload: { weather_log: { sky: 'Purple', date: 'yesterday', location_id: 987654321 } },
      });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['date', 'sky']);
      const ghost = await f.call('POST', `${P}/weather_logs`, { payload: { weather_log: { location_id: 987654321 } } });
      expect(ghost.json().errors).toHaveProperty('location_id');
      expect((await f.call('POST', `${P}/notes_logs`, { payload: { notes_log: { is_issue_day: true } } })).json().errors).toHaveProperty(
        'comment',
      );
      const mp = await f.call('POST', `${P}/manpower_logs`, {
        payload: { manpower_log: { num_workers: -1 } },
      });
      expect(mp.json().errors).toEqual({ num_workers: ['must be greater than or equal to 0'] });
      const hours = await f.call('POST', `${P}/manpower_logs`, { payload: { manpower_log: { num_hours: 'lots' } } });
      expect(hours.json().errors).toEqual({ num_hours: ['is invalid'] });
      const vendor = await f.call('POST', `${P}/manpower_logs`, { payload: { manpower_log: { contact_id: 987654321 } } });
      expect(vendor.json().errors.contact_id[0]).toMatch(/not a vendor of this company/);
      expect(Number((await f.get(`${P}/weather_logs`)).headers['total'])).toBe(before);
    });

    it("another sandbox's project and logs are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      for (const { path } of KINDS) expect((await f.get(`/rest/v1.0/projects/${other.sandbox.project_id}/${path}`)).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/projects/${other.sandbox.project_id}/daily_logs/count`)).statusCode).toBe(404);
      const theirs = await f.rt.ctx.db
        .selectFrom('records')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .where('resource', '=', 'manpower_logs')
        .executeTakeFirstOrThrow();
      expect((await f.get(`${P}/manpower_logs/${theirs.id}`)).statusCode).toBe(404);
    });
  });
}
