/**
 * Body and text hygiene, server-wide (security.md I6): invalid UTF-8 in a JSON body, lone
 * surrogates and NUL characters in any text (JSON, form and multipart fields, query strings,
 * paths) → 400 naming the problem, nothing stored, the same answer on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type TestRuntime } from '../../test/helpers/runtime.js';
import { createApiFixture, type ApiFixture } from '../../test/api/fixture.js';
import { CookieJar, get, hiddenFields } from '../oauth/test/flow.js';
import { findBadText } from './hygiene.js';

describe('findBadText', () => {
  it('finds NUL and lone surrogates in nested values and keys, and accepts paired surrogates', () => {
    expect(findBadText({ a: ['ok', { b: 'x\u0000y' }] })).toEqual({ path: 'a[1].b', problem: 'nul' });
    expect(findBadText({ 'k\ud800': 1 })).toMatchObject({ problem: 'surrogate' });
    expect(findBadText('\udc00')).toMatchObject({ problem: 'surrogate' });
    expect(findBadText({ emoji: '😀 \ud83d\ude00', n: 1, t: true, z: null })).toBeNull();
  });
});

const BAD_UTF8 = Buffer.concat([Buffer.from('{"rfi":{"subject":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: text hygiene`, () => {
    let f: ApiFixture;
    let rt: TestRuntime;
    let P: string;
    const rfiCount = async () =>
      Number(
        (
          await rt.ctx.db
            .selectFrom('rfis')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('sandbox_id', '=', rt.sandbox.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name, settings: { loginAttemptsPerHour: 10_000 } });
      rt = f.rt;
      P = `/rest/v1.0/projects/${f.projectId}`;
    });
    afterAll(async () => {
      await rt?.close();
    });

    it('invalid UTF-8 in a JSON body → 400 naming it, nothing stored', async () => {
      const before = await rfiCount();
      const res = await f.call('POST', `${P}/rfis`, { payload: BAD_UTF8, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toMatch(/UTF-8/);
      expect(await rfiCount()).toBe(before);
    });

    it('lone surrogates (\\ud800 escapes) in a JSON body → 400 naming the field, nothing stored', async () => {
      const before = await rfiCount();
      const payload = '{"rfi":{"subject":"x\\ud800y","rfi_manager_id":1}}';
      const res = await f.call('POST', `${P}/rfis`, { payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toMatch(/rfi\.subject.*surrogate/i);
      expect(await rfiCount()).toBe(before);
    });

    it('NUL in RFI text, submittal text and search filters → 400, never a 500', async () => {
      const before = await rfiCount();
      const rfi = await f.call('POST', `${P}/rfis`, { payload: { rfi: { subject: 'a\u0000b', rfi_manager_id: f.ids.users.demo } } });
      expect(rfi.statusCode, rfi.body).toBe(400);
      expect(rfi.json().message).toMatch(/NUL/);
      const sub = await f.call('PATCH', `${P}/submittals/${f.ids.submittal}`, { payload: { submittal: { title: '\u0000' } } });
      expect(sub.statusCode, sub.body).toBe(400);
      const search = await f.get(`${P}/rfis?filters[search]=a%00b`);
      expect(search.statusCode, search.body).toBe(400);
      const path = await f.get(`${P}/rfis/1%00`);
      expect(path.statusCode, path.body).toBe(400);
      expect(await rfiCount()).toBe(before);
    });

    it('NUL at the OAuth endpoints → 400 (token, revoke, authorize, login)', async () => {
      const { clientId, clientSecret } = rt.credentials;
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const token = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: form,
        payload: `grant_type=authorization_code&code=a%00b&client_id=${clientId}&client_secret=${clientSecret}`,
      });
      expect(token.statusCode, token.body).toBe(400);
      expect(token.json().error).toBe('invalid_request');
      const tokenJson = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', client_id: `${clientId}\u0000`, client_secret: clientSecret },
      });
      expect(tokenJson.statusCode, tokenJson.body).toBe(400);
      const revoke = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/revoke',
        headers: form,
        payload: `token=x%00&client_id=${clientId}&client_secret=${clientSecret}`,
      });
      expect(revoke.statusCode, revoke.body).toBe(400);
      const multipart = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/revoke',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
        payload: `--b\r\nContent-Disposition: form-data; name="token"\r\n\r\nx\u0000y\r\n--b\r\nContent-Disposition: form-data; name="client_id"\r\n\r\n${clientId}\r\n--b\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\n${clientSecret}\r\n--b--\r\n`,
      });
      expect(multipart.statusCode, multipart.body).toBe(400);
      const authorize = await rt.sandboxApp.inject({
        method: 'GET',
        url: `/oauth/authorize?response_type=code&client_id=${clientId}%00&redirect_uri=http://localhost`,
      });
      expect(authorize.statusCode).toBe(400);
      expect(authorize.headers['content-type']).toMatch(/text\/html/);

      const jar = new CookieJar();
      const page = await get(rt.sandboxApp, jar, `/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=http://localhost`);
      const login = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/login',
        headers: { ...form, cookie: jar.header() },
        payload: new URLSearchParams({ ...hiddenFields(page.body), email: 'sandbox+arch@example.com\u0000', password: 'x' }).toString(),
      });
      expect(login.statusCode, login.body).toBe(400);
    });

    it('a lone-surrogate state in a JSON login body → 4xx, not a 500', async () => {
      const { clientId } = rt.credentials;
      const jar = new CookieJar();
      const page = await get(rt.sandboxApp, jar, `/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=http://localhost`);
      const fields = { ...hiddenFields(page.body), email: 'sandbox+arch@example.com', password: rt.userPassword };
      const body = JSON.stringify(fields).replace(/}$/, ',"state":"\\ud800"}');
      const login = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/login',
        headers: { 'content-type': 'application/json', cookie: jar.header() },
        payload: body,
      });
      expect(login.statusCode).toBeGreaterThanOrEqual(400);
      expect(login.statusCode).toBeLessThan(500);
    });

    it('NUL in portal sign-up, sign-in and app names → 400, nothing stored', async () => {
      const h = { 'x-requested-with': 'test', 'content-type': 'application/json' };
      const signup = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/api/portal/signup',
        headers: h,
        payload: { email: 'nul\u0000@example.com', password: 'password-123' },
      });
      expect(signup.statusCode, signup.body).toBe(400);
      const signin = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/api/portal/signin',
        headers: h,
        payload: { email: 'developer@example.com', password: 'x\u0000' },
      });
      expect(signin.statusCode, signin.body).toBe(400);
      const ok = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/api/portal/signin',
        headers: h,
        payload: { email: 'developer@example.com', password: rt.developerPassword },
      });
      const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
      const created = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/api/portal/apps',
        headers: { ...h, cookie },
        payload: { name: 'evil\u0000app' },
      });
      expect(created.statusCode, created.body).toBe(400);
      const apps = await rt.ctx.db.selectFrom('apps').select('name').execute();
      expect(apps.map((a) => a.name)).not.toContain('evil\u0000app');
    });
  });
}
