/**
 * Change events: seeded events with line items against the cost codes, the v1.0 and v1.1 shapes
 * of the same rows, numbering, statuses, create → show → update → delete (v1.1, recycle bin),
 * 422s, another sandbox's ids → 404, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

const errata = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"labor"/g, '"other"'));

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`change events on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    const E = '/rest/v1.0/change_events';
    const E11 = '/rest/v1.1/change_events';
    let paint = 0;
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
      paint = ((await f.get(`/rest/v1.0/cost_codes?${Q}`)).json() as { id: number; full_code: string }[]).find(
        (c) => c.full_code === '09-900',
      )!.id;
    });
    afterAll(() => f.rt.close());

    it('seeds numbered events with line items, in the v1.0 and v1.1 shapes', async () => {
      const res = await f.get(`${E}?${Q}`);
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json();
      expect(validateAgainstSwagger('GET', '/vapid/change_events', errata(list))).toEqual([]);
      expect(list.map((e: { number: number }) => e.number)).toEqual([1, 2]);
      expect(list[0]).toMatchObject({
        alphanumeric_number: '1',
        status: 'open',
        change_event_status: { name: 'Open' },
        event_type: 'owner_change',
        event_scope: 'out_of_scope',
        project_id: f.projectId,
      });
      expect(
        list[0].change_event_line_items.map((l: { rom: number; cost_code: { full_code: string } }) => [l.rom, l.cost_code.full_code]),
      ).toEqual([
        [8400, '03-300'],
        [2150, '03-300'],
      ]);
      const one = (await f.get(`${E}/${list[0].id}?${Q}`)).json();
      expect(one).toEqual(list[0]);
      const v11 = (await f.get(`${E11}/${list[0].id}?${Q}`)).json();
      expect(v11).toMatchObject({
        id: list[0].id,
        number: '1',
        scope: 'out_of_scope',
        status: { id: 1, name: 'Open', mapped_to_status: 'open' },
        company_id: f.companyId,
        in_recycle_bin: false,
      });
      expect(v11.change_items[0]).toMatchObject({
        cost_impact: { value: '8400.00' },
        revenue_impact: { value: '9660.00' },
        budget_code: { code: '03-300' },
      });
      expect((await f.get(`${E11}?${Q}`)).json()).toHaveLength(2);
      const statuses = (await f.get(`/rest/v1.0/change_event/statuses?${Q}`)).json();
      expect(statuses.map((s: { name: string }) => s.name)).toEqual(['Open', 'Pending', 'Closed']);
      expect((await f.get(`/vapid/change_events?${Q}`, { company: false })).json()).toHaveLength(2);
    });

    it('creates (numbered) with line items, updates on both versions, deletes to the recycle bin', async () => {
      const created = await f.call('POST', E, {
        payload: {
          project_id: f.projectId,
          change_event: {
            title: 'Repaint stair 2',
            event_type: 'tbd',
            change_event_line_items: [{ description: 'Stair 2 walls', cost_code_id: paint, rom: 950 }],
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const e = created.json();
      expect(validateAgainstSwagger('POST', '/vapid/change_events', errata(e))).toEqual([]);
      expect(e).toMatchObject({ number: 3, status: 'open', title: 'Repaint stair 2' });
      expect(e.change_event_line_items).toMatchObject([{ description: 'Stair 2 walls', rom: 950, cost_code: { id: paint } }]);
      const closed = await f.call('PATCH', `${E}/${e.id}?${Q}`, { payload: { change_event: { change_event_status_id: 3 } } });
      expect(closed.json()).toMatchObject({
        status: 'closed',
        change_event_status: { name: 'Closed' },
        change_event_line_items: [{ rom: 950 }],
      });
      const v11 = await f.call('PATCH', `${E11}/${e.id}?${Q}`, {
        payload: { change_event: { title: 'Repaint stair 2 and 3', status: { id: 2 }, scope: 'in_scope' } },
      });
      expect(v11.statusCode, v11.body).toBe(200);
      expect(v11.json()).toMatchObject({ title: 'Repaint stair 2 and 3', status: { name: 'Pending' }, scope: 'in_scope' });
      const v11created = await f.call('POST', `${E11}?${Q}`, { payload: { change_event: { title: 'From v1.1' } } });
      expect(v11created.json()).toMatchObject({ number: '4', status: { name: 'Open' } });
      expect((await f.call('DELETE', `${E11}/${e.id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${E}/${e.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${E11}/${e.id}?${Q}`)).statusCode).toBe(404);
    });

    it('rejects bad bodies and foreign references with 422', async () => {
      const before = Number((await f.get(`${E}?${Q}`)).headers['total']);
      const post = (change_event: Record<string, unknown>) => f.call('POST', `${E}?${Q}`, { payload: { change_event } });
      const bad = await post({ event_type: 'whim', change_event_status_id: 9 });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['change_event_status_id', 'event_type']);
      const line = await post({ title: 'x', change_event_line_items: [{ cost_code_id: 987654321 }] });
      expect(line.statusCode).toBe(422);
      expect(Object.keys(line.json().errors)).toEqual(['change_event_line_items[0].cost_code_id']);
      expect(Number((await f.get(`${E}?${Q}`)).headers['total'])).toBe(before);
    });

    it('change order packages: numbered per contract, typed by it, feeding its totals', async () => {
      const C = '/rest/v1.0/change_order_packages';
      const [, wo] = (await f.get(`/rest/v1.0/work_order_contracts?${Q}`)).json();
      const post = (change_order: Record<string, unknown>, contract_id: unknown = wo.id) =>
        f.call('POST', C, { payload: { project_id: f.projectId, contract_id, change_order } });
      // Seeded: an approved change order on subcontract 2, a pending one on the prime contract.
      const seeded = (await f.get(`${C}?${Q}`)).json();
      expect(seeded.map((c: { number: string; status: string; grand_total: string }) => [c.number, c.status, c.grand_total])).toEqual([
        ['1', 'approved', '3200.00'],
        ['1', 'pending', '12130.00'],
      ]);
      expect(validateAgainstSwagger('GET', '/vapid/change_order_packages', seeded)).toEqual([]);
      const a = await post({ title: 'Added circuits', grand_total: '3200', status: 'approved' });
      expect(a.statusCode, a.body).toBe(201);
      expect(validateAgainstSwagger('POST', '/vapid/change_order_packages', a.json())).toEqual([]);
      expect(a.json()).toMatchObject({ contract_id: wo.id, number: '2', grand_total: '3200.00', type: 'CommitmentContractChangeOrder' });
      const b = await post({ title: 'Relocated panel', grand_total: 800, status: 'pending' });
      expect(b.json()).toMatchObject({ number: '3', status: 'pending' });
      expect((await f.get(`/rest/v1.0/work_order_contracts/${wo.id}?${Q}`)).json()).toMatchObject({
        grand_total: '48500.00',
        approved_change_orders: '6400.00',
        pending_change_orders: '800.00',
        revised_contract: '54900.00',
        pending_revised_contract: '55700.00',
      });
      const upd = await f.call('PATCH', `${C}/${b.json().id}?${Q}`, { payload: { change_order: { status: 'approved' } } });
      expect(upd.json()).toMatchObject({ status: 'approved', number: '3', contract_id: wo.id });
      expect((await f.get(`/rest/v1.0/work_order_contracts/${wo.id}?${Q}`)).json().revised_contract).toBe('55700.00');
      expect((await f.get(`${C}?${Q}&contract_id=${wo.id}`)).json()).toHaveLength(3);
      const [pc] = (await f.get(`/rest/v1.0/prime_contracts?${Q}`)).json();
      const prime = await post({ title: 'Owner change 1', grand_total: '9660', status: 'approved' }, pc.id);
      expect(prime.json()).toMatchObject({ number: '2', type: 'PrimeContractChangeOrder' });
      expect((await f.get(`/rest/v1.0/prime_contract/${pc.id}?${Q}`)).json()).toMatchObject({
        revised_contract_amount: '161160.00',
        pending_revised_contract_amount: '173290.00',
      });
      expect((await post({ title: 'x' }, 987654321)).json().errors).toHaveProperty('contract_id');
      expect((await post({ grand_total: 'lots' })).json().errors).toHaveProperty('grand_total');
      expect((await f.call('POST', `${C}?${Q}`, { payload: { change_order: { title: 'x' } } })).statusCode).toBe(400);
    });

    it('potential change orders: seeded, numbered per contract, naming the project’s change events', async () => {
      const P = '/rest/v1.0/potential_change_orders';
      const [pc] = (await f.get(`/rest/v1.0/prime_contracts?${Q}`)).json();
      const [, wo] = (await f.get(`/rest/v1.0/work_order_contracts?${Q}`)).json();
      const seeded = (await f.get(`${P}?${Q}`)).json();
      expect(
        seeded.map((c: { contract_id: number; number: string; status: string; grand_total: string }) => [
          c.contract_id,
          c.number,
          c.status,
          c.grand_total,
        ]),
      ).toEqual([
        [pc.id, '1', 'pending', '12130.00'],
        [pc.id, '2', 'draft', '2100.00'],
        [wo.id, '1', 'approved', '3200.00'],
      ]);
      const grandTotalAsString = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"grand_total":"([\d.]+)"/g, '"grand_total":$1'));
      expect(validateAgainstSwagger('GET', '/vapid/potential_change_orders', grandTotalAsString(seeded))).toEqual([]);
      expect((await f.get(`${P}?${Q}&filters[contract_id]=${wo.id}`)).json()).toHaveLength(1);
      expect((await f.get(`${P}?${Q}&contract_id=${pc.id}`)).json()).toHaveLength(2);
      const [event] = (await f.get(`${E}?${Q}`)).json();
      const made = await f.call('POST', P, {
        payload: {
          project_id: f.projectId,
          contract_id: pc.id,
          change_order: { title: 'Rock at F4', grand_total: 5400.5, prime_change_event_id: event.id },
        },
      });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({
        number: '3',
        status: 'draft',
        grand_total: '5400.50',
        prime_change_event_id: event.id,
        contract_id: pc.id,
      });
      expect(validateAgainstSwagger('GET', '/vapid/potential_change_orders/{id}', grandTotalAsString(made.json()))).toEqual([]);
      const id = made.json().id;
      const upd = await f.call('PATCH', `${P}/${id}?${Q}`, { payload: { change_order: { status: 'approved' } } });
      expect(upd.json()).toMatchObject({ status: 'approved', number: '3', void: false });
      expect((await f.get(`${P}/${id}?${Q}`)).json()).toMatchObject({ status: 'approved', title: 'Rock at F4' });
      const post = (change_order: Record<string, unknown>, contract_id: unknown = pc.id) =>
        f.call('POST', P, { payload: { project_id: f.projectId, contract_id, change_order } });
      expect((await post({ title: 'x', prime_change_event_id: 987654321 })).json().errors).toHaveProperty('prime_change_event_id');
      expect((await post({ title: 'x' }, 987654321)).json().errors).toHaveProperty('contract_id');
      expect((await post({ status: 'maybe' })).statusCode).toBe(422);
      expect((await f.get(`${P}?${Q}`)).json()).toHaveLength(4); // the refused writes stored nothing
      const synced = await f.call('PATCH', `${P}/sync?${Q}&contract_id=${pc.id}`, {
        payload: {
          updates: [{ id, title: 'Rock at footing F4' }, { title: 'Winter protection', grand_total: '800' }, { status: 'maybe' }],
        },
      });
      expect(synced.statusCode, synced.body).toBe(200);
      expect(synced.json().entities.map((e: { number: string; title: string }) => [e.number, e.title])).toEqual([
        ['3', 'Rock at footing F4'],
        ['4', 'Winter protection'],
      ]);
      expect(synced.json().errors).toEqual([{ status: 'maybe', errors: { status: [expect.any(String)] } }]);
      expect((await f.get(`${P}?${Q}`)).json()).toHaveLength(5);
    });

    it('change order requests: seeded, numbered per contract, in a package of the same contract, filtered by status', async () => {
      const R = '/rest/v1.0/change_order_requests';
      const [pc] = (await f.get(`/rest/v1.0/prime_contracts?${Q}`)).json();
      const [, wo] = (await f.get(`/rest/v1.0/work_order_contracts?${Q}`)).json();
      const seeded = (await f.get(`${R}?${Q}&contract_id=${pc.id}`)).json();
      expect(seeded.map((c: { number: string; status: string; grand_total: string }) => [c.number, c.status, c.grand_total])).toEqual([
        ['1', 'pending', '12130.00'],
      ]);
      const grandTotalAsNumber = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"grand_total":"([\d.]+)"/g, '"grand_total":$1'));
      expect(validateAgainstSwagger('GET', '/vapid/change_order_requests', grandTotalAsNumber(seeded))).toEqual([]);
      const packages = (await f.get(`/rest/v1.0/change_order_packages?${Q}&contract_id=${pc.id}`)).json() as { id: number }[];
      const post = (change_order: Record<string, unknown>, contract_id: unknown = pc.id) =>
        f.call('POST', R, { payload: { project_id: f.projectId, contract_id, change_order } });
      const made = await post({ title: 'Owner changes, level 2', grand_total: '9660', change_order_package_id: packages[0]!.id });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({ number: '2', status: 'draft', grand_total: '9660.00', change_order_package_id: packages[0]!.id });
      expect(validateAgainstSwagger('GET', '/vapid/change_order_requests/{id}', grandTotalAsNumber(made.json()))).toEqual([]);
      const wrongPackage = await post({ title: 'x', change_order_package_id: packages[0]!.id }, wo.id);
      expect(wrongPackage.json().errors).toHaveProperty('change_order_package_id');
      expect((await f.get(`${R}?${Q}&filters[status]=draft`)).json().map((c: { id: number }) => c.id)).toEqual([made.json().id]);
      expect((await f.get(`${R}?${Q}&filters[not_status]=draft`)).json()).toHaveLength(1);
      expect((await f.get(`${R}?${Q}&filters[change_order_package_id]=${packages[0]!.id}`)).json()).toHaveLength(1);
      const upd = await f.call('PATCH', `${R}/${made.json().id}?${Q}`, { payload: { change_order: { status: 'approved' } } });
      expect(upd.json()).toMatchObject({ status: 'approved', number: '2' });
      expect((await f.get(`${R}?${Q}`)).json()).toHaveLength(2); // the refused create stored nothing
    });

    it("another sandbox's change events are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`${E}?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const theirs = await f.rt.ctx.db
        .selectFrom('records')
        .select('id')
        .where('sandbox_id', '=', other.sandbox.id)
        .where('resource', '=', 'change_events')
        .executeTakeFirstOrThrow();
      expect((await f.get(`${E}/${theirs.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${E11}/${theirs.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${E}/${theirs.id}?${Q}`, { payload: { change_event: { title: 'x' } } })).statusCode).toBe(404);
      expect((await f.call('DELETE', `${E11}/${theirs.id}?${Q}`)).statusCode).toBe(404);
    });
  });
}
