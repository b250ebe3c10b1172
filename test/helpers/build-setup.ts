/**
 * Vitest global setup of the long suites: brings dist/ and web/dist up to date once, before
 * suites running in parallel each start `bin/procore-sandbox.mjs` (which would otherwise race
 * to rebuild a stale bundle).
 */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './cli-server.js';

export default function setup(): void {
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const s = await import('./scripts/build-server.mjs'); await s.ensureServerBuild(); const w = await import('./web/build-if-stale.mjs'); await w.ensureWebBuild();",
    ],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
}
