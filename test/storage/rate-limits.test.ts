/**
 * Rate limits across processes (docs/decisions/0003-fast-path.md): on PostgreSQL, server
 * processes on one database share each app+user's hourly and 10-second windows; on SQLite the
 * one process counts alone, exactly. Two in-process runtimes with their own connection pools
 * stand for two processes, as in multi-process.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, ENGINES, freshPostgresDatabase, type TestRuntime } from '../helpers/runtime.js';
import type { Settings } from '../../src/context/settings.js';

const me = (rt: TestRuntime, token: string) =>
  rt.sandboxApp.inject({ method: 'GET', url: '/rest/v1.0/me', headers: { authorization: `Bearer ${token}` } });

async function nodesFor(engine: 'sqlite' | 'postgres', settings: Partial<Settings>): Promise<TestRuntime[]> {
  if (engine === 'sqlite') return [await createTestRuntime({ engine, settings })];
  const db = await freshPostgresDatabase();
  const first = await createTestRuntime({ db, settings });
  return [first, await createTestRuntime({ db, settings })];
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: rate-limit windows per app+user`, () => {
    let spike: TestRuntime[];
    let hourly: TestRuntime[];
    beforeAll(async () => {
      spike = await nodesFor(engine.name, { rateLimit: { hourly: 1000, spike: 10, enabled: true } });
      hourly = await nodesFor(engine.name, { rateLimit: { hourly: 100, spike: 1_000_000, enabled: true } });
    });
    afterAll(async () => {
      await Promise.allSettled([...(spike ?? []), ...(hourly ?? [])].map((rt) => rt.close()));
    });

    it('the spike window (10) admits exactly 10 requests spread over the processes, then 429 with Retry-After', async () => {
      const token = await spike[0]!.mintToken();
      const results = [];
      for (let i = 0; i < 16; i++) results.push(await me(spike[i % spike.length]!, token));
      const ok = results.filter((r) => r.statusCode === 200);
      expect(ok).toHaveLength(10);
      expect(results.slice(10).every((r) => r.statusCode === 429 && Number(r.headers['retry-after']) >= 1)).toBe(true);
      expect(ok.map((r) => Number(r.headers['x-rate-limit-remaining'])).sort((a, b) => b - a)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      expect(results[10]!.json()).toMatchObject({ code: 429 });
      // Another user of the same app has windows of their own.
      const other = await spike[0]!.mintToken({ email: 'sandbox+arch@example.com' });
      expect((await me(spike[spike.length - 1]!, other)).statusCode).toBe(200);
    });

    it('the hourly window (100) is shared within the documented bound (limit + (processes − 1) × ⌊limit / 20⌋)', async () => {
      const token = await hourly[0]!.mintToken();
      let allowed = 0;
      for (let i = 0; i < 130; i++) if ((await me(hourly[i % hourly.length]!, token)).statusCode === 200) allowed++;
      const bound = 100 + (hourly.length - 1) * 5;
      expect(allowed).toBeGreaterThanOrEqual(100 - (hourly.length - 1) * 5);
      expect(allowed).toBeLessThanOrEqual(bound);
      if (engine.name === 'sqlite') expect(allowed).toBe(100);
    });
  });
}
