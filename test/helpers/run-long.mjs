#!/usr/bin/env node
// `npm run test:long [-- --soak <s>] [--fuzz <n>] [--crash <rounds>] [vitest options]`: sets
// SOAK_SECONDS / FUZZ_REQUESTS / CRASH_ROUNDS from the flags and runs the long suites with
// vitest.long.config.ts; any other argument goes to vitest. docs/testing.md.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const flags = { '--soak': 'SOAK_SECONDS', '--fuzz': 'FUZZ_REQUESTS', '--crash': 'CRASH_ROUNDS' };
const env = { ...process.env };
const rest = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [name, inline] = argv[i].split('=', 2);
  if (name in flags) {
    const value = inline ?? argv[++i];
    if (!/^\d+$/.test(value ?? '')) {
      process.stderr.write(`${name} needs a whole number, e.g. ${name} 600\n`);
      process.exit(2);
    }
    env[flags[name]] = value;
  } else rest.push(argv[i]);
}
const child = spawn(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.long.config.ts', ...rest],
  {
    cwd: root,
    env,
    stdio: 'inherit',
  },
);
// A CI timeout stops the whole run, vitest included.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
