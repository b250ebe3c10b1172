/**
 * A new plain resource on `records()` storage, declared in one place and served with no
 * migration: CRUD, validation, filters, sort, search, recycle bin and tenant scope, on SQLite and
 * PostgreSQL.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bearer from './bearer.js';
import { createApp } from '../services/apps.js';
import { ENGINES, createTestRuntime, type TestRuntime } from '../../test/helpers/runtime.js';
import { defineResource, records } from './compile.js';
import { f, unmodelled } from './fields.js';
import { mountResources } from './mount.js';
import { Location } from './schemas.js';

/** The whole resource: a field table and a few options. */
export const inspections = defineResource({
  name: 'test_inspections',
  tag: 'Inspections',
  noun: ['Inspection', 'Inspections'],
  path: '/projects/{project_id}/test_inspections',
  scope: 'project',
  storage: records({ softDelete: true }),
  body: 'inspection',
  operations: { list: {}, show: {}, create: {}, update: {}, delete: {}, recycle_bin: {} },
  search: { filter: 'query' },
  fields: {
    id: f.id({ filter: 'ids' }),
    name: f.text({ write: 'required', max: 100, sort: true, search: true }),
    status: f.enum(['open', 'closed'], { write: true, filter: 'enum', sort: true }),
    due_date: f.date({ write: true, sort: true, filter: 'date' }),
    score: f.int({ write: true, sort: true, filter: 'int', min: 0, max: 100 }),
    private: f.bool({ write: true, filter: 'bool' }),
    inspector: f.user({ write: 'inspector_id', filter: 'ids' }),
    watchers: f.users({ write: 'watcher_ids', column: 'watcher_ids' }),
    notes: f.text({ write: true, long: true, in: ['show'] }),
    created_at: f.createdAt({ filter: 'datetime', sort: true }),
    updated_at: f.updatedAt(),
    created_by: f.user({ creator: true }),
    ...unmodelled({ location: Location }),
  },
});

async function testApp(rt: TestRuntime): Promise<FastifyInstance> {
  const app = Fastify();
  app.decorate('ctx', rt.ctx);
  app.decorate('environment', 'sandbox');
  await app.register(bearer);
  await app.register(async (scope) => mountResources(scope, { version: 'v1.0', resources: [inspections], limiter: () => null }), {
    prefix: '/rest/v1.0',
  });
  await app.ready();
  return app;
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`records() storage on ${engine.name}`, () => {
    let rt: TestRuntime;
    let app: FastifyInstance;
    let token: string;
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name });
      app = await testApp(rt);
      token = await rt.mintToken();
    });
    afterAll(async () => {
      await app?.close();
      await rt?.close();
    });
    const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, t = token) =>
      app.inject({
        method,
        url: `/rest/v1.0/projects/${rt.sandbox.project_id}/test_inspections${url}`,
        headers: { authorization: `Bearer ${t}`, 'procore-company-id': String(rt.sandbox.company_id) },
        ...(payload === undefined ? {} : { payload: payload as never }),
      });
    const user = (email: string) => rt.users.get(email)!.id;

    it('creates, shows, lists with filters/sort/search, updates and recycles, with no migration', async () => {
      const arch = user('sandbox+arch@example.com');
      const made: number[] = [];
      for (const [name, score, status] of [
        ['Footing rebar', 80, 'open'],
        ['Slab moisture', 40, 'closed'],
        ['Roof flashing', 95, 'open'],
      ] as const) {
        const res = await call('POST', '', {
          inspection: { name, score, status, due_date: '2027-03-01', inspector_id: arch, watcher_ids: [arch, arch], private: score > 90 },
        });
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json()).toMatchObject({
          name,
          score,
          status,
          inspector: { id: arch },
          watchers: [{ id: arch }],
          created_by: { login: 'sandbox+demo@example.com' },
          location: null,
        });
        made.push(res.json().id);
      }
      const stored = await rt.ctx.db.selectFrom('records').selectAll().where('resource', '=', 'test_inspections').execute();
      expect(stored).toHaveLength(3);
      expect(JSON.parse(stored[0]!.data)).toMatchObject({ name: 'Footing rebar', watcher_ids: [arch] });

      const ids = async (q: string) => (await call('GET', `?${q}`)).json().map((r: { id: number }) => r.id);
      expect(await ids('')).toEqual(made);
      expect(await ids('filters[status]=open')).toEqual([made[0], made[2]]);
      expect(await ids('filters[score]=50...90')).toEqual([made[0]]);
      expect(await ids('filters[private]=true')).toEqual([made[2]]);
      expect(await ids(`filters[inspector_id][]=${arch}`)).toEqual(made);
      expect(await ids('filters[query]=SLAB')).toEqual([made[1]]);
      expect(await ids('filters[due_date]=2027-03-01...2027-03-01')).toEqual(made);
      expect(await ids('sort=-score')).toEqual([made[2], made[0], made[1]]);
      expect(await ids('sort=name')).toEqual([made[0], made[2], made[1]]);
      expect((await call('GET', '?per_page=2')).headers['total']).toBe('3');

      const upd = await call('PATCH', `/${made[1]}`, { inspection: { status: 'open', notes: 'Re-test Monday' } });
      expect(upd.json()).toMatchObject({ id: made[1], status: 'open', notes: 'Re-test Monday', name: 'Slab moisture', score: 40 });

      const bad = await call('POST', '', { inspection: { score: 101, status: 'maybe', inspector_id: 999_999_999 } });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().errors).toEqual({
        name: ["can't be blank"],
        status: ['is not included in the list'],
        score: ['must be less than or equal to 100'],
      });
      const foreignUser = await call('POST', '', { inspection: { name: 'x', inspector_id: 999_999_999 } });
      expect(foreignUser.json().errors).toHaveProperty('inspector_id');

      expect((await call('DELETE', `/${made[0]}`)).statusCode).toBe(204);
      expect((await call('GET', `/${made[0]}`)).statusCode).toBe(404);
      expect(await ids('')).toEqual([made[1], made[2]]);
      expect((await call('GET', '/recycle_bin')).json().map((r: { id: number }) => r.id)).toEqual([made[0]]);
    });

    it("another sandbox's rows are the one 404", async () => {
      const other = await createApp(rt.ctx, { developerId: rt.app.developer_id, name: 'Other App' });
      const theirs = await rt.mintToken({ sandboxId: other.sandbox.id, email: 'sandbox+demo@example.com' });
      const mine = (await call('GET', '')).json() as { id: number }[];
      const res = await app.inject({
        url: `/rest/v1.0/projects/${other.sandbox.project_id}/test_inspections/${mine[0]!.id}`,
        headers: { authorization: `Bearer ${theirs}`, 'procore-company-id': String(other.sandbox.company_id) },
      });
      expect(res.statusCode).toBe(404);
      const list = await app.inject({
        url: `/rest/v1.0/projects/${other.sandbox.project_id}/test_inspections`,
        headers: { authorization: `Bearer ${theirs}`, 'procore-company-id': String(other.sandbox.company_id) },
      });
      expect(list.json()).toEqual([]);
    });
  });
}
