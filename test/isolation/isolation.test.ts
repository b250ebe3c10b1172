/**
 * Tenant isolation (security.md G1–G4 as docs/testing.md states them), generated from the route
 * registry by `matrix.ts`, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/runtime.js';
import { createWorld, type World } from '../helpers/world.js';
import { runMatrix } from './matrix.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`tenant isolation matrix on ${engine.name}`, () => {
    let world: World;
    beforeAll(async () => {
      world = await createWorld(engine.name);
    });
    afterAll(async () => {
      await world?.rt.close();
    });

    it("never answers A's token with B's data, for every API route and every place an id goes", async () => {
      const r = await runMatrix(world);
      console.log(
        `isolation ${engine.name}: ${r.cases} cases ${JSON.stringify(r.byPlace)}, ${r.controlsOk} read controls succeeded, ${r.controlsWeak.length} weak, ${r.failures.length} failures`,
      );
      for (const w of r.controlsWeak.slice(0, 10)) console.log(`  weak control: ${w}`);
      expect(r.cases).toBeGreaterThan(300);
      expect(r.failures.map((f) => `${f.case}: ${f.problem}`)).toEqual([]);
      // The controls prove the cases reach the handlers: nearly every read works with A's own ids.
      expect(r.controlsWeak).toEqual([]);
    }, 300_000);
  });
}
