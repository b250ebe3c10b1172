/**
 * RFI and submittal round-trips (create → show → list → update → reply → delete) whose writes
 * survive a restart, on a SQLite file and on PostgreSQL.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINES, freshPostgresDatabase, useScratchDir } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

const scratch = useScratchDir('api-crud-');

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: CRUD persists across a restart`, () => {
    it('RFIs and submittals', async () => {
      const db = engine.name === 'sqlite' ? join(scratch(), 'sandbox.db') : await freshPostgresDatabase();
      let f: ApiFixture = await createApiFixture({ db });
      const P = `/rest/v1.0/projects/${f.projectId}`;
      let rfiId: number;
      let subId: number;
      let replyId: number;
      try {
        // Create an RFI: number = highest numeric number + 1.
        const created = await f.call('POST', `${P}/rfis`, {
          payload: {
            rfi: {
              subject: 'Roof drain location',
              rfi_manager_id: f.ids.users.demo,
              question: { body: '<p>Where do the roof drains go?</p>' },
              assignee_ids: [f.ids.users.arch],
              distribution_ids: [f.ids.users.sub],
              due_date: '2027-01-15',
              responsible_contractor_id: f.ids.vendor,
              schedule_impact: { status: 'yes_known', value: 3 },
              reference: 'A3.01',
            },
          },
        });
        expect(created.statusCode, created.body).toBe(201);
        const rfi = created.json();
        expect(validateAgainstSwagger('POST', '/vapid/projects/{project_id}/rfis', rfi)).toEqual([]);
        expect(rfi).toMatchObject({
          number: '2',
          status: 'open',
          subject: 'Roof drain location',
          due_date: '2027-01-15',
          rfi_manager: { id: f.ids.users.demo },
          assignees: [{ id: f.ids.users.arch }],
          distribution_list: [{ id: f.ids.users.sub }],
          schedule_impact: { status: 'yes_known', value: 3 },
          questions: [{ plain_text_body: 'Where do the roof drains go?' }],
          created_by: { login: 'sandbox+demo@example.com' },
        });
        rfiId = rfi.id;
        // The new id comes from the sandbox's own block, past the seed's.
        expect(rfiId).toBeGreaterThan(f.ids.submittal);

        // Vapid create takes the 2017 body (assignee_id, no rfi_manager_id).
        const vapid = await f.call('POST', `/vapid/projects/${f.projectId}/rfis`, {
          company: false,
          payload: { rfi: { subject: 'Vapid RFI', assignee_id: f.ids.users.arch, question: { body: 'q' } } },
        });
        expect(vapid.statusCode, vapid.body).toBe(201);
        expect(vapid.json().number).toBe('3');
        // Procore has no DELETE on RFIs: they go to the recycle bin.
        expect((await f.call('DELETE', `${P}/rfis/${vapid.json().id}`)).statusCode).toBe(405);
        expect((await f.call('PATCH', `${P}/rfis/${vapid.json().id}/recycle`)).statusCode).toBe(200);

        const updated = await f.call('PATCH', `${P}/rfis/${rfiId}`, {
          payload: { rfi: { subject: 'Roof drain locations', status: 'closed', question: { body: '<p>Where exactly?</p>' } } },
        });
        expect(updated.statusCode, updated.body).toBe(200);
        expect(validateAgainstSwagger('PATCH', '/vapid/projects/{project_id}/rfis/{id}', updated.json())).toEqual([]);
        expect(updated.json()).toMatchObject({
          subject: 'Roof drain locations',
          status: 'closed',
          time_resolved: expect.any(String),
          ball_in_court: null,
        });

        const reply = await f.call('POST', `${P}/rfis/${rfiId}/replies`, { payload: { reply: { body: '<p>See A3.01.</p>' } } });
        expect(reply.statusCode).toBe(201);
        expect(validateAgainstSwagger('POST', '/vapid/projects/{project_id}/rfis/{rfi_id}/replies', reply.json())).toEqual([]);
        replyId = reply.json().id;
        expect((await f.get(`${P}/rfis/${rfiId}/replies/${replyId}`)).json()).toMatchObject({ id: replyId, plain_text_body: 'See A3.01.' });
        const second = (await f.call('POST', `${P}/rfis/${rfiId}/replies`, { payload: { reply: { body: 'Draft' } } })).json();
        const edited = await f.call('PATCH', `${P}/rfis/${rfiId}/replies/${second.id}`, { payload: { reply: { body: 'Also A3.02.' } } });
        expect(edited.json()).toMatchObject({ id: second.id, plain_text_body: 'Also A3.02.' });
        expect((await f.call('PATCH', `${P}/rfis/${rfiId}/replies/${second.id}`, { payload: { reply: { body: '' } } })).statusCode).toBe(
          422,
        );
        expect((await f.call('DELETE', `${P}/rfis/${rfiId}/replies/${second.id}`)).statusCode).toBeLessThan(300);
        expect((await f.get(`${P}/rfis/${rfiId}/replies/${second.id}`)).statusCode).toBe(404);
        expect((await f.get(`${P}/rfis/${f.ids.rfi}/replies/${replyId}`)).statusCode).toBe(404); // another RFI's path

        // A rejected update changes nothing.
        const rejected = await f.call('PATCH', `${P}/rfis/${rfiId}`, {
          payload: { rfi: { subject: 'Changed', assignee_ids: [999999999] } },
        });
        expect(rejected.statusCode).toBe(422);

        const sub = await f.call('POST', `${P}/submittals`, {
          payload: {
            submittal: {
              number: '033000-2',
              title: 'Rebar shop drawings',
              type: 'Shop Drawing',
              status_id: 2,
              submittal_manager_id: f.ids.users.demo,
              distribution_member_ids: [f.ids.users.arch],
              due_date: '2027-02-01',
              description: 'Rebar',
            },
          },
        });
        expect(sub.statusCode, sub.body).toBe(201);
        expect(validateAgainstSwagger('POST', '/vapid/projects/{project_id}/submittals', sub.json())).toEqual([]);
        expect(sub.json()).toMatchObject({
          number: '033000-2',
          type: { id: -3, name: 'Shop Drawing' },
          status: { name: 'Open' },
          distribution_members: [{ id: f.ids.users.arch }],
        });
        subId = sub.json().id;
        const subUpd = await f.call('PATCH', `/vapid/projects/${f.projectId}/submittals/${subId}`, {
          payload: { submittal: { title: 'Rebar shop drawings rev 1', revision: 1, status_id: 3 } },
        });
        expect(subUpd.statusCode, subUpd.body).toBe(200);
        expect(subUpd.json()).toMatchObject({ revision: '1', formatted_number: '033000-2-1', status: { name: 'Closed' } });
        // Procore serves DELETE on submittals on /rest/v1.1 (and /vapid), not on /rest/v1.0.
        expect((await f.call('DELETE', `${P}/submittals/${f.ids.submittal}`)).statusCode).toBe(405);
        const seedSub = await f.call('DELETE', `/rest/v1.1/projects/${f.projectId}/submittals/${f.ids.submittal}`);
        expect(seedSub.statusCode).toBe(204);
        expect(seedSub.body).toBe('');
      } finally {
        await f.rt.close();
      }

      // Restart on the same database.
      f = await createApiFixture({ db });
      try {
        const show = await f.get(`${P}/rfis/${rfiId}`);
        expect(show.statusCode).toBe(200);
        expect(show.json()).toMatchObject({
          subject: 'Roof drain locations',
          status: 'closed',
          questions: [{ rich_text_body: '<p>Where exactly?</p>', answers: [{ id: replyId, plain_text_body: 'See A3.01.' }] }],
        });
        const list = await f.get(`${P}/rfis`);
        expect(list.json().map((r: { number: string }) => r.number)).toEqual(['1', '2']);
        expect((await f.get(`${P}/rfis/${rfiId}/replies`)).json()).toHaveLength(1);
        const subs = await f.get(`${P}/submittals`);
        expect(subs.json().map((s: { id: number }) => s.id)).toEqual([subId]);
        expect((await f.get(`${P}/submittals/${f.ids.submittal}`)).statusCode).toBe(404);
        // Recycling persists too; the recycle bin lists it and retrieve brings it back.
        expect((await f.call('PATCH', `${P}/rfis/${rfiId}/recycle`)).statusCode).toBe(200);
        expect((await f.get(`${P}/rfis/${rfiId}`)).statusCode).toBe(404);
        expect((await f.call('PATCH', `${P}/rfis/${rfiId}/recycle`)).statusCode).toBe(404);
        expect((await f.get(`${P}/rfis/recycle_bin`)).json().map((r: { id: number }) => r.id)).toContain(rfiId);
        const back = await f.call('PATCH', `${P}/rfis/${rfiId}/retrieve`);
        expect(back.statusCode).toBe(200);
        expect(back.json()).toMatchObject({ id: rfiId, subject: 'Roof drain locations' });
        expect((await f.get(`${P}/rfis/${rfiId}`)).statusCode).toBe(200);
      } finally {
        await f.rt.close();
      }
    });
  });
}
