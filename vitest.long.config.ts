/**
 * `npm run test:long`: the long black-box suites (docs/testing.md). Bounded by their own
 * settings — FUZZ_REQUESTS (default 100,000 across both engines), CRASH_ROUNDS (20 per engine),
 * SOAK_SECONDS (120) — which `test/helpers/run-long.mjs` also takes as `--fuzz`, `--crash`, `--soak`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.long.test.ts'],
    globalSetup: ['test/setup/postgres.ts', 'test/helpers/build-setup.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time (CI has 2 cores): the two fuzz engines, then crash and soak.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
