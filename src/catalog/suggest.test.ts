import { describe, expect, it } from 'vitest';
import { loadCatalog } from './load.js';
import { routeNotFoundHints, SUGGESTIONS_PER_SECOND } from './not-found.js';
import { editDistance, suggestOperations } from './suggest.js';

const ops = loadCatalog().operations;
const top = (method: string, url: string) => suggestOperations(ops, method, url).map((s) => s.display);

describe('suggestOperations', () => {
  it('edit distance of path segments', () => {
    expect(editDistance('rfi', 'rfis')).toBe(1);
    expect(editDistance('submittal', 'submittals')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3); // bounded: "more than 2"
  });

  it('a singular resource name finds the plural, ids carried over', () => {
    expect(top('GET', '/rest/v1.0/projects/12/rfi')[0]).toBe('GET /rest/v1.0/projects/12/rfis');
    expect(top('GET', '/rest/v1.0/projects/12/submittal/3')[0]).toBe('GET /rest/v1.0/projects/12/submittals/3');
  });

  it('another version prefix finds the operation where it exists, with its required query', () => {
    expect(top('GET', '/rest/v1.2/projects')[0]).toBe('GET /rest/v1.0/projects?company_id=');
    expect(top('GET', '/rest/v1.0/users?company_id=7')).toContain('GET /rest/v1.3/users?company_id=7');
  });

  it('a missing parent segment, a wrong method, /vapid', () => {
    expect(top('GET', '/rest/v1.0/project/12/rfis')[0]).toBe('GET /rest/v1.0/projects/12/rfis');
    expect(top('PUT', '/rest/v1.0/projects/5/rfis/9')).toEqual(
      expect.arrayContaining(['PATCH /rest/v1.0/projects/5/rfis/9', 'GET /rest/v1.0/projects/5/rfis/9']),
    );
    expect(top('GET', '/vapid/projects/12/rfis')[0]).toBe('GET /rest/v1.0/projects/12/rfis');
  });

  it('never suggests the very operation requested, and nothing for nonsense', () => {
    expect(top('GET', '/rest/v1.1/projects')).not.toContain('GET /rest/v1.1/projects?company_id=');
    expect(top('GET', '/rest/v1.0/qqqqqq/zzzzzz/xxxxxx/wwwwww')).toEqual([]);
    expect(top('GET', `/rest/v1.0/${'a/'.repeat(40)}`)).toEqual([]);
  });

  it('served operations rank first when the caller says which are served', () => {
    const served = (_m: string, p: string) => p === '/rest/v1.0/projects/{project_id}/rfis';
    const s = suggestOperations(ops, 'GET', '/rest/v1.0/projects/12/rfi', { isServed: served, limit: 5 });
    expect(s[0]?.display).toBe('GET /rest/v1.0/projects/12/rfis');
  });

  it('the login service is compared only with the login service', () => {
    expect(top('POST', '/oauth/tokens')[0]).toBe('POST /oauth/token');
  });

  it('the catalogue names the exact operation of a request', () => {
    expect(loadCatalog().match('GET', '/rest/v1.1/projects?company_id=1')?.operationId).toBe('RestV11ProjectsGet');
    expect(loadCatalog().match('GET', '/rest/v1.0/projects/1/rfi')).toBeUndefined();
  });
});

describe('routeNotFoundHints', () => {
  it('gives no hints for an overlong request line', () => {
    expect(routeNotFoundHints('GET', `/rest/v1.1/projects?x=${'a'.repeat(3000)}`)).toEqual({ did_you_mean: [] });
  });

  it('names a real operation not served and stops computing past its budget per second', () => {
    const t = 1_000_000;
    expect(routeNotFoundHints('GET', '/rest/v1.1/projects', undefined, t)).toMatchObject({
      not_served: 'GET /rest/v1.1/projects (RestV11ProjectsGet)',
    });
    for (let i = 1; i < SUGGESTIONS_PER_SECOND; i++) routeNotFoundHints('GET', `/rest/v1.0/projects/${i}/rfi`, undefined, t);
    expect(routeNotFoundHints('GET', '/rest/v1.0/projects/99999/rfi', undefined, t)).toEqual({ did_you_mean: [] });
    // Cached answers still answer; a new second has a new budget.
    expect(routeNotFoundHints('GET', '/rest/v1.0/projects/1/rfi', undefined, t).did_you_mean[0]).toBe('GET /rest/v1.0/projects/1/rfis');
    expect(routeNotFoundHints('GET', '/rest/v1.0/projects/99999/rfi', undefined, t + 1000).did_you_mean[0]).toBe(
      'GET /rest/v1.0/projects/99999/rfis',
    );
  });
});
