/** GET/POST /oauth/authorize, POST /oauth/login: redirect rules, pages, sessions, CSRF (security.md A, E). */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ENGINES, createTestRuntime, type TestRuntime } from '../../../test/helpers/runtime.js';
import { createApp, revealUserPassword, type CreatedApp } from '../../services/apps.js';
import { CookieJar, get, hiddenFields, postForm, runAuthorizeFlow } from './flow.js';

const LOCALHOST = 'http://localhost';
const OOB = 'urn:ietf:wg:oauth:2.0:oob';
const CB = 'https://app.test/cb';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: authorize endpoint`, () => {
    let rt: TestRuntime;
    let web: CreatedApp;
    let webPassword: string;
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name, settings: { loginAttemptsPerHour: 10_000 } });
      web = await createApp(rt.ctx, {
        developerId: rt.app.developer_id,
        name: 'Web <b>App</b> "x"',
        redirectUris: [CB, 'http://localhost'],
        grantTypes: ['authorization_code', 'refresh_token', 'implicit'],
      });
      webPassword = revealUserPassword(rt.ctx, web.sandbox);
    });
    afterAll(async () => {
      await rt?.close();
    });

    const authorize = (query: string, app = rt.sandboxApp, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url: `/oauth/authorize?${query}`, headers });
    const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
    const webQuery = (o: Record<string, string> = {}) =>
      q({ response_type: 'code', client_id: web.sandboxCredentials.clientId, redirect_uri: CB, state: 'st', ...o });

    function expectErrorPage(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
      expect(res.statusCode).toBe(400);
      expect(res.headers['location']).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('An error has occurred');
      expect(res.body).not.toMatch(/code=[0-9a-f]{64}/);
    }

    it('shows the login page with security headers and no CORS headers (E3, A9)', async () => {
      const res = await authorize(webQuery(), rt.sandboxApp, { origin: 'https://evil.test' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>Log in to your Account</title>');
      expect(res.body).toContain('<label for="email">Email</label>');
      expect(res.body).toContain('<label for="password">Password</label>');
      expect(res.body).toContain('Web &#60;b&#62;App&#60;/b&#62; &#34;x&#34;');
      expect(res.body).not.toContain('<b>App</b>');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/form-action 'self'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(res.body).not.toMatch(/<script(?![^>]*src=)/);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\/oauth/);
    });

    it('marks cookies Secure over https', async () => {
      const res = await rt.sandboxApp.inject({
        method: 'GET',
        url: `/oauth/authorize?${webQuery()}`,
        headers: { 'x-forwarded-proto': 'https' },
        remoteAddress: '127.0.0.1',
      });
      // trustProxy is off: plain http stays non-Secure (no spoofing through headers).
      expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
    });

    it('runs the whole flow: login → approve → 303 with code and state', async () => {
      const r = await runAuthorizeFlow(rt.sandboxApp, {
        query: Object.fromEntries(new URLSearchParams(webQuery())),
        email: 'sandbox+sub@example.com',
        password: webPassword,
      });
      expect(r.login.statusCode).toBe(303);
      expect(r.approvePage?.body).toContain('Approve');
      expect(r.final.statusCode).toBe(303);
      expect(r.location?.origin + r.location!.pathname).toBe(CB);
      expect(r.location?.searchParams.get('state')).toBe('st');
      expect(r.code).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses unregistered redirect URIs with an error page, never a redirect (A1, A2, A5)', async () => {
      const variants = [
        `${CB}/`,
        'https://APP.test/cb',
        'https://app.test:443/cb',
        `${CB}?x=1`,
        `${CB}#f`,
        'https://app.test/CB',
        'http://app.test/cb',
        `${CB}/FAKE`,
        'https://app.test/cb%2FFAKE',
        `${CB}/..%2F`,
        `${CB}/..%252F`,
        `${CB}/;/../x`,
        'https://app.test/cb%0A%0D/../x',
        `${CB}/..;/x`,
        'https://app.test@@evil.test/cb',
        'https://app.test\\@evil.test/cb',
        'https://app.test.evil.test/cb',
        '//evil.test/cb',
        'https://аpp.test/cb',
        `${CB}?code=attacker`,
        'http://localhost/cb?x=1',
        'http://localhost@evil.test',
        'http://localhost.evil.test',
        'http://localhost:80@evil.test',
        'http://127.0.0.1',
        'http://localhost:8080',
        'urn:ietf:wg:oauth:2.0:oob:auto',
        'URN:IETF:WG:OAUTH:2.0:OOB',
        `${OOB}#`,
        `${OOB}?x`,
        '',
      ];
      for (const redirect of variants) {
        const res = await authorize(webQuery({ redirect_uri: redirect }));
        expect(res.statusCode, redirect).toBe(400);
        expectErrorPage(res);
      }
      // oob is refused when the app did not register it.
      expectErrorPage(await authorize(webQuery({ redirect_uri: OOB })));
    });

    it('refuses unknown clients with an error page that escapes reflected values (A5)', async () => {
      const res = await authorize(q({ response_type: 'code', client_id: '<script>alert(1)</script>', redirect_uri: CB }));
      expectErrorPage(res);
      expect(res.body).not.toContain('<script>alert');
      expectErrorPage(await authorize(q({ response_type: 'code', redirect_uri: CB })));
      // Production credentials are unknown on the sandbox port and vice versa.
      expectErrorPage(await authorize(webQuery({ client_id: web.productionCredentials.clientId })));
      expectErrorPage(await authorize(webQuery(), rt.productionApp));
      const prod = await authorize(webQuery({ client_id: web.productionCredentials.clientId }), rt.productionApp);
      expect(prod.statusCode).toBe(200);
    });

    it('requires redirect_uri when several are registered', async () => {
      expectErrorPage(await authorize(q({ response_type: 'code', client_id: rt.credentials.clientId })));
    });

    it('refuses duplicated parameters (A6)', async () => {
      for (const dup of [
        'state=a&state=b',
        `client_id=${web.sandboxCredentials.clientId}`,
        `redirect_uri=${encodeURIComponent(CB)}`,
        'response_type=code',
      ]) {
        expectErrorPage(await authorize(`${webQuery()}&${dup}`));
      }
    });

    it('redirects other errors to the registered URI with error and state (A5, A7)', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ response_type: 'foo' }, 'unsupported_response_type'],
        [{ response_type: '' }, 'invalid_request'],
        [{ code_challenge_method: 'S256' }, 'invalid_request'],
        [{ code_challenge: 'a'.repeat(42), code_challenge_method: 'S256' }, 'invalid_request'],
        [{ code_challenge: 'a'.repeat(44), code_challenge_method: 'S256' }, 'invalid_request'],
        [{ code_challenge: `${'a'.repeat(42)}!`, code_challenge_method: 'S256' }, 'invalid_request'],
        [{ code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' }, 'invalid_request'],
      ];
      for (const [override, error] of cases) {
        const res = await authorize(webQuery(override));
        expect(res.statusCode, JSON.stringify(override)).toBe(303);
        const loc = new URL(String(res.headers['location']));
        expect(loc.origin + loc.pathname).toBe(CB);
        expect(loc.searchParams.get('error')).toBe(error);
        expect(loc.searchParams.get('state')).toBe('st');
      }
    });

    it('refuses the implicit grant for apps that did not opt in (by redirect, in the fragment)', async () => {
      const res = await authorize(q({ response_type: 'token', client_id: rt.credentials.clientId, redirect_uri: LOCALHOST, state: 'x' }));
      expect(res.statusCode).toBe(303);
      const loc = new URL(String(res.headers['location']));
      const fragment = new URLSearchParams(loc.hash.slice(1));
      expect(fragment.get('error')).toBe('unauthorized_client');
      expect(fragment.get('state')).toBe('x');
    });

    it('issues an implicit token in the fragment for apps that opted in', async () => {
      const r = await runAuthorizeFlow(rt.sandboxApp, {
        query: Object.fromEntries(new URLSearchParams(webQuery({ response_type: 'token' }))),
        email: 'sandbox+sub@example.com',
        password: webPassword,
      });
      expect(r.final.statusCode).toBe(303);
      expect(r.location?.search).toBe('');
      const fragment = new URLSearchParams(r.location!.hash.slice(1));
      expect(fragment.get('token_type')).toBe('bearer');
      expect(fragment.get('state')).toBe('st');
      expect(fragment.has('refresh_token')).toBe(false);
      const info = await rt.sandboxApp.inject({
        method: 'GET',
        url: '/oauth/token/info',
        headers: { authorization: `Bearer ${fragment.get('access_token')}` },
      });
      expect(info.statusCode).toBe(200);
    });

    it('echoes state byte-exact, and sends none when none was given (A6)', async () => {
      for (const state of ['a&b=c#d%e+f g', 'ünïcødé ✓ 😀', 'x'.repeat(2048)]) {
        const r = await runAuthorizeFlow(rt.sandboxApp, {
          query: Object.fromEntries(new URLSearchParams(webQuery({ state }))),
          email: 'sandbox+sub@example.com',
          password: webPassword,
        });
        expect(r.location?.searchParams.get('state')).toBe(state);
      }
      const none = await runAuthorizeFlow(rt.sandboxApp, {
        query: { response_type: 'code', client_id: web.sandboxCredentials.clientId, redirect_uri: CB },
        email: 'sandbox+sub@example.com',
        password: webPassword,
      });
      expect(none.location?.searchParams.has('state')).toBe(false);
      expect(none.code).toMatch(/^[0-9a-f]{64}$/);
    });

    it('issues distinct 256-bit codes (A8)', async () => {
      const jar = new CookieJar();
      const codes = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const r = await runAuthorizeFlow(rt.sandboxApp, {
          query: Object.fromEntries(new URLSearchParams(webQuery())),
          email: 'sandbox+sub@example.com',
          password: webPassword,
          jar,
        });
        codes.add(r.code!);
      }
      expect(codes.size).toBe(20);
    });

    describe('oob page (A4)', () => {
      it('shows "Authorization code:" with the code, a copy button and a curl command without the secret', async () => {
        const r = await runAuthorizeFlow(rt.sandboxApp, {
          query: { response_type: 'code', client_id: rt.credentials.clientId, redirect_uri: OOB, state: 'abc' },
          email: 'sandbox+arch@example.com',
          password: rt.userPassword,
        });
        const page = r.final;
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('<title>Authorization code:</title>');
        expect(page.body).toContain(r.code!);
        expect(page.body).toContain('Copy code');
        expect(page.body).toContain('$CLIENT_SECRET');
        expect(page.body).toContain(`-F code=${r.code}`);
        expect(page.body).not.toContain(rt.credentials.clientSecret);
        expect(page.body).toContain('<script src="/oauth/assets/oob.js"></script>');
        expect(page.body).toContain('data-state="abc"');
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.headers['referrer-policy']).toBe('no-referrer');
        expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
        const token = await rt.sandboxApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: {
            grant_type: 'authorization_code',
            code: r.code!,
            redirect_uri: OOB,
            client_id: rt.credentials.clientId,
            client_secret: rt.credentials.clientSecret,
          },
        });
        expect(token.statusCode).toBe(200);
      });

      it('serves the script that posts the code to its own origin only', async () => {
        const res = await rt.sandboxApp.inject({ method: 'GET', url: '/oauth/assets/oob.js' });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/javascript/);
        expect(res.body).toContain("type: 'procore-sandbox:oauth-code'");
        expect(res.body).toContain('window.location.origin');
        expect(res.body).not.toMatch(/postMessage\([^)]*'\*'/);
      });
    });

    describe('sign-in', () => {
      async function loginPage(jar: CookieJar, query = webQuery()) {
        const page = await get(rt.sandboxApp, jar, `/oauth/authorize?${query}`);
        return hiddenFields(page.body);
      }

      it('answers unknown email, wrong password and another company’s user alike (E5)', async () => {
        const bodies: string[] = [];
        const jar = new CookieJar();
        const fields = await loginPage(jar);
        for (const [email, password] of [
          ['nobody@example.com', webPassword],
          ['sandbox+sub@example.com', 'wrong-password'],
          // The default app's sandbox user: a user of another company.
          ['sandbox+sub@example.com', rt.userPassword],
          ['sandbox+service@example.com', webPassword],
        ] as const) {
          const res = await postForm(rt.sandboxApp, jar, '/oauth/login', { ...fields, email, password });
          expect(res.statusCode).toBe(401);
          expect(res.headers['set-cookie']).toBeUndefined();
          // The page keeps what was typed in the email field; everything else is the same.
          bodies.push(res.body.replace(/(name="email"[^>]*value=")[^"]*"/, '$1"'));
        }
        expect(new Set(bodies).size).toBe(1);
        expect(bodies[0]).toContain('Invalid email or password.');
      });

      it('refuses a missing or foreign CSRF token and cross-site posts with 403 and no session (E1)', async () => {
        const jar = new CookieJar();
        const fields = await loginPage(jar);
        const creds = { email: 'sandbox+sub@example.com', password: webPassword };
        const noToken = await postForm(rt.sandboxApp, jar, '/oauth/login', { ...fields, csrf_token: '', ...creds });
        expect(noToken.statusCode).toBe(403);
        expect(noToken.headers['set-cookie']).toBeUndefined();
        const otherJar = new CookieJar();
        const foreign = await loginPage(otherJar);
        const res = await postForm(rt.sandboxApp, jar, '/oauth/login', { ...fields, csrf_token: foreign['csrf_token']!, ...creds });
        expect(res.statusCode).toBe(403);
        // Login CSRF: the attacker's form carries a token, but not the victim's pre-session cookie.
        const victim = new CookieJar();
        expect((await postForm(rt.sandboxApp, victim, '/oauth/login', { ...fields, ...creds })).statusCode).toBe(403);
        const crossSite = await postForm(rt.sandboxApp, jar, '/oauth/login', { ...fields, ...creds }, { 'sec-fetch-site': 'cross-site' });
        expect(crossSite.statusCode).toBe(403);
        const foreignOrigin = await postForm(rt.sandboxApp, jar, '/oauth/login', { ...fields, ...creds }, { origin: 'https://evil.test' });
        expect(foreignOrigin.statusCode).toBe(403);
        expect(foreignOrigin.headers['content-type']).toMatch(/^text\/html/);
      });

      it('renews the session id at login and kills the old one (E2)', async () => {
        const jar = new CookieJar();
        await runAuthorizeFlow(rt.sandboxApp, {
          query: Object.fromEntries(new URLSearchParams(webQuery())),
          email: 'sandbox+sub@example.com',
          password: webPassword,
          jar,
        });
        const first = jar.cookies.get('psb_oauth_sid_sandbox')!;
        expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const fields = await loginPage(jar, q({ response_type: 'code', client_id: rt.credentials.clientId, redirect_uri: LOCALHOST }));
        const res = await postForm(rt.sandboxApp, jar, '/oauth/login', {
          ...fields,
          email: 'sandbox+arch@example.com',
          password: rt.userPassword,
        });
        expect(res.statusCode).toBe(303);
        const second = jar.cookies.get('psb_oauth_sid_sandbox')!;
        expect(second).not.toBe(first);
        const stale = new CookieJar();
        stale.cookies.set('psb_oauth_sid_sandbox', first);
        const page = await get(rt.sandboxApp, stale, `/oauth/authorize?${webQuery()}`);
        expect(page.body).toContain('Log in to your Account');
        // An attacker-chosen session id is never adopted.
        const fixed = new CookieJar();
        fixed.cookies.set('psb_oauth_sid_sandbox', 'a'.repeat(43));
        const f = await loginPage(fixed);
        const login = await postForm(rt.sandboxApp, fixed, '/oauth/login', {
          ...f,
          email: 'sandbox+sub@example.com',
          password: webPassword,
        });
        expect(login.statusCode).toBe(303);
        expect(fixed.cookies.get('psb_oauth_sid_sandbox')).not.toBe('a'.repeat(43));
        const rows = await rt.ctx.db.selectFrom('oauth_sessions').select('session_hash').execute();
        expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.session_hash))).toBe(true);
      });

      it('throttles failed logins per account with 429 and Retry-After (E4)', async () => {
        const limited = await createTestRuntime({
          engine: engine.name,
          settings: { loginAttemptsPerHour: 3, loginAttemptsPerIpPerHour: 15 },
        });
        try {
          const jar = new CookieJar();
          const page = await get(
            limited.sandboxApp,
            jar,
            `/oauth/authorize?${q({ response_type: 'code', client_id: limited.credentials.clientId, redirect_uri: LOCALHOST })}`,
          );
          const fields = hiddenFields(page.body);
          const attempt = (password: string, email = 'sandbox+arch@example.com') =>
            postForm(limited.sandboxApp, jar, '/oauth/login', { ...fields, email, password });
          for (let i = 0; i < 3; i++) expect((await attempt('wrong')).statusCode).toBe(401);
          const blocked = await attempt(limited.userPassword);
          expect(blocked.statusCode).toBe(429);
          expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(3500);
          expect(blocked.body).toContain('Too many failed sign-in attempts');
          limited.ctx.clock.advance(3_601_000);
          expect((await attempt(limited.userPassword)).statusCode).toBe(303);
          // Per IP across accounts (loginAttemptsPerIpPerHour; loopback gets 10× that).
          const remote = (email: string) =>
            postForm(limited.sandboxApp, jar, '/oauth/login', { ...fields, email, password: 'wrong' }, {}, '203.0.113.7');
          for (let i = 0; i < 15; i++) expect((await remote(`nobody${i}@example.com`)).statusCode).toBe(401);
          expect((await remote('someone-else@example.com')).statusCode).toBe(429);
          expect((await attempt('wrong', 'someone-else@example.com')).statusCode).toBe(401); // loopback: 150
        } finally {
          await limited.close();
        }
      });
    });

    describe('consent (E7)', () => {
      it('deny → access_denied with state', async () => {
        const r = await runAuthorizeFlow(rt.sandboxApp, {
          query: Object.fromEntries(new URLSearchParams(webQuery({ state: 'den' }))),
          email: 'sandbox+demo@example.com',
          password: webPassword,
          decision: 'deny',
        });
        expect(r.location?.searchParams.get('error')).toBe('access_denied');
        expect(r.location?.searchParams.get('state')).toBe('den');
        expect(r.location?.searchParams.has('code')).toBe(false);
      });

      it('a replayed approve POST mints no second code', async () => {
        const jar = new CookieJar();
        const r = await runAuthorizeFlow(rt.sandboxApp, {
          query: Object.fromEntries(new URLSearchParams(webQuery())),
          email: 'sandbox+demo@example.com',
          password: webPassword,
          jar,
        });
        expect(r.code).not.toBeNull();
        const replay = await postForm(rt.sandboxApp, jar, '/oauth/authorize', {
          ...hiddenFields(r.approvePage!.body),
          decision: 'approve',
        });
        expect(replay.statusCode).toBe(403);
        expect(replay.headers['location']).toBeUndefined();
      });

      it('an approve POST without a session or with a foreign token is refused', async () => {
        const jar = new CookieJar();
        // A loopback redirect: remembered consent never skips the approve page there.
        const r = await runAuthorizeFlow(rt.sandboxApp, {
          query: Object.fromEntries(new URLSearchParams(webQuery({ redirect_uri: LOCALHOST }))),
          email: 'sandbox+demo@example.com',
          password: webPassword,
          jar,
        });
        const fields = hiddenFields(r.approvePage!.body);
        expect((await postForm(rt.sandboxApp, new CookieJar(), '/oauth/authorize', { ...fields, decision: 'approve' })).statusCode).toBe(
          403,
        );
        const page = await get(rt.sandboxApp, jar, `/oauth/authorize?${webQuery()}`);
        expect(
          (
            await postForm(rt.sandboxApp, jar, '/oauth/authorize', {
              ...hiddenFields(page.body),
              csrf_token: 'x'.repeat(43),
              decision: 'approve',
            })
          ).statusCode,
        ).toBe(403);
      });

      it('remembers consent for web redirects but not for loopback or oob', async () => {
        const jar = new CookieJar();
        await runAuthorizeFlow(rt.sandboxApp, {
          query: Object.fromEntries(new URLSearchParams(webQuery())),
          email: 'sandbox+arch@example.com',
          password: webPassword,
          jar,
        });
        const again = await get(rt.sandboxApp, jar, `/oauth/authorize?${webQuery({ state: 'again' })}`);
        expect(again.statusCode).toBe(303);
        const loc = new URL(String(again.headers['location']));
        expect(loc.searchParams.get('state')).toBe('again');
        expect(loc.searchParams.get('code')).toMatch(/^[0-9a-f]{64}$/);
        const loopback = await get(rt.sandboxApp, jar, `/oauth/authorize?${webQuery({ redirect_uri: LOCALHOST })}`);
        expect(loopback.statusCode).toBe(200);
        expect(loopback.body).toContain('name="decision"');
      });
    });
  });
}
