/** Long crash run (`npm run test:long`): CRASH_ROUNDS (default 20) SIGKILL rounds per engine. */
import { defineCrashSuite } from './suite.js';

const rounds = Number(process.env['CRASH_ROUNDS'] ?? 20);
defineCrashSuite('sqlite', rounds);
defineCrashSuite('postgres', rounds);
