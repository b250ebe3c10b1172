/**
 * Build step: writes the seed-file cache (`dist/seed-assets.json`) and the compiled catalogue of
 * Procore's API (`dist/catalog.json`, see `src/catalog/load.ts`) next to the server bundle.
 */
import { writeCompiledCatalog } from '../catalog/load.js';
import { generateSeedAssets } from '../seed-art/index.js';
import { SEED_ASSET_CACHE, writeSeedAssetCache } from '../services/seed-assets.js';

writeSeedAssetCache(await generateSeedAssets());
process.stdout.write(`seed assets cached in ${SEED_ASSET_CACHE}\n`);
process.stdout.write(`catalogue compiled to ${writeCompiledCatalog()}\n`);
