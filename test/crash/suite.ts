/** The crash suite on one engine (`crash.ts`), shared by the sample in `npm test` and the long run. */
import { describe, expect, it } from 'vitest';
import { ENGINES, type EngineName } from '../helpers/runtime.js';
import { runCrashRounds } from './crash.js';

export function defineCrashSuite(engineName: EngineName, rounds: number): void {
  const engine = ENGINES.find((e) => e.name === engineName)!;
  describe.skipIf(!engine.available)(`crash safety on ${engine.name}`, () => {
    it(`loses no acknowledged write over ${rounds} SIGKILL rounds under concurrent creates`, async () => {
      const r = await runCrashRounds(engine.name, rounds);
      console.log(
        `crash ${engine.name}: ${r.rounds} rounds, ${r.acknowledged} acknowledged writes, ${r.inFlightCommitted} in-flight writes committed whole, ${r.checked} checks, ${r.failures.length} failures in ${(r.durationMs / 1000).toFixed(1)} s`,
      );
      expect(r.failures).toEqual([]);
      expect(r.rounds).toBe(rounds);
      expect(r.acknowledged).toBeGreaterThan(rounds);
    }, 1_800_000);
  });
}
