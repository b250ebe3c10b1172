/**
 * Specifications: the seeded CSI MasterFormat book (set, divisions, sections, current revisions)
 * with consistent references; creating divisions, sections (in a division of the project, numbers
 * unique) and sets; 422s; another sandbox's ids, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';
import { validateAgainstSwagger } from './swagger.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`specifications on ${engine.name}`, () => {
    let f: ApiFixture;
    let Q = '';
    const V = '/rest/v1.0';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      Q = `project_id=${f.projectId}`;
    });
    afterAll(() => f.rt.close());

    it('seeds a MasterFormat book whose sections, divisions, revisions and set agree', async () => {
      const divisions = (await f.get(`${V}/specification_section_divisions?${Q}`)).json();
      expect(divisions.map((d: { number: string }) => d.number)).toEqual(['01', '03', '05', '08', '09', '26']);
      expect(validateAgainstSwagger('GET', '/vapid/specification_section_divisions', divisions)).toEqual([]);
      const sections = (await f.get(`${V}/specification_sections?${Q}`)).json();
      expect(sections).toHaveLength(10);
      expect(validateAgainstSwagger('GET', '/vapid/specification_sections', sections)).toEqual([]);
      const hardware = sections.find((s: { number: string }) => s.number === '08 71 00');
      expect(hardware).toMatchObject({ description: 'Door Hardware', label: '08 71 00 - Door Hardware' });
      const openings = divisions.find((d: { number: string }) => d.number === '08');
      expect(hardware.specification_section_division_id).toBe(openings.id);
      const revisions = (await f.get(`${V}/specification_section_revisions?${Q}&specification_section_division_id=${openings.id}`)).json();
      expect(revisions.map((r: { number: string }) => r.number)).toEqual(['08 11 13', '08 71 00']);
      expect(validateAgainstSwagger('GET', '/vapid/specification_section_revisions', revisions)).toEqual([]);
      const current = revisions.find((r: { id: number }) => r.id === hardware.current_revision_id);
      expect(current).toMatchObject({ revision: '0', specification_section_id: hardware.id });
      expect((await f.get(`${V}/specification_section_revisions/${current.id}?${Q}`)).json().id).toBe(current.id);
      expect((await f.get(`${V}/specification_section_revisions?${Q}`)).statusCode).toBe(400);
      const sets = (await f.get(`${V}/projects/${f.projectId}/specification_sets`)).json();
      expect(sets).toEqual([expect.objectContaining({ name: 'Issued for Construction', position: 1 })]);
      expect(validateAgainstSwagger('GET', '/vapid/projects/{project_id}/specification_sets', sets)).toEqual([]);
      expect(current.specification_set_id).toBe(sets[0].id);
      expect((await f.get(`${V}/specification_sections?${Q}&sort=-number`)).json()[0].number).toBe('26 05 19');
      expect((await f.get(`${V}/specification_sections?${Q}&filters[id][]=${hardware.id}`)).json()).toHaveLength(1);
    });

    it('creates divisions, sections and sets; rejects bad ones with 422', async () => {
      const div = await f.call('POST', `${V}/specification_section_divisions?${Q}`, {
        payload: { specification_section_division: { number: '07', description: 'Thermal and Moisture Protection' } },
      });
      expect(div.statusCode, div.body).toBe(201);
      const sec = await f.call('POST', `${V}/specification_sections?${Q}`, {
        payload: {
          specification_section: {
            number: '07 21 00',
            description: 'Thermal Insulation',
            specification_section_division_id: div.json().id,
          },
        },
      });
      expect(sec.statusCode, sec.body).toBe(201);
      expect(sec.json()).toMatchObject({ label: '07 21 00 - Thermal Insulation', specification_section_division_id: div.json().id });
      const dup = await f.call('POST', `${V}/specification_sections?${Q}`, {
        payload: { specification_section: { number: '07 21 00', specification_section_division_id: div.json().id } },
      });
      expect(dup.json().errors).toEqual({ number: ['has already been taken'] });
      const orphan = await f.call('POST', `${V}/specification_sections?${Q}`, {
        payload: { specification_section: { number: '07 22 00', specification_section_division_id: 987654321 } },
      });
      expect(orphan.json().errors).toHaveProperty('specification_section_division_id');
      const blank = await f.call('POST', `${V}/specification_sections?${Q}`, { payload: { specification_section: {} } });
      expect(Object.keys(blank.json().errors).sort()).toEqual(['number', 'specification_section_division_id']);
      expect(
        (
          await f.call('POST', `${V}/specification_section_divisions?${Q}`, {
            payload: { specification_section_division: { number: '03', description: 'Again' } },
          })
        ).statusCode,
      ).toBe(422);
      const set = await f.call('POST', `${V}/projects/${f.projectId}/specification_sets`, {
        payload: { name: 'Addendum 1', date: '2026-12-01' },
      });
      expect(set.statusCode, set.body).toBe(201);
      expect(set.json()).toMatchObject({ name: 'Addendum 1', date: '2026-12-01', position: 2 });
      expect((await f.get(`${V}/projects/${f.projectId}/specification_sets/${set.json().id}`)).json().name).toBe('Addendum 1');
      const badSet = await f.call('POST', `${V}/projects/${f.projectId}/specification_sets`, { payload: { date: 'soon' } });
      expect(Object.keys(badSet.json().errors).sort()).toEqual(['date', 'name']);
      expect((await f.get(`${V}/projects/${f.projectId}/specification_sets`)).json()).toHaveLength(2);
    });

    it("another sandbox's project and specification rows are the one 404", async () => {
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Other App' });
      expect((await f.get(`${V}/specification_sections?project_id=${other.sandbox.project_id}`)).statusCode).toBe(404);
      const theirs = async (resource: string) =>
        (
          await f.rt.ctx.db
            .selectFrom('records')
            .select('id')
            .where('sandbox_id', '=', other.sandbox.id)
            .where('resource', '=', resource)
            .executeTakeFirstOrThrow()
        ).id;
      expect((await f.get(`${V}/projects/${f.projectId}/specification_sets/${await theirs('specification_sets')}`)).statusCode).toBe(404);
      expect((await f.get(`${V}/specification_section_revisions/${await theirs('specification_section_revisions')}?${Q}`)).statusCode).toBe(
        404,
      );
      const div = await theirs('specification_section_divisions');
      const sec = await f.call('POST', `${V}/specification_sections?${Q}`, {
        payload: { specification_section: { number: '99 00 00', specification_section_division_id: div } },
      });
      expect(sec.json().errors).toHaveProperty('specification_section_division_id');
      expect((await f.get(`${V}/specification_section_revisions?${Q}&specification_section_division_id=${div}`)).json()).toEqual([]);
    });
  });
}
