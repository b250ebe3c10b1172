/**
 * Loads the CommonJS CLI bundle (dist/cli.cjs) through V8's code cache. Compiling the 6 MB
 * bundle, and each function the start path calls, was a fifth of the start-up
 * (docs/decisions/0003-fast-path.md); with the cache V8 deserializes that code instead.
 *
 * The cache (`<bundle>.v8cache`, beside the bundle, never packed) is written by the first
 * process that finds it missing, stale or rejected, a few seconds after the bundle was loaded
 * so that the functions of start-up and of the first requests are in it. It is keyed by the
 * bundle's size and mtime and Node's version; V8 itself also rejects data of another V8 or
 * other flags, and the bundle then compiles as usual. A cache that cannot be written (a
 * read-only install) is no error.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/** How long after loading the cache is written (start-up and first requests have run by then). */
const WRITE_AFTER_MS = 3000;

function readCache(file, key) {
  try {
    const data = readFileSync(file);
    const newline = data.indexOf(10);
    if (newline > 0 && data.subarray(0, newline).toString() === key) return data.subarray(newline + 1);
  } catch {
    // no cache yet
  }
  return undefined;
}

/** The bundle's `module.exports`. */
export function loadBundle(bundle) {
  const bytes = readFileSync(bundle);
  // The bundle is ASCII (scripts/build-server.mjs): Latin-1 decoding skips UTF-8's validation.
  const source = isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
  const stat = statSync(bundle);
  const cacheFile = `${bundle}.v8cache`;
  const key = `${process.version} ${process.arch} ${stat.size} ${stat.mtimeMs}`;
  const cachedData = readCache(cacheFile, key);
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    setTimeout(() => {
      try {
        const temp = `${cacheFile}.${process.pid}`;
        writeFileSync(temp, Buffer.concat([Buffer.from(`${key}\n`), script.createCachedData()]));
        renameSync(temp, cacheFile);
      } catch {
        // read-only or gone: the next start compiles again
      }
    }, WRITE_AFTER_MS).unref();
  }
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return module.exports;
}
