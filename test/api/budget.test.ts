/**
 * Budget: seeded budget line items against the cost codes, committed costs from the seeded
 * commitments, create (automatic original budget = quantity × unit cost), update, one line per
 * cost code and type, budget views with detail and summary rows that follow the commitments,
 * 422s, another sandbox's ids → 404, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

interface Budget {
  id: number;
  original_budget_amount: number;
  committed_costs: number;
  projected_over_under: number;
  cost_code: { id: number; full_code: string };
  division: { full_code: string };
  line_item_type: { id: number; name: string };
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`budget on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    const B = '/rest/v1.0/budget_line_items';
    let codes: { id: number; full_code: string }[] = [];
    let types: { id: number; name: string }[] = [];
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
      codes = (await f.get(`/rest/v1.0/cost_codes?${Q}`)).json();
      types = (await f.get(`/rest/v1.0/line_item_types?company_id=${f.companyId}`)).json();
    });
    afterAll(() => f.rt.close());
    const code = (full: string) => codes.find((c) => c.full_code === full)!.id;
    const type = (name: string) => types.find((t) => t.name === name)!.id;

    it('seeds budget lines whose committed costs come from the seeded commitments', async () => {
      const res = await f.get(`/vapid/budget_line_items?${Q}`, { company: false });
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json() as Budget[];
      expect(validateAgainstSwagger('GET', '/vapid/budget_line_items', list)).toEqual([]);
      expect(list).toHaveLength(6);
      const concrete = list.find((b) => b.cost_code.full_code === '03-300' && b.line_item_type.name === 'Commitment')!;
      // Subcontract 1's two lines (22,200 + 8,075) are commitment lines on 03-300.
      expect(concrete).toMatchObject({
        original_budget_amount: 32000,
        committed_costs: 30275,
        projected_costs: 30275,
        projected_over_under: 1725,
        division: { full_code: '03' },
      });
      const shown = (await f.get(`${B}/${concrete.id}?${Q}`)).json();
      expect(validateAgainstSwagger('GET', '/vapid/budget_line_items/{id}', shown)).toEqual([]);
      expect(shown).toEqual(concrete);
      // Cost codes with a budget line are budgeted.
      const cc = (await f.get(`/rest/v1.0/cost_codes/${code('03-300')}?${Q}`)).json();
      expect(cc.budgeted).toBe(true);
      expect((await f.get(`/rest/v1.0/cost_codes/${code('03')}?${Q}`)).json().budgeted).toBe(false);
    });

    it('creates automatic lines, updates, refuses a second line for the same code and type', async () => {
      const post = (budget_line_item: Record<string, unknown>) =>
        f.call('POST', B, { payload: { project_id: f.projectId, budget_line_item } });
      const created = await post({
        cost_code_id: code('09-900'),
        line_item_type_id: type('Materials'),
        quantity: 300,
        unit_cost: 12.5,
        uom: 'gal',
      });
      expect(created.statusCode, created.body).toBe(201);
      const b = created.json();
      expect(validateAgainstSwagger('POST', '/vapid/budget_line_items', b)).toEqual([]);
      expect(b).toMatchObject({
        original_budget_amount: 3750,
        calculation_strategy: 'automatic',
        committed_costs: 0,
        projected_over_under: 3750,
      });
      const upd = await f.call('PATCH', `${B}/${b.id}?${Q}`, { payload: { budget_line_item: { quantity: 400, direct_costs: 500 } } });
      expect(upd.json()).toMatchObject({
        original_budget_amount: 5000,
        direct_costs: 500,
        projected_costs: 500,
        projected_over_under: 4500,
      });
      const manual = await f.call('PATCH', `${B}/${b.id}?${Q}`, {
        payload: { budget_line_item: { calculation_strategy: 'manual', original_budget_amount: 6200 } },
      });
      expect(manual.json()).toMatchObject({ original_budget_amount: 6200, calculation_strategy: 'manual' });
      const dup = await post({ cost_code_id: code('09-900'), line_item_type_id: type('Materials') });
      expect(dup.statusCode).toBe(422);
      expect(dup.json().errors).toEqual({ cost_code_id: ['has already been taken'] });
      const v11 = await f.call('GET', `/rest/v1.1/budget_line_items/${b.id}?${Q}`);
      expect(v11.json()).toMatchObject({ id: b.id, original_budget_amount: 6200 });
    });

    it('budget views: detail rows per line (committed costs follow a new commitment line), summary rows', async () => {
      const views = (await f.get(`/rest/v1.0/budget_views?${Q}`)).json();
      expect(views).toMatchObject([{ name: 'Procore Standard Budget' }]);
      const V = `/rest/v1.0/budget_views/${views[0].id}`;
      const rows = (await f.get(`${V}/detail_rows?${Q}`)).json();
      expect(rows.length).toBeGreaterThanOrEqual(6);
      const electrical = rows.find((r: { cost_code_id: number }) => r.cost_code_id === code('26-100'));
      expect(electrical).toMatchObject({
        cost_code: '26-100 - Electrical Service and Distribution',
        root_cost_code: '26 - Electrical',
        category: 'L - Labor',
        biller_type: 'Project',
        original_budget_amount: '52000.00',
        committed_costs: '48500.00',
      });
      // A new commitment line on 26-100 / Labor raises the committed costs.
      const [wo] = (await f.get(`/rest/v1.0/work_order_contracts?${Q}`)).json();
      await f.call('POST', `/rest/v1.0/work_order_contracts/${wo.id}/line_items?${Q}`, {
        payload: { line_item: { amount: '1500', cost_code_id: code('26-100'), line_item_type_id: type('Labor') } },
      });
      const again = (await f.get(`${V}/detail_rows?${Q}&cost_code_id[]=${code('26-100')}`)).json();
      expect(again).toHaveLength(1);
      expect(again[0].committed_costs).toBe('50000.00');
      const summary = (await f.get(`${V}/summary_rows?${Q}&group_by=root_cost_code`)).json();
      expect(summary.find((s: { name: string }) => s.name === '03 - Concrete')).toMatchObject({ original_budget_amount: '51500.00' });
      expect((await f.get(`${V}/summary_rows?${Q}&group_by=nonsense`)).statusCode).toBe(400);
      expect((await f.get(`/rest/v1.0/budget_views/987654321/detail_rows?${Q}`)).statusCode).toBe(404);
    });

    it('rejects bad bodies with 422', async () => {
      const post = (budget_line_item: Record<string, unknown>) => f.call('POST', `${B}?${Q}`, { payload: { budget_line_item } });
      const bad = await post({ calculation_strategy: 'guess', quantity: 'many' });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['calculation_strategy', 'quantity']);
      expect(Object.keys((await post({})).json().errors).sort()).toEqual(['cost_code_id', 'line_item_type_id']);
      expect((await post({ cost_code_id: 987654321, line_item_type_id: type('Labor') })).json().errors).toHaveProperty('cost_code_id');
    });

    it("another sandbox's budget lines and views are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`/rest/v1.0/budget_views?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const theirs = async (resource: string) =>
        (
          await f.rt.ctx.db
            .selectFrom('records')
            .select('id')
            .where('sandbox_id', '=', other.sandbox.id)
            .where('resource', '=', resource)
            .executeTakeFirstOrThrow()
        ).id;
      const line = await theirs('budget_line_items');
      expect((await f.get(`${B}/${line}?${Q}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${B}/${line}?${Q}`, { payload: { budget_line_item: { quantity: 1 } } })).statusCode).toBe(404);
      const view = await theirs('budget_views');
      expect((await f.get(`/rest/v1.0/budget_views/${view}/detail_rows?${Q}`)).statusCode).toBe(404);
    });
  });
}
