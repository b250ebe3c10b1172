/**
 * "A wrong route says what it meant": a path that matches no route answers Procore's 404 body
 * plus the nearest operations of the catalogue, on every API prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../api/fixture.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(async () => {
  await f.rt.close();
});

interface NotFound {
  code: number;
  message: string;
  error: string;
  did_you_mean: string[];
  not_served?: string;
}

describe('route not found', () => {
  it('a misspelt resource suggests the real one, with the request’s own ids', async () => {
    const res = await f.get(`/rest/v1.0/projects/${f.projectId}/rfi`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json() as NotFound;
    expect(body).toMatchObject({ code: 404, message: `Route GET /rest/v1.0/projects/${f.projectId}/rfi not found`, error: 'Not Found' });
    expect(body.did_you_mean[0]).toBe(`GET /rest/v1.0/projects/${f.projectId}/rfis`);
    expect(body.not_served).toBeUndefined();
    // The suggestion is a route that answers.
    const [method, path] = (body.did_you_mean[0] as string).split(' ') as [string, string];
    expect((await f.call(method as 'GET', path)).statusCode).toBe(200);
  });

  it('a catalogued operation no declaration serves is answered, not a route 404', async () => {
    // Pipedream's project picker: GET /rest/v1.1/projects (the declared v1.0 list's rows).
    const res = await f.get(`/rest/v1.1/projects?company_id=${f.companyId}`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as { id: number }[]).map((p) => p.id)).toContain(f.projectId);
  });

  it('required query parameters the request lacks are shown empty', async () => {
    const body = (await f.get('/rest/v1.0/project')).json() as NotFound;
    expect(body.did_you_mean).toContain('GET /rest/v1.0/projects?company_id=');
  });

  it('a write to a misspelt path suggests the same write on the real one', async () => {
    const res = await f.call('POST', `/rest/v1.0/projects/${f.projectId}/rfi`, { payload: { rfi: { subject: 'x' } } });
    expect(res.statusCode).toBe(404);
    expect((res.json() as NotFound).did_you_mean[0]).toBe(`POST /rest/v1.0/projects/${f.projectId}/rfis`);
  });

  it('legacy /vapid paths get suggestions too', async () => {
    const body = (await f.get(`/vapid/projects/${f.projectId}/submittal`, { company: false })).json() as NotFound;
    expect(body.code).toBe(404);
    expect(body.did_you_mean.some((s) => s.startsWith(`GET /rest/v1.0/projects/${f.projectId}/submittals`))).toBe(true);
  });

  it('a v2.0 path without its /companies/{company_id} is read with the Procore-Company-Id header', async () => {
    const body = (await f.get(`/rest/v2.0/projects/${f.projectId}/prime_contracts`)).json() as NotFound;
    expect(body.did_you_mean[0]).toBe(`GET /rest/v2.0/companies/${f.companyId}/projects/${f.projectId}/prime_contracts`);
  });

  it('other version prefixes (v2.0) answer the same shape', async () => {
    const body = (await f.get(`/rest/v2.0/companies/${f.companyId}/projects/${f.projectId}/prime_contract`)).json() as NotFound;
    expect(body.code).toBe(404);
    expect(body.did_you_mean[0]).toBe(`GET /rest/v2.0/companies/${f.companyId}/projects/${f.projectId}/prime_contracts`);
  });

  it('nonsense gets an empty list, not a guess; an overlong path gets none and no error', async () => {
    const body = (await f.get('/rest/v1.0/zzzzqqqq/xxxxyyyy/wwwwvvvv/uuuuttt')).json() as NotFound;
    expect(body).toMatchObject({ code: 404, error: 'Not Found', did_you_mean: [] });
    const long = await f.get(`/rest/v1.0/${'a/'.repeat(400)}b`);
    expect(long.statusCode).toBe(404);
    expect((long.json() as NotFound).did_you_mean).toEqual([]);
  });

  it('paths outside the API keep the server-wide 404 without suggestions', async () => {
    const res = await f.rt.sandboxApp.inject({ method: 'GET', url: '/no-such-page.json' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).not.toHaveProperty('did_you_mean');
  });
});
