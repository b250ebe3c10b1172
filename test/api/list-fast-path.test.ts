/**
 * The list fast path (docs/decisions/0003-fast-path.md): `Total` from trigger-kept counts and
 * pages sought by id must answer exactly what counting and LIMIT/OFFSET would, through
 * creates, recycles, retrieves, filters and a second process, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { ENGINES, freshPostgresDatabase } from '../helpers/runtime.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: RFI list pages and Total`, () => {
    let f: ApiFixture;
    let g: ApiFixture;
    const url = () => `/rest/v1.0/projects/${f.projectId}/rfis`;
    beforeAll(async () => {
      const db = engine.name === 'postgres' ? await freshPostgresDatabase() : undefined;
      f = await createApiFixture({ engine: engine.name, db });
      // On PostgreSQL a second runtime (its own pool and caches) on the same database.
      g = engine.name === 'postgres' ? await createApiFixture({ db }) : f;
      for (let i = 0; i < 24; i++) {
        const res = await f.call('POST', url(), {
          payload: { rfi: { subject: `Fast ${i}`, question: { body: 'Q' }, rfi_manager_id: f.ids.users.arch } },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    });
    afterAll(async () => {
      if (g !== f) await g?.rt.close();
      await f?.rt.close();
    });

    /** Every id of every page, and each page's Total, as `fixture` sees them. */
    async function pages(fixture: ApiFixture, perPage: number, query = '') {
      const ids: number[] = [];
      const totals = new Set<string>();
      for (let page = 1; page <= 6; page++) {
        const res = await fixture.get(`${url()}?page=${page}&per_page=${perPage}${query}`);
        expect(res.statusCode, res.body).toBe(200);
        totals.add(String(res.headers['total']));
        ids.push(...res.json<{ id: number }[]>().map((r) => r.id));
      }
      return { ids, totals: [...totals] };
    }

    const live = async () =>
      (
        await f.rt.ctx.db
          .selectFrom('rfis')
          .select('id')
          .where('project_id', '=', f.projectId)
          .where('deleted_at', 'is', null)
          .orderBy('id')
          .execute()
      ).map((r) => r.id);

    it('pages in id order with the right Total, on either process', async () => {
      const expected = await live();
      expect(expected).toHaveLength(25);
      for (const fixture of [f, g]) {
        expect(await pages(fixture, 10)).toEqual({ ids: expected, totals: ['25'] });
        expect(await pages(fixture, 7)).toEqual({ ids: expected, totals: ['25'] });
      }
      const last = await f.get(`${url()}?page=3&per_page=10`);
      expect(last.headers['link']).not.toContain('rel="next"');
    });

    it('a recycle on one process shows at once on the other (Total, pages), and a retrieve brings it back', async () => {
      const before = await live();
      await pages(f, 10); // warm f's caches
      const victim = before[3]!;
      const recycled = await g.call('PATCH', `${url()}/${victim}/recycle`);
      expect(recycled.statusCode, recycled.body).toBe(200);
      const after = before.filter((id) => id !== victim);
      expect(await pages(f, 10)).toEqual({ ids: after, totals: ['24'] });
      expect(await pages(g, 10)).toEqual({ ids: after, totals: ['24'] });
      const retrieved = await g.call('PATCH', `${url()}/${victim}/retrieve`);
      expect(retrieved.statusCode, retrieved.body).toBe(200);
      expect(await pages(f, 10)).toEqual({ ids: before, totals: ['25'] });
      // Rows written outside the API (another tool on the same database) count too.
      await g.rt.ctx.db.updateTable('rfis').set({ deleted_at: '2026-01-01T00:00:00Z' }).where('id', '=', victim).execute();
      expect(await pages(f, 10)).toEqual({ ids: after, totals: ['24'] });
      await g.rt.ctx.db.updateTable('rfis').set({ deleted_at: null }).where('id', '=', victim).execute();
      expect(await pages(f, 10)).toEqual({ ids: before, totals: ['25'] });
    });

    it('filters and other sorts take the counting path and agree with it', async () => {
      const all = await live();
      const closed = all.slice(0, 5);
      await f.rt.ctx.db.updateTable('rfis').set({ status: 'closed' }).where('id', 'in', closed).execute();
      expect(await pages(f, 2, '&filters[status]=closed')).toEqual({ ids: closed, totals: ['5'] });
      const open = await pages(f, 10, '&filters[status]=open');
      expect(open).toEqual({ ids: all.slice(5), totals: ['20'] });
      const desc = await pages(f, 10, '&sort[attribute]=created_at&sort[direction]=desc');
      expect(desc.totals).toEqual(['25']);
      expect([...desc.ids].sort((a, b) => a - b)).toEqual(all);
      // Past the end: empty, with the real Total.
      const past = await f.get(`${url()}?page=40&per_page=10`);
      expect(past.json()).toEqual([]);
      expect(past.headers['total']).toBe('25');
    });
  });
}
