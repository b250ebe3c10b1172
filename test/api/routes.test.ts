/**
 * Every read endpoint on both prefixes: status, headers, and a body that validates against
 * Procore's 2017 Swagger definition and carries ≥ 90 % of the fields it lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, PREFIXES, type ApiFixture } from './fixture.js';
import { fieldCoverage, validateAgainstSwagger } from './swagger.js';

let f: ApiFixture;

interface Case {
  name: string;
  url: () => string;
  swagger: string;
  list: boolean;
  /** Fields of the definition we do not return (documented in the report). */
  check?: (body: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const cases: Case[] = [
  {
    name: 'me',
    url: () => '/me',
    swagger: '/vapid/me',
    list: false,
    check: (b) => expect(b).toMatchObject({ login: 'sandbox+demo@example.com', name: 'API Support' }),
  },
  {
    name: 'companies',
    url: () => '/companies',
    swagger: '/vapid/companies',
    list: true,
    check: (b) => expect(b[0]).toMatchObject({ id: f.companyId, is_active: true }),
  },
  {
    name: 'projects',
    url: () => `/projects?company_id=${f.companyId}`,
    swagger: '/vapid/projects',
    list: true,
    check: (b) =>
      expect(b[0]).toMatchObject({
        id: f.projectId,
        name: 'Sandbox Test Project',
        display_name: '1234 - Sandbox Test Project',
        project_number: '1234',
        company: { id: f.companyId },
      }),
  },
  {
    name: 'project',
    url: () => `/projects/${f.projectId}?company_id=${f.companyId}`,
    swagger: '/vapid/projects/{id}',
    list: false,
    check: (b) => expect(b).toMatchObject({ id: f.projectId, square_feet: 42000, latitude: 34.3989 }),
  },
  {
    name: 'project users',
    url: () => `/projects/${f.projectId}/users`,
    swagger: '/vapid/projects/{project_id}/users',
    list: true,
    check: (b) => {
      expect(b.map((u: { email_address: string }) => u.email_address).sort()).toEqual([
        'sandbox+arch@example.com',
        'sandbox+demo@example.com',
        'sandbox+sub@example.com',
      ]);
      expect(b[0].vendor).toMatchObject({ name: expect.any(String) });
    },
  },
  {
    name: 'folders',
    url: () => `/folders?project_id=${f.projectId}`,
    swagger: '/vapid/folders',
    list: false,
    check: (b) => {
      expect(Array.isArray(b)).toBe(false);
      expect(b.parent_id).toBeNull();
      expect(b.folders.length).toBe(4);
      for (const child of b.folders) expect(child).toMatchObject({ folders: [], files: [] });
      expect(b.folders.find((x: { name: string }) => x.name === '03 - Meetings').has_children_folders).toBe(true);
    },
  },
  {
    name: 'folder',
    url: () => `/folders/${f.ids.childFolder}?project_id=${f.projectId}`,
    swagger: '/vapid/folders/{id}',
    list: false,
    check: (b) => expect(b.files[0].file_versions[0].url).toMatch(/^http:\/\/localhost(:80)?\//),
  },
  {
    name: 'file',
    url: () => `/files/${f.ids.file}?project_id=${f.projectId}`,
    swagger: '/vapid/files/{id}',
    list: false,
    check: (b) => expect(b.file_versions[0]).toMatchObject({ number: 1, created_by: { login: 'sandbox+demo@example.com' } }),
  },
  {
    name: 'drawing areas',
    url: () => `/projects/${f.projectId}/drawing_areas`,
    swagger: '/vapid/projects/{project_id}/drawing_areas',
    list: true,
    check: (b) => expect(b[0]).toMatchObject({ drawings_count: 4 }),
  },
  {
    name: 'drawings',
    url: () => `/drawing_areas/${f.ids.drawingArea}/drawings?project_id=${f.projectId}`,
    swagger: '/vapid/drawing_areas/{drawing_area_id}/drawings',
    list: true,
    check: (b) => {
      expect(b).toHaveLength(4);
      expect(new URL(b[0].current_revision.pdf_url).pathname).toMatch(/\.pdf$/);
    },
  },
  {
    name: 'image categories',
    url: () => `/image_categories?project_id=${f.projectId}`,
    swagger: '/vapid/image_categories',
    list: true,
    check: (b) => expect(b[0]).toMatchObject({ count: 1 }),
  },
  {
    name: 'image category',
    url: () => `/image_categories/${f.ids.imageCategory}?project_id=${f.projectId}`,
    swagger: '/vapid/image_categories/{id}',
    list: false,
  },
  {
    name: 'images',
    url: () => `/images?project_id=${f.projectId}&image_category_id=${f.ids.imageCategory}`,
    swagger: '/vapid/images',
    list: true,
    check: (b) =>
      expect(b[0]).toMatchObject({
        image_category_id: f.ids.imageCategory,
        width: expect.any(Number),
        uploader: { login: 'sandbox+demo@example.com' },
      }),
  },
  { name: 'image', url: () => `/images/${f.ids.image}?project_id=${f.projectId}`, swagger: '/vapid/images/{id}', list: false },
  {
    name: 'rfis',
    url: () => `/projects/${f.projectId}/rfis`,
    swagger: '/vapid/projects/{project_id}/rfis',
    list: true,
    check: (b) => expect(b[0]).toMatchObject({ number: '1', status: 'open', questions: [{ body: expect.stringContaining('<p>') }] }),
  },
  {
    name: 'rfi',
    url: () => `/projects/${f.projectId}/rfis/${f.ids.rfi}`,
    swagger: '/vapid/projects/{project_id}/rfis/{id}',
    list: false,
    check: (b) => expect(b.questions[0].answers[0]).toMatchObject({ plain_text_body: 'Use #6 bars.', created_by: 'API Support' }),
  },
  {
    name: 'rfi replies',
    url: () => `/projects/${f.projectId}/rfis/${f.ids.rfi}/replies`,
    swagger: '/vapid/projects/{project_id}/rfis/{rfi_id}/replies',
    list: true,
  },
  {
    name: 'submittals',
    url: () => `/projects/${f.projectId}/submittals`,
    swagger: '/vapid/projects/{project_id}/submittals',
    list: true,
    check: (b) => expect(b[0]).toMatchObject({ title: 'Cast-in-Place Concrete Mix Design', submittal_log_status: { name: 'Open' } }),
  },
  {
    name: 'submittal',
    url: () => `/projects/${f.projectId}/submittals/${f.ids.submittal}`,
    swagger: '/vapid/projects/{project_id}/submittals/{id}',
    list: false,
    check: (b) => expect(b.distribution_members).toHaveLength(1),
  },
  {
    name: 'calendar events',
    url: () => `/calendar_events?project_id=${f.projectId}`,
    swagger: '/vapid/calendar_events',
    list: false,
    check: (b) => {
      expect(b.tasks).toHaveLength(8);
      expect(b.todos).toEqual([]);
      expect(b.schedule_tasks_last_updated_at).toEqual(expect.any(String));
    },
  },
  // The 2017 file has no GET /vapid/tasks: its elements are checked against the show's TaskNormal.
  {
    name: 'tasks',
    url: () => `/tasks?project_id=${f.projectId}`,
    swagger: '/vapid/tasks/{id}',
    list: true,
    check: (b) => expect(b).toHaveLength(8),
  },
  {
    name: 'task',
    url: () => `/tasks/${f.ids.task}?project_id=${f.projectId}`,
    swagger: '/vapid/tasks/{id}',
    list: false,
    check: (b) => expect(b).toMatchObject({ task_name: 'Mobilization', wbs: '1.1' }),
  },
];

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`on ${engine.name}`, () => {
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
      // A reply so the replies list has an element to check.
      const r = await f.call('POST', `/rest/v1.0/projects/${f.projectId}/rfis/${f.ids.rfi}/replies`, {
        payload: { reply: { body: '<p>Use #6 bars.</p>' } },
      });
      expect(r.statusCode).toBe(201);
    });
    afterAll(() => f.rt.close());
    describe.each(PREFIXES)('%s read endpoints', (prefix) => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
        const res = await f.get(`${prefix}${c.url()}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers['x-rate-limit-limit']).toBeDefined();
        const body = res.json();
        if (c.list) {
          expect(Array.isArray(body)).toBe(true);
          expect(res.headers['total']).toBe(String(body.length));
          expect(res.headers['per-page']).toBe('100');
          expect(res.headers['link']).toMatch(/rel="last"/);
          expect(body.length).toBeGreaterThan(0);
        }
        const swaggerBody = c.swagger === '/vapid/tasks/{id}' && c.list ? body[0] : body;
        expect(validateAgainstSwagger('GET', c.swagger, swaggerBody)).toEqual([]);
        const item = Array.isArray(body) ? body[0] : body;
        const { share, missing } = fieldCoverage('GET', c.swagger, item);
        expect(share, `missing: ${missing.join(', ')}`).toBeGreaterThanOrEqual(0.9);
        c.check?.(body);
      });
    });

    describe('downloads serve the real bytes', () => {
      it.each(PREFIXES)('%s: file versions, drawing sheets and images', async (prefix) => {
        const file = (await f.get(`${prefix}/files/${f.ids.file}?project_id=${f.projectId}`)).json();
        const drawing = (await f.get(`${prefix}/drawing_areas/${f.ids.drawingArea}/drawings?project_id=${f.projectId}`)).json()[0];
        const image = (await f.get(`${prefix}/images/${f.ids.image}?project_id=${f.projectId}`)).json();
        const urls: [string, RegExp, string][] = [
          [file.file_versions[0].url, /^application\/pdf/, '%PDF'],
          [drawing.current_revision.pdf_url, /^application\/pdf/, '%PDF'],
          [drawing.current_revision.png_url, /^image\/png/, '\x89PNG'],
          [drawing.current_revision.thumbnail_url, /^image\/png/, '\x89PNG'],
          [drawing.current_revision.large_thumbnail_url, /^image\/png/, '\x89PNG'],
          [image.url, /^image\/jpeg/, '\xff\xd8'],
          [image.thumbnail_url, /^image\/jpeg/, '\xff\xd8'],
        ];
        for (const [url, type, magic] of urls) {
          const u = new URL(url);
          expect(u.origin).toBe('http://localhost'); // light-my-request's Host is localhost:80
          const res = await f.get(u.pathname, { company: false });
          expect(res.statusCode, url).toBe(200);
          expect(res.headers['content-type']).toMatch(type);
          expect(res.rawPayload.subarray(0, magic.length).toString('latin1')).toBe(magic);
          // Bearer-protected.
          expect((await f.get(u.pathname, { token: null })).statusCode).toBe(401);
        }
        expect(drawing.current_revision.pdf_size).toBe((await f.get(new URL(drawing.current_revision.pdf_url).pathname)).rawPayload.length);
      });

      it('a wrong file name or unknown blob is 404', async () => {
        const file = (await f.get(`/rest/v1.0/files/${f.ids.file}?project_id=${f.projectId}`)).json();
        const u = new URL(file.file_versions[0].url);
        expect((await f.get(u.pathname.replace(/\/[^/]+$/, '/other.pdf'))).statusCode).toBe(404);
        expect((await f.get('/rest/v1.0/blobs/999999999/x.pdf')).statusCode).toBe(404);
      });
    });

    describe('OpenAPI', () => {
      it('serves a document generated from the route schemas', async () => {
        const res = await f.rt.sandboxApp.inject({ url: '/openapi.json' });
        expect(res.statusCode).toBe(200);
        const doc = res.json();
        expect(doc.openapi).toMatch(/^3\./);
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining([
            '/rest/v1.0/projects/{project_id}/rfis',
            '/vapid/projects/{project_id}/rfis',
            '/rest/v1.0/folders',
            '/vapid/me',
          ]),
        );
        expect(doc.paths['/rest/v1.0/projects/{project_id}/rfis'].post.requestBody).toBeDefined();
        expect(doc.paths['/rest/v1.0/projects/{project_id}/rfis'].get.responses['200']).toBeDefined();
      });
    });
  });
}
