/**
 * The admin API (`/__admin/*`), faults, `Prefer` and the journal, black-box through
 * `app.inject()` (a real listener only to drop connections), on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuthorizeFlow } from '../../src/oauth/test/flow.js';
import { startServer, type RunningServer } from '../../src/server/runtime.js';
import { defaultSettings } from '../../src/context/settings.js';
import { ENGINES, createTestRuntime, databaseUrlFor, type TestRuntime } from '../helpers/runtime.js';

type Inject = TestRuntime['sandboxApp']['inject'];

function adminClient(rt: TestRuntime) {
  const inject: Inject = rt.sandboxApp.inject.bind(rt.sandboxApp);
  const headers = { authorization: `Bearer ${rt.adminKey}` };
  return {
    get: (url: string) => inject({ method: 'GET', url, headers }),
    post: (url: string, payload: object = {}) => inject({ method: 'POST', url, headers, payload }),
    delete: (url: string) => inject({ method: 'DELETE', url, headers }),
  };
}

async function api(rt: TestRuntime, url: string, token: string, extra: Record<string, string> = {}) {
  return rt.sandboxApp.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${token}`, 'procore-company-id': String(rt.sandbox.company_id), ...extra },
  });
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`admin API on ${engine.name}`, () => {
    let rt: TestRuntime;
    let admin: ReturnType<typeof adminClient>;
    let company: number;

    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name, settings: { rateLimit: { hourly: 1000, spike: 1000, enabled: true } } });
      admin = adminClient(rt);
      company = rt.sandbox.company_id;
    });
    afterAll(async () => {
      await rt?.close();
    });

    const routes = (c: number): [string, string, object | undefined][] => [
      ['GET', '/__admin/sandboxes', undefined],
      ['POST', '/__admin/sandboxes', { name: 'Keyless' }],
      ['GET', `/__admin/sandboxes/${c}`, undefined],
      ['POST', `/__admin/sandboxes/${c}/reset`, {}],
      ['POST', `/__admin/sandboxes/${c}/tokens`, { client_credentials: true }],
      ['GET', `/__admin/sandboxes/${c}/clock`, undefined],
      ['POST', `/__admin/sandboxes/${c}/clock`, { advance: 10 }],
      ['GET', '/__admin/faults', undefined],
      ['POST', '/__admin/faults', { path: '/rest/**', status: 503 }],
      ['DELETE', '/__admin/faults', undefined],
      ['DELETE', '/__admin/faults/f1', undefined],
      ['GET', '/__admin/journal', undefined],
      ['DELETE', '/__admin/journal', undefined],
      ['GET', '/__admin/openapi.json', undefined],
      ['GET', '/__admin/nothing-here', undefined],
    ];

    it('answers 401 JSON on every route without the admin key, with a wrong one, or with another scheme; changes nothing', async () => {
      const before = (await admin.get('/__admin/sandboxes')).json().sandboxes.length;
      for (const [method, url, payload] of routes(company)) {
        for (const authorization of [undefined, 'Bearer wrong-key-wrong-key', `Basic ${rt.adminKey}`, `Bearer ${rt.adminKey}x`]) {
          const res = await rt.sandboxApp.inject({
            method: method as 'GET',
            url,
            payload: payload as object,
            headers: authorization ? { authorization } : {},
          });
          expect(res.statusCode, `${method} ${url} ${authorization}`).toBe(401);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
          expect(res.json().message).toMatch(/admin key/);
        }
      }
      expect((await admin.get('/__admin/sandboxes')).json().sandboxes).toHaveLength(before);
      // The production port has no admin API at all.
      const prod = await rt.productionApp.inject({ url: '/__admin/sandboxes', headers: { authorization: `Bearer ${rt.adminKey}` } });
      expect(prod.statusCode).toBe(404);
    });

    it('answers every route with the key', async () => {
      const expected: Record<string, number> = {
        'POST /__admin/sandboxes': 201,
        [`POST /__admin/sandboxes/${company}/tokens`]: 201,
        'POST /__admin/faults': 201,
        'DELETE /__admin/faults/f1': 404,
        'DELETE /__admin/journal': 204,
        'GET /__admin/nothing-here': 404,
      };
      for (const [method, url, payload] of routes(company)) {
        const res = await rt.sandboxApp.inject({
          method: method as 'GET',
          url,
          payload: payload as object,
          headers: { authorization: `Bearer ${rt.adminKey}` },
        });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(expected[`${method} ${url}`] ?? 200);
      }
      await admin.delete('/__admin/faults');
      await admin.post(`/__admin/sandboxes/${company}/reset`);
    });

    it('lists, creates and resets sandboxes (ids as on first generation)', async () => {
      const created = await admin.post('/__admin/sandboxes', { name: 'CI sandbox' });
      expect(created.statusCode).toBe(201);
      const view = created.json();
      expect(view).toMatchObject({ app: { name: 'CI sandbox' }, clock: { frozen: false } });
      expect(view.company_id).not.toBe(company);
      expect(view.users.map((u: { email: string }) => u.email)).toContain('sandbox+demo@example.com');
      const list = (await admin.get('/__admin/sandboxes')).json().sandboxes;
      expect(list.map((s: { company_id: number }) => s.company_id)).toContain(view.company_id);

      const token = (await admin.post(`/__admin/sandboxes/${view.company_id}/tokens`, { email: 'sandbox+demo@example.com' })).json()
        .access_token;
      const rfis = `/rest/v1.0/projects/${view.project_id}/rfis`;
      const headers = { authorization: `Bearer ${token}`, 'procore-company-id': String(view.company_id) };
      const seeded = (await rt.sandboxApp.inject({ url: rfis, headers })).json().map((r: { id: number }) => r.id);
      const add = await rt.sandboxApp.inject({
        method: 'POST',
        url: rfis,
        headers,
        payload: {
          rfi: {
            subject: 'Temporary',
            question: { body: 'Will it survive a reset?' },
            rfi_manager_id: view.users.find((u: { email: string }) => u.email === 'sandbox+demo@example.com').id,
          },
        },
      });
      expect(add.statusCode, add.body).toBe(201);
      const reset = await admin.post(`/__admin/sandboxes/${view.company_id}/reset`);
      expect(reset.statusCode).toBe(200);
      expect(reset.json().reset_at).toEqual(expect.any(String));
      const after = (await rt.sandboxApp.inject({ url: rfis, headers })).json().map((r: { id: number }) => r.id);
      expect(after).toEqual(seeded);

      expect((await admin.post('/__admin/sandboxes', { name: '' })).statusCode).toBe(400);
      expect((await admin.post('/__admin/sandboxes', { name: 'x', owner: 1 })).statusCode).toBe(400);
      expect((await admin.post('/__admin/sandboxes/999999999/reset')).statusCode).toBe(404);
    });

    it('mints working tokens for a user and for the service account', async () => {
      const user = await admin.post(`/__admin/sandboxes/${company}/tokens`, { email: 'Sandbox+Demo@example.com' });
      expect(user.statusCode).toBe(201);
      expect(user.json()).toMatchObject({ token_type: 'bearer', expires_in: 5400, refresh_token: expect.any(String) });
      const me = await api(rt, '/rest/v1.0/me', user.json().access_token);
      expect(me.statusCode).toBe(200);
      expect(me.json().login).toBe('sandbox+demo@example.com');

      const service = await admin.post(`/__admin/sandboxes/${company}/tokens`, { client_credentials: true });
      expect(service.statusCode).toBe(201);
      expect(service.json().refresh_token).toBeUndefined();
      expect((await api(rt, `/rest/v1.0/projects?company_id=${company}`, service.json().access_token)).statusCode).toBe(200);

      const prod = await admin.post(`/__admin/sandboxes/${company}/tokens`, { client_credentials: true, environment: 'production' });
      const onProd = await rt.productionApp.inject({
        url: `/rest/v1.0/projects?company_id=${company}`,
        headers: { authorization: `Bearer ${prod.json().access_token}`, 'procore-company-id': String(company) },
      });
      expect(onProd.statusCode).toBe(200);
      expect((await api(rt, `/rest/v1.0/projects?company_id=${company}`, prod.json().access_token)).statusCode).toBe(401);

      expect((await admin.post(`/__admin/sandboxes/${company}/tokens`, {})).statusCode).toBe(422);
      expect((await admin.post(`/__admin/sandboxes/${company}/tokens`, { email: 'a@b.c', client_credentials: true })).statusCode).toBe(422);
      const unknown = await admin.post(`/__admin/sandboxes/${company}/tokens`, { email: 'nobody@example.com' });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().message).toContain('sandbox+demo@example.com');
      expect((await admin.post('/__admin/sandboxes/1/tokens', { client_credentials: true })).statusCode).toBe(404);
    });

    it('moves one sandbox clock: a token expires after advance 5401 with no real waiting; other sandboxes keep time', async () => {
      const other = (await admin.post('/__admin/sandboxes', { name: 'Other clock' })).json();
      const otherToken = (await admin.post(`/__admin/sandboxes/${other.company_id}/tokens`, { client_credentials: true })).json()
        .access_token;
      const before = (await admin.get(`/__admin/sandboxes/${company}/clock`)).json();
      expect(before.frozen).toBe(false);
      // Frozen first: on a loaded machine the real seconds between these calls must not count.
      expect((await admin.post(`/__admin/sandboxes/${company}/clock`, { freeze: true })).json().frozen).toBe(true);
      const token = (await admin.post(`/__admin/sandboxes/${company}/tokens`, { email: 'sandbox+demo@example.com' })).json().access_token;
      expect((await api(rt, '/rest/v1.0/me', token)).statusCode).toBe(200);
      const moved = await admin.post(`/__admin/sandboxes/${company}/clock`, { advance: 5399 });
      expect(Date.parse(moved.json().now) - Date.parse(before.now)).toBeGreaterThanOrEqual(5399_000);
      expect((await api(rt, '/rest/v1.0/me', token)).statusCode).toBe(200);
      await admin.post(`/__admin/sandboxes/${company}/clock`, { advance: 2 });
      const expired = await api(rt, '/rest/v1.0/me', token);
      expect(expired.statusCode).toBe(401);
      expect(expired.json().message).toMatch(/expired/);

      const otherMe = await rt.sandboxApp.inject({
        url: '/rest/v1.0/projects?company_id=' + other.company_id,
        headers: { authorization: `Bearer ${otherToken}`, 'procore-company-id': String(other.company_id) },
      });
      expect(otherMe.statusCode).toBe(200);
      expect(Math.abs(Date.parse((await admin.get(`/__admin/sandboxes/${other.company_id}/clock`)).json().now) - Date.now())).toBeLessThan(
        60_000,
      );

      // Freeze, set, unfreeze; created_at of a new row follows the sandbox clock.
      const frozen = await admin.post(`/__admin/sandboxes/${company}/clock`, { set: '2030-01-02T03:04:05Z', freeze: true });
      expect(frozen.json()).toEqual({ now: '2030-01-02T03:04:05.000Z', frozen: true });
      const fresh = (await admin.post(`/__admin/sandboxes/${company}/tokens`, { email: 'sandbox+demo@example.com' })).json();
      expect(fresh.created_at).toBe(Date.parse('2030-01-02T03:04:05Z') / 1000);
      const rfi = await rt.sandboxApp.inject({
        method: 'POST',
        url: `/rest/v1.0/projects/${rt.sandbox.project_id}/rfis`,
        headers: { authorization: `Bearer ${fresh.access_token}`, 'procore-company-id': String(company) },
        payload: {
          rfi: {
            subject: 'Dated by the sandbox clock',
            question: { body: 'When?' },
            rfi_manager_id: rt.users.get('sandbox+demo@example.com')!.id,
          },
        },
      });
      expect(rfi.statusCode, rfi.body).toBe(201);
      expect(rfi.json().created_at).toBe('2030-01-02T03:04:05Z');
      expect((await admin.get(`/__admin/sandboxes/${company}/clock`)).json()).toEqual({ now: '2030-01-02T03:04:05.000Z', frozen: true });
      expect((await admin.post(`/__admin/sandboxes/${company}/clock`, { freeze: false })).json().frozen).toBe(false);

      expect((await admin.post(`/__admin/sandboxes/${company}/clock`, { set: 'yesterday' })).statusCode).toBe(422);
      expect((await admin.post(`/__admin/sandboxes/${company}/clock`, { advance: 'lots' })).statusCode).toBe(400);
      expect((await admin.post(`/__admin/sandboxes/${company}/clock`, { speed: 2 })).statusCode).toBe(400);
      // A reset brings the clock back to server time.
      await admin.post(`/__admin/sandboxes/${company}/reset`);
      expect(Math.abs(Date.parse((await admin.get(`/__admin/sandboxes/${company}/clock`)).json().now) - Date.now())).toBeLessThan(60_000);
    });

    it('expires an authorization code after 601 s of sandbox time', async () => {
      const query = { response_type: 'code', client_id: rt.credentials.clientId, redirect_uri: 'http://localhost' };
      const redeem = (code: string) =>
        rt.sandboxApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: {
            grant_type: 'authorization_code',
            code,
            redirect_uri: 'http://localhost',
            client_id: rt.credentials.clientId,
            client_secret: rt.credentials.clientSecret,
          },
        });
      const ok = await runAuthorizeFlow(rt.sandboxApp, { query, email: 'sandbox+demo@example.com', password: rt.userPassword });
      expect(ok.code).toMatch(/^[0-9a-f]{64}$/);
      await admin.post(`/__admin/sandboxes/${company}/clock`, { advance: 599 });
      expect((await redeem(ok.code!)).statusCode).toBe(200);

      const late = await runAuthorizeFlow(rt.sandboxApp, {
        query,
        email: 'sandbox+demo@example.com',
        password: rt.userPassword,
        jar: ok.jar,
      });
      expect(late.code).toMatch(/^[0-9a-f]{64}$/);
      await admin.post(`/__admin/sandboxes/${company}/clock`, { advance: 601 });
      const res = await redeem(late.code!);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('invalid_grant');
      await admin.post(`/__admin/sandboxes/${company}/reset`);
    });

    it('serves its own OpenAPI document; /openapi.json stays Procore only', async () => {
      const doc = (await admin.get('/__admin/openapi.json')).json();
      expect(doc.info.title).toMatch(/admin/);
      expect(Object.keys(doc.paths).sort()).toEqual(
        [
          '/__admin/faults',
          '/__admin/faults/{id}',
          '/__admin/journal',
          '/__admin/sandboxes',
          '/__admin/sandboxes/{company_id}',
          '/__admin/sandboxes/{company_id}/clock',
          '/__admin/sandboxes/{company_id}/reset',
          '/__admin/sandboxes/{company_id}/tokens',
        ].sort(),
      );
      expect(doc.paths['/__admin/faults'].post.requestBody.content['application/json'].schema.properties.status).toBeDefined();
      const main = (await rt.sandboxApp.inject({ url: '/openapi.json' })).json();
      expect(Object.keys(main.paths).some((p) => p.startsWith('/__admin'))).toBe(false);
      expect(Object.keys(main.paths).length).toBeGreaterThan(10);
    });
  });
}

describe('faults', () => {
  let rt: TestRuntime;
  let admin: ReturnType<typeof adminClient>;
  let token: string;
  beforeAll(async () => {
    rt = await createTestRuntime({ settings: { rateLimit: { hourly: 1000, spike: 1000, enabled: true } } });
    admin = adminClient(rt);
    token = await rt.mintToken();
  });
  afterAll(() => rt?.close());
  const rfis = () => `/rest/v1.0/projects/${rt.sandbox.project_id}/rfis`;

  it('answers a status with Procore’s error body for the next `times` matching requests', async () => {
    const rule = await admin.post('/__admin/faults', { method: 'get', path: '/rest/v1.0/projects/*/rfis', status: 503, times: 2 });
    expect(rule.statusCode).toBe(201);
    expect(rule.json()).toMatchObject({ id: expect.stringMatching(/^f\d+$/), method: 'GET', status: 503, times: 2, hits: 0 });
    for (let i = 0; i < 2; i++) {
      const res = await api(rt, rfis(), token);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toEqual({ code: 503, message: 'Service Unavailable', errors: ['Service Unavailable'] });
    }
    expect((await api(rt, rfis(), token)).statusCode).toBe(200);
    expect((await admin.get('/__admin/faults')).json().faults).toEqual([]);
    // Another method or path is not matched.
    await admin.post('/__admin/faults', { method: 'POST', path: '/rest/v1.0/projects/*/rfis', status: 500 });
    expect((await api(rt, rfis(), token)).statusCode).toBe(200);
    expect((await api(rt, '/rest/v1.0/me', token)).statusCode).toBe(200);
    expect((await admin.delete('/__admin/faults')).json()).toEqual({ deleted: 1 });
  });

  it('answers 429 with the rate-limit headers and Retry-After', async () => {
    await admin.post('/__admin/faults', { path: '/rest/**', status: 429, retry_after: 7 });
    const res = await api(rt, '/rest/v1.0/me', token);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['x-rate-limit-limit']).toBe('1000');
    expect(res.headers['x-rate-limit-remaining']).toBe('0');
    expect(Number(res.headers['x-rate-limit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(res.json().message).toMatch(/surpassed the max number of requests/);
    await admin.delete('/__admin/faults');
  });

  it('answers OAuth paths with an RFC 6749 error', async () => {
    await admin.post('/__admin/faults', { path: '/oauth/token', status: 503, times: 1 });
    const res = await rt.sandboxApp.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials' } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toBe('temporarily_unavailable');
  });

  it('delays a request and lets it through', async () => {
    const rule = (await admin.post('/__admin/faults', { path: '/rest/v1.0/me', delay_ms: 150, times: 1 })).json();
    const started = performance.now();
    const res = await api(rt, '/rest/v1.0/me', token);
    expect(res.statusCode).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const [entry] = (await admin.get('/__admin/journal?path=/rest/v1.0/me&limit=1')).json().requests;
    expect(entry.answered_by).toContain(`delayed 150 ms by fault ${rule.id}`);
  });

  it('applies only to its company', async () => {
    await admin.post('/__admin/faults', { path: '/rest/**', status: 500, company_id: rt.sandbox.company_id + 1 });
    expect((await api(rt, '/rest/v1.0/me', token)).statusCode).toBe(200);
    await admin.post('/__admin/faults', { path: '/vapid/**', status: 502, company_id: rt.sandbox.company_id });
    // No header on /vapid: the company comes from the token.
    const vapid = await rt.sandboxApp.inject({ url: '/vapid/me', headers: { authorization: `Bearer ${token}` } });
    expect(vapid.statusCode).toBe(502);
    expect(vapid.json()).toMatchObject({ code: 502, message: 'Bad Gateway' });
    await admin.delete('/__admin/faults');
  });

  it('affects about `rate` of the matching requests', async () => {
    await admin.post('/__admin/faults', { path: '/rest/v1.0/me', status: 500, rate: 0.5 });
    let failed = 0;
    for (let i = 0; i < 200; i++) if ((await api(rt, '/rest/v1.0/me', token)).statusCode === 500) failed++;
    // Binomial(200, 0.5): outside 60..140 with probability < 1e-8.
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
    const [rule] = (await admin.get('/__admin/faults')).json().faults;
    expect(rule.hits).toBe(failed);
    await admin.delete(`/__admin/faults/${rule.id}`);
    await admin.post('/__admin/faults', { path: '/rest/v1.0/me', status: 500, rate: 0 });
    for (let i = 0; i < 20; i++) expect((await api(rt, '/rest/v1.0/me', token)).statusCode).toBe(200);
    await admin.delete('/__admin/faults');
  });

  it('refuses rules that say nothing or too much', async () => {
    for (const body of [
      { path: '/rest/**' },
      { path: 'rest', status: 500 },
      { path: '/rest/**', status: 200 },
      { path: '/rest/**', status: 500, drop: true },
      { path: '/rest/**', delay_ms: -1 },
      { path: '/rest/**', rate: 2, status: 500 },
      { path: '/rest/**', status: 500, colour: 'red' },
    ]) {
      const res = await admin.post('/__admin/faults', body);
      expect([400, 422], JSON.stringify(body)).toContain(res.statusCode);
      expect(res.json().message).toEqual(expect.any(String));
    }
    expect((await admin.get('/__admin/faults')).json().faults).toEqual([]);
  });
});

