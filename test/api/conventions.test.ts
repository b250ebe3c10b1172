/**
 * Procore's cross-cutting conventions on both prefixes: pagination, filters and sort, the
 * company header, 401s, rate limits, CORS, tenant isolation and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, PREFIXES, type ApiFixture } from './fixture.js';

let f: ApiFixture;

const links = (header: string | string[] | undefined): Record<string, string> =>
  Object.fromEntries(
    String(header ?? '')
      .split(', ')
      .filter(Boolean)
      .map((part) => {
        const m = /^<([^>]+)>; rel="(\w+)"$/.exec(part);
        if (!m) throw new Error(`bad link ${part}`);
        return [m[2] as string, m[1] as string];
      }),
  );

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`on ${engine.name}`, () => {
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
    });
    afterAll(() => f.rt.close());
    describe.each(PREFIXES)('%s pagination', (prefix) => {
      const url = (q: string) => `${prefix}/tasks?project_id=${f.projectId}&${q}`;

      it('page 1, middle, last and beyond the last page', async () => {
        const p1 = await f.get(url('per_page=3'));
        expect(p1.json().map((t: { row_number: number }) => t.row_number)).toEqual([1, 2, 3]);
        expect(p1.headers['total']).toBe('8');
        expect(p1.headers['per-page']).toBe('3');
        const l1 = links(p1.headers['link']);
        expect(Object.keys(l1).sort()).toEqual(['last', 'next']);
        expect(l1['next']).toBe(`http://localhost:80${prefix}/tasks?project_id=${f.projectId}&page=2&per_page=3`);
        expect(l1['last']).toContain('page=3&per_page=3');

        const p2 = await f.get(url('per_page=3&page=2'));
        expect(p2.json().map((t: { row_number: number }) => t.row_number)).toEqual([4, 5, 6]);
        expect(Object.keys(links(p2.headers['link'])).sort()).toEqual(['first', 'last', 'next', 'prev']);

        const p3 = await f.get(url('per_page=3&page=3'));
        expect(p3.json()).toHaveLength(2);
        const l3 = links(p3.headers['link']);
        expect(Object.keys(l3).sort()).toEqual(['first', 'last', 'prev']);
        expect(l3['prev']).toContain('page=2&');

        const p9 = await f.get(url('per_page=3&page=9'));
        expect(p9.statusCode).toBe(200);
        expect(p9.json()).toEqual([]);
        expect(p9.headers['total']).toBe('8');
        expect(links(p9.headers['link'])['last']).toContain('page=3&');
      });

      it('per_page caps and bad values', async () => {
        expect((await f.get(url('per_page=10000'))).statusCode).toBe(200);
        for (const q of [
          'page=0',
          'page=-1',
          'page=abc',
          'page=1.5',
          'page=0x10',
          'per_page=10001',
          'per_page=0',
          'page=1&page=2',
          'page[]=1',
        ]) {
          const res = await f.get(url(q));
          expect(res.statusCode, q).toBe(400);
          expect(res.json()).toMatchObject({ code: 400, fields: expect.stringMatching(/page|per_page/) });
        }
      });
    });

    describe('filters and sort', () => {
      const P = () => `/rest/v1.0/projects/${f.projectId}`;
      it('tasks: row_number single, range and list; query; updated_at; sort', async () => {
        const rows = async (q: string) =>
          (await f.get(`/rest/v1.0/tasks?project_id=${f.projectId}&${q}`)).json().map((t: { row_number: number }) => t.row_number);
        expect(await rows('filters[row_number]=4')).toEqual([4]);
        expect(await rows('filters%5Brow_number%5D=4...6')).toEqual([4, 5, 6]);
        expect(await rows('filters[row_number][]=2&filters[row_number][]=7')).toEqual([2, 7]);
        expect(await rows('filters[query]=site')).toEqual([2]);
        expect(await rows('filters[updated_at]=2000-01-01...2000-01-02')).toEqual([]);
        expect(await rows('filters[updated_at]=2000-01-01T00:00:00Z...2100-01-01T00:00:00%2B01:00')).toHaveLength(8);
        expect(await rows('sort=-row_number')).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
        expect((await f.get(`/rest/v1.0/tasks?project_id=${f.projectId}&sort=bogus`)).statusCode).toBe(400);
        expect((await f.get(`/rest/v1.0/tasks?project_id=${f.projectId}&filters[updated_at]=yesterday`)).statusCode).toBe(400);
      });

      it('rfis: status (single and array), assigned_id, ids, search, sort[attribute]/sort[direction]', async () => {
        const arch = f.ids.users.arch;
        const created = await f.call('POST', `${P()}/rfis`, {
          payload: {
            rfi: {
              subject: 'Window sill detail',
              rfi_manager_id: f.ids.users.demo,
              question: { body: 'Which sill?' },
              assignee_ids: [f.ids.users.sub],
            },
          },
        });
        expect(created.statusCode).toBe(201);
        const second = created.json().id;
        const subjects = async (q: string) => (await f.get(`${P()}/rfis?${q}`)).json().map((r: { id: number }) => r.id);
        expect(await subjects('filters[status]=open')).toEqual([f.ids.rfi, second]);
        expect(await subjects('filters[status][]=closed')).toEqual([]);
        expect(await subjects(`filters[assigned_id]=${arch}`)).toEqual([f.ids.rfi]);
        expect(await subjects(`filters[id][]=${second}`)).toEqual([second]);
        expect(await subjects('search=sill')).toEqual([second]);
        expect(await subjects('sort[attribute]=number&sort[direction]=desc')).toEqual([second, f.ids.rfi]);
        expect(await subjects('sort%5Battribute%5D=subject')).toEqual([f.ids.rfi, second]);
        expect((await f.get(`${P()}/rfis?filters[status]=bogus`)).statusCode).toBe(400);
        expect((await f.get(`${P()}/rfis?sort[direction]=sideways&sort[attribute]=number`)).statusCode).toBe(400);
        expect((await f.call('PATCH', `${P()}/rfis/${second}/recycle`)).statusCode).toBe(200);
      });

      it('projects, users, images, submittals, drawings', async () => {
        const C = f.companyId;
        expect((await f.get(`/rest/v1.0/projects?company_id=${C}&filters[by_status]=Inactive`)).json()).toEqual([]);
        expect((await f.get(`/rest/v1.0/projects?company_id=${C}&filters[by_status]=All&filters[name]=sandbox`)).json()).toHaveLength(1);
        expect((await f.get(`/rest/v1.0/projects?company_id=${C}&serializer_view=compact`)).json()[0]).toEqual({
          id: f.projectId,
          name: 'Sandbox Test Project',
          display_name: '1234 - Sandbox Test Project',
        });
        const users = async (q: string) => (await f.get(`${P()}/users?${q}`)).json().map((u: { id: number }) => u.id);
        expect(await users('filters[search]=architect')).toEqual([f.ids.users.arch]);
        expect(await users(`filters[id][]=${f.ids.users.sub}`)).toEqual([f.ids.users.sub]);
        expect(await users('sort=-last_name')).toEqual([f.ids.users.demo, f.ids.users.sub, f.ids.users.arch]); // Support, Subcontractor, Architect
        expect((await f.get(`/rest/v1.0/images?project_id=${f.projectId}&filters[starred]=true`)).json()).toEqual([]);
        expect((await f.get(`/rest/v1.0/images?project_id=${f.projectId}&filters[query]=sandbox&sort=-created_at`)).json()).toHaveLength(1);
        expect((await f.get(`${P()}/submittals?filters[status_id][]=2`)).json()).toHaveLength(1);
        expect((await f.get(`${P()}/submittals?filters[query]=nothing-like-this`)).json()).toEqual([]);
        expect(
          (await f.get(`/rest/v1.0/drawing_areas/${f.ids.drawingArea}/drawings?filters[number]=S1`))
            .json()
            .map((d: { number: string }) => d.number),
        ).toEqual(['S1.01']);
        const cal = (
          await f.get(
            `/vapid/calendar_events?project_id=${f.projectId}&calendar[start_datetime]=2000-01-01T00:00:00Z&calendar[finish_datetime]=2000-02-01T00:00:00Z`,
          )
        ).json();
        expect(cal.tasks).toEqual([]);
      });
    });

    describe('company header', () => {
      it('/rest/v1.0 requires it except on /me, /companies and downloads', async () => {
        const res = await f.get(`/rest/v1.0/projects/${f.projectId}/rfis`, { company: false });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ message: 'Missing Procore-Company-Id header!' });
        expect((await f.get('/rest/v1.0/me', { company: false })).statusCode).toBe(200);
        expect((await f.get('/rest/v1.0/companies', { company: false })).statusCode).toBe(200);
      });

      it('/vapid does not require it but honours it', async () => {
        expect((await f.get(`/vapid/projects/${f.projectId}/rfis`, { company: false })).statusCode).toBe(200);
        expect((await f.get(`/vapid/projects/${f.projectId}/rfis`, { headers: { 'procore-company-id': '999999' } })).statusCode).toBe(403);
      });

      it.each(PREFIXES)('%s: another company → 403, the same for existing and unknown ids; malformed → 400', async (prefix) => {
        const foreign = await f.get(`${prefix}/projects/${f.projectId}/rfis`, {
          headers: { 'procore-company-id': String(f.companyId + 1_000_000) },
        });
        const unknown = await f.get(`${prefix}/projects/${f.projectId}/rfis`, { headers: { 'procore-company-id': '123' } });
        expect(foreign.statusCode).toBe(403);
        expect(foreign.body).toBe(unknown.body);
        expect((await f.get(`${prefix}/me`, { headers: { 'procore-company-id': 'abc' } })).statusCode).toBe(400);
      });
    });

    describe('authentication', () => {
      it.each(PREFIXES)('%s: 401 JSON without, with a bad, or with an expired token', async (prefix) => {
        for (const token of [null, 'not-a-token', 'a'.repeat(64)]) {
          const res = await f.get(`${prefix}/me`, { token });
          expect(res.statusCode).toBe(401);
          expect(res.json()).toMatchObject({ code: 401 });
        }
        const rt = f.rt;
        const t = await rt.mintToken();
        rt.ctx.clock.advance(5401_000);
        try {
          const res = await f.get(`${prefix}/me`, { token: t });
          expect(res.statusCode).toBe(401);
          expect(res.json().message).toMatch(/expired/);
        } finally {
          rt.ctx.clock.advance(-5401_000);
        }
      });

      it('a sandbox token is refused by the production API', async () => {
        const res = await f.rt.productionApp.inject({ url: '/rest/v1.0/me', headers: { authorization: `Bearer ${f.token}` } });
        expect(res.statusCode).toBe(401);
      });
    });

    describe('project visibility', () => {
      it('members see the project; a non-member user gets 404', async () => {
        // The developer is a company admin (sees all); remove API Support from the project to test a non-member.
        const sub = await f.rt.mintToken({ email: 'sandbox+sub@example.com' });
        expect((await f.get(`/vapid/projects/${f.projectId}/rfis`, { token: sub })).statusCode).toBe(200);
        await f.rt.ctx.db
          .deleteFrom('project_users')
          .where('project_id', '=', f.projectId)
          .where('user_id', '=', f.ids.users.sub)
          .execute();
        try {
          expect((await f.get(`/vapid/projects/${f.projectId}/rfis`, { token: sub })).statusCode).toBe(404);
          expect((await f.get(`/vapid/projects?company_id=${f.companyId}`, { token: sub })).json()).toEqual([]);
          const admin = await f.rt.mintToken({ email: 'developer@example.com' });
          expect((await f.get(`/vapid/projects?company_id=${f.companyId}`, { token: admin })).json()).toHaveLength(1);
        } finally {
          await f.rt.ctx.db
            .insertInto('project_users')
            .values({
              project_id: f.projectId,
              user_id: f.ids.users.sub,
              sandbox_id: f.rt.sandbox.id,
              permission_template: 'Subcontractor',
              created_at: '2026-01-01T00:00:00Z',
            })
            .execute();
        }
      });
    });

    describe('CORS', () => {
      it('echoes the origin on API responses and answers preflights', async () => {
        const res = await f.get('/rest/v1.0/me', { headers: { origin: 'http://app.example' } });
        expect(res.headers['access-control-allow-origin']).toBe('http://app.example');
        expect(res.headers['access-control-allow-credentials']).toBe('true');
        expect(res.headers['access-control-expose-headers']).toContain('Link');
        const err = await f.get('/rest/v1.0/me', { token: null, headers: { origin: 'http://app.example' } });
        expect(err.headers['access-control-allow-origin']).toBe('http://app.example');
        const pre = await f.rt.sandboxApp.inject({
          method: 'OPTIONS',
          url: `/rest/v1.0/projects/${f.projectId}/rfis`,
          headers: {
            origin: 'http://app.example',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,procore-company-id',
          },
        });
        expect(pre.statusCode).toBe(204);
        expect(pre.headers['access-control-allow-headers']).toContain('Procore-Company-Id');
        expect(pre.headers['access-control-allow-methods']).toContain('PATCH');
      });
    });

    describe('rate limiting', () => {
      it('429 after the spike window is spent, recovery after the reset', async () => {
        const g = await createApiFixture({ engine: engine.name, settings: { rateLimit: { hourly: 100, spike: 3, enabled: true } } });
        try {
          g.rt.ctx.clock.freeze(Math.ceil(g.rt.ctx.clock.nowMs() / 10_000) * 10_000 + 1000);
          const remaining: string[] = [];
          for (let i = 0; i < 3; i++) {
            const res = await g.get('/vapid/me');
            expect(res.statusCode).toBe(200);
            expect(res.headers['x-rate-limit-limit']).toBe('3');
            remaining.push(String(res.headers['x-rate-limit-remaining']));
          }
          expect(remaining).toEqual(['2', '1', '0']);
          const limited = await g.get('/vapid/me');
          expect(limited.statusCode).toBe(429);
          expect(limited.json()).toMatchObject({ code: 429, message: expect.stringContaining('surpassed') });
          expect(Number(limited.headers['retry-after'])).toBe(9);
          expect(Number(limited.headers['x-rate-limit-reset'])).toBe(Math.ceil((g.rt.ctx.clock.nowMs() + 9000) / 1000));
          // Per app+user: another user is not limited.
          const other = await g.rt.mintToken({ email: 'sandbox+arch@example.com' });
          expect((await g.get('/vapid/me', { token: other })).statusCode).toBe(200);
          g.rt.ctx.clock.advance(10_000);
          expect((await g.get('/vapid/me')).statusCode).toBe(200);
        } finally {
          await g.rt.close();
        }
      });
    });

    describe('tenant isolation', () => {
      it('another sandbox’s ids are 404, byte-identical to ids that never existed', async () => {
        const b = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: 'Second App' });
        const db = f.rt.ctx.db;
        const sb = b.sandbox;
        const pick = async (
          table: 'rfis' | 'submittals' | 'folders' | 'files' | 'drawing_areas' | 'image_categories' | 'images' | 'tasks' | 'blobs',
        ) => (await db.selectFrom(table).select('id').where('sandbox_id', '=', sb.id).orderBy('id').executeTakeFirstOrThrow()).id;
        const B = {
          project: sb.project_id,
          company: sb.company_id,
          rfi: await pick('rfis'),
          submittal: await pick('submittals'),
          folder: await pick('folders'),
          file: await pick('files'),
          area: await pick('drawing_areas'),
          category: await pick('image_categories'),
          image: await pick('images'),
          task: await pick('tasks'),
          blob: await pick('blobs'),
        };
        const blobName = (await db.selectFrom('blobs').select('filename').where('id', '=', B.blob).executeTakeFirstOrThrow()).filename;
        const A = f.projectId;
        const NX = 987654321;
        const urls = (x: typeof B): string[] => [
          `/projects/${x.project}?company_id=${f.companyId}`,
          `/projects?company_id=${x.company}`,
          `/me?company_id=${x.company}`,
          `/me?project_id=${x.project}`,
          `/projects/${x.project}/users`,
          `/folders?project_id=${x.project}`,
          `/folders/${x.folder}?project_id=${A}`,
          `/files/${x.file}?project_id=${A}`,
          `/projects/${x.project}/drawing_areas`,
          `/drawing_areas/${x.area}/drawings?project_id=${A}`,
          `/image_categories?project_id=${x.project}`,
          `/image_categories/${x.category}?project_id=${A}`,
          `/images?project_id=${A}&image_category_id=${x.category}`,
          `/images/${x.image}?project_id=${A}`,
          `/projects/${x.project}/rfis`,
          `/projects/${A}/rfis/${x.rfi}`,
          `/projects/${A}/rfis/${x.rfi}/replies`,
          `/projects/${x.project}/submittals`,
          `/projects/${A}/submittals/${x.submittal}`,
          `/calendar_events?project_id=${x.project}`,
          `/tasks?project_id=${x.project}`,
          `/tasks/${x.task}?project_id=${A}`,
          `/blobs/${x.blob}/${encodeURIComponent(blobName)}`,
        ];
        const nx = {
          project: NX,
          company: NX,
          rfi: NX,
          submittal: NX,
          folder: NX,
          file: NX,
          area: NX,
          category: NX,
          image: NX,
          task: NX,
          blob: NX,
        };
        const foreign = urls(B);
        const never = urls(nx);
        for (const prefix of PREFIXES) {
          for (let i = 0; i < foreign.length; i++) {
            const a = await f.get(`${prefix}${foreign[i]}`);
            const n = await f.get(`${prefix}${never[i]}`);
            expect(a.statusCode, foreign[i]).toBe(404);
            expect(a.body, foreign[i]).toBe(n.body);
          }
        }
        // Writes on B's rows: 404 and B unchanged.
        const before = await db.selectFrom('rfis').selectAll().where('id', '=', B.rfi).executeTakeFirstOrThrow();
        expect(
          (await f.call('PATCH', `/rest/v1.0/projects/${B.project}/rfis/${B.rfi}`, { payload: { rfi: { subject: 'x' } } })).statusCode,
        ).toBe(404);
        expect((await f.call('PATCH', `/rest/v1.0/projects/${A}/rfis/${B.rfi}`, { payload: { rfi: { subject: 'x' } } })).statusCode).toBe(
          404,
        );
        expect((await f.call('PATCH', `/rest/v1.0/projects/${A}/rfis/${B.rfi}/recycle`)).statusCode).toBe(404);
        expect((await f.call('DELETE', `/rest/v1.1/projects/${A}/submittals/${B.submittal}`)).statusCode).toBe(404);
        expect(
          (
            await f.call('POST', `/rest/v1.0/projects/${B.project}/rfis`, {
              payload: { rfi: { subject: 'x', rfi_manager_id: f.ids.users.demo, question: { body: 'q' } } },
            })
          ).statusCode,
        ).toBe(404);
        expect(await db.selectFrom('rfis').selectAll().where('id', '=', B.rfi).executeTakeFirstOrThrow()).toEqual(before);
        // B's user ids in a body → 422, nothing written.
        const bUser = (
          await db
            .selectFrom('users')
            .select('id')
            .where('sandbox_id', '=', sb.id)
            .where('email', '=', 'sandbox+arch@example.com')
            .executeTakeFirstOrThrow()
        ).id;
        const count = async () => (await db.selectFrom('rfis').select('id').where('sandbox_id', '=', f.rt.sandbox.id).execute()).length;
        const n0 = await count();
        const res = await f.call('POST', `/rest/v1.0/projects/${A}/rfis`, {
          payload: { rfi: { subject: 'x', rfi_manager_id: bUser, assignee_ids: [bUser], question: { body: 'q' } } },
        });
        expect(res.statusCode).toBe(422);
        expect(Object.keys(res.json().errors).sort()).toEqual(['assignee_ids', 'rfi_manager_id']);
        expect(await count()).toBe(n0);
        // filters[id][] with B's ids: excluded from results and Total.
        const list = await f.get(`/rest/v1.0/projects/${A}/rfis?filters[id][]=${B.rfi}`);
        expect(list.json()).toEqual([]);
        expect(list.headers['total']).toBe('0');
      });
    });

    describe('bad input', () => {
      const url = () => `/rest/v1.0/projects/${f.projectId}/rfis`;
      const rfiCount = async () =>
        (await f.rt.ctx.db.selectFrom('rfis').select('id').where('sandbox_id', '=', f.rt.sandbox.id).execute()).length;

      it('malformed JSON, wrong media type, missing root, oversize body', async () => {
        const n0 = await rfiCount();
        const send = (payload: string, type = 'application/json') =>
          f.rt.sandboxApp.inject({
            method: 'POST',
            url: url(),
            payload,
            headers: { authorization: `Bearer ${f.token}`, 'procore-company-id': String(f.companyId), 'content-type': type },
          });
        const malformed = await send('{"rfi": {');
        expect(malformed.statusCode).toBe(400);
        expect(malformed.json()).toMatchObject({ code: 400 });
        expect((await send('rfi[subject]=x', 'application/x-www-form-urlencoded')).statusCode).toBe(415);
        const missing = await send('{"subject":"x"}');
        expect(missing.statusCode).toBe(400);
        expect(missing.json().message).toBe('param is missing or the value is empty: rfi');
        expect((await send('[1,2]')).statusCode).toBe(400);
        expect((await send('{"rfi": "x"}')).statusCode).toBe(422);
        const big = await send(JSON.stringify({ rfi: { subject: 'x', question: { body: 'y'.repeat(1_100_000) } } }));
        expect(big.statusCode).toBe(413);
        expect(big.json()).toMatchObject({ code: 413 });
        expect((await send('{"__proto__": {"x": 1}, "rfi": {}}')).statusCode).toBe(400);
        expect((await send('{"constructor": {"prototype": {"x": 1}}, "rfi": {}}')).statusCode).toBe(400);
        expect(await rfiCount()).toBe(n0);
      });

      it('each field with a wrong type → 422 naming it, nothing written', async () => {
        const n0 = await rfiCount();
        const valid = { subject: 'ok', rfi_manager_id: f.ids.users.demo, question: { body: 'q' } };
        const cases: [string, unknown][] = [
          ['subject', {}],
          ['subject', []],
          ['subject', true],
          ['subject', null],
          ['rfi_manager_id', '5'],
          ['rfi_manager_id', 1.5],
          ['assignee_ids', [true]],
          ['due_date', '2026-02-30'],
          ['due_date', 'tomorrow'],
          ['private', 'yes'],
          ['cost_impact', { status: 'maybe' }],
        ];
        for (const [field, value] of cases) {
          const res = await f.call('POST', url(), { payload: { rfi: { ...valid, [field]: value } } });
          expect(res.statusCode, `${field}=${JSON.stringify(value)}`).toBe(422);
          expect(Object.keys(res.json().errors).join(','), field).toContain(field);
        }
        const unknownUser = await f.call('POST', url(), { payload: { rfi: { ...valid, rfi_manager_id: 999999999 } } });
        expect(unknownUser.statusCode).toBe(422);
        expect(unknownUser.json().errors).toHaveProperty('rfi_manager_id');
        const noManager = await f.call('POST', url(), { payload: { rfi: { subject: 'x', question: { body: 'q' } } } });
        expect(noManager.json().errors).toHaveProperty('rfi_manager_id');
        const sub = await f.call('POST', `/rest/v1.0/projects/${f.projectId}/submittals`, {
          payload: { submittal: { title: 'no number' } },
        });
        expect(sub.statusCode).toBe(422);
        expect(sub.json().errors).toHaveProperty('number');
        expect(
          (
            await f.call('POST', `/rest/v1.0/projects/${f.projectId}/submittals`, {
              payload: { submittal: { number: '9', status_id: 77 } },
            })
          ).statusCode,
        ).toBe(422);
        expect(await rfiCount()).toBe(n0);
      });

      it('odd ids and query strings → 4xx, never 5xx', async () => {
        const P = f.projectId;
        for (const u of [
          `/rest/v1.0/projects/${P}/rfis/abc`,
          `/rest/v1.0/projects/${P}/rfis/9007199254740993`,
          `/rest/v1.0/projects/${P}/rfis/1e3`,
          `/rest/v1.0/projects/${P}/rfis/%00`,
          `/rest/v1.0/projects/-1/rfis`,
          `/rest/v1.0/folders?project_id=abc`,
          `/rest/v1.0/folders`,
        ]) {
          const res = await f.get(u);
          expect(res.statusCode, u).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, u).toBeLessThan(500);
          expect(() => res.json()).not.toThrow();
        }
        for (const q of [
          'filters[__proto__][x]=1',
          '__proto__[x]=1',
          'constructor[prototype][x]=1',
          'a[b][c][d][e][f]=1',
          'filters[a]=1&filters=2',
          Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&'),
        ]) {
          const res = await f.get(`/rest/v1.0/projects/${P}/rfis?${q}`);
          expect(res.statusCode, q).toBe(400);
        }
        expect(({} as Record<string, unknown>)['x']).toBeUndefined();
        const many = await f.get(`/rest/v1.0/projects/${P}/rfis?${Array.from({ length: 1500 }, () => 'filters[id][]=1').join('&')}`);
        expect(many.statusCode).toBe(400);
      });
    });
  });
}
