/** POST /oauth/token: encodings, client authentication, codes, PKCE, grants (security.md B). */
import { createHash } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ENGINES, createTestRuntime, type TestRuntime } from '../../../test/helpers/runtime.js';
import { REPLAY_GRACE_MS } from '../grants/replay.js';
import { runAuthorizeFlow } from './flow.js';

const LOCALHOST = 'http://localhost';
const INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

function multipart(fields: Record<string, string>): { payload: string; headers: Record<string, string> } {
  const boundary = '----procoresandbox';
  const payload =
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}--\r\n`;
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: POST /oauth/token`, () => {
    let rt: TestRuntime;
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name, settings: { loginAttemptsPerHour: 10_000 } });
    });
    afterAll(async () => {
      await rt?.close();
    });

    async function code(query: Record<string, string> = {}, app = rt.sandboxApp, clientId = rt.credentials.clientId): Promise<string> {
      const r = await runAuthorizeFlow(app, {
        query: { response_type: 'code', client_id: clientId, redirect_uri: LOCALHOST, state: 's', ...query },
        email: 'sandbox+arch@example.com',
        password: rt.userPassword,
      });
      expect(r.code).toMatch(/^[0-9a-f]{64}$/);
      return r.code!;
    }

    const creds = () => ({ client_id: rt.credentials.clientId, client_secret: rt.credentials.clientSecret });
    const token = (payload: Record<string, unknown>, headers: Record<string, string> = {}, url = '/oauth/token') =>
      rt.sandboxApp.inject({ method: 'POST', url, payload: payload as Record<string, string>, headers });

    function expectTokenBody(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, withRefresh = true) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json() as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(
        withRefresh
          ? ['access_token', 'token_type', 'expires_in', 'refresh_token', 'created_at']
          : ['access_token', 'token_type', 'expires_in', 'created_at'],
      );
      expect(body['token_type']).toBe('bearer');
      expect(body['expires_in']).toBe(5400);
      // Issued within the last few seconds of the clock (a loaded machine may cross a second).
      const now = Math.floor(rt.ctx.clock.nowMs() / 1000);
      expect(body['created_at']).toBeLessThanOrEqual(now);
      expect(body['created_at']).toBeGreaterThanOrEqual(now - 5);
      if (withRefresh) expect(body['refresh_token']).toMatch(/^[0-9a-f]{64}$/);
      return body as { access_token: string; refresh_token: string };
    }

    it('exchanges a code sent as JSON with body credentials (js-sdk)', async () => {
      const c = await code();
      const res = await token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() });
      const body = expectTokenBody(res);
      const me = await rt.sandboxApp.inject({
        method: 'GET',
        url: '/oauth/token/info',
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      expect(me.statusCode).toBe(200);
      expect(me.json().resource_owner_id).toBe(rt.users.get('sandbox+arch@example.com')!.id);
    });

    it('exchanges a code sent as x-www-form-urlencoded with HTTP Basic (Postman), also on /oauth/token/', async () => {
      const c = await code();
      const res = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/token/',
        payload: new URLSearchParams({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST }).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(rt.credentials.clientId, rt.credentials.clientSecret),
        },
      });
      expectTokenBody(res);
    });

    it('exchanges a code sent as multipart (curl -F)', async () => {
      const c = await code();
      const m = multipart({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() });
      expectTokenBody(await rt.sandboxApp.inject({ method: 'POST', url: '/oauth/token', payload: m.payload, headers: m.headers }));
    });

    it('answers a truncated or malformed multipart body with invalid_request, not a 5xx', async () => {
      for (const payload of ['--zz\r\nbroken', '--zz\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_cred', '']) {
        const res = await rt.sandboxApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload,
          headers: { 'content-type': 'multipart/form-data; boundary=zz' },
        });
        expect(res.statusCode, payload).toBe(400);
        expect(res.json()).toMatchObject({ error: 'invalid_request' });
      }
    });

    it('exchanges a code sent in the query string (old SDKs)', async () => {
      const c = await code();
      const qs = new URLSearchParams({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() });
      expectTokenBody(await rt.sandboxApp.inject({ method: 'POST', url: `/oauth/token?${qs}` }));
    });

    it('accepts form-urlencoded credentials inside Basic (RFC 6749 App. B)', async () => {
      const c = await code();
      const enc = (s: string) => encodeURIComponent(s).replace(/-/g, '%2D');
      const res = await token(
        { grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST },
        { authorization: basic(enc(rt.credentials.clientId), enc(rt.credentials.clientSecret)) },
      );
      expectTokenBody(res);
    });

    it('refuses malformed Basic headers without a 500 (B7)', async () => {
      const good = Buffer.from(`${rt.credentials.clientId}:${rt.credentials.clientSecret}`).toString('base64');
      for (const header of [
        'Basic !!!',
        `Basic ${good}*`,
        `Basic ${good.slice(0, -1)}`,
        `Basic ${Buffer.from(rt.credentials.clientId).toString('base64')}`,
        `Basic ${Buffer.from(`%ZZ:${rt.credentials.clientSecret}`).toString('base64')}`,
        'Basic ',
        `Basic  ${good}`,
      ]) {
        const res = await token({ grant_type: 'client_credentials' }, { authorization: header });
        expect(res.statusCode, header).toBe(401);
        expect(res.json().error).toBe('invalid_client');
      }
    });

    it('refuses Basic for one client plus a different client_id in the body (B7)', async () => {
      const res = await token(
        { grant_type: 'client_credentials', client_id: rt.productionCredentials.clientId },
        { authorization: basic(rt.credentials.clientId, rt.credentials.clientSecret) },
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('invalid_request');
    });

    it('answers wrong secrets of any length with 401 invalid_client and WWW-Authenticate (B6)', async () => {
      for (const secret of ['', 'x', 'a'.repeat(43), 'a'.repeat(44), 'a'.repeat(1000), 'é€😀'.repeat(5)]) {
        const res = await token({ grant_type: 'client_credentials', client_id: rt.credentials.clientId, client_secret: secret });
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Basic realm="Procore"');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.json()).toEqual({
          error: 'invalid_client',
          error_description:
            'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
        });
      }
      const none = await token({ grant_type: 'client_credentials' });
      expect(none.statusCode).toBe(401);
    });

    it('refuses duplicated parameters, arrays, objects and bracketed names (B8)', async () => {
      const c = await code();
      const cases = [
        rt.sandboxApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: `grant_type=authorization_code&grant_type=authorization_code&code=${c}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        token({ grant_type: 'authorization_code', code: [c, c], ...creds() }),
        token({ grant_type: 'authorization_code', code: { a: c }, ...creds() }),
        rt.sandboxApp.inject({
          method: 'POST',
          url: `/oauth/token?code=${c}`,
          payload: { grant_type: 'authorization_code', code: c, ...creds() },
        }),
        rt.sandboxApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: `grant_type=client_credentials&scope[x]=y`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ];
      for (const res of await Promise.all(cases)) {
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toBe('invalid_request');
      }
      // The code was not consumed by any of these.
      expectTokenBody(await token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() }));
    });

    it('answers malformed JSON and unknown content types with JSON OAuth errors', async () => {
      const bad = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: '{"grant_type":',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toBe('invalid_request');
      const text = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: 'grant_type=client_credentials',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.statusCode).toBe(400);
      expect(text.json().error).toBe('invalid_request');
      const xml = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: '<x/>',
        headers: { 'content-type': 'application/xml' },
      });
      expect(xml.statusCode).toBe(415);
      expect(xml.json().error).toBe('invalid_request');
    });

    it('refuses a missing or unknown grant type', async () => {
      const missing = await token({ ...creds() });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error).toBe('invalid_request');
      for (const grant of ['password', 'urn:ietf:params:oauth:grant-type:device_code', 'implicit']) {
        const res = await token({ grant_type: grant, username: 'a', password: 'b', ...creds() });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({
          error: 'unsupported_grant_type',
          error_description: 'The authorization grant type is not supported by the authorization server.',
        });
      }
    });

    it('redeems a code once; a second redemption fails and revokes what the first issued, also later (B1)', async () => {
      const c = await code();
      const first = expectTokenBody(await token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() }));
      // Within REPLAY_GRACE_MS a second redemption is a racer (invalid_grant, the winner lives on).
      const racer = await token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() });
      expect(racer.json()).toEqual({ error: 'invalid_grant', error_description: INVALID_GRANT });
      rt.ctx.clock.advance(REPLAY_GRACE_MS + 1000);
      const second = await token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() });
      expect(second.statusCode).toBe(400);
      expect(second.json()).toEqual({ error: 'invalid_grant', error_description: INVALID_GRANT });
      rt.ctx.clock.advance(30_000);
      const info = await rt.sandboxApp.inject({
        method: 'GET',
        url: '/oauth/token/info',
        headers: { authorization: `Bearer ${first.access_token}` },
      });
      expect(info.statusCode).toBe(401);
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, ...creds() });
      expect(refreshed.json().error).toBe('invalid_grant');
    });

    it('expires codes after codeLifetimeSeconds: +9:59 works, +10:01 fails (B3)', async () => {
      // Frozen: on a loaded machine more than the 1 s of slack can pass between issue and use.
      rt.ctx.clock.freeze();
      try {
        const ok = await code();
        rt.ctx.clock.advance(599_000);
        expectTokenBody(await token({ grant_type: 'authorization_code', code: ok, redirect_uri: LOCALHOST, ...creds() }));
        const late = await code();
        rt.ctx.clock.advance(601_000);
        const res = await token({ grant_type: 'authorization_code', code: late, redirect_uri: LOCALHOST, ...creds() });
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toBe('invalid_grant');
      } finally {
        rt.ctx.clock.unfreeze();
      }
    });

    it('binds codes to the client and the redirect URI (B4)', async () => {
      // Another app of the same developer.
      const { createApp } = await import('../../services/apps.js');
      const other = await createApp(rt.ctx, { developerId: rt.app.developer_id, name: 'Other App' });
      const c = await code();
      const foreign = await token({
        grant_type: 'authorization_code',
        code: c,
        redirect_uri: LOCALHOST,
        client_id: other.sandboxCredentials.clientId,
        client_secret: other.sandboxCredentials.clientSecret,
      });
      expect(foreign.json().error).toBe('invalid_grant');
      // The rightful client still can (a foreign client does not burn the code).
      expectTokenBody(await token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() }));

      for (const redirect of [`${LOCALHOST}/`, undefined, 'urn:ietf:wg:oauth:2.0:oob']) {
        const c2 = await code();
        const res = await token({
          grant_type: 'authorization_code',
          code: c2,
          ...(redirect === undefined ? {} : { redirect_uri: redirect }),
          ...creds(),
        });
        expect(res.json().error, String(redirect)).toBe('invalid_grant');
      }
    });

    it('lets the token request omit redirect_uri when the authorization request did', async () => {
      const { createApp } = await import('../../services/apps.js');
      const single = await createApp(rt.ctx, {
        developerId: rt.app.developer_id,
        name: 'Single URI',
        redirectUris: ['https://app.test/cb'],
      });
      const r = await runAuthorizeFlow(rt.sandboxApp, {
        query: { response_type: 'code', client_id: single.sandboxCredentials.clientId },
        email: 'sandbox+arch@example.com',
        password: single.sandbox ? await revealPassword(single.sandbox.id) : '',
      });
      expect(r.location?.origin + r.location!.pathname).toBe('https://app.test/cb');
      expect(r.location?.searchParams.has('state')).toBe(false);
      expectTokenBody(
        await token({
          grant_type: 'authorization_code',
          code: r.code!,
          client_id: single.sandboxCredentials.clientId,
          client_secret: single.sandboxCredentials.clientSecret,
        }),
      );
    });

    async function revealPassword(sandboxId: number): Promise<string> {
      const { revealUserPassword } = await import('../../services/apps.js');
      const sb = await rt.ctx.db.selectFrom('sandboxes').selectAll().where('id', '=', sandboxId).executeTakeFirstOrThrow();
      return revealUserPassword(rt.ctx, sb);
    }

    describe('PKCE (RFC 7636)', () => {
      const verifier = 'dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk';
      const s256 = createHash('sha256').update(verifier).digest('base64url');

      it('S256: the right verifier passes; a missing, wrong or malformed one fails and burns the code (B5)', async () => {
        const c = await code({ code_challenge: s256, code_challenge_method: 'S256' });
        expectTokenBody(
          await token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, code_verifier: verifier, ...creds() }),
        );
        for (const bad of [undefined, `${verifier.slice(0, -1)}A`, 'a'.repeat(42), 'a'.repeat(129), `${verifier.slice(0, -1)}!`]) {
          const c2 = await code({ code_challenge: s256, code_challenge_method: 'S256' });
          const res = await token({
            grant_type: 'authorization_code',
            code: c2,
            redirect_uri: LOCALHOST,
            ...(bad === undefined ? {} : { code_verifier: bad }),
            ...creds(),
          });
          expect(res.json().error, String(bad)).toBe('invalid_grant');
          const retry = await token({
            grant_type: 'authorization_code',
            code: c2,
            redirect_uri: LOCALHOST,
            code_verifier: verifier,
            ...creds(),
          });
          expect(retry.json().error).toBe('invalid_grant');
        }
      });

      it('plain: the verifier equals the challenge', async () => {
        const c = await code({ code_challenge: verifier, code_challenge_method: 'plain' });
        expectTokenBody(
          await token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, code_verifier: verifier, ...creds() }),
        );
      });

      it('refuses a verifier when no challenge was given (downgrade)', async () => {
        const c = await code();
        const res = await token({
          grant_type: 'authorization_code',
          code: c,
          redirect_uri: LOCALHOST,
          code_verifier: verifier,
          ...creds(),
        });
        expect(res.json().error).toBe('invalid_grant');
      });
    });

    describe('client credentials (B9)', () => {
      it('issues a token without refresh_token for the sandbox service account', async () => {
        const body = expectTokenBody(await token({ grant_type: 'client_credentials', ...creds() }), false);
        const info = await rt.sandboxApp.inject({
          method: 'GET',
          url: '/oauth/token/info',
          headers: { authorization: `Bearer ${body.access_token}` },
        });
        const svc = [...rt.users.values()].find((u) => u.is_service_account === 1)!;
        expect(info.json().resource_owner_id).toBe(svc.id);
      });

      it('is refused for apps that did not register the grant, and without a secret', async () => {
        const { createApp } = await import('../../services/apps.js');
        const codeOnly = await createApp(rt.ctx, {
          developerId: rt.app.developer_id,
          name: 'Code only',
          grantTypes: ['authorization_code'],
        });
        const res = await token({
          grant_type: 'client_credentials',
          client_id: codeOnly.sandboxCredentials.clientId,
          client_secret: codeOnly.sandboxCredentials.clientSecret,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toBe('unauthorized_client');
        const noSecret = await token({ grant_type: 'client_credentials', client_id: rt.credentials.clientId });
        expect(noSecret.statusCode).toBe(401);
      });
    });

    describe('environments (B11)', () => {
      it('refuses sandbox credentials on the production port with 401 invalid_client', async () => {
        const res = await rt.productionApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: { grant_type: 'client_credentials', ...creds() },
        });
        expect(res.statusCode).toBe(401);
        expect(res.json().error).toBe('invalid_client');
        const prod = await rt.productionApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: {
            grant_type: 'client_credentials',
            client_id: rt.productionCredentials.clientId,
            client_secret: rt.productionCredentials.clientSecret,
          },
        });
        expect(prod.statusCode).toBe(200);
        const onSandbox = await token({
          grant_type: 'client_credentials',
          client_id: rt.productionCredentials.clientId,
          client_secret: rt.productionCredentials.clientSecret,
        });
        expect(onSandbox.statusCode).toBe(401);
      });

      it('refuses a sandbox code at production, and a production code works only there', async () => {
        const c = await code();
        const res = await rt.productionApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: {
            grant_type: 'authorization_code',
            code: c,
            redirect_uri: LOCALHOST,
            client_id: rt.productionCredentials.clientId,
            client_secret: rt.productionCredentials.clientSecret,
          },
        });
        expect(res.json().error).toBe('invalid_grant');
        const prodCode = await code({}, rt.productionApp, rt.productionCredentials.clientId);
        const ok = await rt.productionApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: {
            grant_type: 'authorization_code',
            code: prodCode,
            redirect_uri: LOCALHOST,
            client_id: rt.productionCredentials.clientId,
            client_secret: rt.productionCredentials.clientSecret,
          },
        });
        expect(ok.statusCode).toBe(200);
        const info = await rt.sandboxApp.inject({
          method: 'GET',
          url: '/oauth/token/info',
          headers: { authorization: `Bearer ${ok.json().access_token}` },
        });
        expect(info.statusCode).toBe(401);
      });
    });

    it('redeems a code exactly once under 50 parallel requests, with no 5xx (B2)', async () => {
      const c = await code();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => token({ grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() })),
      );
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 400)).toHaveLength(49);
      for (const r of results.filter((x) => x.statusCode === 400)) expect(r.json().error).toBe('invalid_grant');
    });

    it('throttles failed client authentications per client (E4)', async () => {
      const limited = await createTestRuntime({ engine: engine.name, settings: { loginAttemptsPerHour: 3 } });
      try {
        const attempt = () =>
          limited.sandboxApp.inject({
            method: 'POST',
            url: '/oauth/token',
            payload: { grant_type: 'client_credentials', client_id: limited.credentials.clientId, client_secret: 'wrong' },
          });
        for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
        const blocked = await attempt();
        expect(blocked.statusCode).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
        limited.ctx.clock.advance(3_601_000);
        expect((await attempt()).statusCode).toBe(401);
      } finally {
        await limited.close();
      }
    });
  });
}