describe('faults that drop the connection (a listening server)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ db: ':memory:', host: '127.0.0.1', port: 0, productionPort: 0 });
  });
  afterAll(() => server?.close());

  it('closes the connection without an answer, then answers again', async () => {
    const headers = { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' };
    const add = await fetch(`${server.sandboxUrl}/__admin/faults`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ path: '/rest/v1.0/me', drop: true, times: 1 }),
    });
    expect(add.status).toBe(201);
    await expect(fetch(`${server.sandboxUrl}/rest/v1.0/me`)).rejects.toThrow();
    expect((await fetch(`${server.sandboxUrl}/rest/v1.0/me`)).status).toBe(401);
    const journal = await (await fetch(`${server.sandboxUrl}/__admin/journal?path=/rest/v1.0/me`, { headers })).json();
    expect(journal.requests.map((e: { status: number; why: string }) => [e.status, e.why])).toEqual([
      [401, 'missing Authorization header'],
      [0, expect.stringMatching(/^fault f\d+: connection dropped$/)],
    ]);
  });
});

describe('journal', () => {
  let rt: TestRuntime;
  let admin: ReturnType<typeof adminClient>;
  beforeAll(async () => {
    rt = await createTestRuntime({
      db: await databaseUrlFor('sqlite'),
      settings: { rateLimit: { hourly: 100, spike: 10, enabled: true } },
    });
    admin = adminClient(rt);
  });
  afterAll(() => rt?.close());

  async function lastWhy(): Promise<{ status: number; why: string | null; company_id: number | null; answered_by: string }> {
    return (await admin.get('/__admin/journal?limit=1')).json().requests[0];
  }

  it('records why each refusal happened, in words', async () => {
    const company = rt.sandbox.company_id;
    const token = await rt.mintToken();
    const h = { authorization: `Bearer ${token}` };

    await rt.sandboxApp.inject({ url: '/rest/v1.0/projects/' + rt.sandbox.project_id + '/rfis', headers: h });
    expect(await lastWhy()).toMatchObject({ status: 400, why: 'missing Procore-Company-Id header', company_id: company });

    await rt.sandboxApp.inject({ url: '/rest/v1.0/projects/42/rfis', headers: { ...h, 'procore-company-id': String(company) } });
    expect(await lastWhy()).toMatchObject({ status: 404, why: 'project 42 is not in your sandbox' });

    await rt.sandboxApp.inject({
      url: `/rest/v1.0/projects/${rt.sandbox.project_id}/rfis/1`,
      headers: { ...h, 'procore-company-id': String(company) },
    });
    expect(await lastWhy()).toMatchObject({ status: 404, why: `rfi 1 not found in project ${rt.sandbox.project_id}` });

    await rt.sandboxApp.inject({ url: '/rest/v1.0/me', headers: { ...h, 'procore-company-id': '4' } });
    expect(await lastWhy()).toMatchObject({ status: 403, why: `company 4 is not your sandbox's company (${company})` });

    await rt.sandboxApp.inject({ url: '/rest/v1.0/me' });
    expect((await lastWhy()).why).toBe('missing Authorization header');
    await rt.sandboxApp.inject({ url: '/rest/v1.0/me', headers: { authorization: 'Bearer nope' } });
    expect((await lastWhy()).why).toBe('unknown access token');
    await rt.sandboxApp.inject({ url: '/rest/v1.0/nothing', headers: h });
    expect((await lastWhy()).why).toBe('no route GET /rest/v1.0/nothing');

    rt.ctx.clock.sandbox(rt.sandbox.id).advance(5401_000);
    await rt.sandboxApp.inject({ url: '/rest/v1.0/me', headers: h });
    const expired = await lastWhy();
    expect(expired.status).toBe(401);
    expect(expired.why).toMatch(/^token expired at 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    rt.ctx.clock.releaseSandbox(rt.sandbox.id);

    // Another user: a bucket of its own.
    const fresh = await rt.mintToken({ email: 'sandbox+arch@example.com' });
    let status = 0;
    for (let i = 0; i < 30 && status !== 429; i++)
      status = (await rt.sandboxApp.inject({ url: '/rest/v1.0/me', headers: { authorization: `Bearer ${fresh}` } })).statusCode;
    expect(status).toBe(429);
    expect(await lastWhy()).toMatchObject({ status: 429, why: 'rate limit: 10 per 10 s spent' });

    await rt.sandboxApp.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password' } });
    expect((await lastWhy()).why).toMatch(/^unsupported_grant_type|^invalid_/);
  });

  it('keeps secrets out of paths, filters and stays a bounded ring', async () => {
    await rt.sandboxApp.inject({ url: '/oauth/authorize?client_id=abc&state=s3cret&code_challenge=xyz&response_type=code' });
    const [entry] = (await admin.get('/__admin/journal?path=/oauth/authorize&limit=1')).json().requests;
    expect(entry.path).toBe('/oauth/authorize?client_id=abc&state=[redacted]&code_challenge=[redacted]&response_type=code');
    expect(JSON.stringify((await admin.get('/__admin/journal?limit=1000')).json())).not.toContain('s3cret');

    const all = (await admin.get('/__admin/journal?limit=1000')).json().requests;
    expect(all.length).toBeGreaterThan(10);
    expect(all.some((e: { path: string }) => e.path.startsWith('/__admin'))).toBe(false);
    const byStatus = (await admin.get('/__admin/journal?status=4xx')).json().requests;
    expect(byStatus.length).toBeGreaterThan(0);
    expect(byStatus.every((e: { status: number }) => e.status >= 400 && e.status < 500)).toBe(true);
    expect((await admin.get('/__admin/journal?status=429')).json().requests.every((e: { status: number }) => e.status === 429)).toBe(true);
    const byCompany = (await admin.get(`/__admin/journal?company_id=${rt.sandbox.company_id}`)).json().requests;
    expect(byCompany.length).toBeGreaterThan(0);
    expect(byCompany.every((e: { company_id: number }) => e.company_id === rt.sandbox.company_id)).toBe(true);
    const pattern = (await admin.get('/__admin/journal?path=/rest/v1.0/projects/*/rfis')).json().requests;
    expect(pattern.length).toBeGreaterThan(0);
    expect((await admin.get('/__admin/journal?limit=2')).json().requests).toHaveLength(2);
    expect((await admin.get('/__admin/journal?since=2999-01-01T00:00:00Z')).json().requests).toEqual([]);
    expect((await admin.get('/__admin/journal?status=abc')).statusCode).toBe(400);
    expect((await admin.get('/__admin/journal?limit=0')).statusCode).toBe(400);

    const small = await createTestRuntime({ settings: { journalSize: 3 } });
    try {
      for (let i = 0; i < 5; i++) await small.sandboxApp.inject({ url: `/health?i=${i}` });
      const ring = await small.sandboxApp.inject({ url: '/__admin/journal', headers: { authorization: `Bearer ${small.adminKey}` } });
      expect(ring.json().requests.map((e: { path: string }) => e.path)).toEqual(['/health?i=4', '/health?i=3', '/health?i=2']);
    } finally {
      await small.close();
    }
  });
});

describe('Prefer', () => {
  let rt: TestRuntime;
  let off: TestRuntime;
  let token: string;
  beforeAll(async () => {
    rt = await createTestRuntime();
    off = await createTestRuntime({ settings: defaultSettings({ prefer: false }) });
    token = await rt.mintToken();
  });
  afterAll(async () => {
    await rt?.close();
    await off?.close();
  });

  it('forces a status on one API call', async () => {
    const res = await api(rt, '/rest/v1.0/me', token, { prefer: 'status=503' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['preference-applied']).toBe('status=503');
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ code: 503 });
    const limited = await rt.sandboxApp.inject({ url: '/vapid/me', headers: { prefer: 'status=429' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['x-rate-limit-remaining']).toBe('0');
    expect(limited.headers['retry-after']).toBeDefined();
    const [entry] = (
      await rt.sandboxApp.inject({ url: '/__admin/journal?limit=1', headers: { authorization: `Bearer ${rt.adminKey}` } })
    ).json().requests;
    expect(entry).toMatchObject({ status: 429, answered_by: 'prefer status=429', why: 'Prefer: status=429' });
    // The next call is untouched.
    expect((await api(rt, '/rest/v1.0/me', token)).statusCode).toBe(200);
  });

  it('delays one call, ignores what it does not know, and stays off the rest of the server', async () => {
    const started = performance.now();
    const res = await api(rt, '/rest/v1.0/me', token, { prefer: 'delay=200' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['preference-applied']).toBe('delay=200');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    for (const prefer of ['status=200', 'status=abc', 'return=minimal', 'delay=99999999']) {
      const r = await api(rt, '/rest/v1.0/me', token, { prefer });
      expect(r.statusCode, prefer).toBe(200);
      expect(r.headers['preference-applied']).toBeUndefined();
    }
    expect((await rt.sandboxApp.inject({ url: '/health', headers: { prefer: 'status=503' } })).statusCode).toBe(200);
    expect((await rt.sandboxApp.inject({ method: 'POST', url: '/oauth/token', headers: { prefer: 'status=503' } })).statusCode).not.toBe(
      503,
    );
  });

  it('is ignored when the setting is off (--no-prefer)', async () => {
    const offToken = await off.mintToken();
    const res = await api(off, '/rest/v1.0/me', offToken, { prefer: 'status=503' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['preference-applied']).toBeUndefined();
  });
});

describe('throttles on the sandbox clock', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ settings: { loginAttemptsPerHour: 2 } });
  });
  afterAll(() => rt?.close());

  it("a sandbox user's sign-in lockout ends when that sandbox's clock has moved an hour", async () => {
    const query = { response_type: 'code', client_id: rt.credentials.clientId, redirect_uri: 'http://localhost' };
    const attempt = async (password: string) =>
      (await runAuthorizeFlow(rt.sandboxApp, { query, email: 'sandbox+arch@example.com', password })).login.statusCode;
    expect(await attempt('wrong-1')).not.toBe(429);
    expect(await attempt('wrong-2')).not.toBe(429);
    expect(await attempt(rt.userPassword)).toBe(429);
    const admin = adminClient(rt);
    await admin.post(`/__admin/sandboxes/${rt.sandbox.company_id}/clock`, { advance: 3601 });
    expect(await attempt(rt.userPassword)).toBe(303);
  });
});

describe('Prefer across origins', () => {
  it('is allowed by the CORS preflight and its Preference-Applied is exposed', async () => {
    const rt = await createTestRuntime();
    try {
      const preflight = await rt.sandboxApp.inject({
        method: 'OPTIONS',
        url: '/rest/v1.0/me',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET', 'access-control-request-headers': 'prefer' },
      });
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/\bPrefer\b/);
      const res = await rt.sandboxApp.inject({ url: '/rest/v1.0/me', headers: { origin: 'http://localhost:3000', prefer: 'status=503' } });
      expect(res.statusCode).toBe(503);
      expect(String(res.headers['access-control-expose-headers'])).toContain('Preference-Applied');
    } finally {
      await rt.close();
    }
  });
});
