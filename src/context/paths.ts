/**
 * The package's root folder (where package.json is), found by walking up from this module.
 * Works from the TypeScript sources and from the bundled `dist/` alike, so use it instead of
 * `import.meta.url`-relative paths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'procore-sandbox') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('procore-sandbox: package.json not found');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot();

export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
