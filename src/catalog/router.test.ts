import { describe, expect, it } from 'vitest';
import { pathMatches } from './catalog.js';
import { loadCatalog } from './load.js';
import { compileRouter } from './router.js';

const catalog = loadCatalog();
const router = compileRouter(catalog.operations);

describe('compileRouter', () => {
  it('finds operations with their parameters by the catalogue’s names', () => {
    expect(router.find('GET', '/rest/v1.0/projects/12/rfis/34')).toMatchObject({
      op: { operationId: 'RestV10ProjectsProjectIdRfisIdGet' },
      params: { project_id: '12', id: '34' },
    });
    expect(router.find('get', '/rest/v1.0/projects/12/rfis/34/replies?x=1')?.params).toEqual({ project_id: '12', rfi_id: '34' });
  });

  it('prefers literals, then mixed segments, then whole parameters (as Fastify); per method', () => {
    expect(router.find('GET', '/rest/v1.0/projects/12/rfis/export')?.op.operationId).toBe('RestV10ProjectsProjectIdRfisExportGet');
    expect(router.find('PATCH', '/rest/v1.0/projects/12/rfis/export')?.op.operationId).toBe('RestV10ProjectsProjectIdRfisIdPatch');
    expect(router.find('GET', '/rest/v1.0/projects/12/rfis/34.pdf')).toMatchObject({
      op: { path: '/rest/v1.0/projects/{project_id}/rfis/{id}.pdf' },
      params: { id: '34' },
    });
    expect(router.find('PUT', '/rest/v1.0/projects/12/rfis/34')).toBeNull();
    expect(router.methods('/rest/v1.0/projects/12/rfis/34')).toEqual(['GET', 'PATCH']);
  });

  it('finds every operation from a concrete path of its own; a brute-force scan agrees on the most specific', () => {
    const specificity = (path: string) =>
      path
        .split('/')
        .map((seg) => (!seg.includes('{') ? '2' : /^\{[^}]+\}$/.test(seg) ? '0' : '1'))
        .join('');
    catalog.operations.forEach((op, i) => {
      const path = op.path.replace(/\{(\w+)\}/g, '7');
      const found = router.find(op.method, path)?.op;
      expect(found, `${op.method} ${path}`).toBeDefined();
      if (i % 10) return; // the brute force is quadratic: a tenth of them
      const fits = catalog.operations.filter((o) => o.method === op.method && pathMatches(o.path, path));
      const best = fits.sort((a, b) => (specificity(a.path) < specificity(b.path) ? 1 : -1))[0];
      expect(found?.path, `${op.method} ${path}`).toBe(best?.path);
    });
  });

  it('misses are null, not errors', () => {
    expect(router.find('GET', '/rest/v1.0/nope')).toBeNull();
    expect(router.find('GET', 'rest/v1.0/projects')).toBeNull();
    expect(router.find('GET', '/rest/v1.0/projects//rfis')).toBeNull();
  });
});
