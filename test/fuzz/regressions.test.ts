/**
 * Defects the fuzz suite found that issue #8 did not list, pinned as plain regression tests on
 * both engines (docs/testing.md, "Found by the suites").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/runtime.js';
import { createWorld, type World } from '../helpers/world.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`fuzz findings on ${engine.name}`, () => {
    let w: World;
    beforeAll(async () => {
      w = await createWorld(engine.name);
    });
    afterAll(async () => {
      await w?.rt.close();
    });
    const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      w.rt.sandboxApp.inject({
        method,
        url,
        headers: { authorization: `Bearer ${w.A.token}`, 'procore-company-id': String(w.A.companyId) },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

    // Inherited Object.prototype names passed the `in` check, were stored, and every later
    // serialization of that submittal (and so the whole list) answered 500.
    it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
      'a submittal type named %s is a 422 and stores nothing',
      async (type) => {
        const before = await w.rt.ctx.db.selectFrom('submittals').select('id').where('sandbox_id', '=', w.A.sandbox.id).execute();
        const r = await call('POST', `/rest/v1.0/projects/${w.A.projectId}/submittals`, { submittal: { number: 'S-1', type } });
        expect(r.statusCode).toBe(422);
        expect(r.json().errors).toHaveProperty('type');
        const after = await w.rt.ctx.db.selectFrom('submittals').select('id').where('sandbox_id', '=', w.A.sandbox.id).execute();
        expect(after).toHaveLength(before.length);
        expect((await call('GET', `/rest/v1.0/projects/${w.A.projectId}/submittals`)).statusCode).toBe(200);
      },
    );
  });
}
