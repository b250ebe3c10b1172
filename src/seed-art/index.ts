/**
 * The real binary files a seeded sandbox stores: a photo of a children's sandbox (JPEG), the drawing
 * sheets (vector PDF, PNG rendering, PNG thumbnail) and the project documents (PDF, text, CSV, PNG).
 *
 * Everything is drawn from code, deterministically: no clock, no randomness (textures come from an
 * integer hash), fixed PDF dates and metadata, so every call yields the same bytes. PDFs are
 * compressed by pdf-lib's bundled pako and JPEGs by jpeg-js (pure JS, portable); PNGs are deflated
 * by Node's zlib, stable for a given Node build. `loadSeedAssets()` generates once per process.
 * One file per picture: `photo.ts`, `drawings.ts`, `site-logistics.ts`, `documents.ts`, over the
 * shared `raster.ts`, `sheet.ts` and `color.ts`.
 */
import type { AssetFile, DrawingSheetAssets, SeedAssets } from '../core/seed/assets-types.js';
import { DOCUMENT_FILES, DRAWING_SHEETS } from '../core/seed/content.js';
import { encodePng } from './raster.js';
import { renderSheetRaster } from './sheet.js';
import { drawingSheetAssets } from './drawings.js';
import { siteLogisticsSheet } from './site-logistics.js';
import { renderSandboxPhotoAssets } from './photo.js';
import { concreteSpecPdf, meetingMinutesText, primeContractPdf, projectDirectoryCsv } from './documents.js';

// ---------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------

export let memo: Promise<SeedAssets> | undefined;

/** The seed's binary assets, generated on first use and shared for the rest of the process. */
export function loadSeedAssets(): Promise<SeedAssets> {
  memo ??= generateSeedAssets().catch((err: unknown) => {
    memo = undefined;
    throw err;
  });
  return memo;
}

/** Generates every asset afresh (not memoized). Deterministic: same bytes on every call. */
export async function generateSeedAssets(): Promise<SeedAssets> {
  const sandboxPhoto = renderSandboxPhotoAssets();
  const drawings: Record<string, DrawingSheetAssets> = {};
  for (const [i, spec] of DRAWING_SHEETS.entries()) {
    drawings[spec.number] = await drawingSheetAssets(spec, i + 1, DRAWING_SHEETS.length);
  }
  const documents: Record<string, AssetFile> = {
    primeContract: file('primeContract', await primeContractPdf()),
    specConcrete: file('specConcrete', await concreteSpecPdf()),
    meetingMinutes: file('meetingMinutes', Buffer.from(meetingMinutesText(), 'utf8')),
    projectDirectory: file('projectDirectory', Buffer.from(projectDirectoryCsv(), 'utf8')),
    sitePlan: file('sitePlan', encodePng(renderSheetRaster(siteLogisticsSheet(), 1200, 800), false)),
  };
  return { sandboxPhoto, drawings, documents };
}

export function file(key: keyof typeof DOCUMENT_FILES, data: Buffer): AssetFile {
  const { filename, contentType } = DOCUMENT_FILES[key];
  return { filename, contentType, data };
}
