/**
 * The explorer state API on both engines: pre-installed sandbox records, CRUD and reorder,
 * history bound, import/export round trips, record upgrades on read, encryption at rest and
 * per-developer isolation (another developer's ids answer 404 and change nothing).
 */
import sdk from 'postman-collection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/explorer/store.js';
import { COLLECTION_SCHEMA_URL } from '../../src/postman/collection.js';
import { getPostmanLinks } from '../../src/postman/links.js';
import { createTestRuntime, ENGINES, type TestRuntime } from '../helpers/runtime.js';
import { ExplorerClient } from './client.js';

interface Rec {
  id: string;
  kind: string;
  v: number;
  name: string;
  data: Record<string, unknown> & {
    info?: { name: string; _postman_id?: string; schema?: string };
    values?: { key: string; value: string }[];
  };
  position: number;
  builtin: boolean;
  app_id: number | null;
}

interface State {
  collections: Rec[];
  environments: Rec[];
  globals: Rec;
  presets: Rec[];
  tokens: Rec[];
  history: Rec[];
  apps: {
    id: number;
    name: string;
    collection_id: string | null;
    environment_id: string | null;
    callback_url: string | null;
    project_id: number;
  }[];
}

const pathOf = (url: string) => new URL(url).pathname;

const V20 = {
  info: { name: 'Legacy v2.0', schema: 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json' },
  auth: { type: 'bearer', bearer: { token: '{{access_token}}' } },
  item: [{ name: 'Me', request: { url: '{{base_url}}/vapid/me', method: 'GET' } }],
};

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: explorer state API`, () => {
    let rt: TestRuntime;
    let owner: ExplorerClient;
    let other: ExplorerClient;
    let otherAppId: number;
    let state: State;

    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name });
      owner = await new ExplorerClient(rt.sandboxApp).signIn(rt.setup!.developer.email, rt.developerPassword);
      other = await new ExplorerClient(rt.sandboxApp).signUp(`other-${engine.name}@example.com`);
      otherAppId = await other.createApp('Other App');
      const res = await owner.send('GET', '/state');
      expect(res.statusCode, res.body).toBe(200);
      state = res.json();
    });
    afterAll(() => rt?.close());

    describe('pre-installed sandbox collection and environment', () => {
      it('are the Postman link’s collection and environment, flagged builtin, once per app', async () => {
        expect(state.collections).toHaveLength(1);
        expect(state.environments).toHaveLength(1);
        const [collection] = state.collections;
        const [environment] = state.environments;
        expect(collection).toMatchObject({
          kind: 'collections',
          v: 2,
          builtin: true,
          app_id: Number(rt.app.id),
          name: `Procore Sandbox Test Project (${rt.app.name})`,
        });
        const links = await getPostmanLinks(rt.ctx, rt.app.id, 'http://localhost:80');
        const link = await rt.sandboxApp.inject({ method: 'GET', url: pathOf(links.collectionUrl) });
        expect(collection!.data).toEqual(link.json());
        const envLink = (await rt.sandboxApp.inject({ method: 'GET', url: pathOf(links.environmentUrl) })).json();
        expect({ ...environment!.data, _postman_exported_at: '' }).toEqual({ ...envLink, _postman_exported_at: '', current: {} });
        expect(state.apps).toEqual([
          expect.objectContaining({
            id: Number(rt.app.id),
            collection_id: collection!.id,
            environment_id: environment!.id,
            project_id: rt.sandbox.project_id,
          }),
        ]);
        expect(state.globals).toMatchObject({ kind: 'globals', data: { name: 'Globals', values: [], current: {} } });
        const again: State = (await owner.send('GET', '/state')).json();
        expect(again.collections.map((r) => r.id)).toEqual([collection!.id]);
        expect(again.globals.id).toBe(state.globals.id);
      });

      it('registers the explorer callback for the app, so the popup login can finish', async () => {
        expect(state.apps[0]!.callback_url).toBe('http://localhost:80/explorer/oauth/callback');
        const app = await rt.ctx.db.selectFrom('apps').select('redirect_uris').where('id', '=', rt.app.id).executeTakeFirstOrThrow();
        expect(JSON.parse(app.redirect_uris)).toEqual([
          'http://localhost',
          'urn:ietf:wg:oauth:2.0:oob',
          'http://localhost:80/explorer/oauth/callback',
        ]);
      });

      it('honours a deletion, and restores on request', async () => {
        const c: State = (await other.send('GET', '/state')).json();
        expect(c.collections).toHaveLength(1);
        expect(c.apps[0]!.id).toBe(otherAppId);
        const del = await other.send('DELETE', `/collections/${c.collections[0]!.id}`);
        expect(del.json()).toEqual({ deleted: true, id: c.collections[0]!.id });
        expect(((await other.send('GET', '/state')).json() as State).collections).toHaveLength(0);
        const restored = await other.send('POST', '/collections/restore', { app_id: otherAppId });
        expect(restored.statusCode, restored.body).toBe(201);
        expect(restored.json().collection).toMatchObject({ builtin: true, app_id: otherAppId });
        expect(restored.json().environment.id).toBe(c.environments[0]!.id);
        expect(((await other.send('GET', '/state')).json() as State).collections).toHaveLength(1);
      });
    });

    describe('records', () => {
      it('creates, reads, replaces, renames, reorders, duplicates and deletes', async () => {
        const env = await owner.send('POST', '/environments', {
          name: 'Staging',
          data: {
            name: 'Staging',
            values: [{ key: 'base_url', value: 'https://sandbox.procore.com', type: 'default', enabled: true }],
            current: {},
          },
        });
        expect(env.statusCode, env.body).toBe(201);
        const e: Rec = env.json();
        expect(e).toMatchObject({ kind: 'environments', v: 2, builtin: false, app_id: null, position: 1 });
        expect((await owner.send('GET', `/environments/${e.id}`)).json()).toEqual(e);

        const put = await owner.send('PUT', `/environments/${e.id}`, {
          name: 'Staging 2',
          data: { name: 'Staging 2', values: [], current: { base_url: 'https://x' } },
        });
        expect(put.json()).toMatchObject({ name: 'Staging 2', data: { current: { base_url: 'https://x' } } });

        // A v2.0 collection is stored as v2.1, with a stable _postman_id.
        const col = await owner.send('POST', '/collections', { data: V20 });
        expect(col.statusCode, col.body).toBe(201);
        const c: Rec = col.json();
        expect(c.name).toBe('Legacy v2.0');
        expect(c.data.info).toEqual({ name: 'Legacy v2.0', schema: COLLECTION_SCHEMA_URL, _postman_id: c.id });
        expect(c.data['auth']).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{access_token}}', type: 'string' }] });

        const renamed = await owner.send('PATCH', `/collections/${c.id}`, { name: 'Renamed' });
        expect(renamed.json()).toMatchObject({ name: 'Renamed', data: { info: { name: 'Renamed', _postman_id: c.id } } });

        const moved = await owner.send('PATCH', `/collections/${c.id}`, { position: 0 });
        expect(moved.json().position).toBe(0);
        const order = ((await owner.send('GET', '/collections')).json().records as Rec[]).map((r) => r.id);
        expect(order).toEqual([c.id, state.collections[0]!.id]);

        const dup = await owner.send('POST', `/collections/${c.id}/duplicate`, {});
        expect(dup.statusCode).toBe(201);
        expect(dup.json()).toMatchObject({ name: 'Renamed Copy', builtin: false, data: { info: { name: 'Renamed Copy' } } });
        expect(dup.json().data.info._postman_id).toBe(dup.json().id);
        expect(dup.json().data.item).toEqual(renamed.json().data.item);

        const preset = await owner.send('POST', '/presets', {
          name: 'JSON + company',
          data: {
            headers: [
              { key: 'Content-Type', value: 'application/json', enabled: true },
              { key: 'Procore-Company-Id', value: '{{company_id}}', enabled: true },
            ],
          },
        });
        expect(preset.statusCode, preset.body).toBe(201);
        // An older client may send v1 data: it is upgraded.
        const old = await owner.send('POST', '/presets', { name: 'old', v: 1, data: { headers: { Accept: 'application/json' } } });
        expect(old.json()).toMatchObject({ v: 2, data: { headers: [{ key: 'Accept', value: 'application/json', enabled: true }] } });

        const token = await owner.send('POST', '/tokens', {
          data: {
            access_token: 'at-123',
            refresh_token: 'rt-456',
            token_type: 'Bearer',
            expires_at: '2030-01-01T00:00:00Z',
            auth: { tokenName: 'Procore sandbox', clientId: 'id', clientSecret: 'must-not-be-kept' },
          },
        });
        expect(token.statusCode, token.body).toBe(201);
        expect(token.json().name).toBe('Procore sandbox');
        expect(JSON.stringify(token.json())).not.toContain('must-not-be-kept');

        for (const [kind, id] of [
          ['collections', dup.json().id],
          ['presets', old.json().id],
        ]) {
          expect((await owner.send('DELETE', `/${kind}/${id}`)).statusCode).toBe(200);
          expect((await owner.send('GET', `/${kind}/${id}`)).statusCode).toBe(404);
          expect((await owner.send('DELETE', `/${kind}/${id}`)).statusCode).toBe(404);
        }
      });

      it('refuses bad input with a 4xx JSON error and stores nothing', async () => {
        const before = ((await owner.send('GET', '/environments')).json().records as Rec[]).length;
        const cases: [string, string, unknown, number, string][] = [
          [
            'POST',
            '/environments',
            { data: { name: 'x', values: [{ key: 'a', value: 1, type: 'default', enabled: true }], current: {} } },
            422,
            'invalid_data',
          ],
          ['POST', '/environments', { data: { name: 'x', values: [], current: {} }, owner_id: 1 }, 400, 'invalid_request'],
          ['POST', '/environments', { name: '', data: {} }, 400, 'invalid_request'],
          ['POST', '/environments', { v: 9, data: { name: 'x', values: [], current: {} } }, 422, 'invalid_data'],
          ['POST', '/collections', { data: { name: 'v1', requests: [], order: [] } }, 422, 'invalid_data'],
          ['POST', '/nope', { data: {} }, 400, 'invalid_request'],
          ['POST', '/globals', { data: { name: 'g', values: [], current: {} } }, 409, 'conflict'],
          ['DELETE', `/globals/${state.globals.id}`, undefined, 409, 'conflict'],
          ['GET', '/environments/not-a-uuid', undefined, 404, 'not_found'],
          ['PATCH', `/environments/${state.environments[0]!.id}`, {}, 400, 'invalid_request'],
          ['POST', '/environments', '{"data":', 400, 'invalid_request'],
        ];
        for (const [method, path, body, status, error] of cases) {
          const res = await owner.send(method, path, body);
          expect(res.statusCode, `${method} ${path} ${res.body}`).toBe(status);
          expect(res.json(), `${method} ${path}`).toMatchObject({ error, message: expect.any(String) });
        }
        expect(((await owner.send('GET', '/environments')).json().records as Rec[]).length).toBe(before);
        expect((await new ExplorerClient(rt.sandboxApp).send('GET', '/state')).statusCode).toBe(401);
      });

      it('stores data sealed with the server key and upgrades old records on read', async () => {
        const rows = await rt.ctx.db.selectFrom('explorer_records').selectAll().execute();
        const dump = JSON.stringify(rows);
        expect(dump).not.toContain(rt.credentials.clientSecret);
        expect(dump).not.toContain('at-123');
        expect(dump).not.toContain('Procore-Company-Id');

        const id = '00000000-0000-4000-8000-000000000001';
        const now = '2026-01-01T00:00:00Z';
        await rt.ctx.db
          .insertInto('explorer_records')
          .values({
            id,
            developer_id: Number(rt.setup!.developer.id),
            kind: 'environments',
            v: 1,
            name: 'From an old version',
            data_enc: rt.ctx.secrets.encrypt(JSON.stringify({ name: 'Old', values: [{ key: 'a', value: 'x', type: 'text' }] })),
            size: 10,
            position: 50,
            app_id: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        const read = await owner.send('GET', `/environments/${id}`);
        expect(read.json()).toMatchObject({
          v: 2,
          data: { values: [{ key: 'a', value: 'x', type: 'default', enabled: true }], current: {} },
        });
        const row = await rt.ctx.db.selectFrom('explorer_records').select(['v', 'data_enc']).where('id', '=', id).executeTakeFirstOrThrow();
        expect(row.v).toBe(2);
        expect(JSON.parse(rt.ctx.secrets.decrypt(row.data_enc))).toEqual(read.json().data);
      });
    });

    describe('history', () => {
      const entry = (i: number) => ({
        method: 'GET',
        url: `http://localhost/vapid/me?i=${i}`,
        status: 200,
        time_ms: 5,
        size: 100,
        request: { method: 'GET', url: `http://localhost/vapid/me?i=${i}`, header: [] },
        response_headers: [['Total', '1']],
      });

      it('keeps the newest entries, newest first, and clears', async () => {
        const first = await owner.send('POST', '/history', entry(0));
        expect(first.statusCode, first.body).toBe(201);
        expect(first.json()).toMatchObject({ kind: 'history', name: 'GET http://localhost/vapid/me?i=0', data: { status: 200 } });
        expect((await owner.send('POST', '/history', { method: 'GET' })).statusCode).toBe(422);
        for (let i = 1; i <= LIMITS.historyEntries + 4; i++) await owner.send('POST', '/history', entry(i));
        const all = (await owner.send('GET', `/history?limit=${LIMITS.historyEntries}`)).json().records as Rec[];
        expect(all).toHaveLength(LIMITS.historyEntries);
        expect(all[0]!.data['url']).toBe(`http://localhost/vapid/me?i=${LIMITS.historyEntries + 4}`);
        expect(all.at(-1)!.data['url']).toBe('http://localhost/vapid/me?i=5');
        expect(((await owner.send('GET', '/state')).json() as State).history).toHaveLength(100);
        expect(((await other.send('GET', '/history')).json().records as Rec[]).length).toBe(0);
        expect((await other.send('DELETE', '/history')).json()).toEqual({ deleted: 0 });
        expect((await owner.send('DELETE', `/history/${all[0]!.id}`)).json()).toEqual({ deleted: true, id: all[0]!.id });
        expect((await owner.send('DELETE', '/history')).json()).toEqual({ deleted: LIMITS.historyEntries - 1 });
        expect(((await owner.send('GET', '/history')).json().records as Rec[]).length).toBe(0);
      });
    });

    describe('import and export', () => {
      it('imports the sandbox collection from its link (through the proxy, in-process) and exports it unchanged', async () => {
        const links = await getPostmanLinks(rt.ctx, rt.app.id, 'http://localhost:80');
        const res = await owner.send('POST', '/import', { url: links.collectionUrl });
        expect(res.statusCode, res.body).toBe(201);
        const rec: Rec = res.json();
        // As the proxy fetched it: Host is the link's host (no default port).
        const original = (
          await rt.sandboxApp.inject({
            method: 'GET',
            url: pathOf(links.collectionUrl),
            headers: { host: new URL(links.collectionUrl).host },
          })
        ).json();
        expect(rec.data).toEqual(original);
        const exported = await owner.send('GET', `/export/collections/${rec.id}`);
        expect(exported.statusCode).toBe(200);
        expect(exported.headers['content-disposition']).toMatch(
          /^attachment; filename="Procore Sandbox Test Project\.postman_collection\.json"/,
        );
        expect(exported.json()).toEqual(original);
        // Postman's SDK reads the export as it reads the original.
        // (The SDK gives scripts random ids on every read.)
        const read = (json: unknown) =>
          JSON.stringify(new sdk.Collection(json as never).toJSON(), (k, v) => (k === 'id' && typeof v === 'string' && k ? undefined : v));
        expect(read(exported.json())).toBe(read(original));
        const env = await owner.send('POST', '/import', { url: links.environmentUrl });
        expect(env.json()).toMatchObject({ kind: 'environments', name: `Procore Sandbox - ${rt.app.name}` });
      });

      it('imports pasted JSON (v2.0 string, v2.1 object, wrapped), environments and globals files', async () => {
        const v20 = await owner.send('POST', '/import', { json: JSON.stringify(V20) });
        expect(v20.statusCode, v20.body).toBe(201);
        expect(v20.json().data.info.schema).toBe(COLLECTION_SCHEMA_URL);
        const wrapped = await owner.send('POST', '/import', {
          json: { collection: { ...V20, info: { ...V20.info, name: 'Wrapped' } } },
          name: 'Named',
        });
        expect(wrapped.json()).toMatchObject({ name: 'Named', data: { info: { name: 'Named' } } });
        const env = await owner.send('POST', '/import', {
          json: { name: 'Env file', values: [{ key: 'k', value: 'v', type: 'secret' }], _postman_variable_scope: 'environment' },
        });
        expect(env.json()).toMatchObject({
          kind: 'environments',
          name: 'Env file',
          data: { values: [{ key: 'k', type: 'secret', enabled: true }] },
        });
        const exportedEnv = await owner.send('GET', `/export/environments/${env.json().id}`);
        expect(exportedEnv.json()).toMatchObject({
          name: 'Env file',
          values: [{ key: 'k', value: '' }],
          _postman_variable_scope: 'environment',
        });
        expect(exportedEnv.json()).not.toHaveProperty('current');
        const globals = await owner.send('POST', '/import', {
          json: { values: [{ key: 'g1', value: '1' }], _postman_variable_scope: 'globals' },
        });
        expect(globals.json()).toMatchObject({ kind: 'globals', id: state.globals.id, data: { values: [{ key: 'g1', value: '1' }] } });
      });

      it('refuses what is not Postman data, and links the proxy may not reach', async () => {
        const cases: [unknown, number, string][] = [
          [{ json: 'not json' }, 422, 'invalid_data'],
          [{ json: { hello: 'world' } }, 422, 'invalid_data'],
          [{ json: { name: 'v1', requests: [], order: [] } }, 422, 'invalid_data'],
          [{ url: 'http://localhost/postman/nope/collection.json' }, 422, 'invalid_data'],
          [{ url: 'http://127.0.0.1:5432/' }, 403, 'proxy_refused'],
          [{ url: 'https://evil.test/collection.json' }, 403, 'proxy_refused'],
          [{ url: 'file:///etc/passwd' }, 403, 'proxy_refused'],
          [{ url: 'x', json: {} }, 400, 'invalid_request'],
        ];
        for (const [body, status, error] of cases) {
          const res = await owner.send('POST', '/import', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(status);
          expect(res.json()).toMatchObject({ error });
        }
      });
    });

    describe('isolation between developers', () => {
      it("another developer's ids answer 404 everywhere and change nothing", async () => {
        const mine: State = (await owner.send('GET', '/state')).json();
        const c = mine.collections[0]!;
        const e = mine.environments[0]!;
        const checks: [string, string, unknown][] = [
          ['GET', `/collections/${c.id}`, undefined],
          ['PUT', `/collections/${c.id}`, { data: V20 }],
          ['PATCH', `/collections/${c.id}`, { name: 'stolen' }],
          ['DELETE', `/collections/${c.id}`, undefined],
          ['POST', `/collections/${c.id}/duplicate`, {}],
          ['GET', `/export/collections/${c.id}`, undefined],
          ['GET', `/environments/${e.id}`, undefined],
          ['PUT', `/environments/${e.id}`, { data: { name: 'x', values: [], current: {} } }],
          ['DELETE', `/environments/${e.id}`, undefined],
          ['GET', `/export/environments/${e.id}`, undefined],
          ['GET', `/globals/${mine.globals.id}`, undefined],
          ['PUT', `/globals/${mine.globals.id}`, { data: { name: 'x', values: [], current: {} } }],
          ['GET', `/collections/${e.id}`, undefined], // right owner, wrong kind: still 404 for the other
          ['POST', '/collections/restore', { app_id: Number(rt.app.id) }],
          ['GET', `/pickers?app_id=${rt.app.id}&kind=projects`, undefined],
        ];
        for (const [method, path, body] of checks) {
          const res = await other.send(method, path, body);
          expect(res.statusCode, `${method} ${path}`).toBe(404);
          expect(res.json()).toMatchObject({ error: 'not_found' });
        }
        expect((await owner.send('GET', `/collections/${c.id}`)).json()).toEqual(c);
        expect((await owner.send('GET', `/environments/${e.id}`)).json()).toEqual(e);
        const theirs: State = (await other.send('GET', '/state')).json();
        const ids = new Set([...theirs.collections, ...theirs.environments, theirs.globals].map((r) => r.id));
        for (const r of [...mine.collections, ...mine.environments, mine.globals]) expect(ids.has(r.id)).toBe(false);
      });
    });

    describe('pickers, codegen and the schema check', () => {
      it('lists the sandbox’s real objects of the developer’s own app', async () => {
        const projects = await owner.send('GET', `/pickers?app_id=${rt.app.id}&kind=projects`);
        expect(projects.json()).toEqual([{ id: rt.sandbox.project_id, label: '1234 - Sandbox Test Project', variable: 'project_id' }]);
        const users = (await owner.send('GET', `/pickers?app_id=${rt.app.id}&kind=users&q=arch`)).json();
        expect(users).toEqual([expect.objectContaining({ label: expect.stringContaining('sandbox+arch@example.com') })]);
        const rfis = (await owner.send('GET', `/pickers?app_id=${rt.app.id}&kind=rfis`)).json();
        expect(rfis[0].label).toContain('Foundation wall reinforcement');
        expect((await owner.send('GET', `/pickers?app_id=${rt.app.id}&kind=secrets`)).statusCode).toBe(400);
      });

      it('generates snippets and checks responses against the served OpenAPI document', async () => {
        const langs = (await owner.send('GET', '/codegen/languages')).json();
        expect(langs).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'curl', variants: ['cURL'] })]));
        const snippet = await owner.send('POST', '/codegen', {
          language: 'curl',
          variant: 'cURL',
          request: { method: 'GET', url: 'http://localhost/vapid/me', header: [{ key: 'Authorization', value: 'Bearer t' }] },
        });
        expect(snippet.json().snippet).toBe("curl --location 'http://localhost/vapid/me' \\\n--header 'Authorization: Bearer t'");
        expect((await owner.send('POST', '/codegen', { language: 'cobol', variant: 'x', request: {} })).statusCode).toBe(422);

        const token = await rt.mintToken();
        const list = await rt.sandboxApp.inject({
          url: `/rest/v1.0/projects/${rt.sandbox.project_id}/rfis`,
          headers: { authorization: `Bearer ${token}`, 'procore-company-id': String(rt.sandbox.company_id) },
        });
        const path = `/rest/v1.0/projects/${rt.sandbox.project_id}/rfis`;
        const ok = await owner.send('POST', '/validate', { method: 'GET', path, status: 200, body: list.body });
        expect(ok.json()).toEqual({
          operation_id: expect.stringMatching(/^v1_0_listRfis$/i),
          path_template: '/rest/v1.0/projects/{project_id}/rfis',
          valid: true,
          errors: [],
        });
        const broken = list.json();
        broken[0].id = 'not a number';
        const bad = await owner.send('POST', '/validate', { method: 'GET', path, status: 200, body: broken });
        expect(bad.json()).toMatchObject({ valid: false, errors: [expect.objectContaining({ path: '/0/id' })] });
        const unknown = await owner.send('POST', '/validate', { method: 'GET', path: '/nowhere', status: 200, body: {} });
        expect(unknown.json()).toEqual({ operation_id: null, path_template: null, valid: null, errors: [] });
      });
    });
  });
}
