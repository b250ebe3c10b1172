/** Bearer verification for the REST API (security.md D1–D4), on a probe route behind `app.requireBearer`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ENGINES, createTestRuntime, type TestRuntime } from '../../test/helpers/runtime.js';
import { deleteApp, createApp } from '../services/apps.js';
import type { Environment } from '../db/schema.js';
import SQLite from 'better-sqlite3';
import { STAMP_POLL_MS } from '../db/connect.js';
import bearer from './bearer.js';

async function probe(rt: TestRuntime, environment: Environment): Promise<FastifyInstance> {
  const app = Fastify();
  app.decorate('ctx', rt.ctx);
  app.decorate('environment', environment);
  await app.register(bearer);
  app.get('/probe', { onRequest: app.requireBearer }, async (request) => request.auth);
  await app.ready();
  return app;
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: bearer verification`, () => {
    let rt: TestRuntime;
    let sandboxApi: FastifyInstance;
    let productionApi: FastifyInstance;
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name });
      sandboxApi = await probe(rt, 'sandbox');
      productionApi = await probe(rt, 'production');
    });
    afterAll(async () => {
      await sandboxApi?.close();
      await productionApi?.close();
      await rt?.close();
    });

    const call = (authorization: string | string[] | undefined, api = sandboxApi) =>
      api.inject({ method: 'GET', url: '/probe', headers: authorization === undefined ? {} : { authorization: authorization as string } });

    async function expect401(res: Awaited<ReturnType<typeof call>>, message = 'The access token is invalid') {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.json().message).toBe(message);
    }

    it('accepts a live token and exposes request.auth', async () => {
      const token = await rt.mintToken({ email: 'sandbox+arch@example.com' });
      const res = await call(`Bearer ${token}`);
      expect(res.statusCode).toBe(200);
      const auth = res.json();
      expect(auth.userId).toBe(rt.users.get('sandbox+arch@example.com')!.id);
      expect(auth.companyId).toBe(rt.sandbox.company_id);
      expect(auth.environment).toBe('sandbox');
      expect(auth.clientId).toBe(rt.credentials.clientId);
    });

    it('D1: malformed Authorization headers → 401 JSON with WWW-Authenticate', async () => {
      const token = await rt.mintToken();
      for (const header of [
        'Bearer',
        'Bearer ',
        `Bearer  ${token}`,
        `Basic ${token}`,
        `Bearer ${token}x`,
        `Bearer ${'a'.repeat(10_240)}`,
        `Bearer ${token} extra`,
        token,
      ]) {
        await expect401(await call(header));
      }
      await expect401(await call([`Bearer ${token}`, `Bearer ${token}`]));
    });

    it('#8: a missing Authorization header gets its own message, without an error code (RFC 6750 §3.1)', async () => {
      const res = await call(undefined);
      await expect401(res, 'Missing access token: send an Authorization: Bearer <token> header');
      expect(res.json()).toMatchObject({ code: 401, reason: 'missing_token' });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="Procore API"');
      const bad = await call('Bearer nope');
      expect(bad.json()).toMatchObject({ code: 401, reason: 'invalid_token', message: 'The access token is invalid' });
      expect(bad.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('D2: refresh tokens, codes, client credentials, revoked tokens, deleted apps and other-environment tokens → 401', async () => {
      const res = await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', client_id: rt.credentials.clientId, client_secret: rt.credentials.clientSecret },
      });
      const access = res.json().access_token as string;
      expect((await call(`Bearer ${access}`)).statusCode).toBe(200);
      await expect401(await call(`Bearer ${rt.credentials.clientId}`));
      await expect401(await call(`Bearer ${rt.credentials.clientSecret}`));
      // A sandbox token on the production API (Procore: 401), and the reverse.
      await expect401(await call(`Bearer ${access}`, productionApi));
      const prod = await rt.mintToken({ environment: 'production' });
      await expect401(await call(`Bearer ${prod}`));
      expect((await call(`Bearer ${prod}`, productionApi)).statusCode).toBe(200);
      // Revocation is immediate (the cached lookup is checked against the revocation counter).
      await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/revoke',
        payload: { token: access, client_id: rt.credentials.clientId, client_secret: rt.credentials.clientSecret },
      });
      await expect401(await call(`Bearer ${access}`));
      // Tokens of a deleted app.
      const other = await createApp(rt.ctx, { developerId: rt.app.developer_id, name: 'Doomed' });
      const doomed = await rt.mintToken({ sandboxId: other.sandbox.id, email: 'sandbox+demo@example.com' });
      expect((await call(`Bearer ${doomed}`)).statusCode).toBe(200);
      await deleteApp(rt.ctx, other.app.id);
      await expect401(await call(`Bearer ${doomed}`));
    });

    it('a cached token stops working as soon as its user loses admin rights or is deleted', async () => {
      const token = await rt.mintToken({ email: 'sandbox+arch@example.com' });
      const user = rt.users.get('sandbox+arch@example.com')!;
      expect((await call(`Bearer ${token}`)).json().isCompanyAdmin).toBe(user.is_company_admin === 1);
      await rt.ctx.db
        .updateTable('users')
        .set({ is_company_admin: user.is_company_admin === 1 ? 0 : 1 })
        .where('id', '=', user.id)
        .execute();
      expect((await call(`Bearer ${token}`)).json().isCompanyAdmin).toBe(user.is_company_admin !== 1);
      await rt.ctx.db.updateTable('users').set({ is_company_admin: user.is_company_admin }).where('id', '=', user.id).execute();
    });

    it('D3: expiry by the injected clock: +5399 s → 200, +5401 s → 401 with the expired message', async () => {
      const token = await rt.mintToken();
      rt.ctx.clock.advance(5_399_000);
      expect((await call(`Bearer ${token}`)).statusCode).toBe(200);
      rt.ctx.clock.advance(2_000);
      await expect401(
        await call(`Bearer ${token}`),
        'Your access token has expired, please use your refresh token to obtain a fresh token.',
      );
    });

    it('D3: ?access_token= is not accepted', async () => {
      const token = await rt.mintToken();
      const res = await sandboxApi.inject({ method: 'GET', url: `/probe?access_token=${token}` });
      // No Authorization header: the answer says where the token must go.
      await expect401(res, 'Missing access token: send an Authorization: Bearer <token> header');
    });

    it('D4: the database holds only SHA-256 hashes of tokens', async () => {
      const token = await rt.mintToken();
      const rows = await rt.ctx.db.selectFrom('access_tokens').select(['token_hash', 'refresh_token_hash']).execute();
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(token);
    });
  });
}

describe('SQLite file shared by two processes: bearer cache', () => {
  it('a token revoked through one runtime is refused by the other at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procore-sandbox-bearer-'));
    const db = join(dir, 'shared.db');
    const a = await createTestRuntime({ db });
    const b = await createTestRuntime({ db });
    const apiB = await probe(b, 'sandbox');
    try {
      const token = await a.mintToken();
      const call = () => apiB.inject({ method: 'GET', url: '/probe', headers: { authorization: `Bearer ${token}` } });
      expect((await call()).statusCode).toBe(200);
      expect((await call()).statusCode).toBe(200); // served from B's cache
      const revoke = await a.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/revoke',
        payload: { token, client_id: a.credentials.clientId, client_secret: a.credentials.clientSecret },
      });
      expect(revoke.statusCode).toBe(200);
      expect((await call()).statusCode).toBe(401);
    } finally {
      await apiB.close();
      await Promise.allSettled([a.close(), b.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a token revoked by another process is refused within STAMP_POLL_MS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procore-sandbox-bearer-'));
    const db = join(dir, 'shared.db');
    const a = await createTestRuntime({ db });
    const api = await probe(a, 'sandbox');
    try {
      const token = await a.mintToken();
      const call = () => api.inject({ method: 'GET', url: '/probe', headers: { authorization: `Bearer ${token}` } });
      expect((await call()).statusCode).toBe(200);
      expect((await call()).statusCode).toBe(200); // served from the cache
      // A connection this process does not count (a `sqlite3` shell, another server): the
      // trigger on tokens bumps the revocation counter in the same commit.
      const other = new SQLite(db);
      try {
        expect(
          other.prepare('update access_tokens set revoked_at = ? where revoked_at is null').run(new Date().toISOString()).changes,
        ).toBeGreaterThan(0);
      } finally {
        other.close();
      }
      await new Promise((r) => setTimeout(r, STAMP_POLL_MS + 5));
      expect((await call()).statusCode).toBe(401);
    } finally {
      await api.close();
      await a.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
