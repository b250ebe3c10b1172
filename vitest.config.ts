import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The long suites (fuzz ≥ 100k requests, 20 crash rounds per engine, soak) run with
    // `npm run test:long` (vitest.long.config.ts); docs/testing.md.
    exclude: [...configDefaults.exclude, '**/*.long.test.ts'],
    globalSetup: ['test/setup/postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
