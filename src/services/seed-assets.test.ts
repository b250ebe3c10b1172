import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSeedAssets } from '../seed-art/index.js';
import { readSeedAssetCache, writeSeedAssetCache } from './seed-assets.js';

describe('seed asset cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'psb-assets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips every file byte for byte', async () => {
    const assets = await generateSeedAssets();
    const path = join(dir, 'cache.json');
    writeSeedAssetCache(assets, path);
    const back = readSeedAssetCache(path);
    expect(back).not.toBeNull();
    expect(back!.sandboxPhoto.image.data.equals(assets.sandboxPhoto.image.data)).toBe(true);
    expect(back!.sandboxPhoto.width).toBe(assets.sandboxPhoto.width);
    for (const [key, file] of Object.entries(assets.documents)) expect(back!.documents[key]!.data.equals(file.data)).toBe(true);
    for (const [key, sheet] of Object.entries(assets.drawings)) expect(back!.drawings[key]!.pdf.data.equals(sheet.pdf.data)).toBe(true);
  });

  it('ignores a cache written for other generator sources, or a damaged one', () => {
    const stale = join(dir, 'stale.json');
    writeFileSync(stale, JSON.stringify({ key: 'other', assets: {} }));
    expect(readSeedAssetCache(stale)).toBeNull();
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"key":');
    expect(readSeedAssetCache(broken)).toBeNull();
    expect(readSeedAssetCache(join(dir, 'missing.json'))).toBeNull();
  });
});
