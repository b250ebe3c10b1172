#!/usr/bin/env node
// Runs the CLI from an esbuild bundle of src/ (dist/cli.cjs), rebuilt when a source is newer,
// so a start never runs stale code and needs no TypeScript loader (docs/decisions/0002), and
// compiled through V8's code cache (scripts/load-bundle.mjs).
import { ensureServerBuild } from '../scripts/build-server.mjs';
import { loadBundle } from '../scripts/load-bundle.mjs';

// `start` (the default command) serves web/dist: build it first when missing or stale.
const first = process.argv[2];
const wantsHelp = process.argv.slice(2).some((a) => ['-h', '--help', '-V', '--version'].includes(a));
if (!wantsHelp && (first === undefined || first === 'start' || first.startsWith('-'))) {
  const { ensureWebBuild } = await import('../web/build-if-stale.mjs');
  try {
    await ensureWebBuild({ log: (m) => process.stderr.write(`${m}\n`) });
  } catch (err) {
    process.stderr.write(
      `procore-sandbox: web app build failed (${err instanceof Error ? err.message : String(err)}); the portal may be unavailable\n`,
    );
  }
}

const bundle = await ensureServerBuild();
const { buildCli } = loadBundle(bundle);
try {
  await buildCli().parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`procore-sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
