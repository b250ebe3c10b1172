/**
 * Defects of issue #8 in the login service, each pinned (both engines):
 * - the login page keeps the email after a wrong password;
 * - lockouts per sandbox user, not per email across tenants;
 * - a stranger who knows a (public) client_id cannot lock the app out of /oauth/token and
 *   /oauth/revoke: a correct secret from another address gets through;
 * - throttles are atomic (concurrent guesses check at most `limit` passwords);
 * - guessed codes and refresh tokens are throttled per client + IP;
 * - revoke racing refresh, and revoking an already rotated token, leave nothing of the grant alive;
 * - racing refreshes and redemptions leave exactly one live pair, while a later replay revokes;
 * - POST /oauth/logout ends the browser session (CSRF-protected); sessions expire when idle.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestRuntime, type TestRuntime } from '../../../test/helpers/runtime.js';
import { createApp } from '../../services/apps.js';
import { revealUserPassword } from '../../services/apps.js';
import { findSandboxByApp } from '../../db/repos/sandboxes.js';
import { REPLAY_GRACE_MS } from '../grants/replay.js';
import { SESSION_IDLE_MS } from '../session.js';
import { CookieJar, get, hiddenFields, postForm, runAuthorizeFlow } from './flow.js';

const LOCALHOST = 'http://localhost';
const ARCH = 'sandbox+arch@example.com';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: login service hardening`, () => {
    let rt: TestRuntime;
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name, settings: { loginAttemptsPerHour: 5, loginAttemptsPerIpPerHour: 10_000 } });
    });
    afterAll(async () => {
      await rt?.close();
    });

    const creds = (c = rt.credentials) => ({ client_id: c.clientId, client_secret: c.clientSecret });
    const post = (url: string, payload: Record<string, string>, remoteAddress = '127.0.0.1', app: FastifyInstance = rt.sandboxApp) =>
      app.inject({ method: 'POST', url, payload, remoteAddress });
    const info = (accessToken: string) =>
      rt.sandboxApp.inject({ method: 'GET', url: '/oauth/token/info', headers: { authorization: `Bearer ${accessToken}` } });
    const authorizeUrl = (clientId: string) =>
      `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: LOCALHOST })}`;

    async function loginForm(clientId = rt.credentials.clientId, app = rt.sandboxApp) {
      const jar = new CookieJar();
      const page = await get(app, jar, authorizeUrl(clientId));
      return { jar, fields: hiddenFields(page.body) };
    }

    async function code(user = 'sandbox+demo@example.com'): Promise<string> {
      const r = await runAuthorizeFlow(rt.sandboxApp, {
        query: { response_type: 'code', client_id: rt.credentials.clientId, redirect_uri: LOCALHOST },
        email: user,
        password: rt.userPassword,
      });
      expect(r.code).toMatch(/^[0-9a-f]{64}$/);
      return r.code!;
    }
    async function tokens(): Promise<{ access_token: string; refresh_token: string }> {
      const res = await post('/oauth/token', { grant_type: 'authorization_code', code: await code(), redirect_uri: LOCALHOST, ...creds() });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    }
    const refresh = (rt1: string) => post('/oauth/token', { grant_type: 'refresh_token', refresh_token: rt1, ...creds() });
    const liveTokens = async (accessToken: string) => {
      const row = await rt.ctx.db
        .selectFrom('access_tokens')
        .select('grant_id')
        .where('token_hash', '=', (await import('../../core/crypto.js')).sha256Hex(accessToken))
        .executeTakeFirstOrThrow();
      return rt.ctx.db
        .selectFrom('access_tokens')
        .selectAll()
        .where('grant_id', '=', row.grant_id)
        .where('revoked_at', 'is', null)
        .execute();
    };

    it('the login page keeps the email after a wrong password (and never echoes the password)', async () => {
      const { jar, fields } = await loginForm();
      const res = await postForm(rt.sandboxApp, jar, '/oauth/login', {
        ...fields,
        email: 'sandbox+sub@example.com',
        password: 'not-it-123',
      });
      expect(res.statusCode).toBe(401);
      expect(res.body).toMatch(/name="email"[^>]*value="sandbox\+sub@example\.com"/);
      expect(res.body).not.toContain('not-it-123');
    });

    it('counts failed logins per sandbox user: a lockout in one sandbox leaves the same email usable in another', async () => {
      const other = await createApp(rt.ctx, { developerId: rt.app.developer_id, name: 'Tenant B' });
      const sandboxB = (await findSandboxByApp(rt.ctx.db, other.app.id))!;
      const { jar, fields } = await loginForm();
      for (let i = 0; i < 5; i++)
        expect((await postForm(rt.sandboxApp, jar, '/oauth/login', { ...fields, email: ARCH, password: 'x' })).statusCode).toBe(401);
      expect((await postForm(rt.sandboxApp, jar, '/oauth/login', { ...fields, email: ARCH, password: rt.userPassword })).statusCode).toBe(
        429,
      );
      const b = await loginForm(other.sandboxCredentials.clientId);
      const okB = await postForm(rt.sandboxApp, b.jar, '/oauth/login', {
        ...b.fields,
        email: ARCH,
        password: revealUserPassword(rt.ctx, sandboxB),
      });
      expect(okB.statusCode, okB.body).toBe(303);
      rt.ctx.clock.advance(3_601_000);
    });

    it('checks at most `limit` passwords under concurrent guesses (atomic throttle)', async () => {
      const { jar, fields } = await loginForm();
      const results = await Promise.all(
        Array.from({ length: 40 }, () =>
          postForm(rt.sandboxApp, jar, '/oauth/login', { ...fields, email: 'sandbox+sub@example.com', password: 'x' }),
        ),
      );
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      rt.ctx.clock.advance(3_601_000);
    });

    it('a stranger with the client_id cannot lock the app out of /oauth/token and /oauth/revoke', async () => {
      const attacker = '203.0.113.9';
      for (let i = 0; i < 8; i++) {
        await post(
          '/oauth/token',
          { grant_type: 'client_credentials', client_id: rt.credentials.clientId, client_secret: 'wrong' },
          attacker,
        );
      }
      const blocked = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x', ...creds() }, attacker);
      expect(blocked.statusCode).toBe(429);
      const t = await tokens(); // from 127.0.0.1 with the right secret
      expect((await refresh(t.refresh_token)).statusCode).toBe(200);
      const revoke = await post('/oauth/revoke', { token: 'whatever', ...creds() }, '198.51.100.7');
      expect(revoke.statusCode).toBe(200);
      rt.ctx.clock.advance(3_601_000);
    });

    it('throttles guessed codes and refresh tokens per client + IP (B13)', async () => {
      const guesser = '203.0.113.50';
      const guesses = [];
      for (let i = 0; i < 7; i++) {
        const grant: Record<string, string> =
          i % 2 === 0
            ? { grant_type: 'authorization_code', code: `guess${i}`, redirect_uri: LOCALHOST }
            : { grant_type: 'refresh_token', refresh_token: `guess${i}` };
        guesses.push((await post('/oauth/token', { ...grant, ...creds() }, guesser)).statusCode);
      }
      expect(guesses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
      expect(guesses.slice(5)).toEqual([429, 429]);
      // Another address of the same client is not affected.
      expect(
        (await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'guess', ...creds() }, '203.0.113.51')).statusCode,
      ).toBe(400);
      rt.ctx.clock.advance(3_601_000);
    });

    it('revoking an already rotated refresh token revokes the live pair of its grant', async () => {
      const t1 = await tokens();
      const t2 = (await refresh(t1.refresh_token)).json();
      const res = await post('/oauth/revoke', { token: t1.refresh_token, ...creds() });
      expect(res.statusCode).toBe(200);
      expect((await info(t2.access_token)).statusCode).toBe(401);
      expect((await refresh(t2.refresh_token)).json().error).toBe('invalid_grant');
    });

    it('revoke racing refresh: after the revoke answers 200 nothing of the grant works (C9, ×20)', async () => {
      for (let i = 0; i < 20; i++) {
        const t = await tokens();
        const which = i % 2 === 0 ? t.refresh_token : t.access_token;
        const [refreshed, revoked] = await Promise.all([refresh(t.refresh_token), post('/oauth/revoke', { token: which, ...creds() })]);
        expect(revoked.statusCode).toBe(200);
        expect(await liveTokens(t.access_token)).toEqual([]);
        if (refreshed.statusCode === 200) {
          const t2 = refreshed.json();
          expect((await info(t2.access_token)).statusCode).toBe(401);
          expect((await refresh(t2.refresh_token)).statusCode).toBe(400);
        }
      }
    });

    it('racing refreshes leave exactly one live pair; a replay after the race window revokes the grant (C4, C2)', async () => {
      const t1 = await tokens();
      const results = await Promise.all(Array.from({ length: 20 }, () => refresh(t1.refresh_token)));
      const ok = results.filter((r) => r.statusCode === 200);
      expect(ok).toHaveLength(1);
      for (const r of results.filter((x) => x.statusCode !== 200)) expect(r.json().error).toBe('invalid_grant');
      const winner = ok[0]!.json();
      expect((await info(winner.access_token)).statusCode).toBe(200);
      expect(await liveTokens(winner.access_token)).toHaveLength(1);
      rt.ctx.clock.advance(REPLAY_GRACE_MS + 1000);
      expect((await refresh(t1.refresh_token)).json().error).toBe('invalid_grant');
      expect((await info(winner.access_token)).statusCode).toBe(401);
      expect((await refresh(winner.refresh_token)).json().error).toBe('invalid_grant');
    });

    it('racing redemptions of one code leave exactly one live pair; a later replay revokes it (B1, B2)', async () => {
      const c = await code();
      const redeem = () => post('/oauth/token', { grant_type: 'authorization_code', code: c, redirect_uri: LOCALHOST, ...creds() });
      const results = await Promise.all(Array.from({ length: 20 }, redeem));
      const ok = results.filter((r) => r.statusCode === 200);
      expect(ok).toHaveLength(1);
      const winner = ok[0]!.json();
      expect((await info(winner.access_token)).statusCode).toBe(200);
      rt.ctx.clock.advance(REPLAY_GRACE_MS + 1000);
      expect((await redeem()).json().error).toBe('invalid_grant');
      expect((await info(winner.access_token)).statusCode).toBe(401);
    });

    describe('browser session', () => {
      it('POST /oauth/logout ends the session (server side and cookie); it needs its CSRF token', async () => {
        const r = await runAuthorizeFlow(rt.sandboxApp, {
          query: { response_type: 'code', client_id: rt.credentials.clientId, redirect_uri: LOCALHOST },
          email: ARCH,
          password: rt.userPassword,
        });
        expect(r.code).toBeTruthy();
        const jar = r.jar;
        // Signed in: the authorize page is the approve page, with a logout form.
        const page = await get(rt.sandboxApp, jar, authorizeUrl(rt.credentials.clientId));
        expect(page.body).toContain('action="/oauth/logout"');
        const token = /<form method="post" action="\/oauth\/logout"[^]*?name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1];
        expect(token).toBeTruthy();
        const forged = await postForm(rt.sandboxApp, jar, '/oauth/logout', { csrf_token: 'forged' });
        expect(forged.statusCode).toBe(403);
        const crossSite = await postForm(rt.sandboxApp, jar, '/oauth/logout', { csrf_token: token! }, { 'sec-fetch-site': 'cross-site' });
        expect(crossSite.statusCode).toBe(403);
        const sessionsBefore = await rt.ctx.db.selectFrom('oauth_sessions').select('id').execute();
        const out = await postForm(rt.sandboxApp, jar, '/oauth/logout', { csrf_token: token! });
        expect(out.statusCode).toBe(200);
        expect(out.body).toContain('signed out');
        expect((await rt.ctx.db.selectFrom('oauth_sessions').select('id').execute()).length).toBe(sessionsBefore.length - 1);
        const after = await get(rt.sandboxApp, jar, authorizeUrl(rt.credentials.clientId));
        expect(after.body).toContain('Log in to your Account');
      });

      it('a login session ends after SESSION_IDLE_MS without use, and use extends it', async () => {
        expect(SESSION_IDLE_MS).toBeLessThanOrEqual(2 * 3_600_000);
        const r = await runAuthorizeFlow(rt.sandboxApp, {
          query: { response_type: 'code', client_id: rt.credentials.clientId, redirect_uri: LOCALHOST },
          email: ARCH,
          password: rt.userPassword,
        });
        rt.ctx.clock.advance(SESSION_IDLE_MS - 60_000);
        expect((await get(rt.sandboxApp, r.jar, authorizeUrl(rt.credentials.clientId))).body).toContain('name="decision"');
        rt.ctx.clock.advance(SESSION_IDLE_MS - 60_000); // still alive: the last visit extended it
        expect((await get(rt.sandboxApp, r.jar, authorizeUrl(rt.credentials.clientId))).body).toContain('name="decision"');
        rt.ctx.clock.advance(SESSION_IDLE_MS + 1000);
        expect((await get(rt.sandboxApp, r.jar, authorizeUrl(rt.credentials.clientId))).body).toContain('Log in to your Account');
      });
    });
  });
}
