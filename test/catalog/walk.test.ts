/**
 * Issue #12's done-when: every operation of the catalogue walked against a fresh sandbox
 * (`walk.ts`): ≥ 95 % routed, no 5xx, round trips consistent, answers valid against the 2017
 * definitions, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../api/fixture.js';
import { ENGINES } from '../helpers/runtime.js';
import { walkCatalogue, type WalkResult } from './walk.js';

export function report(engine: string, r: WalkResult): string {
  const versions = Object.entries(r.byVersion)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([v, t]) => `${v} ${t.routed}/${t.total}`)
    .join(' · ');
  return [
    `${engine}: ${r.routed}/${r.total} routed (${((100 * r.routed) / r.total).toFixed(1)} %) in ${r.ms} ms — ${versions}`,
    `statuses ${JSON.stringify(r.statuses)}; 5xx ${r.fiveHundreds.length}`,
    `round trips ${r.roundTrips.consistent}/${r.roundTrips.attempted}; 2017 definitions ${r.definitions.valid}/${r.definitions.checked}`,
    ...r.refused.slice(0, 30).map((u) => `refused ${u}`),
    ...r.unrouted.slice(0, 20).map((u) => `unrouted ${u.op}`),
    ...r.fiveHundreds.slice(0, 10).map((u) => `5xx ${u.op}: ${u.body}`),
    ...r.roundTrips.failures.slice(0, 10).map((u) => `round trip ${u}`),
    ...r.definitions.failures.slice(0, 10).map((u) => `definition ${u}`),
  ].join('\n');
}

export function expectWalk(r: WalkResult): void {
  expect(r.fiveHundreds, 'no operation answers 5xx').toEqual([]);
  expect(r.routed / r.total, 'share routed').toBeGreaterThanOrEqual(0.95);
  expect(r.roundTrips.failures, 'round trips').toEqual([]);
  expect(r.roundTrips.attempted).toBeGreaterThan(0);
  expect(r.definitions.failures, 'answers valid against the 2017 definitions').toEqual([]);
}

for (const engine of ENGINES)
  describe.skipIf(!engine.available)(`${engine.name}: the catalogue walk`, () => {
    let f: ApiFixture;
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
    });
    afterAll(async () => {
      await f?.rt.close();
    });

    it(
      engine.name === 'sqlite' ? 'walks every operation' : 'walks a sample of the resources (the whole in the long suite)',
      async () => {
        const r = await walkCatalogue(f, engine.name === 'sqlite' ? {} : { sample: 7 });
        console.log(report(engine.name, r));
        if (engine.name === 'sqlite') expect(r.total).toBe(2632);
        expectWalk(r);
      },
      240_000,
    );
  });
