/**
 * Loads the catalogue: `dist/catalog.json` (written by the build, ~15 ms to parse) when it was
 * compiled from the vendored `reference/procore-2026/catalog.json` as it is now, otherwise a
 * fresh compile from the reference files (~100–150 ms, e.g. in tests before a build).
 *
 * @example
 * const catalog = loadCatalog();
 * catalog.operation('RestV10ProjectsProjectIdRfisGet')?.filters.map((f) => f.key);
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalog } from './catalog.js';
import { compileCatalog, hashSource } from './compile.js';
import type { CompiledCatalog } from './types.js';

/** Walks up from this module to the folder holding `reference/procore-2026/catalog.json`. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'reference', 'procore-2026', 'catalog.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('procore-sandbox: reference/procore-2026/catalog.json not found');
    dir = parent;
  }
}

export interface CatalogPaths {
  /** `reference/procore-2026`. */
  reference: string;
  /** `dist/catalog.json`. */
  compiled: string;
}

let paths: CatalogPaths | undefined;

export function catalogPaths(): CatalogPaths {
  if (!paths) {
    const root = findRoot();
    paths = { reference: join(root, 'reference', 'procore-2026'), compiled: join(root, 'dist', 'catalog.json') };
  }
  return paths;
}

function readCompiled(file: string, sourceHash: string): CompiledCatalog | null {
  if (!existsSync(file)) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as CompiledCatalog;
    return data.v === 1 && data.sourceHash === sourceHash && Array.isArray(data.operations) ? data : null;
  } catch {
    return null; // a torn or foreign file: compile afresh
  }
}

/** The compiled data, from `dist/` when fresh, else compiled from `reference/`. */
export function loadCompiledCatalog(p: CatalogPaths = catalogPaths()): CompiledCatalog {
  const sourceHash = hashSource(readFileSync(join(p.reference, 'catalog.json')));
  return readCompiled(p.compiled, sourceHash) ?? compileCatalog(p.reference);
}

let cached: Catalog | undefined;

/** The catalogue, loaded once per process. */
export function loadCatalog(): Catalog {
  cached ??= new Catalog(loadCompiledCatalog());
  return cached;
}

/** Build step: compiles the reference files into `dist/catalog.json`; returns its path. */
export function writeCompiledCatalog(p: CatalogPaths = catalogPaths()): string {
  const compiled = compileCatalog(p.reference);
  mkdirSync(dirname(p.compiled), { recursive: true });
  writeFileSync(p.compiled, JSON.stringify(compiled));
  return p.compiled;
}
