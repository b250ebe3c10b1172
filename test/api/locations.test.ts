/**
 * Project locations: the seeded tree, Procore's tree shape (`name` the full path), create →
 * show → list → update (renames cascade) → delete (sublocations too), find-or-create by path,
 * bad bodies, another sandbox's project, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

interface Loc {
  id: number;
  name: string;
  node_name: string;
  parent_id: number | null;
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`locations on ${engine.name}`, () => {
    let f: ApiFixture;
    let P = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      P = `/rest/v1.0/projects/${f.projectId}/locations`;
    });
    afterAll(() => f.rt.close());
    const list = async (q = ''): Promise<Loc[]> => {
      const res = await f.get(`${P}${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    it('seeds a tree whose names are full paths and whose parents exist', async () => {
      const all = await list();
      expect(all.map((l) => l.name)).toEqual([
        'Building A',
        'Building A > Level 1',
        'Building A > Level 1 > Room 101',
        'Building A > Level 2',
        'Site',
      ]);
      const byId = new Map(all.map((l) => [l.id, l]));
      for (const l of all) {
        expect(validateAgainstSwagger('GET', '/vapid/locations/{id}', l)).toEqual([]);
        if (l.parent_id !== null) expect(l.name).toBe(`${byId.get(l.parent_id)!.name} > ${l.node_name}`);
      }
      const room = all[2]!;
      expect(room).toMatchObject({ node_name: 'Room 101', code: 'A-1-101' });
      expect((await list(`?filters[parent_id]=${all[0]!.id}`)).map((l) => l.node_name)).toEqual(['Level 1', 'Level 2']);
      expect((await list('?filters[search]=room')).map((l) => l.id)).toEqual([room.id]);
      expect((await list('?sort=-node_name'))[0]!.node_name).toBe('Site');
    });

    it('creates, shows, renames (sublocations follow), moves and deletes with its sublocations', async () => {
      const made = await f.call('POST', P, { payload: { location: { node_name: 'Parking Garage' } } });
      expect(made.statusCode, made.body).toBe(201);
      const garage: Loc = made.json();
      expect(garage).toMatchObject({ name: 'Parking Garage', node_name: 'Parking Garage', parent_id: null });
      const child = await f.call('POST', P, { payload: { location: { node_name: 'P1', parent_id: garage.id } } });
      expect(child.json()).toMatchObject({ name: 'Parking Garage > P1', parent_id: garage.id });
      const p1: Loc = child.json();
      expect((await f.get(`${P}/${p1.id}`)).json()).toEqual(child.json());

      const renamed = await f.call('PATCH', `${P}/${garage.id}`, { payload: { location: { node_name: 'Garage' } } });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json().name).toBe('Garage');
      expect((await f.get(`${P}/${p1.id}`)).json().name).toBe('Garage > P1');

      // A node cannot move under itself or its sublocations; a sibling with the same name is taken.
      const cycle = await f.call('PATCH', `${P}/${garage.id}`, { payload: { location: { parent_id: p1.id } } });
      expect(cycle.statusCode).toBe(422);
      expect(cycle.json().errors).toHaveProperty('parent_id');
      const dup = await f.call('POST', P, { payload: { location: { node_name: 'P1', parent_id: garage.id } } });
      expect(dup.statusCode).toBe(422);
      expect(dup.json().errors).toEqual({ node_name: ['has already been taken'] });

      const site = (await list('?filters[search]=Site'))[0]!;
      const moved = await f.call('PATCH', `${P}/${garage.id}`, { payload: { location: { parent_id: site.id } } });
      expect(moved.json()).toMatchObject({ name: 'Site > Garage', parent_id: site.id });
      expect((await f.get(`${P}/${p1.id}`)).json().name).toBe('Site > Garage > P1');

      expect((await f.call('DELETE', `${P}/${garage.id}`)).statusCode).toBe(204);
      expect((await f.get(`${P}/${garage.id}`)).statusCode).toBe(404);
      expect((await f.get(`${P}/${p1.id}`)).statusCode).toBe(404);
      // v1.1 serves delete too.
      const tmp = (await f.call('POST', P, { payload: { location: { node_name: 'Temp' } } })).json();
      expect((await f.call('DELETE', `/rest/v1.1/projects/${f.projectId}/locations/${tmp.id}`)).statusCode).toBe(204);
    });

    it('finds or creates a location by path', async () => {
      const url = `${P}/find_or_create_by_path`;
      const found = await f.call('POST', url, { payload: { location: { path: ['Building A', 'Level 1'] } } });
      expect(found.statusCode, found.body).toBe(200);
      const level1 = (await list('?filters[search]=Level 1')).find((l) => l.node_name === 'Level 1')!;
      expect(found.json().id).toBe(level1.id);
      const made = await f.call('POST', url, { payload: { location: { path: ['Building A', 'Level 3', 'Corridor'] } } });
      expect(made.json()).toMatchObject({ name: 'Building A > Level 3 > Corridor', node_name: 'Corridor' });
      const level3 = (await f.get(`${P}/${made.json().parent_id}`)).json();
      expect(level3).toMatchObject({ name: 'Building A > Level 3', parent_id: (await list())[0]!.id });
      const again = await f.call('POST', url, { payload: { location: { path: ['Building A', 'Level 3', 'Corridor'] } } });
      expect(again.json().id).toBe(made.json().id);
      expect((await f.call('POST', url, { payload: { location: { path: [] } } })).statusCode).toBe(422);
    });

    it('rejects bad bodies and unknown parents with 422, changing nothing', async () => {
      const before = (await list()).length;
      const blank = await f.call('POST', P, { payload: { location: { node_name: '' } } });
      expect(blank.statusCode).toBe(422);
      expect(blank.json().errors).toHaveProperty('node_name');
      const typed = await f.call('POST', P, { payload: { location: { node_name: 'X', parent_id: 'one' } } });
      expect(typed.statusCode).toBe(422);
      expect(typed.json().errors).toHaveProperty('parent_id');
      const ghost = await f.call('POST', P, { payload: { location: { node_name: 'X', parent_id: 987654321 } } });
      expect(ghost.statusCode).toBe(422);
      expect(ghost.json().errors.parent_id[0]).toMatch(/not a location of this project/);
      expect((await list()).length).toBe(before);
    });

    it("another sandbox's project and locations are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      const theirs = await f.rt.ctx.db
        .selectFrom('records')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .where('resource', '=', 'locations')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      expect((await f.get(`/rest/v1.0/projects/${other.sandbox.project_id}/locations`)).statusCode).toBe(404);
      expect((await f.get(`${P}/${theirs.id}`)).statusCode).toBe(404);
      const asParent = await f.call('POST', P, { payload: { location: { node_name: 'Stolen', parent_id: Number(theirs.id) } } });
      expect(asParent.statusCode).toBe(422);
    });
  });
}
