#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package needs no separate compile step.
import { register } from 'tsx/esm/api';

register();
const { buildCli } = await import('../src/cli/main.ts');
try {
  await buildCli().parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`procore-sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
