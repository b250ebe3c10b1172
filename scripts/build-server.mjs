/**
 * Bundles the server and CLI (src/) into dist/cli.cjs with esbuild, pure-JavaScript
 * dependencies included (resolving and loading ~150 packages file by file was two thirds of
 * the start-up: importing the bundle takes ~250 ms instead of ~850 ms on the benchmark
 * machine). It is one CommonJS script, loaded through V8's code cache (scripts/load-bundle.mjs);
 * modules imported lazily (the seed-file generator and its PDF/PNG/JPEG libraries, undici) are
 * inlined but evaluated only when first imported. Native addons, optional drivers, build
 * tools and packages that spawn workers from their own files stay external (EXTERNAL). The Node
 * library goes to dist/index.mjs with its dependencies left external (they are the package's
 * own dependencies, shared with the program that imports it). Then writes the seed-file cache
 * (dist/seed-assets.json).
 * `ensureServerBuild()` rebuilds only when a source file is newer than the bundle, so starts
 * stay fast and never run stale code.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_BUNDLE = join(root, 'dist', 'cli.cjs');
/** The Node library (`import { startSandbox } from 'procore-sandbox'`); its types come from `npm run build:types`. */
export const LIBRARY_BUNDLE = join(root, 'dist', 'index.mjs');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function serverBuildIsStale() {
  if (!existsSync(SERVER_BUNDLE) || !existsSync(LIBRARY_BUNDLE)) return true;
  const built = statSync(SERVER_BUNDLE).mtimeMs;
  // The server also bundles the web app's route table (web/src/routes.ts).
  const routes = join(root, 'web', 'src', 'routes.ts');
  const routesMtime = existsSync(routes) ? statSync(routes).mtimeMs : 0;
  return newestMtime(join(root, 'src')) > built || routesMtime > built || statSync(join(root, 'package.json')).mtimeMs > built;
}

/** Loaded from node_modules at run time by the CLI bundle, never bundled. */
const EXTERNAL = [
  'better-sqlite3', // native addon
  'pg-native', // optional native driver `pg` tries to load
  'pino', // transports run in worker threads from pino's own files
  'thread-stream',
  'esbuild',
  'vite',
  'tsx',
  'newman',
  'postman-code-generators',
  'playwright-core',
  'fsevents',
];

/** Used only after start-up (the explorer's network client, the seed-file art): left out of the CLI bundle. */
const LAZY_EXTERNAL = ['undici', 'pdf-lib', 'pngjs', 'jpeg-js'];

export async function buildServer() {
  const { build } = await import('esbuild');
  const common = {
    outdir: join(root, 'dist'),
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  };
  // The CLI is one CommonJS script, so that bin/procore-sandbox.mjs can compile it with V8's code
  // cache (scripts/load-bundle.mjs); Node 20 has no code cache for ES modules. Its lazily
  // imported modules (seed-file art, undici) are inlined and evaluated only when first imported.
  await build({
    ...common,
    entryPoints: { cli: join(root, 'src', 'cli', 'main.ts') },
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    splitting: false,
    // No comments or indentation: a third less source to read at every start (the source map
    // keeps the lines), and no non-ASCII bytes, so the loader can read it as Latin-1.
    minifyWhitespace: true,
    legalComments: 'none',
    // Libraries only the lazily imported modules use load from node_modules on first use.
    external: [...EXTERNAL, ...LAZY_EXTERNAL],
    define: { 'import.meta.url': '__bundle_url' },
    banner: { js: "const __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  });
  // The seed-file cache writer, run once below at build time.
  await build({
    ...common,
    entryPoints: { 'build-assets': join(root, 'src', 'cli', 'build-assets.ts') },
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL,
    // Bundled CommonJS packages call require() for Node built-ins and JSON files.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  await build({
    ...common,
    entryPoints: { index: join(root, 'src', 'index.ts') },
    chunkNames: 'chunks/lib/[name]-[hash]',
    packages: 'external',
  });
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [join(root, 'dist', 'build-assets.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function ensureServerBuild() {
  if (serverBuildIsStale()) await buildServer();
  return SERVER_BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
