/** Build step: writes the seed-file cache (`dist/seed-assets.json`) next to the server bundle. */
import { generateSeedAssets } from '../core/seed/assets.js';
import { SEED_ASSET_CACHE, writeSeedAssetCache } from '../services/seed-assets.js';

writeSeedAssetCache(await generateSeedAssets());
process.stdout.write(`seed assets cached in ${SEED_ASSET_CACHE}\n`);
