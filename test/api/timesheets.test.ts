/**
 * Timesheets: seeded project timesheets whose entries are the project's timecard entries of their
 * day; create (numbered, one per day) → show → list → update → delete; adding entries through
 * `PATCH …/timesheets`, approval, bulk delete, the company list; 422s; another sandbox's ids, on
 * both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`timesheets on ${engine.name}`, () => {
    let f: ApiFixture;
    let T = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      T = `/rest/v1.0/projects/${f.projectId}/timesheets`;
    });
    afterAll(() => f.rt.close());

    it("seeds numbered timesheets holding their day's timecard entries", async () => {
      const res = await f.get(T);
      expect(res.statusCode, res.body).toBe(200);
      const sheets = res.json();
      expect(sheets.map((t: { number: number; status: string }) => [t.number, t.status])).toEqual([
        [1, 'approved'],
        [2, 'pending'],
      ]);
      expect(sheets[0].name).toBe('Timesheet #1');
      expect(sheets[0].created_by.id).toBe(f.ids.users.demo);
      const entries = (await f.get(`/rest/v1.0/projects/${f.projectId}/timecard_entries`)).json();
      const day = (d: string) => entries.filter((e: { date: string }) => e.date === d).map((e: { id: number }) => e.id);
      expect(sheets[0].timecard_entries.map((e: { id: number }) => e.id)).toEqual(day(sheets[0].date));
      expect(sheets[0].timecard_entries).toHaveLength(2);
      expect(sheets[1].timecard_entries[0]).toMatchObject({ hours: '8.0', login_information: { id: f.ids.users.demo } });
      expect((await f.get(`${T}?filters[status][]=approved`)).json().map((t: { id: number }) => t.id)).toEqual([sheets[0].id]);
      expect((await f.get(`${T}?filters[date]=${sheets[1].date}`)).json().map((t: { id: number }) => t.id)).toEqual([sheets[1].id]);
      const company = (await f.get(`/rest/v1.0/companies/${f.companyId}/timesheets?start_date=${sheets[1].date}`)).json();
      expect(company.map((t: { id: number; project_id: number }) => [t.id, t.project_id])).toEqual([[sheets[1].id, f.projectId]]);
    });

    it('creates (numbered, one per day), adds entries, approves, updates and deletes', async () => {
      const created = await f.call('POST', T, { payload: { timesheet: { date: '2026-12-14' } } });
      expect(created.statusCode, created.body).toBe(201);
      const t = created.json();
      expect(t).toMatchObject({ number: 3, status: 'pending', date: '2026-12-14', timecard_entries: [] });
      expect((await f.get(`${T}/${t.id}`)).json()).toEqual(t);
      const again = await f.call('POST', T, { payload: { timesheet: { date: '2026-12-14' } } });
      expect(again.json().errors).toEqual({ date: ['has already been taken'] });

      const added = await f.call('PATCH', T, {
        payload: {
          timesheet_id: t.id,
          timecard_entries: [{ hours: '7.5', login_information_id: f.ids.users.sub, description: 'Drywall hanging' }],
        },
      });
      expect(added.statusCode, added.body).toBe(200);
      expect(added.json().timecard_entries).toEqual([
        expect.objectContaining({
          hours: '7.5',
          date: '2026-12-14',
          description: 'Drywall hanging',
          login_information: expect.objectContaining({ id: f.ids.users.sub }),
        }),
      ]);
      const entry = added.json().timecard_entries[0];
      // The entry is a timecard entry of the project like any other.
      expect((await f.get(`/rest/v1.0/projects/${f.projectId}/timecard_entries/${entry.id}`)).json().hours).toBe('7.5');
      const changed = await f.call('PATCH', T, { payload: { timesheet_id: t.id, timecard_entries: [{ id: entry.id, hours: '8' }] } });
      expect(changed.json().timecard_entries[0]).toMatchObject({ id: entry.id, hours: '8' });

      const approved = await f.call('PATCH', `${T}/update_approval`, { payload: { timesheets: [{ id: t.id, status: 'approved' }] } });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()[0]).toMatchObject({ id: t.id, status: 'approved' });
      const moved = await f.call('PATCH', `${T}/${t.id}`, { payload: { timesheet: { date: '2026-12-15' } } });
      expect(moved.json()).toMatchObject({ date: '2026-12-15', timecard_entries: [] });

      expect((await f.call('DELETE', `${T}/${t.id}`)).statusCode).toBe(204);
      expect((await f.get(`${T}/${t.id}`)).statusCode).toBe(404);
      const two = await f.call('POST', T, { payload: { timesheet: { date: '2026-12-20' } } });
      expect(two.json().number).toBe(4);
      expect((await f.call('DELETE', T, { payload: { ids: [two.json().id] } })).statusCode).toBe(204);
      expect((await f.get(`${T}/${two.json().id}`)).statusCode).toBe(404);
    });

    it('rejects bad bodies with 422, changing nothing', async () => {
      const before = Number((await f.get(T)).headers['total']);
      expect((await f.call('POST', T, { payload: { timesheet: {} } })).json().errors).toHaveProperty('date');
      expect((await f.call('POST', T, { payload: { timesheet: { date: '2026-02-30' } } })).statusCode).toBe(422);
      expect((await f.call('POST', T, { payload: { timesheet: { date: null } } })).json().errors).toHaveProperty('date');
      const sheets = (await f.get(T)).json();
      const entries = Number((await f.get(`/rest/v1.0/projects/${f.projectId}/timecard_entries`)).headers['total']);
      const bad = await f.call('PATCH', T, { payload: { timesheet_id: sheets[0].id, timecard_entries: [{ hours: 'lots' }] } });
      expect(bad.json().errors).toHaveProperty(['timecard_entries[0]']);
      const foreign = await f.call('PATCH', T, {
        payload: { timesheet_id: sheets[0].id, timecard_entries: [{ hours: '1', login_information_id: 987654321 }] },
      });
      expect(foreign.json().errors).toHaveProperty('login_information_id');
      expect((await f.call('PATCH', T, { payload: { timecard_entries: [] } })).json().errors).toHaveProperty('timesheet_id');
      expect(Number((await f.get(`/rest/v1.0/projects/${f.projectId}/timecard_entries`)).headers['total'])).toBe(entries);
      const status = await f.call('PATCH', `${T}/update_approval`, { payload: { timesheets: [{ id: sheets[0].id, status: 'done' }] } });
      expect(status.json().errors).toHaveProperty(['timesheets[0].status']);
      expect((await f.call('DELETE', T, { payload: { ids: [] } })).statusCode).toBe(422);
      expect(Number((await f.get(T)).headers['total'])).toBe(before);
    });

    it("another sandbox's project and timesheets are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`/rest/v1.0/projects/${other.sandbox.project_id}/timesheets`)).statusCode).toBe(404);
      const theirs = (
        await f.rt.ctx.db
          .selectFrom('records')
          .select('id')
          .where('sandbox_id', '=', other.sandbox.id)
          .where('resource', '=', 'timesheets')
          .executeTakeFirstOrThrow()
      ).id;
      expect((await f.get(`${T}/${theirs}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${T}/${theirs}`, { payload: { timesheet: { date: '2027-01-01' } } })).statusCode).toBe(404);
      expect((await f.call('DELETE', `${T}/${theirs}`)).statusCode).toBe(404);
      expect((await f.call('DELETE', T, { payload: { ids: [theirs] } })).statusCode).toBe(404);
      expect(
        (await f.call('PATCH', `${T}/update_approval`, { payload: { timesheets: [{ id: theirs, status: 'approved' }] } })).statusCode,
      ).toBe(404);
      expect((await f.call('PATCH', T, { payload: { timesheet_id: theirs, timecard_entries: [{ hours: '1' }] } })).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/companies/${other.sandbox.company_id}/timesheets`)).statusCode).toBe(404);
    });
  });
}
