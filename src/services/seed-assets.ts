/**
 * The seed's binary files, generated once per process, or read from the cache the build writes
 * (`dist/seed-assets.json`), so the first start does not spend half a second drawing pictures.
 * The cache is used only when its key matches the generator's sources, so it is never stale.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedAssets } from '../core/seed/assets-types.js';
import { PACKAGE_ROOT } from '../context/paths.js';

export const SEED_ASSET_CACHE = join(PACKAGE_ROOT, 'dist', 'seed-assets.json');
const GENERATOR_SOURCES = ['assets.ts', 'assets-types.ts', 'content.ts'].map((f) => join(PACKAGE_ROOT, 'src', 'core', 'seed', f));

/** Hash of the generator's sources plus the Node version (PNG bytes depend on zlib). */
export function seedAssetsKey(): string {
  const h = createHash('sha256').update(process.versions.node);
  for (const file of GENERATOR_SOURCES) h.update(existsSync(file) ? readFileSync(file) : file);
  return h.digest('hex');
}

type Serialized = { key: string; assets: unknown };

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { $base64?: unknown }).$base64 !== undefined) {
    return Buffer.from((value as { $base64: string }).$base64, 'base64');
  }
  return value;
}

export function readSeedAssetCache(path = SEED_ASSET_CACHE): SeedAssets | null {
  try {
    if (!existsSync(path)) return null;
    const parsed = JSON.parse(readFileSync(path, 'utf8'), revive) as Serialized;
    return parsed.key === seedAssetsKey() ? (parsed.assets as SeedAssets) : null;
  } catch {
    return null;
  }
}

export function writeSeedAssetCache(assets: SeedAssets, path = SEED_ASSET_CACHE): void {
  const replacer = function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return Buffer.isBuffer(raw) ? { $base64: raw.toString('base64') } : value;
  };
  writeFileSync(path, JSON.stringify({ key: seedAssetsKey(), assets } satisfies Serialized, replacer));
}

let memo: Promise<SeedAssets> | null = null;

/** The seed files: from the build cache when it matches, else generated (once per process). */
export function getSeedAssets(): Promise<SeedAssets> {
  memo ??= (async () => {
    const cached = readSeedAssetCache();
    if (cached) return cached;
    const { loadSeedAssets } = await import('../seed-art/index.js');
    return loadSeedAssets();
  })().catch((err: unknown) => {
    memo = null;
    throw err;
  });
  return memo;
}
