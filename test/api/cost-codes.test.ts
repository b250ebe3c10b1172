/**
 * Cost codes and line item types: the seeded tree (full codes from the parents), create → show →
 * list → update (a renamed division renames its codes' full codes), sibling codes unique, no
 * cycles, 422s, company-level line item types, another sandbox's ids → 404, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

interface Code {
  id: number;
  code: string;
  full_code: string;
  name: string;
  parent: { id: number | null };
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`cost codes on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    const C = '/rest/v1.0/cost_codes';
    const T = '/rest/v1.0/line_item_types';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
    });
    afterAll(() => f.rt.close());
    const codes = async (): Promise<Code[]> => (await f.get(`${C}?${Q}&per_page=1000`)).json();

    it('seeds a tree of CSI cost codes with full codes and the company line item types', async () => {
      const res = await f.get(`${C}?${Q}`);
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json() as Code[];
      // The 2017 file's line item base types lack `labor` (today's catalogue has it): checked without it.
      const errata = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"labor"/g, '"other"'));
      expect(validateAgainstSwagger('GET', '/vapid/cost_codes', errata(list))).toEqual([]);
      expect(list.map((c) => c.full_code)).toEqual(['01', '01-100', '01-500', '03', '03-300', '09', '09-900', '26', '26-100']);
      const concrete = list.find((c) => c.full_code === '03-300')!;
      expect(concrete).toMatchObject({ code: '300', name: 'Cast-in-Place Concrete', biller_type: 'Project', biller_id: f.projectId });
      expect(concrete.parent.id).toBe(list.find((c) => c.full_code === '03')!.id);
      const one = await f.get(`${C}/${concrete.id}?${Q}`);
      expect(one.json()).toEqual(concrete);
      expect(validateAgainstSwagger('GET', '/vapid/cost_codes/{id}', errata(one.json()))).toEqual([]);
      expect((await f.get(`${C}?${Q}&filters[id][]=${concrete.id}`)).json()).toHaveLength(1);
      expect((await f.get(`/vapid/cost_codes?${Q}`, { company: false })).json()).toHaveLength(9);

      const types = (await f.get(`${T}?company_id=${f.companyId}`)).json();
      expect(validateAgainstSwagger('GET', '/vapid/line_item_types', errata(types))).toEqual([]);
      expect(types.map((t: { name: string }) => t.name)).toEqual([
        'Labor',
        'Equipment',
        'Materials',
        'Commitment',
        'Owner Cost',
        'Professional Services',
        'Other',
      ]);
      expect(concrete).toMatchObject({ line_item_types: types });
    });

    it('creates under a parent, renames the parent (full codes follow), refuses duplicates and cycles', async () => {
      const div03 = (await codes()).find((c) => c.full_code === '03')!;
      const post = (cost_code: Record<string, unknown>) => f.call('POST', C, { payload: { project_id: f.projectId, cost_code } });
      const created = await post({ code: '200', name: 'Concrete Reinforcing', parent_id: div03.id, origin_id: 'erp-3200' });
      expect(created.statusCode, created.body).toBe(201);
      const cc = created.json();
      expect(validateAgainstSwagger('POST', '/vapid/cost_codes', JSON.parse(created.body.replace(/"labor"/g, '"other"')))).toEqual([]);
      expect(cc).toMatchObject({ full_code: '03-200', sortable_code: '03-200', parent: { id: div03.id }, origin_id: 'erp-3200' });
      expect((await f.get(`${C}?${Q}&filters[origin_id]=erp-3200`)).json().map((c: Code) => c.id)).toEqual([cc.id]);

      const dup = await post({ code: '200', name: 'Again', parent_id: div03.id });
      expect(dup.statusCode).toBe(422);
      expect(dup.json().errors).toEqual({ code: ['has already been taken'] });

      const renamed = await f.call('PATCH', `${C}/${div03.id}`, { payload: { project_id: f.projectId, cost_code: { code: '33' } } });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ code: '33', full_code: '33', name: 'Concrete' });
      expect((await f.get(`${C}/${cc.id}?${Q}`)).json().full_code).toBe('33-200');

      const cycle = await f.call('PATCH', `${C}/${div03.id}?${Q}`, { payload: { cost_code: { parent_id: cc.id } } });
      expect(cycle.statusCode).toBe(422);
      expect(cycle.json().errors).toHaveProperty('parent_id');
      const top = await f.call('PATCH', `${C}/${cc.id}?${Q}`, { payload: { cost_code: { parent_id: null } } });
      expect(top.json()).toMatchObject({ full_code: '200', parent: { id: null } });
    });

    it('rejects bad bodies with 422, changing nothing', async () => {
      const before = (await codes()).length;
      const post = (cost_code: Record<string, unknown>) => f.call('POST', `${C}?${Q}`, { payload: { cost_code } });
      const bad = await post({ position: 'first' });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['code', 'name', 'position']);
      expect((await post({ code: '1', name: 'x', parent_id: 987654321 })).json().errors).toHaveProperty('parent_id');
      expect((await f.call('POST', C, { payload: { cost_code: { code: '1', name: 'x' } } })).statusCode).toBe(400);
      expect((await codes()).length).toBe(before);
    });

    it('sync: creates the items without an id, updates those with one, lists the refused with their errors', async () => {
      const before = await codes();
      const div09 = before.find((c) => c.full_code === '09')!;
      const paint = before.find((c) => c.full_code === '09-900')!;
      const res = await f.call('PATCH', `${C}/sync?${Q}`, {
        payload: {
          updates: [
            { code: '250', name: 'Gypsum Board', parent_id: div09.id, origin_id: 'erp-9250' },
            { id: paint.id, name: 'Painting and Coating' },
            { code: '260' }, // no name
            { id: 987654321, name: 'Nobody' },
            { code: '900', name: 'Duplicate', parent_id: div09.id },
            'not an object',
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      const { entities, errors } = res.json() as {
        entities: Code[];
        errors: { code?: string; id?: number; errors: Record<string, string[]> }[];
      };
      expect(entities.map((e) => [e.full_code, e.name])).toEqual([
        ['09-250', 'Gypsum Board'],
        ['09-900', 'Painting and Coating'],
      ]);
      expect(errors.map((e) => Object.keys(e.errors))).toEqual([['name'], ['id'], ['code'], ['base']]);
      expect(errors[1]).toMatchObject({ id: 987654321, errors: { id: ["can't be found"] } });
      const after = await codes();
      expect(after).toHaveLength(before.length + 1); // only the valid new item was stored
      expect(after.find((c) => c.id === paint.id)?.name).toBe('Painting and Coating');
      expect((await f.call('PATCH', `${C}/sync?${Q}`, { payload: { updates: 'all' } })).statusCode).toBe(400);
    });

    it('line item types: create, show, update, unique names, company scope', async () => {
      const created = await f.call('POST', T, {
        payload: { company_id: f.companyId, line_item_type: { name: 'Subcontract', csv_import_code: 'SUB', base_type: 'commitment' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const t = created.json();
      expect(t).toMatchObject({ name: 'Subcontract', code: 'SUB', base_type: 'commitment' });
      expect((await f.get(`${T}/${t.id}?company_id=${f.companyId}`)).json()).toEqual(t);
      const upd = await f.call('PATCH', `${T}/${t.id}?company_id=${f.companyId}`, {
        payload: { line_item_type: { name: 'Subcontracts' } },
      });
      expect(upd.json()).toMatchObject({ id: t.id, name: 'Subcontracts', code: 'SUB' });
      const dup = await f.call('POST', `${T}?company_id=${f.companyId}`, { payload: { line_item_type: { name: 'labor' } } });
      expect(dup.json().errors).toEqual({ name: ['has already been taken'] });
      const bad = await f.call('POST', `${T}?company_id=${f.companyId}`, { payload: { line_item_type: { name: 'X', base_type: 'food' } } });
      expect(bad.json().errors).toHaveProperty('base_type');
      expect((await f.get(T)).statusCode).toBe(400);
      // The cost codes now list the new type too.
      expect((await codes())[0]!).toMatchObject({ line_item_types: expect.arrayContaining([expect.objectContaining({ id: t.id })]) });
    });

    it("another sandbox's project, cost codes and line item types are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`${C}?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      expect((await f.get(`${T}?company_id=${other.sandbox.company_id}`)).statusCode).toBe(404);
      const theirs = async (resource: string) =>
        (
          await f.rt.ctx.db
            .selectFrom('records')
            .select('id')
            .where('sandbox_id', '=', other.sandbox.id)
            .where('resource', '=', resource)
            .executeTakeFirstOrThrow()
        ).id;
      const code = await theirs('cost_codes');
      expect((await f.get(`${C}/${code}?${Q}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${C}/${code}?${Q}`, { payload: { cost_code: { name: 'x' } } })).statusCode).toBe(404);
      const type = await theirs('line_item_types');
      expect((await f.get(`${T}/${type}?company_id=${f.companyId}`)).statusCode).toBe(404);
    });
  });
}
