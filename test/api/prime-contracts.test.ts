/**
 * Prime contracts: the seeded owner contract and its schedule of values, the project's contract
 * (`/prime_contract`), the list (`/prime_contracts`), create → show → update → delete, line
 * items computing the totals, 422s, another sandbox's ids → 404, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

const errata = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"labor"/g, '"other"'));

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`prime contracts on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    const P = '/rest/v1.0/prime_contract';
    const PS = '/rest/v1.0/prime_contracts';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
    });
    afterAll(() => f.rt.close());

    it("seeds the project's owner contract with a schedule of values against the cost codes", async () => {
      const res = await f.get(`${P}?${Q}`);
      expect(res.statusCode, res.body).toBe(200);
      const pc = res.json();
      expect(validateAgainstSwagger('GET', '/vapid/prime_contract', errata(pc))).toEqual([]);
      expect(pc).toMatchObject({
        number: '1',
        status: 'Approved',
        executed: true,
        grand_total: '151500.00',
        revised_contract_amount: '151500.00',
        contractor: { name: 'Sandbox Builders Inc.' },
        architect: { name: 'Sandbox Design Partners' },
        vendor: null,
      });
      expect(pc.line_items.map((l: { cost_code: { full_code: string } }) => l.cost_code.full_code)).toEqual([
        '01-100',
        '03-300',
        '09-900',
        '26-100',
      ]);
      expect((await f.get(`${P}/${pc.id}?${Q}`)).json()).toEqual(pc);
      const list = (await f.get(`${PS}?${Q}`)).json();
      expect(list.map((c: { id: number }) => c.id)).toEqual([pc.id]);
      expect((await f.get(`${PS}?${Q}&filters[id][]=${pc.id}`)).json()).toHaveLength(1);
      const lines = (await f.get(`${PS}/${pc.id}/line_items?${Q}`)).json();
      expect(lines).toEqual(pc.line_items);
      expect(lines[0]).toMatchObject({ holder: { id: pc.id, holder_type: 'PrimeContract' }, amount: '45000.00' });
      expect((await f.get(`/vapid/prime_contract/${pc.id}?${Q}`, { company: false })).statusCode).toBe(200);
    });

    it('creates a numbered contract, adds lines (totals follow), updates and deletes', async () => {
      const created = await f.call('POST', P, {
        payload: { project_id: f.projectId, prime_contract: { title: 'Tenant Improvements', contractor_id: f.ids.vendor } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const pc = created.json();
      expect(validateAgainstSwagger('POST', '/vapid/prime_contract', pc)).toEqual([]);
      expect(pc).toMatchObject({ number: '2', status: 'Draft', grand_total: '0.00', line_items: [], contractor: { id: f.ids.vendor } });
      const L = `${PS}/${pc.id}/line_items`;
      const a = await f.call('POST', `${L}?${Q}`, {
        payload: { line_item: { description: 'Millwork', quantity: 40, unit_cost: '312.5' } },
      });
      expect(a.statusCode, a.body).toBe(201);
      expect(a.json()).toMatchObject({ amount: '12500.00', extended_type: 'calculated', position: 1 });
      await f.call('POST', `${L}?${Q}`, { payload: { line_item: { description: 'Fee', amount: 1500 } } });
      expect((await f.get(`${P}/${pc.id}?${Q}`)).json()).toMatchObject({ grand_total: '14000.00', outstanding_balance: '14000.00' });
      const upd = await f.call('PATCH', `${P}/${pc.id}?${Q}`, { payload: { prime_contract: { status: 'Out For Signature' } } });
      expect(upd.json()).toMatchObject({ status: 'Out For Signature', title: 'Tenant Improvements', grand_total: '14000.00' });
      expect((await f.get(`${PS}?${Q}`)).json()).toHaveLength(2);
      expect((await f.call('DELETE', `${P}/${pc.id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${P}/${pc.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${L}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${PS}?${Q}`)).json()).toHaveLength(1);
    });

    it('rejects bad bodies and foreign references with 422', async () => {
      const post = (prime_contract: Record<string, unknown>) => f.call('POST', `${P}?${Q}`, { payload: { prime_contract } });
      const bad = await post({ status: 'Void', execution_date: '2026-02-30' });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['execution_date', 'status']);
      expect((await post({ architect_id: 987654321 })).json().errors).toHaveProperty('architect_id');
      const [pc] = (await f.get(`${PS}?${Q}`)).json();
      const line = await f.call('POST', `${PS}/${pc.id}/line_items?${Q}`, { payload: { line_item: { cost_code_id: 987654321 } } });
      expect(line.json().errors).toHaveProperty('cost_code_id');
    });

    it("another sandbox's prime contracts and lines are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`${P}?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      expect((await f.get(`${PS}?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const theirs = await f.rt.ctx.db
        .selectFrom('records')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .where('resource', '=', 'prime_contracts')
        .executeTakeFirstOrThrow();
      expect((await f.get(`${P}/${theirs.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.call('DELETE', `${P}/${theirs.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${PS}/${theirs.id}/line_items?${Q}`)).statusCode).toBe(404);
    });
  });
}
