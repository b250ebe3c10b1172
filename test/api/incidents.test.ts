/**
 * Incidents: seeded, numbered incidents with actions, injuries and witness statements whose
 * people and locations exist; create (numbered, nested records) → show → list → update (closing
 * stamps closed_at) → delete (recycle bin, restore); records checked against their incident;
 * filters; bad bodies; another sandbox's ids, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`incidents on ${engine.name}`, () => {
    let f: ApiFixture;
    let P = '';
    let I = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      P = `/rest/v1.0/projects/${f.projectId}`;
      I = `${P}/incidents`;
    });
    afterAll(() => f.rt.close());
    const ids = async (q: string) => (await f.get(`${I}?${q}`)).json().map((o: { id: number }) => o.id);

    it('seeds numbered incidents with records whose people and locations exist', async () => {
      const res = await f.get(I);
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json();
      expect(list.map((i: { number: string }) => i.number)).toEqual(['1', '2', '3']);
      expect(list[0]).toMatchObject({ status: 'closed', records_count: 1, assignees: [{ id: f.ids.users.demo }] });
      expect(list[0].closed_at).toMatch(/Z$/);
      expect(list[1]).toMatchObject({ status: 'open', witness_statements_count: 1 });
      const locs = new Map(((await f.get(`${P}/locations`)).json() as { id: number; name: string }[]).map((l) => [l.id, l.name]));
      for (const i of list) expect(locs.get(i.location.id)).toBe(i.location.name);
      const actions = (await f.get(`${I}/actions`)).json();
      expect(actions.map((a: { incident_id: number }) => a.incident_id)).toEqual([list[0].id, list[1].id]);
      expect(actions[0].action_type).toMatchObject({ name: 'Corrective Action' });
      expect((await f.get(`${I}/actions?incident_id=${list[1].id}`)).json()).toHaveLength(1);
      const injuries = (await f.get(`${I}/injuries`)).json();
      expect(injuries[0]).toMatchObject({ incident_id: list[0].id, filing_type: 'first_aid', affected_person: { id: f.ids.users.sub } });
      const witness = (await f.get(`${I}/witness_statements`)).json();
      expect(witness[0]).toMatchObject({ incident_id: list[1].id, witness: { id: f.ids.users.demo } });

      expect(await ids('filters[status][]=closed')).toEqual([list[0].id]);
      expect(await ids(`filters[assignee_id][]=${f.ids.users.sub}`)).toEqual([list[1].id]);
      expect(await ids('filters[query]=hydraulic')).toEqual([list[2].id]);
      expect(await ids(`filters[location_id][]=${list[1].location.id}`)).toEqual([list[1].id]);
      expect(await ids('sort=-number')).toEqual([list[2].id, list[1].id, list[0].id]);
      const types = (await f.get(`/rest/v1.0/companies/${f.companyId}/incidents/action_types`)).json();
      expect(types.map((t: { name: string }) => t.name)).toContain('Corrective Action');
      expect(types.find((t: { name: string }) => t.name === 'Corrective Action').id).toBe(actions[0].action_type.id);
      expect((await f.get(`/rest/v1.0/companies/${f.companyId}/incidents/statuses`)).json()).toHaveLength(2);
    });

    it('creates (numbered, with nested records), updates, closes, recycles and restores', async () => {
      const created = await f.call('POST', I, {
        payload: {
          incident: {
            title: 'Worker slipped on wet stairs',
            event_date: '2026-12-01T09:00:00Z',
            assignee_ids: [f.ids.users.sub],
            injuries: [{ description: 'Sprained ankle', filing_type: 'medically_treated', affected_person_id: f.ids.users.sub }],
            witness_statements_attributes: [{ statement: 'Stairs were wet from rain.', witness_id: f.ids.users.demo }],
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const i = created.json();
      expect(i).toMatchObject({
        number: '4',
        status: 'open',
        title: 'Worker slipped on wet stairs',
        records_count: 1,
        witness_statements_count: 1,
        created_by: { login: 'sandbox+demo@example.com' },
        closed_at: null,
      });
      expect((await f.get(`${I}/${i.id}`)).json()).toEqual(i);
      expect((await f.get(`${I}/injuries?incident_id=${i.id}`)).json()[0]).toMatchObject({ filing_type: 'medically_treated' });

      const types = (await f.get(`/rest/v1.0/companies/${f.companyId}/incidents/action_types`)).json();
      const training = types.find((t: { name: string }) => t.name === 'Training').id;
      const action = await f.call('POST', `${I}/actions`, {
        payload: { incident_action: { incident_id: i.id, action_type_id: training, description: 'Stair safety training' } },
      });
      expect(action.statusCode, action.body).toBe(201);
      expect(action.json()).toMatchObject({ incident_id: i.id, action_type: { name: 'Training' } });
      const a = action.json();
      expect(
        (await f.call('PATCH', `${I}/actions/${a.id}`, { payload: { incident_action: { description: 'Done' } } })).json().description,
      ).toBe('Done');
      expect((await f.call('DELETE', `${I}/actions/${a.id}`)).statusCode).toBe(204);
      expect((await f.get(`${P}/recycle_bin/incidents/actions`)).json().map((x: { id: number }) => x.id)).toEqual([a.id]);
      expect((await f.call('PATCH', `/rest/v1.1/projects/${f.projectId}/recycle_bin/incidents/actions/${a.id}/restore`)).statusCode).toBe(
        200,
      );
      expect((await f.get(`${I}/actions/${a.id}`)).statusCode).toBe(200);

      const closed = await f.call('PATCH', `${I}/${i.id}`, { payload: { incident: { status: 'closed', recordable: true } } });
      expect(closed.json()).toMatchObject({ status: 'closed', recordable: true });
      expect(closed.json().closed_at).toMatch(/Z$/);
      const reopened = await f.call('PATCH', `${I}/${i.id}`, { payload: { incident: { status: 'open' } } });
      expect(reopened.json().closed_at).toBeNull();

      expect((await f.call('DELETE', `${I}/${i.id}`)).statusCode).toBe(204);
      expect((await f.get(`${I}/${i.id}`)).statusCode).toBe(404);
      expect((await f.get(`${P}/recycle_bin/incidents/${i.id}`)).json().id).toBe(i.id);
      // Records of a recycled incident cannot be added.
      const orphan = await f.call('POST', `${I}/actions`, {
        payload: { incident_action: { incident_id: i.id, action_type_id: training } },
      });
      expect(orphan.json().errors).toHaveProperty('incident_id');
      expect((await f.call('PATCH', `${P}/recycle_bin/incidents/${i.id}/restore`)).json().id).toBe(i.id);
      const next = await f.call('POST', I, { payload: { incident: { title: 'Another' } } });
      expect(next.json().number).toBe('5');
    });

    it('rejects bad bodies and foreign references with 422, changing nothing', async () => {
      const before = Number((await f.get(I)).headers['total']);
      const post = (incident: Record<string, unknown>) => f.call('POST', I, { payload: { incident } });
      const bad = await post({ status: 'pending', event_date: 'yesterday', location_id: 987654321 });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['event_date', 'status']);
      expect((await post({ location_id: 987654321 })).json().errors).toHaveProperty('location_id');
      expect((await post({ hazard_id: 987654321 })).json().errors).toHaveProperty('hazard_id');
      expect((await post({ assignee_ids: [987654321] })).json().errors).toHaveProperty('assignee_ids');
      expect((await post({ injuries: [{ affected_person_id: 987654321 }] })).json().errors).toHaveProperty('injuries');
      expect((await post({ witness_statements_attributes: [{ statement: 'x' }] })).statusCode).toBe(422);
      expect(Number((await f.get(I)).headers['total'])).toBe(before);
      const records = Number((await f.get(`${I}/witness_statements`)).headers['total']);
      const w = await f.call('POST', `${I}/witness_statements`, {
        payload: { witness_statement: { incident_id: 987654321, witness_id: f.ids.users.demo } },
      });
      expect(w.json().errors).toHaveProperty('incident_id');
      const w2 = await f.call('POST', `${I}/witness_statements`, { payload: { witness_statement: { statement: 'x' } } });
      expect(Object.keys(w2.json().errors).sort()).toEqual(['incident_id', 'witness_id']);
      expect(
        (await f.call('POST', `${I}/actions`, { payload: { incident_action: { incident_id: 1, action_type_id: 99 } } })).statusCode,
      ).toBe(422);
      expect(Number((await f.get(`${I}/witness_statements`)).headers['total'])).toBe(records);
    });

    it("another sandbox's project, incidents and records are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`/rest/v1.0/projects/${other.sandbox.project_id}/incidents`)).statusCode).toBe(404);
      const theirs = async (resource: string) =>
        (
          await f.rt.ctx.db
            .selectFrom('records')
            .select('id')
            .where('sandbox_id', '=', other.sandbox.id)
            .where('resource', '=', resource)
            .executeTakeFirstOrThrow()
        ).id;
      const incident = await theirs('incidents');
      expect((await f.get(`${I}/${incident}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${I}/${incident}`, { payload: { incident: { title: 'x' } } })).statusCode).toBe(404);
      expect((await f.call('DELETE', `${I}/${incident}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${P}/recycle_bin/incidents/${incident}/restore`)).statusCode).toBe(404);
      const type = await theirs('incident_action_types');
      expect((await f.get(`/rest/v1.0/companies/${f.companyId}/incidents/action_types/${type}`)).statusCode).toBe(404);
      const mine = (await f.get(I)).json()[0];
      const foreign = await f.call('POST', `${I}/actions`, {
        payload: { incident_action: { incident_id: mine.id, action_type_id: type } },
      });
      expect(foreign.json().errors).toHaveProperty('action_type_id');
      const action = await theirs('incident_actions');
      expect((await f.get(`${I}/actions/${action}`)).statusCode).toBe(404);
      const w = await f.call('POST', `${I}/witness_statements`, {
        payload: { witness_statement: { incident_id: incident, witness_id: f.ids.users.demo } },
      });
      expect(w.json().errors).toHaveProperty('incident_id');
      expect((await f.get(`/rest/v1.0/companies/${other.sandbox.company_id}/incidents/action_types`)).statusCode).toBe(404);
    });
  });
}
