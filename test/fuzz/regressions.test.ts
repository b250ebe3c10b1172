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

    // A malformed multipart body (no boundary, a truncated part) made busboy throw an error
    // without a status: the write routes that read form bodies answered 500.
    it.each([
      ['multipart/form-data; boundary=', 'junk without boundaries'],
      ['multipart/form-data; boundary=fuzzBOUNDARY', '--fuzzBOUNDARY\r\nContent-Disposition: form-data; name="a"\r\n\r\ntruncated'],
    ])('a malformed multipart body (%s) is a 400 JSON on form-reading writes', async (type, payload) => {
      for (const url of [
        `/rest/v1.0/projects/${w.A.projectId}/vendors`,
        `/rest/v1.1/punch_items?project_id=${w.A.projectId}`,
        `/rest/v1.0/projects/${w.A.projectId}/uploads`,
      ]) {
        const r = await w.rt.sandboxApp.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${w.A.token}`, 'procore-company-id': String(w.A.companyId), 'content-type': type },
          payload,
        });
        expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
        expect(r.json()).toMatchObject({ code: 400 });
      }
    });
  });
}

// Router errors raised before any hook (a path that is not UTF-8 once decoded, a path segment
// over maxParamLength) left with Fastify's own body, the URL echoed and no nosniff.
describe('router errors answer like every other error', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld('sqlite');
  });
  afterAll(async () => {
    await w?.rt.close();
  });

  it.each([
    ['/rest/v1.0/projects/%ED%A0%80', 400],
    ['/vapid/folders/x%ED%BF%BFy?x=1', 400],
    [`/rest/v1.0/projects/${'9'.repeat(600)}`, 414],
  ])('%s → %i JSON with nosniff and no echo', async (url, status) => {
    for (const method of ['GET', 'POST'] as const) {
      const r = await w.rt.sandboxApp.inject({ method, url, headers: { authorization: `Bearer ${w.A.token}` } });
      // (POST on a GET-only pattern may be the router's 405 first.)
      expect(method === 'POST' && r.statusCode === 405 ? status : r.statusCode).toBe(status);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.json().message).toMatch(/\w/);
      expect(r.body).not.toContain('FST_ERR');
      expect(r.body).not.toContain(url.slice(0, 30));
    }
    const head = await w.rt.productionApp.inject({ method: 'HEAD', url });
    expect(head.statusCode).toBe(status);
    expect(head.body).toBe('');
  });
});

// The portal's 422s carried TypeBox's words ("password: Expected required property").
describe("portal 422s speak the API's words", () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld('sqlite');
  });
  afterAll(async () => {
    await w?.rt.close();
  });

  it.each([
    ['/api/portal/signin', { email: 'developer@example.com' }, 'password'],
    ['/api/portal/signup', { email: 'new@example.com' }, 'password'],
    ['/api/portal/signin', { email: 'developer@example.com', password: 5 }, 'password'],
  ])('POST %s %j → 422 naming the field without validator internals', async (url, body, field) => {
    const r = await w.rt.sandboxApp.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
      payload: JSON.stringify(body),
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().field).toBe(field);
    expect(r.json().message).toMatch(new RegExp(`^${field} `));
    expect(r.body).not.toMatch(/Expected|required property|union/);
  });
});
