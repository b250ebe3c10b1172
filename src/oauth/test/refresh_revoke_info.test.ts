/** Refresh rotation, revocation and token info (security.md C, B10). */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ENGINES, createTestRuntime, type TestRuntime } from '../../../test/helpers/runtime.js';
import { createApp } from '../../services/apps.js';
import { REPLAY_GRACE_MS } from '../grants/replay.js';
import { runAuthorizeFlow } from './flow.js';

const LOCALHOST = 'http://localhost';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: refresh, revoke, info`, () => {
    let rt: TestRuntime;
    let other: { clientId: string; clientSecret: string };
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name });
      other = (await createApp(rt.ctx, { developerId: rt.app.developer_id, name: 'Other' })).sandboxCredentials;
    });
    afterAll(async () => {
      await rt?.close();
    });

    const creds = () => ({ client_id: rt.credentials.clientId, client_secret: rt.credentials.clientSecret });
    const post = (url: string, payload: Record<string, string>) => rt.sandboxApp.inject({ method: 'POST', url, payload });
    const info = (accessToken: string) =>
      rt.sandboxApp.inject({ method: 'GET', url: '/oauth/token/info', headers: { authorization: `Bearer ${accessToken}` } });

    async function tokens(): Promise<{ access_token: string; refresh_token: string }> {
      const r = await runAuthorizeFlow(rt.sandboxApp, {
        query: { response_type: 'code', client_id: rt.credentials.clientId, redirect_uri: LOCALHOST },
        email: 'sandbox+demo@example.com',
        password: rt.userPassword,
      });
      const res = await post('/oauth/token', { grant_type: 'authorization_code', code: r.code!, redirect_uri: LOCALHOST, ...creds() });
      expect(res.statusCode).toBe(200);
      return res.json();
    }
    const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
      post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...creds(), ...extra });

    it('rotates: each refresh returns a new pair, the old refresh token and access token die (C1)', async () => {
      const t1 = await tokens();
      const r = await refresh(t1.refresh_token, { redirect_uri: LOCALHOST });
      expect(r.statusCode).toBe(200);
      const t2 = r.json();
      expect(Object.keys(t2)).toEqual(['access_token', 'token_type', 'expires_in', 'refresh_token', 'created_at']);
      expect(t2.refresh_token).not.toBe(t1.refresh_token);
      expect((await info(t2.access_token)).statusCode).toBe(200);
      expect((await info(t1.access_token)).statusCode).toBe(401);
    });

    it('burns the refresh token on a failed refresh (wrong redirect_uri) (C1, Procore)', async () => {
      const t1 = await tokens();
      const bad = await refresh(t1.refresh_token, { redirect_uri: 'https://evil.test/cb' });
      expect(bad.json().error).toBe('invalid_grant');
      const again = await refresh(t1.refresh_token);
      expect(again.statusCode).toBe(400);
      expect(again.json().error).toBe('invalid_grant');
    });

    it('replaying a used refresh token revokes the whole grant (C2)', async () => {
      const t1 = await tokens();
      const t2 = (await refresh(t1.refresh_token)).json();
      // Within REPLAY_GRACE_MS a second use is a racer (hardening.test.ts); later it is a replay.
      rt.ctx.clock.advance(REPLAY_GRACE_MS + 1000);
      const replay = await refresh(t1.refresh_token);
      expect(replay.json().error).toBe('invalid_grant');
      expect((await info(t2.access_token)).statusCode).toBe(401);
      expect((await refresh(t2.refresh_token)).json().error).toBe('invalid_grant');
    });

    it("refuses another client's refresh token without burning it (C3)", async () => {
      const t1 = await tokens();
      const foreign = await post('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: t1.refresh_token,
        client_id: other.clientId,
        client_secret: other.clientSecret,
      });
      expect(foreign.json().error).toBe('invalid_grant');
      expect((await refresh(t1.refresh_token)).statusCode).toBe(200);
    });

    it('refreshes exactly once under 50 parallel requests; the winner’s pair stays alive (C4)', async () => {
      const t1 = await tokens();
      const results = await Promise.all(Array.from({ length: 50 }, () => refresh(t1.refresh_token)));
      const ok = results.filter((r) => r.statusCode === 200);
      expect(ok).toHaveLength(1);
      expect(results.filter((r) => r.statusCode === 400)).toHaveLength(49);
      // Losers within REPLAY_GRACE_MS are racers, not replays: one live pair remains.
      expect((await info(ok[0]!.json().access_token)).statusCode).toBe(200);
    });

    it('keeps refresh tokens valid after the access token expired', async () => {
      const t1 = await tokens();
      rt.ctx.clock.advance(5_401_000);
      expect((await info(t1.access_token)).statusCode).toBe(401);
      expect((await refresh(t1.refresh_token)).statusCode).toBe(200);
    });

    describe('POST /oauth/revoke', () => {
      it('revokes an access token and its refresh token; 200 {} (C5)', async () => {
        const t = await tokens();
        const res = await post('/oauth/revoke', { token: t.access_token, ...creds() });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({});
        expect(res.headers['cache-control']).toBe('no-store');
        expect((await info(t.access_token)).statusCode).toBe(401);
        expect((await refresh(t.refresh_token)).json().error).toBe('invalid_grant');
      });

      it('revokes by refresh token (with a wrong hint), multipart and Basic too', async () => {
        const t = await tokens();
        const boundary = 'b0undary';
        const payload = `--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n${t.refresh_token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="token_type_hint"\r\n\r\naccess_token\r\n--${boundary}--\r\n`;
        const res = await rt.sandboxApp.inject({
          method: 'POST',
          url: '/oauth/revoke',
          payload,
          headers: {
            'content-type': `multipart/form-data; boundary=${boundary}`,
            authorization: `Basic ${Buffer.from(`${rt.credentials.clientId}:${rt.credentials.clientSecret}`).toString('base64')}`,
          },
        });
        expect(res.statusCode).toBe(200);
        expect((await info(t.access_token)).statusCode).toBe(401);
        expect((await refresh(t.refresh_token)).json().error).toBe('invalid_grant');
      });

      it('answers 200 {} for unknown and already revoked tokens', async () => {
        expect((await post('/oauth/revoke', { token: 'nope', ...creds() })).json()).toEqual({});
        const t = await tokens();
        await post('/oauth/revoke', { token: t.access_token, ...creds() });
        const again = await post('/oauth/revoke', { token: t.access_token, ...creds() });
        expect(again.statusCode).toBe(200);
      });

      it("does not revoke another client's token (C6)", async () => {
        const t = await tokens();
        const res = await post('/oauth/revoke', { token: t.access_token, client_id: other.clientId, client_secret: other.clientSecret });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({});
        expect((await info(t.access_token)).statusCode).toBe(200);
      });

      it('refuses wrong or missing client credentials with 401 invalid_client', async () => {
        const t = await tokens();
        for (const payload of [
          { token: t.access_token },
          { token: t.access_token, client_id: rt.credentials.clientId, client_secret: 'wrong' },
        ] as Record<string, string>[]) {
          const res = await post('/oauth/revoke', payload);
          expect(res.statusCode).toBe(401);
          expect(res.json().error).toBe('invalid_client');
        }
        expect((await info(t.access_token)).statusCode).toBe(200);
      });

      it('answers 503 JSON when storage fails, never a false 200 (C7)', async () => {
        const t = await tokens();
        const db = rt.ctx.db as unknown as { updateTable: unknown; transaction: unknown };
        const original = db.updateTable;
        const originalTransaction = db.transaction;
        db.updateTable = db.transaction = () => {
          throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        };
        try {
          const res = await post('/oauth/revoke', { token: t.access_token, ...creds() });
          expect(res.statusCode).toBe(503);
          expect(res.json().error).toBe('temporarily_unavailable');
        } finally {
          db.updateTable = original;
          db.transaction = originalTransaction;
        }
        expect((await info(t.access_token)).statusCode).toBe(200);
      });

      it('works with a JSON body (js-sdk)', async () => {
        const t = await tokens();
        const res = await rt.sandboxApp.inject({
          method: 'POST',
          url: '/oauth/revoke',
          payload: JSON.stringify({
            token: t.access_token,
            client_id: rt.credentials.clientId,
            client_secret: rt.credentials.clientSecret,
          }),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.json()).toEqual({});
        expect((await info(t.access_token)).statusCode).toBe(401);
      });
    });

    describe('GET /oauth/token/info', () => {
      it("returns Doorkeeper's shape", async () => {
        const t = await tokens();
        rt.ctx.clock.advance(100_000);
        const res = await info(t.access_token);
        expect(res.statusCode).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        const body = res.json();
        expect(Object.keys(body)).toEqual(['resource_owner_id', 'scopes', 'expires_in_seconds', 'application', 'created_at']);
        expect(body.resource_owner_id).toBe(rt.users.get('sandbox+demo@example.com')!.id);
        expect(body.scopes).toEqual([]);
        expect(body.expires_in_seconds).toBeGreaterThanOrEqual(5299);
        expect(body.expires_in_seconds).toBeLessThanOrEqual(5300);
        expect(body.application).toEqual({ uid: rt.credentials.clientId });
        expect(typeof body.created_at).toBe('number');
      });

      it('answers 401 invalid_token JSON for missing, bad, expired, revoked and other-environment tokens (D3)', async () => {
        const expect401 = async (headers: Record<string, string>, app = rt.sandboxApp) => {
          const res = await app.inject({ method: 'GET', url: '/oauth/token/info', headers });
          expect(res.statusCode).toBe(401);
          expect(res.json()).toEqual({ error: 'invalid_token', error_description: 'The access token is invalid.' });
          expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
          expect(res.headers['cache-control']).toBe('no-store');
        };
        await expect401({});
        await expect401({ authorization: 'Bearer nope' });
        // Frozen: on a loaded machine the real seconds between these calls must not count.
        rt.ctx.clock.freeze();
        const t = await tokens();
        await expect401({ authorization: `Bearer ${t.access_token}` }, rt.productionApp);
        await expect401({ authorization: `Bearer ${t.refresh_token}` });
        rt.ctx.clock.advance(5_399_000);
        expect((await info(t.access_token)).statusCode).toBe(200);
        rt.ctx.clock.advance(2_000);
        await expect401({ authorization: `Bearer ${t.access_token}` });
        rt.ctx.clock.unfreeze();
      });
    });
  });
}
