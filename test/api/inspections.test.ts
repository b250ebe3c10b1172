/**
 * Inspections (checklists): seeded templates and checklists with sections, items and responses;
 * create from a template (numbered, sections copied) → show → list → update (closing stamps
 * closed_at) → delete (recycle bin, restore); sections, items and item responses; the grouped
 * `/checklist/lists` list; filters; bad bodies; another sandbox's ids, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`inspections on ${engine.name}`, () => {
    let f: ApiFixture;
    let L = '';
    let P = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      P = `/rest/v1.0/projects/${f.projectId}`;
      L = `${P}/checklist/lists`;
    });
    afterAll(() => f.rt.close());
    const ids = async (q: string) => (await f.get(`${L}?${q}`)).json().map((o: { id: number }) => o.id);

    it('seeds templates and numbered checklists whose sections, items, locations and people exist', async () => {
      const templates = (await f.get(`${P}/checklist/list_templates`)).json();
      expect(templates.map((t: { name: string }) => t.name)).toEqual([
        'Concrete Pre-Pour Inspection',
        'Weekly Site Safety Inspection',
        'Drywall Pre-Close Inspection',
      ]);
      expect(templates[0]).toMatchObject({ inspection_type: { name: 'Pre-Pour' }, items_count: 5 });
      const res = await f.get(L);
      expect(res.statusCode, res.body).toBe(200);
      const lists = res.json();
      expect(lists.map((l: { number: number }) => l.number)).toEqual([1, 2, 3]);
      expect(lists.map((l: { status: string }) => l.status)).toEqual(['Closed', 'In Review', 'Open']);
      const locs = new Map(((await f.get(`${P}/locations`)).json() as { id: number; name: string }[]).map((l) => [l.id, l.name]));
      for (const l of lists) {
        expect(locs.get(l.location.id)).toBe(l.location.name);
        expect(l.inspectors[0].id).toBe(f.ids.users.demo);
        expect(l.point_of_contact.id).toBe(f.ids.users.sub);
        expect(l.responsible_contractor.id).toBeGreaterThan(0);
      }
      expect(lists[0]).toMatchObject({ item_count: 5, conforming_item_count: 4, not_applicable_item_count: 1, deficient_item_count: 0 });
      expect(lists[0].closed_at).toMatch(/Z$/);
      expect(lists[0].closed_by.id).toBe(f.ids.users.demo);
      expect(lists[1]).toMatchObject({ item_count: 4, conforming_item_count: 2, deficient_item_count: 1, inspected_item_count: 3 });
      const sections = (await f.get(`${P}/checklist/list_sections?filters[list_id][]=${lists[1].id}`)).json();
      expect(sections.map((s: { name: string }) => s.name)).toEqual(['Fall Protection', 'Housekeeping']);
      const items = (await f.get(`${P}/checklist/list_items?filters[list_id][]=${lists[1].id}`)).json();
      expect(items).toHaveLength(4);
      expect(items[0]).toMatchObject({ status: 'no', section_id: sections[0].id, item_response: { status: 'non_conforming' } });
      const deficient = await f.get(`${P}/checklist/list_items?filters[item_response_status]=non_conforming`);
      expect(deficient.json().map((i: { id: number }) => i.id)).toEqual([items[0].id]);

      // Filters and sorts of the catalogue.
      expect(await ids('filters[status]=2')).toEqual([lists[0].id]);
      expect(await ids(`filters[template_id][]=${templates[1].id}`)).toEqual([lists[1].id]);
      expect(await ids(`filters[inspector_id][]=${f.ids.users.demo}`)).toHaveLength(3);
      expect(await ids(`filters[inspector_id][]=${f.ids.users.arch}`)).toEqual([]);
      expect(await ids('filters[query]=drywall')).toEqual([lists[2].id]);
      expect(await ids('sort=-number')).toEqual([lists[2].id, lists[1].id, lists[0].id]);

      // The older list: grouped by template.
      const grouped = (await f.get(`/rest/v1.0/checklist/lists?project_id=${f.projectId}`)).json();
      expect(grouped.map((g: { name: string }) => g.name)).toEqual(templates.map((t: { name: string }) => t.name));
      expect(grouped[0].lists[0].id).toBe(lists[0].id);
      const open = (await f.get(`/vapid/checklist/lists?project_id=${f.projectId}&filters[status][]=open`, { company: false })).json();
      expect(open.flatMap((g: { lists: { id: number }[] }) => g.lists.map((l) => l.id))).toEqual([lists[2].id]);
      const types = (await f.get(`/rest/v1.0/companies/${f.companyId}/inspection_types`)).json();
      expect(types.map((t: { name: string }) => t.name)).toEqual(['Commissioning', 'Environmental', 'Pre-Pour', 'Quality', 'Safety']);
      expect(lists[1].inspection_type).toMatchObject({ id: types[4].id, name: 'Safety' });
      // Inspection types are the company's rows: created, renamed (names unique), referenced.
      const T = `/rest/v1.0/companies/${f.companyId}/inspection_types`;
      const made = await f.call('POST', T, { payload: { inspection_type: { name: 'Fire Stopping' } } });
      expect(made.statusCode, made.body).toBe(201);
      expect((await f.call('POST', T, { payload: { inspection_type: { name: 'Safety' } } })).json().errors).toEqual({
        name: ['has already been taken'],
      });
      const typed = await f.call('PATCH', `${L}/${lists[2].id}`, { payload: { list: { inspection_type_id: made.json().id } } });
      expect(typed.json().inspection_type).toMatchObject({ name: 'Fire Stopping' });
      expect((await f.call('DELETE', `${T}/${made.json().id}`)).statusCode).toBe(204);
      expect((await f.get(`${L}/${lists[2].id}`)).json().inspection_type).toBeNull();
      expect((await f.get(`/rest/v1.0/checklist/item_types?project_id=${f.projectId}&company_id=${f.companyId}`)).json()).toHaveLength(5);
    });

    it('creates from a template (numbered, sections copied), responds, closes, recycles and restores', async () => {
      const templates = (await f.get(`${P}/checklist/list_templates`)).json();
      const created = await f.call('POST', L, {
        payload: { list_template_id: templates[0].id, list: { inspector_ids: [f.ids.users.arch], inspection_date: '2026-12-01' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const l = created.json();
      expect(l).toMatchObject({
        number: 4,
        status: 'Open',
        name: 'Concrete Pre-Pour Inspection',
        list_template_id: templates[0].id,
        inspection_type: { name: 'Pre-Pour' },
        item_count: 5,
        conforming_item_count: 0,
        inspectors: [{ id: f.ids.users.arch }],
        created_by: { login: 'sandbox+demo@example.com' },
        closed_at: null,
        private: true,
      });
      expect((await f.get(`${L}/${l.id}`)).json()).toEqual(l);
      const Q = `project_id=${f.projectId}`;
      const sections = (await f.get(`${P}/checklist/list_sections?filters[list_id][]=${l.id}`)).json();
      expect(sections.map((s: { name: string }) => s.name)).toEqual(['Formwork', 'Reinforcement']);
      const items = (await f.get(`${P}/checklist/list_items?filters[list_id][]=${l.id}`)).json();
      const S = `/rest/v1.0/checklist/lists/${l.id}`;
      const item = await f.call('PATCH', `${S}/items/${items[0].id}`, {
        payload: { project_id: f.projectId, section_id: items[0].section_id, item: { status: 'yes' } },
      });
      expect(item.statusCode, item.body).toBe(200);
      expect(item.json()).toMatchObject({ status: 'yes', item_response: { status: 'conforming', responder: { id: f.ids.users.demo } } });
      // An item through another section is the one 404.
      expect((await f.get(`${S}/items/${items[0].id}?${Q}&section_id=${sections[1].id}`)).statusCode).toBe(404);
      const R = `${P}/checklist/items/${items[1].id}/item_response`;
      const resp = await f.call('POST', R, { payload: { item_response: { status: 'non_conforming', text_value: 'Form gap at F2' } } });
      expect(resp.statusCode, resp.body).toBe(201);
      expect(resp.json()).toMatchObject({ status: 'non_conforming', payload: { text_value: 'Form gap at F2' } });
      expect((await f.get(`${S}/items/${items[1].id}?${Q}`)).json().status).toBe('no');
      expect((await f.get(`${L}/${l.id}`)).json()).toMatchObject({ conforming_item_count: 1, deficient_item_count: 1 });
      expect((await f.call('DELETE', R)).statusCode).toBe(204);
      expect((await f.get(R)).json()).toMatchObject({ status: null });

      // A new section with items; not applicable marks its items n/a; deleting it removes them.
      const sec = await f.call('POST', `${S}/sections`, {
        payload: {
          project_id: f.projectId,
          section: { name: 'Embeds', position: 3, items_attributes: [{ name: 'Anchor bolts set', position: 1 }] },
        },
      });
      expect(sec.statusCode, sec.body).toBe(201);
      expect(sec.json()).toMatchObject({ name: 'Embeds', list_id: l.id, not_applicable: false });
      const toggled = await f.call('PATCH', `${S}/sections/${sec.json().id}/toggle_not_applicable?${Q}`);
      expect(toggled.json().not_applicable).toBe(true);
      expect((await f.get(`${L}/${l.id}`)).json()).toMatchObject({ item_count: 6, not_applicable_item_count: 1 });
      expect((await f.call('DELETE', `${S}/sections/${sec.json().id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${L}/${l.id}`)).json().item_count).toBe(5);

      const closed = await f.call('PATCH', `${L}/${l.id}`, { payload: { list: { status: 'closed', description: 'Passed' } } });
      expect(closed.json()).toMatchObject({ status: 'Closed', description: 'Passed', closed_by: { id: f.ids.users.demo } });
      expect(closed.json().closed_at).toMatch(/Z$/);
      const reopened = await f.call('PATCH', `/rest/v1.1/projects/${f.projectId}/checklist/lists/${l.id}`, {
        payload: { list: { status: 'in_review' } },
      });
      expect(reopened.json()).toMatchObject({ status: 'In Review', closed_at: null, closed_by: null });

      // The older path reads and writes the same rows.
      const older = await f.call('POST', `/rest/v1.0/checklist/lists`, {
        payload: { project_id: f.projectId, template_id: templates[2].id, list: { name: 'Drywall Pre-Close: Level 2' } },
      });
      expect(older.statusCode, older.body).toBe(201);
      expect(older.json()).toMatchObject({ number: 5, name: 'Drywall Pre-Close: Level 2', item_count: 3 });
      expect((await f.get(`/rest/v1.0/checklist/lists/${l.id}?${Q}`)).json().id).toBe(l.id);

      expect((await f.call('DELETE', `${L}/${l.id}`)).statusCode).toBe(204);
      expect((await f.get(`${L}/${l.id}`)).statusCode).toBe(404);
      const bin = (await f.get(`${P}/recycle_bin/checklist/lists`)).json();
      expect(bin.map((x: { id: number }) => x.id)).toEqual([l.id]);
      expect((await f.get(`${P}/recycle_bin/checklist/lists/${l.id}`)).json().deleted).toBe(true);
      const restored = await f.call('PATCH', `${P}/recycle_bin/checklist/lists/${l.id}/restore`);
      expect(restored.statusCode, restored.body).toBe(200);
      expect(restored.json()).toMatchObject({ id: l.id, deleted: false, item_count: 5 });
      expect((await f.call('PATCH', `${P}/recycle_bin/checklist/lists/${l.id}/restore`)).statusCode).toBe(404);
      // Numbers keep counting past recycled checklists.
      await f.call('DELETE', `/rest/v1.1/projects/${f.projectId}/checklist/lists/${older.json().id}`);
      const next = await f.call('POST', L, { payload: { list_template_id: templates[1].id, list: {} } });
      expect(next.json().number).toBe(6);
    });

    it('rejects bad bodies and foreign references with 422, changing nothing', async () => {
      const before = Number((await f.get(L)).headers['total']);
      const templates = (await f.get(`${P}/checklist/list_templates`)).json();
      const post = (payload: Record<string, unknown>) => f.call('POST', L, { payload });
      expect((await post({ list: {} })).json().errors).toHaveProperty('list_template_id');
      expect((await post({ list_template_id: 987654321, list: {} })).json().errors).toHaveProperty('list_template_id');
      const bad = await post({ list_template_id: templates[0].id, list: { status: 'done', due_at: 'soon' } });
      expect(bad.statusCode).toBe(422);
      expect(Object.keys(bad.json().errors).sort()).toEqual(['due_at', 'status']);
      expect((await post({ list_template_id: templates[0].id, list: { inspection_type_id: 987654321 } })).json().errors).toHaveProperty(
        'inspection_type_id',
      );
      expect((await post({ list_template_id: templates[0].id, list: { location_id: 987654321 } })).json().errors).toHaveProperty(
        'location_id',
      );
      expect((await post({ list_template_id: templates[0].id, list: { inspector_ids: [987654321] } })).json().errors).toHaveProperty(
        'inspector_ids',
      );
      expect((await f.call('POST', `${P}/checklist/list_templates`, { payload: { list_template: {} } })).statusCode).toBe(422);
      expect(Number((await f.get(L)).headers['total'])).toBe(before);
    });

    it("another sandbox's project, checklists, sections and items are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`/rest/v1.0/projects/${other.sandbox.project_id}/checklist/lists`)).statusCode).toBe(404);
      const theirs = async (resource: string) =>
        await f.rt.ctx.db
          .selectFrom('records')
          .select(['id', 'parent_id'])
          .where('sandbox_id', '=', other.sandbox.id)
          .where('resource', '=', resource)
          .executeTakeFirstOrThrow();
      const list = await theirs('checklist_lists');
      const item = await theirs('checklist_items');
      const section = await theirs('checklist_sections');
      const Q = `project_id=${f.projectId}`;
      expect((await f.get(`${L}/${list.id}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${L}/${list.id}`, { payload: { list: { name: 'x' } } })).statusCode).toBe(404);
      expect((await f.call('DELETE', `${L}/${list.id}`)).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/checklist/lists/${item.parent_id}/items/${item.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/checklist/lists/${section.parent_id}/sections/${section.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`${P}/checklist/items/${item.id}/item_response`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${P}/recycle_bin/checklist/lists/${list.id}/restore`)).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/companies/${other.sandbox.company_id}/inspection_types`)).statusCode).toBe(404);
      const type = await theirs('inspection_types');
      expect((await f.get(`/rest/v1.0/companies/${f.companyId}/inspection_types/${type.id}`)).statusCode).toBe(404);
      expect((await f.call('PATCH', `${L}/${list.id}`, { payload: { list: { inspection_type_id: type.id } } })).statusCode).toBe(404);
      const mine = (await f.get(L)).json()[0];
      expect(
        (await f.call('PATCH', `${L}/${mine.id}`, { payload: { list: { inspection_type_id: type.id } } })).json().errors,
      ).toHaveProperty('inspection_type_id');
    });
  });
}
