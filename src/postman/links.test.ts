import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VariableScope } from 'postman-collection';
import { createTestRuntime, ENGINES, type TestRuntime } from '../../test/helpers/runtime.js';
import { createApp } from '../services/apps.js';
import type { PostmanCollection, PostmanEnvironment } from './collection.js';
import { getPostmanLinks, regeneratePostmanLinkToken } from './links.js';

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: Postman import links`, () => {
    let rt: TestRuntime;
    let app: FastifyInstance;
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name });
      app = rt.sandboxApp;
    });
    afterAll(() => rt?.close());

    it('getPostmanLinks gives stable, unguessable links for the CLI', async () => {
      const a = await getPostmanLinks(rt.ctx, rt.app.id, 'http://127.0.0.1:4000/');
      const b = await getPostmanLinks(rt.ctx, rt.app.id, 'http://127.0.0.1:4000');
      expect(a).toEqual(b);
      expect(a.collectionUrl).toMatch(/^http:\/\/127\.0\.0\.1:4000\/postman\/[A-Za-z0-9_-]{43}\/collection\.json$/);
      expect(a.environmentUrl).toBe(a.collectionUrl.replace('collection.json', 'environment.json'));
      const row = await rt.ctx.db.selectFrom('postman_links').selectAll().where('app_id', '=', rt.app.id).executeTakeFirstOrThrow();
      const token = a.collectionUrl.split('/')[4]!;
      expect(row.token_hash).not.toContain(token);
      expect(row.token_enc).not.toContain(token);
    });

    it('serves bare JSON whose variables resolve to ids that exist in the database', async () => {
      const links = await getPostmanLinks(rt.ctx, rt.app.id, 'http://127.0.0.1:4000');
      const colRes = await app.inject({ method: 'GET', url: pathOf(links.collectionUrl), headers: { host: 'sandbox.test:4000' } });
      const envRes = await app.inject({ method: 'GET', url: pathOf(links.environmentUrl), headers: { host: 'sandbox.test:4000' } });
      for (const res of [colRes, envRes]) {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.headers['cache-control']).toBe('no-store');
      }
      const collection = colRes.json<PostmanCollection>();
      const environment = envRes.json<PostmanEnvironment>();
      const vars = Object.fromEntries(environment.values.map((v) => [v.key, v.value]));
      expect(vars['base_url']).toBe('http://sandbox.test:4000');
      expect(vars['client_id']).toBe(rt.credentials.clientId);
      expect(vars['client_secret']).toBe(rt.credentials.clientSecret);
      const sandboxId = rt.sandbox.id;
      const db = rt.ctx.db;
      expect(
        await db
          .selectFrom('companies')
          .select('id')
          .where('id', '=', Number(vars['company_id']))
          .where('sandbox_id', '=', sandboxId)
          .executeTakeFirst(),
      ).toBeDefined();
      expect(
        await db
          .selectFrom('projects')
          .select('id')
          .where('id', '=', Number(vars['project_id']))
          .where('company_id', '=', Number(vars['company_id']))
          .executeTakeFirst(),
      ).toBeDefined();
      expect(
        await db
          .selectFrom('drawing_areas')
          .select('id')
          .where('id', '=', Number(vars['drawing_areas']))
          .where('project_id', '=', Number(vars['project_id']))
          .executeTakeFirst(),
      ).toBeDefined();
      expect(
        await db
          .selectFrom('image_categories')
          .select('id')
          .where('id', '=', Number(vars['image_category_id']))
          .where('project_id', '=', Number(vars['project_id']))
          .executeTakeFirst(),
      ).toBeDefined();
      // The collection's own fallback variables agree with the environment.
      for (const v of collection.variable) expect(vars[v.key]).toBe(v.value);
      // replaceIn exists at runtime but is missing from @types/postman-collection 3.5.
      const scope = new VariableScope({ values: environment.values } as never) as unknown as { replaceIn(s: string): string };
      expect(scope.replaceIn(collection.item[0]!.item[4]!.request.url.raw)).toBe(
        `http://sandbox.test:4000/vapid/drawing_areas/${vars['drawing_areas']}/drawings`,
      );
    });

    it('keeps _postman_id stable per sandbox and distinct between sandboxes', async () => {
      const links = await getPostmanLinks(rt.ctx, rt.app.id, 'http://x');
      const id1 = (await app.inject({ method: 'GET', url: pathOf(links.collectionUrl) })).json<PostmanCollection>().info._postman_id;
      const id2 = (await app.inject({ method: 'GET', url: pathOf(links.collectionUrl) })).json<PostmanCollection>().info._postman_id;
      expect(id1).toBe(id2);
      const second = await createApp(rt.ctx, { developerId: rt.app.developer_id, name: 'Second' });
      const l2 = await getPostmanLinks(rt.ctx, second.app.id, 'http://x');
      const other = (await app.inject({ method: 'GET', url: pathOf(l2.collectionUrl) })).json<PostmanCollection>();
      expect(other.info._postman_id).not.toBe(id1);
      expect(other.variable.find((v) => v.key === 'company_id')?.value).toBe(String(second.sandbox.company_id));
    });

    it('offers a download with an RFC 6266 filename*', async () => {
      const links = await getPostmanLinks(rt.ctx, rt.app.id, 'http://x');
      const res = await app.inject({ method: 'GET', url: `${pathOf(links.collectionUrl)}?download=1` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="Procore Sandbox Test Project - My Sandbox App.postman_collection.json"; filename*=UTF-8''Procore%20Sandbox%20Test%20Project%20-%20My%20Sandbox%20App.postman_collection.json`,
      );
      const env = await app.inject({ method: 'GET', url: `${pathOf(links.environmentUrl)}?download=1` });
      expect(env.headers['content-disposition']).toContain('.postman_environment.json');
    });

    it('answers 404 JSON for unknown, malformed and regenerated tokens', async () => {
      const links = await getPostmanLinks(rt.ctx, rt.app.id, 'http://x');
      for (const url of ['/postman/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/collection.json', '/postman/short/environment.json']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toMatchObject({ code: 404 });
      }
      // A NUL in the path is refused by the HTTP layer before any lookup (src/http).
      const nul = await app.inject({ method: 'GET', url: '/postman/%00%0d%0a/collection.json' });
      expect(nul.statusCode).toBe(400);
      expect(nul.headers['content-type']).toMatch(/^application\/json/);
      await regeneratePostmanLinkToken(rt.ctx, rt.app.id);
      expect((await app.inject({ method: 'GET', url: pathOf(links.collectionUrl) })).statusCode).toBe(404);
      const fresh = await getPostmanLinks(rt.ctx, rt.app.id, 'http://x');
      expect((await app.inject({ method: 'GET', url: pathOf(fresh.environmentUrl) })).statusCode).toBe(200);
    });

    it('is not served on the production environment', async () => {
      const links = await getPostmanLinks(rt.ctx, rt.app.id, 'http://x');
      expect((await rt.productionApp.inject({ method: 'GET', url: pathOf(links.collectionUrl) })).statusCode).toBe(404);
    });
  });
}
