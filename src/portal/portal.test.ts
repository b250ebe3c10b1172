import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, ENGINES, type TestRuntime } from '../../test/helpers/runtime.js';
import { sha256Hex } from '../core/crypto.js';
import { allocateIds } from '../db/repos/sandboxes.js';
import { authenticateClient } from '../services/apps.js';
import { SESSION_COOKIE } from './sessions.js';

/** A browser-like client of the portal API: keeps the session cookie, sends the CSRF header. */
class PortalClient {
  cookie = '';
  constructor(private readonly app: FastifyInstance) {}

  async send(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url: `/api/portal${url}`,
      headers: {
        ...(method === 'GET' ? {} : { 'x-requested-with': 'test' }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    const set = res.cookies.find((c) => c.name === SESSION_COOKIE);
    if (set) this.cookie = set.value ? `${SESSION_COOKIE}=${set.value}` : '';
    return res;
  }

  /** Sign-up (202, no session: it never tells whether the email existed), then sign-in. */
  async signUp(email: string, password = 'correct horse'): Promise<void> {
    const res = await this.send('POST', '/signup', { email, password, name: email.split('@')[0] });
    expect(res.statusCode, res.body).toBe(202);
    const signin = await this.send('POST', '/signin', { email, password });
    expect(signin.statusCode, signin.body).toBe(200);
  }

  async createApp(name: string): Promise<AppJson> {
    const res = await this.send('POST', '/apps', { name });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ app: AppJson }>().app;
  }
}

interface AppJson {
  id: number;
  name: string;
  redirect_uris: string[];
  grant_types: string[];
  credentials: { sandbox: { client_id: string }; production: { client_id: string } };
  sandbox: {
    id: number;
    company_id: number;
    project_id: number;
    users: { email: string }[];
    postman: { collection_url: string; environment_url: string };
  };
}

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: developer portal API`, () => {
    let rt: TestRuntime;
    let app: FastifyInstance;
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name, settings: { loginAttemptsPerHour: 5 } });
      app = rt.sandboxApp;
    });
    afterAll(() => rt?.close());

    describe('accounts and sessions', () => {
      it('signs up, sets a hardened session cookie at sign-in, stores only its hash', async () => {
        const c = new PortalClient(app);
        const signup = await c.send('POST', '/signup', { email: 'Ada@Example.com', password: 'password-1', name: 'Ada' });
        expect(signup.statusCode).toBe(202);
        expect(signup.cookies).toEqual([]);
        const res = await c.send('POST', '/signin', { email: 'ada@example.com', password: 'password-1' });
        expect(res.json()).toMatchObject({ developer: { email: 'ada@example.com', name: 'Ada' } });
        const cookie = res.cookies.find((x) => x.name === SESSION_COOKIE)!;
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
        expect(cookie.secure).toBeFalsy(); // plain http here; Secure on https
        const rows = await rt.ctx.db.selectFrom('portal_sessions').selectAll().execute();
        expect(rows.some((r) => r.session_hash === sha256Hex(cookie.value))).toBe(true);
        expect(rows.some((r) => r.session_hash === cookie.value)).toBe(false);
        expect((await c.send('GET', '/me')).json()).toMatchObject({ developer: { email: 'ada@example.com' } });
      });

      it('refuses short passwords, bad emails, wrong types and duplicates with a named field', async () => {
        const c = new PortalClient(app);
        const short = await c.send('POST', '/signup', { email: 'b@example.com', password: 'short' });
        expect(short.statusCode).toBe(422);
        expect(short.json()).toMatchObject({ field: 'password' });
        const email = await c.send('POST', '/signup', { email: 'not-an-email', password: 'long enough' });
        expect(email.json()).toMatchObject({ field: 'email' });
        const typed = await c.send('POST', '/signup', { email: 'b@example.com', password: 12345678 });
        expect(typed.statusCode).toBe(422);
        expect(typed.json()).toMatchObject({ field: 'password' });
        // An existing email: the same answer as a new one (hardening.test.ts), nothing changed.
        const dup = await c.send('POST', '/signup', { email: 'ADA@example.com', password: 'whatever1' });
        expect(dup.statusCode).toBe(202);
        const malformed = await app.inject({
          method: 'POST',
          url: '/api/portal/signup',
          headers: { 'x-requested-with': 'x', 'content-type': 'application/json' },
          payload: '{"email":',
        });
        expect(malformed.statusCode).toBe(400);
        expect(malformed.json()).toMatchObject({ message: 'Malformed JSON body' });
        expect(
          await rt.ctx.db.selectFrom('developers').select('email').where('email', '=', 'b@example.com').executeTakeFirst(),
        ).toBeUndefined();
      });

      it('signs in with a new session id (old one dead) and signs out', async () => {
        const c = new PortalClient(app);
        await c.signUp('carol@example.com', 'carol-password');
        const before = c.cookie;
        const bad = await c.send('POST', '/signin', { email: 'carol@example.com', password: 'wrong-password' });
        expect(bad.statusCode).toBe(401);
        const unknown = await new PortalClient(app).send('POST', '/signin', { email: 'nobody@example.com', password: 'wrong-password' });
        expect(unknown.statusCode).toBe(401);
        expect(unknown.json().message).toBe(bad.json().message);
        const ok = await c.send('POST', '/signin', { email: 'carol@example.com', password: 'carol-password' });
        expect(ok.statusCode).toBe(200);
        expect(c.cookie).not.toBe(before);
        const stale = await app.inject({ method: 'GET', url: '/api/portal/me', headers: { cookie: before } });
        expect(stale.statusCode).toBe(401);
        expect((await c.send('GET', '/me')).statusCode).toBe(200);
        const session = c.cookie;
        expect((await c.send('POST', '/signout')).statusCode).toBe(200);
        expect((await app.inject({ method: 'GET', url: '/api/portal/me', headers: { cookie: session } })).statusCode).toBe(401);
      });

      it('throttles repeated failed sign-ins with 429 and Retry-After', async () => {
        const c = new PortalClient(app);
        await c.signUp('dave@example.com', 'dave-password');
        for (let i = 0; i < 5; i++)
          expect((await c.send('POST', '/signin', { email: 'dave@example.com', password: 'nope-nope' })).statusCode).toBe(401);
        const limited = await c.send('POST', '/signin', { email: 'dave@example.com', password: 'dave-password' });
        expect(limited.statusCode).toBe(429);
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      });

      it('answers 401 JSON without a session', async () => {
        const res = await new PortalClient(app).send('GET', '/apps');
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ error: 'unauthorized' });
      });
    });

    describe('CSRF defence (F6)', () => {
      it('refuses a cross-site text/plain form POST, foreign Origin, missing header, cross-site fetch', async () => {
        const c = new PortalClient(app);
        await c.signUp('erin@example.com');
        const count = async () => (await rt.ctx.db.selectFrom('apps').select('id').execute()).length;
        const before = await count();
        const form = await app.inject({
          method: 'POST',
          url: '/api/portal/apps',
          headers: { cookie: c.cookie, 'content-type': 'text/plain', origin: 'https://evil.test' },
          payload: '{"name":"pwned"}',
        });
        expect(form.statusCode).toBe(403);
        expect(form.json()).toMatchObject({ error: 'forbidden' });
        const noHeader = await app.inject({
          method: 'POST',
          url: '/api/portal/apps',
          headers: { cookie: c.cookie, 'content-type': 'application/json' },
          payload: '{"name":"x"}',
        });
        expect(noHeader.statusCode).toBe(403);
        const origin = await c.send('POST', '/apps', { name: 'x' }, { origin: 'https://evil.test' });
        expect(origin.statusCode).toBe(403);
        const site = await c.send('POST', '/apps', { name: 'x' }, { 'sec-fetch-site': 'cross-site' });
        expect(site.statusCode).toBe(403);
        const plain = await c.send('POST', '/apps', undefined, { 'content-type': 'text/plain', 'content-length': '3' });
        expect([403, 415]).toContain(plain.statusCode);
        const sameOrigin = await c.send(
          'POST',
          '/apps',
          { name: 'ok' },
          { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' },
        );
        expect(sameOrigin.statusCode).toBe(201);
        expect(await count()).toBe(before + 1);
      });
    });

    describe('apps', () => {
      let owner: PortalClient;
      let other: PortalClient;
      let created: AppJson;
      beforeAll(async () => {
        owner = new PortalClient(app);
        await owner.signUp('owner@example.com');
        other = new PortalClient(app);
        await other.signUp('other@example.com');
        created = await owner.createApp('RFI Sync');
      });

      it('creates an app with its sandbox, credentials and default redirect URIs; lists carry no secrets', async () => {
        expect(created).toMatchObject({ name: 'RFI Sync', redirect_uris: ['http://localhost', 'urn:ietf:wg:oauth:2.0:oob'] });
        expect(created.grant_types).toEqual(expect.arrayContaining(['authorization_code', 'client_credentials']));
        expect(created.credentials.sandbox.client_id).not.toBe(created.credentials.production.client_id);
        expect(created.sandbox.users.map((u) => u.email)).toEqual(
          expect.arrayContaining(['owner@example.com', 'sandbox+arch@example.com', 'sandbox+sub@example.com', 'sandbox+demo@example.com']),
        );
        expect(created.sandbox.users.map((u) => u.email)).not.toContain('sandbox+service@example.com');
        const list = await owner.send('GET', '/apps');
        expect(list.json().apps).toEqual([
          expect.objectContaining({ id: created.id, name: 'RFI Sync', company_id: created.sandbox.company_id }),
        ]);
        expect(list.body).not.toMatch(/secret/i);
        expect(JSON.stringify(created)).not.toMatch(/client_secret|password/);
        expect((await other.send('GET', '/apps')).json().apps).toEqual([]);
      });

      it('validates the app name', async () => {
        const res = await owner.send('POST', '/apps', { name: '' });
        expect(res.statusCode).toBe(422);
        expect(res.json()).toMatchObject({ field: 'name' });
        expect((await owner.send('POST', '/apps', { name: '   ' })).json()).toMatchObject({ field: 'name' });
        expect((await owner.send('POST', '/apps', { name: 7 })).json()).toMatchObject({ field: 'name' });
      });

      it('reveals secrets only through the reveal endpoint; reset kills the old secret and its tokens (F5)', async () => {
        const revealed = await owner.send('POST', `/apps/${created.id}/credentials/sandbox/reveal`);
        expect(revealed.statusCode).toBe(200);
        const { client_id: clientId, client_secret: oldSecret } = revealed.json<{ client_id: string; client_secret: string }>();
        expect(clientId).toBe(created.credentials.sandbox.client_id);
        expect(await authenticateClient(rt.ctx, clientId, oldSecret)).toBeDefined();
        const token = await rt.mintToken({ sandboxId: created.sandbox.id, email: 'sandbox+demo@example.com' });
        const reset = await owner.send('POST', `/apps/${created.id}/credentials/sandbox/reset`);
        expect(reset.statusCode).toBe(200);
        const newSecret = reset.json<{ client_secret: string }>().client_secret;
        expect(newSecret).not.toBe(oldSecret);
        expect(await authenticateClient(rt.ctx, clientId, oldSecret)).toBeUndefined();
        expect(await authenticateClient(rt.ctx, clientId, newSecret)).toBeDefined();
        const row = await rt.ctx.db
          .selectFrom('access_tokens')
          .select('revoked_at')
          .where('token_hash', '=', sha256Hex(token))
          .executeTakeFirstOrThrow();
        expect(row.revoked_at).not.toBeNull();
        const prod = await owner.send('POST', `/apps/${created.id}/credentials/production/reveal`);
        expect(prod.json()).toMatchObject({ client_id: created.credentials.production.client_id });
        expect((await owner.send('POST', `/apps/${created.id}/credentials/staging/reveal`)).statusCode).toBe(404);
      });

      it('edits redirect URIs: stores valid ones verbatim, refuses bad ones naming the entry, changes nothing', async () => {
        const uris = [
          'https://app.example.com/callback?x=1',
          'http://localhost:3000/cb',
          'http://127.0.0.1/cb',
          'urn:ietf:wg:oauth:2.0:oob',
        ];
        const ok = await owner.send('PATCH', `/apps/${created.id}`, { redirect_uris: uris });
        expect(ok.statusCode).toBe(200);
        expect(ok.json().app.redirect_uris).toEqual(uris);
        const stored = await rt.ctx.db.selectFrom('apps').select('redirect_uris').where('id', '=', created.id).executeTakeFirstOrThrow();
        expect(JSON.parse(stored.redirect_uris)).toEqual(uris);
        for (const bad of [
          'https://app.example.com/cb#frag',
          'javascript:alert(1)',
          'http://evil.test/cb',
          'https://user@app.example.com/cb',
          '/relative',
          'https://*.example.com/cb',
          'https://a.test/\r\nx',
          `https://a.test/${'x'.repeat(2100)}`,
        ]) {
          const res = await owner.send('PATCH', `/apps/${created.id}`, { redirect_uris: ['https://fine.example.com/cb', bad] });
          expect(res.statusCode, bad).toBe(422);
          expect(res.json()).toMatchObject({ error: 'invalid_redirect_uri', field: 'redirect_uris[1]' });
        }
        expect((await owner.send('GET', `/apps/${created.id}`)).json().app.redirect_uris).toEqual(uris);
      });

      it('refuses owner_id, client_id and company_id in PATCH (F4)', async () => {
        for (const field of ['owner_id', 'developer_id', 'client_id', 'company_id']) {
          const res = await owner.send('PATCH', `/apps/${created.id}`, { name: 'Renamed', [field]: 1 });
          expect(res.statusCode).toBe(422);
          expect(res.json()).toMatchObject({ field });
        }
        const row = await rt.ctx.db.selectFrom('apps').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
        expect(row.name).toBe('RFI Sync');
        const renamed = await owner.send('PATCH', `/apps/${created.id}`, { name: 'RFI Sync 2' });
        expect(renamed.json().app.name).toBe('RFI Sync 2');
      });

      it("answers 404 for another developer's app on every route, with no side effect (F3)", async () => {
        const before = await rt.ctx.db.selectFrom('app_credentials').selectAll().where('app_id', '=', created.id).orderBy('id').execute();
        const attempts: [Parameters<PortalClient['send']>[0], string, unknown?][] = [
          ['GET', `/apps/${created.id}`],
          ['PATCH', `/apps/${created.id}`, { name: 'hijacked' }],
          ['DELETE', `/apps/${created.id}`],
          ['POST', `/apps/${created.id}/credentials/sandbox/reveal`],
          ['POST', `/apps/${created.id}/credentials/sandbox/reset`],
          ['POST', `/apps/${created.id}/credentials/production/reset`],
          ['POST', `/apps/${created.id}/sandbox/password`],
          ['POST', `/apps/${created.id}/sandbox/reset`],
          ['POST', `/apps/${created.id}/postman-links/regenerate`],
        ];
        const missing = await other.send('GET', '/apps/987654');
        for (const [method, url, body] of attempts) {
          const res = await other.send(method, url, body);
          expect(res.statusCode, `${method} ${url}`).toBe(404);
          expect(res.json()).toEqual(missing.json());
        }
        expect(await rt.ctx.db.selectFrom('app_credentials').selectAll().where('app_id', '=', created.id).orderBy('id').execute()).toEqual(
          before,
        );
        expect((await owner.send('GET', `/apps/${created.id}`)).json().app.name).toBe('RFI Sync 2');
        expect((await owner.send('GET', '/apps/abc')).statusCode).toBe(404);
      });

      it('reveals the seeded users password and resets the sandbox to seed', async () => {
        const pw = await owner.send('POST', `/apps/${created.id}/sandbox/password`);
        expect(pw.json().password).toMatch(/^Sandbox-/);
        const sandbox = await rt.ctx.db.selectFrom('sandboxes').selectAll().where('id', '=', created.sandbox.id).executeTakeFirstOrThrow();
        const seeded = await rt.ctx.db.selectFrom('rfis').selectAll().where('sandbox_id', '=', sandbox.id).executeTakeFirstOrThrow();
        const [id] = [await allocateIds(rt.ctx.db, sandbox.id, 1)];
        await rt.ctx.db
          .insertInto('rfis')
          .values({ ...seeded, id: id!, number: '99', subject: 'Created through the API' })
          .execute();
        const reset = await owner.send('POST', `/apps/${created.id}/sandbox/reset`);
        expect(reset.statusCode).toBe(200);
        const rfis = await rt.ctx.db.selectFrom('rfis').select(['id', 'subject']).where('sandbox_id', '=', sandbox.id).execute();
        expect(rfis).toEqual([{ id: seeded.id, subject: seeded.subject }]);
        expect(reset.json().app.sandbox.reset_at).not.toBeNull();
      });

      it('serves the import links, regenerates them (old → 404) and deletes everything with the app', async () => {
        const c2 = await owner.createApp('Throwaway');
        const first = c2.sandbox.postman;
        const col = await app.inject({ method: 'GET', url: pathOf(first.collection_url) });
        expect(col.statusCode).toBe(200);
        expect(col.headers['content-type']).toMatch(/^application\/json/);
        expect(col.headers['content-disposition']).toBeUndefined();
        const env = await app.inject({ method: 'GET', url: pathOf(first.environment_url) });
        expect(env.json().values).toContainEqual(expect.objectContaining({ key: 'company_id', value: String(c2.sandbox.company_id) }));
        const regen = await owner.send('POST', `/apps/${c2.id}/postman-links/regenerate`);
        const second = regen.json().app.sandbox.postman;
        expect(second.collection_url).not.toBe(first.collection_url);
        const old = await app.inject({ method: 'GET', url: pathOf(first.collection_url) });
        expect(old.statusCode).toBe(404);
        expect(old.json()).toMatchObject({ code: 404 });
        expect((await app.inject({ method: 'GET', url: pathOf(second.collection_url) })).statusCode).toBe(200);

        const del = await owner.send('DELETE', `/apps/${c2.id}`);
        expect(del.statusCode).toBe(200);
        expect((await app.inject({ method: 'GET', url: pathOf(second.collection_url) })).statusCode).toBe(404);
        expect((await app.inject({ method: 'GET', url: pathOf(second.environment_url) })).statusCode).toBe(404);
        expect(await rt.ctx.db.selectFrom('postman_links').selectAll().where('app_id', '=', c2.id).execute()).toEqual([]);
        expect(await rt.ctx.db.selectFrom('app_credentials').selectAll().where('app_id', '=', c2.id).execute()).toEqual([]);
        expect(await rt.ctx.db.selectFrom('rfis').selectAll().where('sandbox_id', '=', c2.sandbox.id).execute()).toEqual([]);
        expect((await owner.send('GET', `/apps/${c2.id}`)).statusCode).toBe(404);
      });
    });
  });
}
