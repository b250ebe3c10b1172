/**
 * Fuzzing every route of the registry on both engines (docs/testing.md): a sample in `npm test`
 * (FUZZ_SAMPLE, default 3,000 requests across both engines); `npm run test:long` runs
 * `*.long.test.ts` with FUZZ_REQUESTS (default 100,000) across both.
 */
import { ENGINES } from '../helpers/runtime.js';
import { defineFuzzSuite } from './suite.js';

const total = Number(process.env['FUZZ_SAMPLE'] ?? 3000);
const engines = ENGINES.filter((e) => e.available);
for (const engine of ENGINES) defineFuzzSuite(engine.name, Math.ceil(total / Math.max(1, engines.length)));
