/** docs/coverage.md is generated (`npm run coverage:doc`): this fails when the committed file is stale. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { COVERAGE_DOC, generateCoverageDoc } from '../../scripts/coverage.js';

it('docs/coverage.md matches the catalogue, the routes, the tests and the connector lists', async () => {
  const fresh = (await generateCoverageDoc()).split('\n');
  const committed = readFileSync(COVERAGE_DOC, 'utf8').split('\n');
  let first = fresh.findIndex((line, n) => line !== committed[n]);
  if (first < 0 && fresh.length !== committed.length) first = fresh.length;
  const hint =
    first < 0
      ? ''
      : `docs/coverage.md is stale at line ${first + 1} (run \`npm run coverage:doc\`):\n  committed: ${committed[first]}\n  now:       ${fresh[first]}`;
  expect(first, hint).toBe(-1);
});
