// Builds the web app into web/dist when it is missing or older than its sources. Used by
// `bin/procore-sandbox.mjs start` and the browser tests; a fresh build costs only a few stat calls.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('.', import.meta.url));
export const distIndex = join(webDir, 'dist', 'index.html');

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist is missing or older than web/src, web/public, index.html or vite.config.ts. */
export function webBuildIsStale() {
  if (!existsSync(distIndex)) return true;
  const built = statSync(distIndex).mtimeMs;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(webDir, p)).filter((p) => existsSync(p));
  return sources.some((p) => newestMtime(p) > built);
}

/**
 * Runs `vite build` in-process when the build is stale. Returns 'fresh', 'built', or
 * 'unavailable' (vite is a dev dependency: an installed package ships web/dist instead).
 */
export async function ensureWebBuild({ log = () => {} } = {}) {
  if (!existsSync(join(webDir, 'src'))) return existsSync(distIndex) ? 'fresh' : 'unavailable';
  if (!webBuildIsStale()) return 'fresh';
  let vite;
  try {
    vite = await import('vite');
  } catch {
    return 'unavailable';
  }
  log('Building the web app (web/dist)…');
  await vite.build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}
