/**
 * The route registry the fuzz and isolation suites are generated from (`app.routeRegistry`,
 * `test/helpers/registry.ts`) holds every route: each operation of the OpenAPI document, the
 * OAuth, portal and Postman routes, with the API operations' schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCases } from '../helpers/registry.js';
import { createTestRuntime, type TestRuntime } from '../helpers/runtime.js';

describe('route registry', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('lists every operation of the OpenAPI document with its schemas', async () => {
    const doc = (await rt.sandboxApp.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const cases = routeCases(rt.sandboxApp, 'sandbox');
    const byKey = new Map(cases.map((c) => [`${c.method} ${c.url}`, c]));
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // Catalogue operations answered by the generic engine's catch-all (src/api/openapi.ts).
        if ((op as Record<string, unknown>)['x-procore-sandbox']) continue;
        operations++;
        const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        expect(byKey.has(key), key).toBe(true);
      }
    }
    expect(operations).toBeGreaterThan(50);
    const rfiCreate = byKey.get('POST /rest/v1.0/projects/:project_id/rfis');
    expect(rfiCreate?.body?.root).toBe('rfi');
    expect(rfiCreate?.params).toEqual(['project_id']);
    expect(byKey.get('GET /rest/v1.0/projects/:project_id/rfis')?.query).toContain('filters[assigned_id]');
  });

  it('holds the routes outside the API too, on both listeners', () => {
    const urls = new Set(routeCases(rt.sandboxApp, 'sandbox').map((c) => c.url));
    for (const u of ['/oauth/token', '/oauth/authorize', '/api/portal/apps/:id', '/postman/:token/collection.json', '/health'])
      expect(urls, u).toContain(u);
    const production = new Set(routeCases(rt.productionApp, 'production').map((c) => c.url));
    expect(production).toContain('/oauth/token');
    expect(production).not.toContain('/api/portal/apps');
  });
});
