/**
 * Long fuzz run on sqlite (`npm run test:long`): half of FUZZ_REQUESTS (default 100,000 across
 * both engines; the other half runs on the other engine in parallel). See docs/testing.md.
 */
import { ENGINES } from '../helpers/runtime.js';
import { defineFuzzSuite } from './suite.js';

const total = Number(process.env['FUZZ_REQUESTS'] ?? 100_000);
const engines = ENGINES.filter((e) => e.available);
defineFuzzSuite('sqlite', Math.ceil(total / Math.max(1, engines.length)));
