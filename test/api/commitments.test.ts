/**
 * Commitments: work order and purchase order contracts with their line items — seeded against
 * the seeded vendors and cost codes, numbering per project, amount = quantity × unit cost,
 * grand totals from the lines, vendor/cost code references checked (422), delete to the recycle
 * bin, another sandbox's contracts and lines → 404, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

interface Line {
  id: number;
  amount: string;
  quantity: number | null;
  unit_cost: number | null;
  extended_type: string;
  position: number;
  cost_code: { id: number; full_code: string } | null;
  line_item_type: { id: number; name: string } | null;
  holder: { id: number; holder_type: string };
}

// The 2017 file's line item base types lack `labor` (today's catalogue has it).
const errata = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"labor"/g, '"other"'));

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`commitments on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    const W = '/rest/v1.0/work_order_contracts';
    const P = '/rest/v1.0/purchase_order_contracts';
    let costCode = 0;
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
      const codes = (await f.get(`/rest/v1.0/cost_codes?${Q}`)).json() as { id: number; full_code: string }[];
      costCode = codes.find((c) => c.full_code === '09-900')!.id;
    });
    afterAll(() => f.rt.close());

    it('seeds subcontracts and a purchase order whose vendors, cost codes and totals hold', async () => {
      const res = await f.get(`${W}?${Q}`);
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json();
      expect(validateAgainstSwagger('GET', '/vapid/work_order_contracts', list)).toEqual([]);
      expect(list.map((c: { number: string }) => c.number)).toEqual(['1', '2']);
      expect(list[0]).toMatchObject({
        title: 'Concrete Foundations and Slabs',
        status: 'Approved',
        vendor: { id: expect.any(Number), company: 'Test Subcontractor Co.' },
        grand_total: '30275.00',
        revised_contract: '30275.00',
        project: { id: f.projectId },
      });
      expect(list[0]).not.toHaveProperty('line_items');
      const one = (await f.get(`${W}/${list[0].id}?${Q}`)).json();
      expect(validateAgainstSwagger('GET', '/vapid/work_order_contracts/{id}', errata(one))).toEqual([]);
      expect(one.line_items.map((l: Line) => [l.amount, l.cost_code?.full_code, l.line_item_type?.name])).toEqual([
        ['22200.00', '03-300', 'Commitment'],
        ['8075.00', '03-300', 'Commitment'],
      ]);
      const lines = (await f.get(`${W}/${list[0].id}/line_items?${Q}`)).json();
      expect(validateAgainstSwagger('GET', '/vapid/work_order_contracts/{work_order_contract_id}/line_items', errata(lines))).toEqual([]);
      expect(lines).toEqual(one.line_items);
      expect(lines[0].holder).toEqual({ id: list[0].id, holder_type: 'WorkOrderContract' });

      const pos = (await f.get(`${P}?${Q}`)).json();
      expect(validateAgainstSwagger('GET', '/vapid/purchase_order_contracts', pos)).toEqual([]);
      expect(pos).toHaveLength(1);
      expect(pos[0]).toMatchObject({ number: '1', status: 'Submitted', grand_total: '20985.00', assignee: { id: f.ids.users.demo } });
      const po = (await f.get(`${P}/${pos[0].id}?${Q}`)).json();
      expect(validateAgainstSwagger('GET', '/vapid/purchase_order_contracts/{id}', errata(po))).toEqual([]);
      expect(po.line_items).toHaveLength(2);
      expect((await f.get(`${W}?${Q}&filters[status][]=Draft`)).json()).toHaveLength(0);
      expect((await f.get(`${W}?${Q}&filters[status][]=Approved`)).json()).toHaveLength(1);
      expect((await f.get(`/vapid/work_order_contracts?${Q}`, { company: false })).json()).toHaveLength(2);
    });

    it('numbers a new subcontract, computes its lines and grand total, updates and deletes', async () => {
      const created = await f.call('POST', W, {
        payload: { project_id: f.projectId, work_order_contract: { title: 'Drywall and Paint', vendor_id: f.ids.vendor, status: 'Draft' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const c = created.json();
      expect(validateAgainstSwagger('POST', '/vapid/work_order_contracts', c)).toEqual([]);
      expect(c).toMatchObject({ number: '3', grand_total: '0.00', line_items: [], executed: false, accounting_method: 'amount' });
      const L = `${W}/${c.id}/line_items`;
      const post = (line_item: Record<string, unknown>) => f.call('POST', `${L}?${Q}`, { payload: { line_item } });
      const a = await post({ description: 'Paint', quantity: '1200', unit_cost: '3.15', cost_code_id: costCode, uom: 'sf' });
      expect(a.statusCode, a.body).toBe(201);
      expect(validateAgainstSwagger('POST', '/vapid/work_order_contracts/{work_order_contract_id}/line_items', errata(a.json()))).toEqual(
        [],
      );
      expect(a.json()).toMatchObject({ amount: '3780.00', quantity: 1200, unit_cost: 3.15, extended_type: 'calculated', position: 1 });
      expect(a.json().cost_code).toMatchObject({ id: costCode, full_code: '09-900' });
      const b = await post({ description: 'Allowance', amount: '500' });
      expect(b.json()).toMatchObject({ amount: '500.00', extended_type: 'manual', position: 2, cost_code: null });
      expect((await f.get(`${W}/${c.id}?${Q}`)).json().grand_total).toBe('4280.00');

      const changed = await f.call('PATCH', `${L}/${a.json().id}?${Q}`, { payload: { line_item: { quantity: 1000 } } });
      expect(changed.json()).toMatchObject({ amount: '3150.00', quantity: 1000 });
      expect((await f.get(`${L}?${Q}&filters[cost_code_id]=${costCode}`)).json().map((l: Line) => l.id)).toEqual([a.json().id]);
      expect((await f.call('DELETE', `${L}/${b.json().id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${L}/${b.json().id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${W}/${c.id}?${Q}`)).json().grand_total).toBe('3150.00');

      const upd = await f.call('PATCH', `${W}/${c.id}?${Q}`, { payload: { work_order_contract: { status: 'Approved', executed: true } } });
      expect(upd.json()).toMatchObject({ status: 'Approved', executed: true, title: 'Drywall and Paint', grand_total: '3150.00' });
      expect((await f.call('DELETE', `${W}/${c.id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${W}/${c.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${L}?${Q}`)).statusCode).toBe(404);
      // Numbers continue past the deleted contract; a purchase order numbers on its own.
      const next = await f.call('POST', `${W}?${Q}`, { payload: { work_order_contract: { title: 'Next' } } });
      expect(next.json().number).toBe('4');
      const po = await f.call('POST', `${P}?${Q}`, {
        payload: { purchase_order_contract: { title: 'Rebar', assignee_id: f.ids.users.sub } },
      });
      expect(po.statusCode, po.body).toBe(201);
      expect(po.json()).toMatchObject({ number: '2', assignee: { id: f.ids.users.sub }, status: 'Draft' });
    });

    it('unit-based contracts calculate their lines', async () => {
      const c = (
        await f.call('POST', `${P}?${Q}`, { payload: { purchase_order_contract: { title: 'Unit PO', accounting_method: 'unit' } } })
      ).json();
      const L = `${P}/${c.id}/line_items`;
      const missing = await f.call('POST', `${L}?${Q}`, { payload: { line_item: { description: 'No quantity', unit_cost: 2 } } });
      expect(missing.statusCode).toBe(422);
      expect(missing.json().errors).toEqual({ quantity: ["can't be blank"] });
      const ok = await f.call('POST', `${L}?${Q}`, { payload: { line_item: { quantity: 3, unit_cost: 2.5 } } });
      expect(ok.json()).toMatchObject({ amount: '7.50', extended_type: 'calculated', holder: { holder_type: 'PurchaseOrderContract' } });
    });

    it('rejects bad bodies and foreign references with 422, changing nothing', async () => {
      const before = Number((await f.get(`${W}?${Q}`)).headers['total']);
      const post = (work_order_contract: Record<string, unknown>) => f.call('POST', `${W}?${Q}`, { payload: { work_order_contract } });
      const bad = await post({ status: 'Signed', contract_date: 'soon' });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['contract_date', 'status']);
      const vendor = await post({ title: 'x', vendor_id: 987654321 });
      expect(vendor.statusCode).toBe(422);
      expect(vendor.json().errors).toEqual({ vendor_id: ['vendor 987654321 is not a vendor of this company'] });
      expect(Number((await f.get(`${W}?${Q}`)).headers['total'])).toBe(before);
      const [first] = (await f.get(`${W}?${Q}`)).json();
      const L = `${W}/${first.id}/line_items`;
      const count = (await f.get(`${L}?${Q}`)).json().length;
      const line = await f.call('POST', `${L}?${Q}`, {
        payload: { line_item: { amount: 'lots', cost_code_id: 987654321, line_item_type_id: 987654321 } },
      });
      expect(line.statusCode).toBe(422);
      expect(Object.keys(line.json().errors).sort()).toEqual(['amount', 'cost_code_id', 'line_item_type_id']);
      expect((await f.get(`${L}?${Q}`)).json()).toHaveLength(count);
    });

    it("another sandbox's contracts and lines are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`${W}?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const theirs = async (resource: string) =>
        await f.rt.ctx.db
          .selectFrom('records')
          .select(['id', 'parent_id'])
          .where('sandbox_id', '=', other.sandbox.id)
          .where('resource', '=', resource)
          .executeTakeFirstOrThrow();
      const wo = await theirs('work_order_contracts');
      expect((await f.get(`${W}/${wo.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${W}/${wo.id}?${Q}`, { payload: { work_order_contract: { title: 'x' } } })).statusCode).toBe(404);
      expect((await f.call('DELETE', `${W}/${wo.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${W}/${wo.id}/line_items?${Q}`)).statusCode).toBe(404);
      const line = await theirs('work_order_contract_line_items');
      const [mine] = (await f.get(`${W}?${Q}`)).json();
      expect((await f.get(`${W}/${mine.id}/line_items/${line.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${W}/${line.parent_id}/line_items/${line.id}?${Q}`)).statusCode).toBe(404);
      const po = await theirs('purchase_order_contracts');
      expect((await f.get(`${P}/${po.id}?${Q}`)).statusCode).toBe(404);
    });
  });
}
