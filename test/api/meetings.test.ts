/**
 * Meetings: seeded meetings with attendees (company users), categories and topics; the grouped
 * `/meetings` list and v1.1's flat one; create (attendees, "Uncategorized Items") → show → update
 * (times derived across versions) → delete; attendee records, categories and topics (numbered);
 * filters; bad bodies; another sandbox's ids, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`meetings on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    let V11 = '';
    const M = '/rest/v1.0/meetings';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
      V11 = `/rest/v1.1/projects/${f.projectId}/meetings`;
    });
    afterAll(() => f.rt.close());

    it('seeds meetings with attendees, categories and topics that reference company users', async () => {
      const res = await f.get(`${M}?${Q}`);
      expect(res.statusCode, res.body).toBe(200);
      const groups = res.json();
      expect(groups).toHaveLength(1);
      expect(groups[0].group_title).toBe('Weekly OAC Meeting');
      expect(groups[0].meetings.map((m: { position: number }) => m.position)).toEqual([1, 2]);
      const [first, second] = groups[0].meetings;
      const one = (await f.get(`${M}/${first.id}?${Q}`)).json();
      expect(one).toMatchObject({ title: 'Weekly OAC Meeting', mode: 'minutes', start_time: '09:00', location: 'Site trailer' });
      expect(one.attendees.map((a: { status: string; login_information: { id: number } }) => [a.login_information.id, a.status])).toEqual([
        [f.ids.users.demo, 'Present'],
        [f.ids.users.arch, 'Present'],
        [f.ids.users.sub, 'Absent'],
      ]);
      expect(one.meeting_categories.map((c: { title: string }) => c.title)).toEqual([
        'Uncategorized Items',
        'Schedule',
        'RFIs and Submittals',
      ]);
      expect(one.meeting_categories[1].meeting_topic[0]).toMatchObject({
        number: '1.1',
        title: 'Footing pour sequence',
        status: 'Open',
        assignments: [{ id: f.ids.users.sub }],
      });
      const flat = (await f.get(V11)).json();
      expect(flat.map((m: { id: number }) => m.id)).toEqual([first.id, second.id]);
      expect(flat[0].starts_at).toMatch(/T09:00:00Z$/);
      expect((await f.get(`${V11}?filters[assignee_id][]=${f.ids.users.arch}`)).json().map((m: { id: number }) => m.id)).toEqual([
        first.id,
      ]);
      const cats = (await f.get(`/rest/v1.0/meeting_categories?${Q}&meeting_id=${first.id}`)).json();
      expect(cats.map((c: { position: number }) => c.position)).toEqual([0, 1, 2]);
    });

    it('creates, updates (times across versions), adds attendees, categories and topics, deletes', async () => {
      const created = await f.call('POST', M, {
        payload: {
          project_id: f.projectId,
          meeting: { position: 1, title: 'Safety Kickoff', meeting_date: '2026-12-03', start_time: '07:30', attendees: [f.ids.users.sub] },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const m = created.json();
      expect(m).toMatchObject({
        title: 'Safety Kickoff',
        mode: 'agenda',
        attendees: [{ status: 'Present', login_information: { id: f.ids.users.sub } }],
        meeting_categories: [{ title: 'Uncategorized Items', position: 0, meeting_topic: [] }],
        created_by: { id: f.ids.users.demo },
      });
      expect((await f.get(`${V11}/${m.id}`)).json().starts_at).toBe('2026-12-03T07:30:00Z');
      const moved = await f.call('PATCH', `${V11}/${m.id}`, {
        payload: { meeting: { starts_at: '2026-12-04T08:00:00Z', ends_at: '2026-12-04T09:00:00Z' } },
      });
      expect(moved.json()).toMatchObject({ meeting_date: '2026-12-04', start_time: '08:00', finish_time: '09:00' });

      const att = await f.call('POST', `/rest/v1.0/meeting_attendee_records?${Q}&meeting_id=${m.id}`, {
        payload: { meeting_attendee_record: { login_information_id: f.ids.users.arch, status: 'Conference' } },
      });
      expect(att.statusCode, att.body).toBe(201);
      expect(att.json()).toMatchObject({ meeting_id: m.id, status: 'Conference', login_information: { id: f.ids.users.arch } });
      const dup = await f.call('POST', `/rest/v1.0/meeting_attendee_records?${Q}&meeting_id=${m.id}`, {
        payload: { meeting_attendee_record: { login_information_id: f.ids.users.arch } },
      });
      expect(dup.json().errors).toHaveProperty('login_information_id');
      const absent = await f.call('PATCH', `/rest/v1.0/meeting_attendee_records/${att.json().id}?${Q}&meeting_id=${m.id}`, {
        payload: { meeting_attendee_record: { status: 'Absent' } },
      });
      expect(absent.json().status).toBe('Absent');

      const cat = await f.call('POST', '/rest/v1.0/meeting_categories', {
        payload: { project_id: f.projectId, meeting_id: m.id, meeting_category: { title: 'Site Logistics' } },
      });
      expect(cat.statusCode, cat.body).toBe(201);
      expect(cat.json().position).toBe(1);
      const topic = await f.call('POST', '/rest/v1.0/meeting_topics', {
        payload: {
          project_id: f.projectId,
          meeting_id: m.id,
          meeting_topic: { title: 'Crane lift plan', meeting_category_id: cat.json().id, assignment_ids: [f.ids.users.sub] },
        },
      });
      expect(topic.statusCode, topic.body).toBe(201);
      expect(topic.json()).toMatchObject({ number: '1.1', status: 'Open', meeting_category: { title: 'Site Logistics' } });
      const loose = await f.call('POST', `/rest/v1.1/projects/${f.projectId}/meeting_topics`, {
        payload: { project_id: f.projectId, meeting_id: m.id, meeting_topic: { title: 'Parking' } },
      });
      expect(loose.json()).toMatchObject({ number: '0.1', meeting_category: { title: 'Uncategorized Items' } });
      const closed = await f.call('PATCH', `/rest/v1.0/meeting_topics/${topic.json().id}?${Q}`, {
        payload: { meeting_topic: { status: 'Closed' } },
      });
      expect(closed.json().closed_at).toMatch(/Z$/);
      const shown = (await f.get(`${M}/${m.id}?${Q}`)).json();
      expect(shown.meeting_categories.map((c: { meeting_topic: unknown[] }) => c.meeting_topic.length)).toEqual([1, 1]);
      expect(shown.attendees).toHaveLength(2);
      expect((await f.call('DELETE', `/rest/v1.0/meeting_attendee_records/${att.json().id}?${Q}&meeting_id=${m.id}`)).statusCode).toBe(204);

      expect((await f.call('DELETE', `${M}/${m.id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${M}/${m.id}?${Q}`)).statusCode).toBe(404);
      const bin = (await f.get(`${M}?${Q}&deleted_only=true`)).json();
      expect(bin.flatMap((g: { meetings: { id: number }[] }) => g.meetings.map((x) => x.id))).toEqual([m.id]);
    });

    it('rejects bad bodies and foreign references with 422, changing nothing', async () => {
      const before = Number((await f.get(V11)).headers['total']);
      const bad = await f.call('POST', V11, { payload: { project_id: f.projectId, meeting: { title: 'x' } } });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['ends_at', 'position', 'starts_at']);
      const reversed = await f.call('POST', V11, {
        payload: { project_id: f.projectId, meeting: { position: 3, starts_at: '2026-12-04T09:00:00Z', ends_at: '2026-12-04T08:00:00Z' } },
      });
      expect(reversed.json().errors).toHaveProperty('ends_at');
      const times = await f.call('POST', M, {
        payload: { project_id: f.projectId, meeting: { position: 3, start_time: '25:99', attendees: [987654321] } },
      });
      expect(Object.keys(times.json().errors).sort()).toEqual(['attendees', 'start_time']);
      expect(Number((await f.get(V11)).headers['total'])).toBe(before);
      const orphan = await f.call('POST', '/rest/v1.0/meeting_categories', {
        payload: { project_id: f.projectId, meeting_id: 987654321, meeting_category: { title: 'x' } },
      });
      expect(orphan.json().errors).toHaveProperty('meeting_id');
      const noMeeting = await f.call('POST', '/rest/v1.0/meeting_topics', {
        payload: { project_id: f.projectId, meeting_topic: { title: 'x' } },
      });
      expect(noMeeting.json().errors).toHaveProperty('meeting_id');
    });

    it("another sandbox's project, meetings and topics are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`${M}?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const theirs = async (resource: string) =>
        (
          await f.rt.ctx.db
            .selectFrom('records')
            .select('id')
            .where('sandbox_id', '=', other.sandbox.id)
            .where('resource', '=', resource)
            .executeTakeFirstOrThrow()
        ).id;
      const meeting = await theirs('meetings');
      expect((await f.get(`${M}/${meeting}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${V11}/${meeting}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${V11}/${meeting}`, { payload: { meeting: { title: 'x' } } })).statusCode).toBe(404);
      expect((await f.call('DELETE', `${M}/${meeting}?${Q}`)).statusCode).toBe(404);
      const topic = await theirs('meeting_topics');
      expect(
        (await f.call('PATCH', `/rest/v1.0/meeting_topics/${topic}?${Q}`, { payload: { meeting_topic: { title: 'x' } } })).statusCode,
      ).toBe(404);
      const att = await theirs('meeting_attendees');
      expect((await f.call('DELETE', `/rest/v1.0/meeting_attendee_records/${att}?${Q}&meeting_id=${meeting}`)).statusCode).toBe(404);
      const cat = await f.call('POST', '/rest/v1.0/meeting_categories', {
        payload: { project_id: f.projectId, meeting_id: meeting, meeting_category: { title: 'x' } },
      });
      expect(cat.json().errors).toHaveProperty('meeting_id');
    });
  });
}
