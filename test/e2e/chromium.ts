/**
 * Whether the browser suites can run. They drive Debian's Chromium through playwright-core and
 * never download a browser; without it they skip, and say so by name (once per `vitest run`)
 * with the command that enables them.
 */
import { accessSync, constants, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env['PROCORE_SANDBOX_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Why the browser suites skip (naming the missing executable and the fix), or null when they can run. */
export function chromiumSkipReason(executable: string = CHROMIUM): string | null {
  try {
    accessSync(executable, constants.X_OK);
    return null;
  } catch {
    return (
      `browser suites (test/e2e) skipped: no Chromium at ${executable}. ` +
      'Enable them with `apt-get install -y chromium` (Debian/Ubuntu), ' +
      'or point PROCORE_SANDBOX_CHROMIUM at a Chromium executable.'
    );
  }
}

const reason = chromiumSkipReason();

/** True when the browser suites must skip; prints the reason once per test run. */
export function skipBrowserSuites(): boolean {
  if (reason === null) return false;
  try {
    // One notice per run: vitest's forks share the parent process id.
    writeFileSync(join(tmpdir(), `procore-sandbox-chromium-skip-${process.ppid}`), '', { flag: 'wx' });
    process.stderr.write(`\n⚠ ${reason}\n\n`);
  } catch {
    /* already said in this run */
  }
  return true;
}

/** The describe() title: the suite's name, plus why it is skipped when it is. */
export function browserSuiteTitle(name: string): string {
  return reason === null ? name : `${name} (skipped: no Chromium at ${CHROMIUM}; apt-get install -y chromium)`;
}
