/**
 * What a fresh clone meets before any code runs: `npm install` on the Node version the README
 * promises (package.json `engines`) must not warn EBADENGINE, and the browser suites must say
 * by name why they skip and how to enable them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumSkipReason } from '../e2e/chromium.js';
import { createTestRuntime } from '../helpers/runtime.js';

const ROOT = join(import.meta.dirname, '..', '..');
// npm's own range matcher (installed with the toolchain; no type declarations shipped).
const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
};

describe('first run', () => {
  it('every installed package accepts the oldest Node version we promise', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean; dev?: boolean }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.engines && !Array.isArray(p.engines) && typeof p.engines.node === 'string')
      .filter(([, p]) => !semver.satisfies(oldest, (p.engines as { node: string }).node, { includePrerelease: true }))
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });

  it('browser suites name the reason they skip and how to enable them', () => {
    expect(chromiumSkipReason('/nonexistent/chromium')).toMatch(/\/nonexistent\/chromium.*apt-get install -y chromium/s);
    expect(chromiumSkipReason('/usr/bin/env')).toBeNull();
  });

  it("the README's banner example shows the ids a fresh database prints", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = (label: string) => /* first example */ new RegExp(`${label}:\\s+(\\d+)`).exec(readme)?.[1];
    const rt = await createTestRuntime();
    try {
      expect({ company: shown('Company ID'), project: shown('Project ID') }).toEqual({
        company: String(rt.sandbox.company_id),
        project: String(rt.sandbox.project_id),
      });
    } finally {
      await rt.close();
    }
  });
});
