/**
 * Regressions of issue #8's API findings, on both engines: Rails-style 422 messages, Procore's
 * verbs and prefixes (recycle bin, v1.1-only DELETE), pre-signed download URLs, a live RFI
 * `link`, 4xx instead of 500 for long id lists, long sorts, out-of-range ids and NUL
 * characters, and the company header on service-account tokens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/context/paths.js';
import { createApp } from '../../src/services/apps.js';
import { createDeveloper } from '../../src/services/developers.js';
import { WEB_DIST } from '../../src/server/web.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';

const catalog = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reference', 'procore-2026', 'catalog.json'), 'utf8')) as {
  method: string;
  path: string;
}[];
const swagger2017 = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reference', 'procore-vapid-2017.swagger.json'), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};
const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`issue #8 on ${engine.name}`, () => {
    let f: ApiFixture;
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
    });
    afterAll(() => f.rt.close());
    const P = () => `/rest/v1.0/projects/${f.projectId}`;
    const rfi = (extra: Record<string, unknown>) => ({
      rfi: { subject: 'ok', rfi_manager_id: f.ids.users.demo, question: { body: 'q' }, ...extra },
    });
    const count = async (table: 'rfis' | 'submittals') =>
      (await f.rt.ctx.db.selectFrom(table).select('id').where('sandbox_id', '=', f.rt.sandbox.id).execute()).length;

    it("422s name the field in Procore's words, never validator internals", async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ subject: '' }, 'subject', "can't be blank"],
        [{ subject: '   ' }, 'subject', "can't be blank"],
        [{ subject: null }, 'subject', "can't be blank"],
        [{ subject: 'x'.repeat(256) }, 'subject', 'is too long (maximum is 255 characters)'],
        [{ due_date: 'tomorrow' }, 'due_date', 'is not a valid date'],
        [{ due_date: '2026-02-30' }, 'due_date', 'is not a valid date'],
        [{ cost_impact: { status: 'maybe' } }, 'cost_impact.status', 'is not included in the list'],
        [{ rfi_manager_id: 1.5 }, 'rfi_manager_id', 'must be an integer'],
        [{ rfi_manager_id: '5' }, 'rfi_manager_id', 'is not a number'],
        [{ private: 'yes' }, 'private', 'is not included in the list'],
        [{ question: {} }, 'question.body', "can't be blank"],
      ];
      const n0 = await count('rfis');
      for (const [body, field, message] of cases) {
        const res = await f.call('POST', `${P()}/rfis`, { payload: rfi(body) });
        expect(res.statusCode, JSON.stringify(body)).toBe(422);
        expect(res.json().errors[field], `${JSON.stringify(body)} → ${res.body}`).toEqual([message]);
        expect(res.body).not.toMatch(/Expected|union|required property/i);
      }
      const noSubject = await f.call('POST', `${P()}/rfis`, {
        payload: { rfi: { rfi_manager_id: f.ids.users.demo, question: { body: 'q' } } },
      });
      expect(noSubject.json().errors).toEqual({ subject: ["can't be blank"] });
      const sub = await f.call('POST', `${P()}/submittals`, { payload: { submittal: { number: '9', type: 'Bogus', status_id: 77 } } });
      expect(sub.json().errors).toEqual({ type: ['is not included in the list'], status_id: ['is not included in the list'] });
      expect(await count('rfis')).toBe(n0);
    });

    it('serves the verbs Procore serves: recycle bin for RFIs, DELETE on submittals only on v1.1 and vapid', async () => {
      const id = f.ids.rfi;
      expect((await f.call('DELETE', `${P()}/rfis/${id}`)).statusCode).toBe(405);
      expect((await f.get(`${P()}/rfis/${id}`)).statusCode).toBe(200);
      const recycled = await f.call('PATCH', `${P()}/rfis/${id}/recycle`);
      expect(recycled.statusCode).toBe(200);
      expect(recycled.json()).toMatchObject({ id, deleted_at: expect.any(String) });
      expect((await f.get(`${P()}/rfis`)).json()).toEqual([]);
      expect((await f.get(`${P()}/rfis/recycle_bin`)).json().map((r: { id: number }) => r.id)).toEqual([id]);
      expect((await f.get(`/vapid/projects/${f.projectId}/rfis/recycle_bin`)).statusCode).toBe(200);
      expect((await f.call('PATCH', `${P()}/rfis/${id}/retrieve`)).json()).toMatchObject({ id });
      expect((await f.call('PATCH', `${P()}/rfis/${id}/retrieve`)).statusCode).toBe(404);
      expect((await f.get(`${P()}/rfis/recycle_bin`)).json()).toEqual([]);

      const made = await f.call('POST', `${P()}/submittals`, { payload: { submittal: { number: 'V-1' } } });
      const sid = made.json().id;
      expect((await f.call('DELETE', `${P()}/submittals/${sid}`)).statusCode).toBe(405);
      expect((await f.call('DELETE', `/rest/v1.1/projects/${f.projectId}/submittals/${sid}`)).statusCode).toBe(204);
      expect((await f.get(`/rest/v1.1/projects/${f.projectId}/submittals/recycle_bin`)).json().map((s: { id: number }) => s.id)).toEqual([
        sid,
      ]);
      const other = (await f.call('POST', `${P()}/submittals`, { payload: { submittal: { number: 'V-2' } } })).json().id;
      expect((await f.call('DELETE', `/vapid/projects/${f.projectId}/submittals/${other}`)).statusCode).toBe(204);
    });

    it('every route served is one Procore serves, on the same prefix (2026 catalogue; 2017 Swagger for /vapid)', async () => {
      const doc = (await f.rt.sandboxApp.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const known = new Set(catalog.map((op) => `${op.method.toUpperCase()} ${shape(op.path)}`));
      const known2017 = new Set(
        Object.entries(swagger2017.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${shape(path)}`)),
      );
      // The 2017 file lists only the show of tasks; /vapid serves the list too, as an alias of /rest/v1.0 does.
      known2017.add('GET /vapid/tasks');
      const missing: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (path.includes('/blobs/')) continue; // this server's own download URLs
        for (const method of Object.keys(ops)) {
          const key = `${method.toUpperCase()} ${shape(path)}`;
          if (!(path.startsWith('/vapid/') ? known2017 : known).has(key)) missing.push(key);
        }
      }
      expect(missing).toEqual([]);
      expect(Object.keys(doc.paths)).toContain('/rest/v1.1/projects/{project_id}/submittals/{id}');
    });

    it('download URLs are pre-signed: no header needed, tampered or expired → 403 JSON, bearer still works', async () => {
      const image = (await f.get(`/rest/v1.0/images/${f.ids.image}?project_id=${f.projectId}`)).json();
      const u = new URL(image.url);
      expect(u.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
      const open = await f.rt.sandboxApp.inject({ url: `${u.pathname}${u.search}` });
      expect(open.statusCode).toBe(200);
      expect(open.headers['content-type']).toMatch(/^image\/jpeg/);
      const tampered = u.search.replace(/signature=([0-9a-f])/, (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`);
      const bad = await f.rt.sandboxApp.inject({ url: `${u.pathname}${tampered}` });
      expect(bad.statusCode).toBe(403);
      expect(bad.json()).toMatchObject({ code: 403 });
      const thumb = new URL(image.thumbnail_url);
      const swapped = await f.rt.sandboxApp.inject({ url: `${thumb.pathname}${u.search}` });
      expect(swapped.statusCode).toBe(403);
      expect((await f.get(u.pathname, { company: false })).statusCode).toBe(200);
      f.rt.ctx.clock.advance(2 * 3600_000);
      try {
        const expired = await f.rt.sandboxApp.inject({ url: `${u.pathname}${u.search}` });
        expect(expired.statusCode).toBe(403);
        expect(expired.json().message).toMatch(/expired/);
      } finally {
        f.rt.ctx.clock.advance(-2 * 3600_000);
      }
    });

    it("an RFI's link opens this server's RFI page; its JSON is the owner's only", async () => {
      const shown = (await f.get(`/rest/v1.0/projects/${f.projectId}/rfis`)).json()[0];
      const link = new URL(shown.link);
      expect(link.pathname).toBe(`/projects/${f.projectId}/rfis/${shown.id}`);
      const page = await f.rt.sandboxApp.inject({ url: link.pathname });
      expect(page.statusCode).toBe(existsSync(`${WEB_DIST}index.html`) ? 200 : 503);
      expect(page.headers['content-type']).toMatch(/^text\/html/);

      const api = `/api/portal/projects/${f.projectId}/rfis/${shown.id}`;
      expect((await f.rt.sandboxApp.inject({ url: api })).statusCode).toBe(401);
      const signin = await f.rt.sandboxApp.inject({
        method: 'POST',
        url: '/api/portal/signin',
        headers: { 'x-requested-with': 'test', 'content-type': 'application/json' },
        payload: { email: 'developer@example.com', password: f.rt.developerPassword },
      });
      expect(signin.statusCode).toBe(200);
      const cookie = String(signin.headers['set-cookie']).split(';')[0] as string;
      const view = await f.rt.sandboxApp.inject({ url: api, headers: { cookie } });
      expect(view.statusCode).toBe(200);
      expect(view.json().rfi).toMatchObject({ id: shown.id, subject: shown.subject, question: { body: expect.stringContaining('#6') } });
      expect(
        (await f.rt.sandboxApp.inject({ url: `/api/portal/projects/${f.projectId}/rfis/987654321`, headers: { cookie } })).statusCode,
      ).toBe(404);
      // Another developer (with a sandbox of their own) gets the same 404 for this RFI.
      const other = await createDeveloper(f.rt.ctx, {
        email: `other-${engine.name}@example.com`,
        name: 'Other Dev',
        password: 'Other-password-1',
      });
      await createApp(f.rt.ctx, { developerId: other.id, name: 'Other App' });
      const otherSignin = await f.rt.sandboxApp.inject({
        method: 'POST',
        url: '/api/portal/signin',
        headers: { 'x-requested-with': 'test', 'content-type': 'application/json' },
        payload: { email: other.email, password: 'Other-password-1' },
      });
      expect(otherSignin.statusCode).toBe(200);
      const otherCookie = String(otherSignin.headers['set-cookie']).split(';')[0] as string;
      const foreign = await f.rt.sandboxApp.inject({ url: api, headers: { cookie: otherCookie } });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.body).not.toContain(shown.subject);
    });

    it('long id lists, long sorts, out-of-range ids and NUL characters are 4xx, never 500', async () => {
      const ids = Array.from({ length: 300 }, (_, i) => `filters[assigned_id][]=${i + 1}`).join('&');
      for (const q of [ids, ids.replace(/assigned_id/g, 'ball_in_court_id')]) {
        const res = await f.get(`${P()}/rfis?${q}`);
        expect(res.statusCode).toBe(200);
      }
      const arch = await f.get(`${P()}/rfis?filters[assigned_id][]=${f.ids.users.arch}&${ids}`);
      expect(arch.json().map((r: { id: number }) => r.id)).toEqual([f.ids.rfi]);
      const sort = await f.get(`/rest/v1.0/tasks?project_id=${f.projectId}&sort=${Array.from({ length: 2000 }, () => 'name').join(',')}`);
      expect(sort.statusCode).toBe(400);
      expect(sort.json()).toMatchObject({ fields: 'sort' });

      const n0 = await count('rfis');
      for (const big of [1e20, 1e300, 2 ** 63]) {
        for (const [field, value] of [
          ['rfi_manager_id', big],
          ['assignee_ids', [big]],
          ['responsible_contractor_id', big],
        ] as const) {
          const res = await f.call('POST', `${P()}/rfis`, { payload: rfi({ [field]: value }) });
          expect(res.statusCode, `${field}=${big}`).toBe(422);
          expect(Object.keys(res.json().errors)).toContain(field);
        }
      }
      const sub = await f.call('POST', `${P()}/submittals`, { payload: { submittal: { number: '7', submittal_manager_id: 1e20 } } });
      expect(sub.statusCode).toBe(422);
      expect(sub.json().errors).toHaveProperty('submittal_manager_id');

      for (const body of [{ subject: 'a\u0000b' }, { question: { body: 'q\u0000' } }, { reference: '\u0000' }]) {
        const res = await f.call('POST', `${P()}/rfis`, { payload: rfi(body) });
        expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
      }
      const subNul = await f.call('POST', `${P()}/submittals`, { payload: { submittal: { number: '8', title: 'x\u0000' } } });
      expect(subNul.statusCode).toBeGreaterThanOrEqual(400);
      expect(subNul.statusCode).toBeLessThan(500);
      expect(await count('rfis')).toBe(n0);
      for (const url of [
        `${P()}/rfis?search=a%00b`,
        `${P()}/submittals?filters[query]=%00`,
        `/rest/v1.0/tasks?project_id=${f.projectId}&filters[query]=%00`,
        `/rest/v1.0/images?project_id=${f.projectId}&filters[query]=%00`,
        `${P()}/users?filters[search]=%00`,
        `/rest/v1.0/projects?company_id=${f.companyId}&filters[name]=%00`,
        `/rest/v1.0/drawing_areas/${f.ids.drawingArea}/drawings?filters[number]=%00`,
      ]) {
        const res = await f.get(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json()).toMatchObject({ code: 400 });
      }
    });

    it('service-account (client credentials) tokens send Procore-Company-Id on every call; user tokens keep the exemption', async () => {
      const service = await f.rt.mintToken({ email: 'sandbox+service@example.com' });
      for (const path of ['/rest/v1.0/me', '/rest/v1.0/companies']) {
        const missing = await f.get(path, { token: service, company: false });
        expect(missing.statusCode, path).toBe(400);
        expect(missing.json()).toMatchObject({ message: 'Missing Procore-Company-Id header!' });
        expect((await f.get(path, { token: service })).statusCode).toBe(200);
        expect((await f.get(path, { company: false })).statusCode).toBe(200);
      }
    });
  });
}
