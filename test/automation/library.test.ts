/**
 * The Node library from source (the packed-package suite covers the published entry point):
 * two sandboxes in one process, each with its own database, clock, faults and journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/index.js';
import { createRuntime } from '../../src/server/runtime.js';

describe('startSandbox', () => {
  let a: Sandbox;
  let b: Sandbox;
  beforeAll(async () => {
    [a, b] = await Promise.all([startSandbox({ port: 0 }), startSandbox({ adminKey: 'a-key-for-the-second-sandbox' })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const me = (sb: Sandbox, token: string) =>
    fetch(`${sb.apiUrl}/me`, { headers: { Authorization: `Bearer ${token}`, 'Procore-Company-Id': String(sb.companyId) } });

  it('describes itself', () => {
    expect(a.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.apiUrl).toBe(`${a.baseUrl}/rest/v1.0`);
    expect(a.loginUrl).toBe(a.baseUrl);
    expect(a.productionUrl).not.toBe(a.baseUrl);
    expect(a.adminUrl).toBe(`${a.baseUrl}/__admin`);
    expect(b.adminKey).toBe('a-key-for-the-second-sandbox');
    expect(a.app).toMatchObject({ name: 'My Sandbox App', clientId: expect.any(String), clientSecret: expect.any(String) });
    expect(a.users.map((u) => u.email).sort()).toEqual(['sandbox+arch@example.com', 'sandbox+demo@example.com', 'sandbox+sub@example.com']);
    expect(new Set(a.users.map((u) => u.password)).size).toBe(1);
    expect(a.baseUrl).not.toBe(b.baseUrl);
  });

  it('mints tokens for users and the service account', async () => {
    expect((await me(a, await a.token('sandbox+arch@example.com'))).status).toBe(200);
    expect((await me(a, await a.token())).status).toBe(200);
    const full = await a.tokenResponse('sandbox+demo@example.com');
    expect(full.refresh_token).toEqual(expect.any(String));
    await expect(a.token('nobody@example.com')).rejects.toThrow(/no user nobody@example.com/);
    // A token of one sandbox means nothing to the other.
    expect(
      (await fetch(`${b.apiUrl}/me`, { headers: { Authorization: `Bearer ${await a.token('sandbox+demo@example.com')}` } })).status,
    ).toBe(401);
  });

  it('moves only its own clock', async () => {
    const ta = await a.token('sandbox+demo@example.com');
    const tb = await b.token('sandbox+demo@example.com');
    const now = Date.parse(a.clock.now());
    expect(Date.parse(a.clock.advance(5401))).toBeGreaterThanOrEqual(now + 5401_000);
    expect((await me(a, ta)).status).toBe(401);
    expect((await me(b, tb)).status).toBe(200);
    expect(a.clock.freeze()).toBe(a.clock.now());
    expect(a.clock.set('2031-05-06T07:08:09Z')).toBe('2031-05-06T07:08:09.000Z');
    expect(a.clock.unfreeze()).toMatch(/^2031-05-06T07:08:/);
    await a.reset();
    expect(Math.abs(Date.parse(a.clock.now()) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(Date.parse(b.clock.now()) - Date.now())).toBeLessThan(60_000);
  });

  it('keeps faults and journals apart', async () => {
    const rule = a.faults.add({ path: '/rest/v1.0/me', status: 503 });
    expect(a.faults.list()).toEqual([rule]);
    expect(b.faults.list()).toEqual([]);
    expect((await me(a, await a.token())).status).toBe(503);
    expect((await me(b, await b.token())).status).toBe(200);
    const [entry] = await a.journal({ path: '/rest/v1.0/me', limit: 1 });
    expect(entry).toMatchObject({ status: 503, answered_by: `fault ${rule.id}`, why: `fault ${rule.id}: status 503` });
    expect((await b.journal({ status: '503' })).length).toBe(0);
    expect(a.faults.remove(rule.id)).toBe(true);
    expect(() => a.faults.add({ path: '/x' })).toThrow(/needs status, delay_ms or drop/);
    expect(() => a.faults.add({ path: '/x', status: 200 })).toThrow(/fault rule/);
    a.faults.clear();
    expect((await me(a, await a.token())).status).toBe(200);
  });
});

describe('the admin key', () => {
  it('is generated once and kept in the database; a given key wins; a weak one is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procore-key-'));
    try {
      const db = join(dir, 'sandbox.db');
      const first = await createRuntime({ db });
      const key = first.adminKey;
      await first.close();
      expect(key).toMatch(/^adm_[A-Za-z0-9_-]{32}$/);
      const again = await createRuntime({ db });
      expect(again.adminKey).toBe(key);
      await again.close();
      const given = await createRuntime({ db, adminKey: 'my-own-admin-key-1234' });
      expect(given.adminKey).toBe('my-own-admin-key-1234');
      const ok = await given.sandboxApp.inject({ url: '/__admin/faults', headers: { authorization: 'Bearer my-own-admin-key-1234' } });
      expect(ok.statusCode).toBe(200);
      const old = await given.sandboxApp.inject({ url: '/__admin/faults', headers: { authorization: `Bearer ${key}` } });
      expect(old.statusCode).toBe(401);
      await given.close();
      await expect(createRuntime({ db, adminKey: 'short' })).rejects.toThrow(/16 to 256 printable characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
