import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layer rule (house.md §3; README "Layout"): which folder of `src/` may import which.
 * - `core/` is pure domain: no database (types from `db/` aside), no web framework, no driver.
 * - `oauth/` (the login service) does not import `api/` (the REST API).
 * - `api/` does not import `oauth/`, `portal/` or `postman/`.
 * - Nothing imports `server/` (the composition root) but the entry points: `cli/`, `lib/` (the
 *   Node library, which `src/index.ts` re-exports) and `server/` itself. Tests beside the code
 *   may (they build the whole app); `test/`, `scripts/` and `bench/` are outside the layers.
 * Checked by `no-restricted-imports`, so `npm run lint` (and CI) fail on a violation. Relative
 * specifiers are matched exactly, per file depth: from `src/api/resources/x/index.ts`,
 * `../../http/query.js` is `src/api/http/`, not `src/http/`.
 */
const LAYERS = {
  api: {
    folders: ['oauth', 'portal', 'postman'],
    why: 'the REST API does not depend on the login service, the portal or the Postman links',
  },
  core: {
    typeOnlyFolders: ['db'],
    packages: ['fastify', '@fastify/*', 'fastify-plugin', 'better-sqlite3', 'pg', 'kysely'],
    why: 'core/ is pure domain (style.md rule 7)',
  },
  oauth: { folders: ['api'], why: 'the login service does not depend on the REST API (the bearer guard is src/api/bearer.ts)' },
};
const ENTRY_POINTS = new Set(['cli', 'lib', 'server']);
const TEST_FILES = ['**/*.test.ts', '**/test/**'];
const MAX_DEPTH = 6;

/** Every folder of `src/` gets the rule, so a new folder cannot slip past it. */
const SRC_FOLDERS = readdirSync(new URL('./src/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

function layerRules() {
  const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '/' ? '\\u002F' : `\\${c}`));
  const blocks = [];
  for (const folder of SRC_FOLDERS) {
    const layer = LAYERS[folder] ?? {};
    const why = layer.why ?? `the layer rule of src/${folder}/ (eslint.config.js)`;
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      // A specifier that climbs exactly to src/ and enters `target`.
      const into = (target) => `^(\\.\\.\\u002F){${depth}}${escape(target)}(\\u002F|$)`;
      const rule = (target, message, allowTypeImports = false) => ({ regex: into(target), allowTypeImports, message });
      const patterns = [
        ...(layer.folders ?? []).map((target) => rule(target, `src/${folder}/ must not import src/${target}/: ${why}.`)),
        ...(layer.typeOnlyFolders ?? []).map((target) =>
          rule(target, `src/${folder}/ must not import src/${target}/ (types aside): ${why}.`, true),
        ),
        ...(layer.packages?.length ? [{ group: layer.packages, message: `${why}: no web framework or database driver.` }] : []),
      ];
      const noServer = rule('server', 'Only the entry points (src/cli/, src/lib/) import src/server/, the composition root.');
      const glob = `src/${folder}/${'*/'.repeat(depth - 1)}*.{ts,tsx}`;
      const restrict = (list) => ({
        'no-restricted-imports': list.length ? ['error', { patterns: list }] : 'off',
        // import('…') is not an import declaration: the same folders, as syntax (values only).
        'no-restricted-syntax': list.some((p) => p.regex)
          ? [
              'error',
              ...list.filter((p) => p.regex).map((p) => ({ selector: `ImportExpression[source.value=/${p.regex}/]`, message: p.message })),
            ]
          : 'off',
      });
      if (!ENTRY_POINTS.has(folder)) blocks.push({ files: [glob], rules: restrict([...patterns, noServer]) });
      // Tests beside the code may build the whole app (server/); the other rules hold for them too.
      blocks.push({ files: TEST_FILES.map((test) => [glob, test]), rules: restrict(patterns) });
    }
  }
  return blocks;
}

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'dist/', 'coverage/', 'artifacts/', '.procore-sandbox/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layerRules(),
);
