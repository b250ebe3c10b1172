/**
 * Portal defects of issue #8 (both engines): sign-in throttles live in the database (shared by
 * every process) and cannot lock a developer out from another address; sign-up does not reveal
 * which emails have accounts; an app opts in to (and out of) the implicit grant.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, ENGINES, freshPostgresDatabase, type TestRuntime, useScratchDir } from '../../test/helpers/runtime.js';
import { runAuthorizeFlow } from '../oauth/test/flow.js';
import { SESSION_COOKIE } from './sessions.js';

function send(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
  o: { cookie?: string; ip?: string } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url: `/api/portal${url}`,
    remoteAddress: o.ip ?? '127.0.0.1',
    headers: {
      ...(method === 'GET' ? {} : { 'x-requested-with': 'test' }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(o.cookie ? { cookie: o.cookie } : {}),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

const sessionOf = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
  return c?.value ? `${SESSION_COOKIE}=${c.value}` : '';
};

const scratch = useScratchDir('portal-hardening-');

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: portal hardening`, () => {
    let a: TestRuntime;
    let b: TestRuntime;
    beforeAll(async () => {
      // Two server processes' worth of runtime on one database.
      const db = engine.name === 'sqlite' ? join(scratch(), `${randomBytes(4).toString('hex')}.db`) : await freshPostgresDatabase();
      const settings = { loginAttemptsPerHour: 4, loginAttemptsPerIpPerHour: 1000 };
      a = await createTestRuntime({ db, settings });
      b = await createTestRuntime({ db, settings });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    it('sign-in failures are counted in the database: both processes see one budget', async () => {
      const email = 'developer@example.com';
      const ip = '198.51.100.20';
      expect((await send(a.sandboxApp, 'POST', '/signin', { email, password: 'wrong-1' }, { ip })).statusCode).toBe(401);
      expect((await send(b.sandboxApp, 'POST', '/signin', { email, password: 'wrong-2' }, { ip })).statusCode).toBe(401);
      expect((await send(a.sandboxApp, 'POST', '/signin', { email, password: 'wrong-3' }, { ip })).statusCode).toBe(401);
      expect((await send(b.sandboxApp, 'POST', '/signin', { email, password: 'wrong-4' }, { ip })).statusCode).toBe(401);
      const blocked = await send(a.sandboxApp, 'POST', '/signin', { email, password: a.developerPassword }, { ip });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // …and a stranger's failures do not lock the developer out from their own address.
      const own = await send(b.sandboxApp, 'POST', '/signin', { email, password: a.developerPassword }, { ip: '192.0.2.1' });
      expect(own.statusCode, own.body).toBe(200);
    });

    it('checks at most `limit` passwords under concurrent guesses', async () => {
      const ip = '198.51.100.21';
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          send(i % 2 ? a.sandboxApp : b.sandboxApp, 'POST', '/signin', { email: 'developer@example.com', password: `w${i}` }, { ip }),
        ),
      );
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    });

    it('sign-up answers the same for a new and an existing email, and changes nothing about the existing account', async () => {
      const fresh = await send(a.sandboxApp, 'POST', '/signup', { email: 'newcomer@example.com', password: 'newcomer-pass' });
      const taken = await send(a.sandboxApp, 'POST', '/signup', { email: 'Developer@Example.com', password: 'attacker-pass' });
      expect(taken.statusCode).toBe(fresh.statusCode);
      expect(taken.json()).toEqual(fresh.json());
      expect(Object.keys(taken.headers).sort()).toEqual(Object.keys(fresh.headers).sort());
      expect(sessionOf(fresh)).toBe('');
      expect(sessionOf(taken)).toBe('');
      // The new account works; the existing one keeps its password; the attacker's does not work.
      expect((await send(a.sandboxApp, 'POST', '/signin', { email: 'newcomer@example.com', password: 'newcomer-pass' })).statusCode).toBe(
        200,
      );
      expect((await send(a.sandboxApp, 'POST', '/signin', { email: 'developer@example.com', password: 'attacker-pass' })).statusCode).toBe(
        401,
      );
      expect(
        (await send(a.sandboxApp, 'POST', '/signin', { email: 'developer@example.com', password: a.developerPassword })).statusCode,
      ).toBe(200);
    });

    it('an app opts in to and out of the implicit grant (off by default), with validation', async () => {
      const signin = await send(
        a.sandboxApp,
        'POST',
        '/signin',
        { email: 'developer@example.com', password: a.developerPassword },
        { ip: '192.0.2.9' },
      );
      const cookie = sessionOf(signin);
      const id = a.app.id;
      const app0 = (await send(a.sandboxApp, 'GET', `/apps/${id}`, undefined, { cookie })).json().app;
      expect(app0.grant_types).not.toContain('implicit');

      const implicit = () =>
        runAuthorizeFlow(a.sandboxApp, {
          query: { response_type: 'token', client_id: a.credentials.clientId, redirect_uri: 'http://localhost', state: 's' },
          email: 'sandbox+arch@example.com',
          password: a.userPassword,
        });
      expect((await implicit()).location?.hash).toContain('error=unauthorized_client');

      const on = await send(a.sandboxApp, 'PATCH', `/apps/${id}`, { grant_types: [...app0.grant_types, 'implicit'] }, { cookie });
      expect(on.statusCode, on.body).toBe(200);
      expect(on.json().app.grant_types).toContain('implicit');
      const granted = await implicit();
      expect(granted.location?.hash).toMatch(/access_token=[^&]+/);

      for (const bad of [['password'], [], ['implicit', 'implicit'], 'implicit', [1]]) {
        const res = await send(a.sandboxApp, 'PATCH', `/apps/${id}`, { grant_types: bad }, { cookie });
        expect(res.statusCode, JSON.stringify(bad)).toBe(422);
        expect(res.json().field).toMatch(/^grant_types/);
      }

      const off = await send(a.sandboxApp, 'PATCH', `/apps/${id}`, { grant_types: app0.grant_types }, { cookie });
      expect(off.json().app.grant_types).toEqual(app0.grant_types);
      expect((await implicit()).location?.hash).toContain('error=unauthorized_client');
    });
  });
}
