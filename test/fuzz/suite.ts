/**
 * One fuzz suite on one engine (`run.ts`), shared by the sample in `npm test` and the long runs.
 * FUZZ_SEED replays a run; FUZZ_FULL=1 prints whole request bodies of violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type EngineName } from '../helpers/runtime.js';
import { createWorld, type World } from '../helpers/world.js';
import { formatStats, runFuzz } from './run.js';

export function defineFuzzSuite(engineName: EngineName, requests: number): void {
  const engine = ENGINES.find((e) => e.name === engineName)!;
  describe.skipIf(!engine.available)(`fuzz on ${engine.name}`, () => {
    let world: World;
    beforeAll(async () => {
      world = await createWorld(engine.name);
    });
    afterAll(async () => {
      await world?.rt.close();
    });

    it(`answers ${requests} hostile requests over every route of the registry: no 5xx, every error JSON, no leak, rejected writes change nothing`, async () => {
      const stats = await runFuzz(world, {
        requests,
        progress: (n) => {
          if (n % 10_000 === 0) console.log(`fuzz ${engine.name}: ${n} requests`);
        },
      });
      console.log(formatStats(stats));
      expect(stats.routes).toBeGreaterThan(100);
      expect(stats.requests).toBeGreaterThan(0.9 * requests);
      expect(stats.violations.map((v) => `${v.kind} ×${v.count} on ${v.route} (${v.status}): ${v.example}`)).toEqual([]);
    }, 3_600_000);
  });
}
