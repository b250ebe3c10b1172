/**
 * Crash safety sample in `npm test`: CRASH_SAMPLE_ROUNDS (default 3) SIGKILL rounds per engine;
 * `npm run test:long` runs `crash.long.test.ts` with CRASH_ROUNDS (default 20) per engine.
 */
import { defineCrashSuite } from './suite.js';

const rounds = Number(process.env['CRASH_SAMPLE_ROUNDS'] ?? 3);
defineCrashSuite('sqlite', rounds);
defineCrashSuite('postgres', rounds);
