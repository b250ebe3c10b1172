/**
 * `npm run coverage:doc`: writes `docs/coverage.md` — every operation of Procore's catalogue ×
 * served × modelled × tested (rules in the document) — from the catalogue, the routes of the
 * built app, the resource declarations, the test files and the connector lists.
 * `test/catalog/coverage-doc.test.ts` compares the committed file with a fresh render.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prefixOf } from '../src/api/resource.js';
import { RESOURCES } from '../src/api/resources/index.js';
import { normalizeTemplate } from '../src/catalog/catalog.js';
import { extractPathLiterals, literalMatches, renderCoverage, type ConnectorCoverage, type PathLiteral } from '../src/catalog/coverage.js';
import { loadCatalog } from '../src/catalog/load.js';
import type { CatalogOperation } from '../src/catalog/types.js';
import { createRuntime } from '../src/server/runtime.js';
import { declaredAnswer, declaredFor } from '../src/api/generic/declared.js';
import { planOf } from '../src/api/generic/plan.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const COVERAGE_DOC = join(ROOT, 'docs', 'coverage.md');

/** Suites about the catalogue and connectors themselves: their paths test routing, not operations. */
const EXCLUDED = ['src/catalog/', 'test/catalog/', 'test/connectors/'];
const VERBS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function connectors(): ConnectorCoverage[] {
  const dir = join(ROOT, 'test', 'connectors');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<ConnectorCoverage, 'file'>) }));
}

/** Why the generic engine refuses an operation (405), or null when it answers it. */
function notModelled(op: CatalogOperation): string | null {
  if (op.version === null) return 'not on a /rest prefix';
  const plan = planOf(op);
  const key = declaredFor(RESOURCES, plan);
  if (!key || declaredAnswer(key, plan) !== null) return null;
  return `routed, refused with 405: \`${plan.resource.key}\` is a hand declaration whose rows the generic engine does not write`;
}

export async function generateCoverageDoc(): Promise<string> {
  const catalog = loadCatalog();
  const runtime = await createRuntime({ db: ':memory:', bootstrap: false });
  try {
    const app = runtime.sandboxApp;
    // The built app's routes (onRoute registry), by method and parameter-blind pattern.
    const routes = new Set<string>();
    const extraRoutes: string[] = [];
    let vapid = 0;
    for (const route of app.routeRegistry)
      for (const method of route.methods) {
        if (!VERBS.has(method) || route.url.includes('*')) continue;
        routes.add(`${method} ${normalizeTemplate(route.url)}`);
        if (route.url.startsWith('/vapid/')) vapid++;
        else if (route.url.startsWith('/rest/') && !catalog.byRoute(method, route.url))
          extraRoutes.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
      }
    // Modelled: served through a resource declaration (all of today's are over stored state).
    const declared = new Set<string>();
    for (const resource of RESOURCES)
      for (const op of resource.operations)
        for (const version of op.versions ?? ['v1.0', 'vapid'])
          if (version !== 'vapid') declared.add(`${op.method} ${normalizeTemplate(`${prefixOf(version)}${op.path}`)}`);

    const literals: PathLiteral[] = [];
    for (const file of [...testFiles(join(ROOT, 'src')), ...testFiles(join(ROOT, 'test'))]) {
      const rel = relative(ROOT, file).split('\\').join('/');
      if (EXCLUDED.some((e) => rel.startsWith(e))) continue;
      literals.push(...extractPathLiterals(readFileSync(file, 'utf8')));
    }

    return renderCoverage({
      operations: catalog.operations,
      served: (op) => routes.has(`${op.method} ${normalizeTemplate(op.path)}`),
      // The generic engine: every /rest operation, except writes on a hand-declared resource it refuses (405).
      generated: (op) => op.version !== null && notModelled(op) === null,
      reason: (op) => notModelled(op),
      modelled: (op) => declared.has(`${op.method} ${normalizeTemplate(op.path)}`),
      tested: (op) => literals.some((l) => literalMatches(l, op)),
      connectors: connectors(),
      extraRoutes: [...new Set(extraRoutes)].sort(),
      vapidTwins: vapid,
    });
  } finally {
    await runtime.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = await generateCoverageDoc();
  writeFileSync(COVERAGE_DOC, doc);
  process.stdout.write(`${relative(process.cwd(), COVERAGE_DOC)} written\n`);
}
