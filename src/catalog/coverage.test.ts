import { describe, expect, it } from 'vitest';
import { extractPathLiterals, literalMatches, renderCoverage } from './coverage.js';
import { loadCatalog } from './load.js';

const catalog = loadCatalog();
const op = (id: string) => {
  const o = catalog.operation(id);
  if (!o) throw new Error(id);
  return o;
};

describe('path literals of test files', () => {
  it('reads prefixes, interpolations, {params} and the method named before the literal', () => {
    const src = [
      'const a = await f.get(`/rest/v1.0/projects/${f.projectId}/rfis?per_page=3`);',
      "const b = await f.call('POST', `${P}/submittals`, { payload });",
      'const c = await app.inject({',
      "  method: 'PATCH',",
      '  url: `/rest/v1.0/projects/${id}/rfis/${rfi}`,',
      '});',
      "client.get({ base: '/projects/{project_id}/rfis' });",
      "const v = await f.get('/vapid/me');",
      "const t = 'not a path';",
    ].join('\n');
    expect(extractPathLiterals(src)).toEqual([
      { method: 'GET', prefix: '/rest/v1.0', openHead: false, segments: ['projects', '*', 'rfis'] },
      { method: 'POST', prefix: null, openHead: true, segments: ['submittals'] },
      { method: 'PATCH', prefix: '/rest/v1.0', openHead: false, segments: ['projects', '*', 'rfis', '*'] },
      { method: 'GET', prefix: null, openHead: false, segments: ['projects', '*', 'rfis'] },
    ]);
  });

  it('matches a literal to operations by method, prefix and segments', () => {
    const [list, create, update, relative] = extractPathLiterals(
      [
        'f.get(`/rest/v1.0/projects/${id}/rfis`)',
        "f.call('POST', `${P}/submittals`)",
        "f.call('PATCH', `/rest/v1.0/projects/12/rfis/${x}`)",
        "sdk.get({ base: '/projects/{project_id}/rfis' })",
      ].join('\n'),
    );
    expect(literalMatches(list!, op('RestV10ProjectsProjectIdRfisGet'))).toBe(true);
    expect(literalMatches(list!, op('RestV10ProjectsProjectIdRfisPost'))).toBe(false); // method
    expect(literalMatches(create!, op('RestV10ProjectsProjectIdSubmittalsPost'))).toBe(true); // open head
    expect(literalMatches(update!, op('RestV10ProjectsProjectIdRfisIdPatch'))).toBe(true);
    expect(literalMatches(update!, op('RestV11ProjectsProjectIdRfisIdAdvanceBallInCourtPatch'))).toBe(false);
    expect(literalMatches(relative!, op('RestV10ProjectsProjectIdRfisGet'))).toBe(true);
    expect(literalMatches(relative!, op('RestV10CompaniesCompanyIdProjectsGet'))).toBe(false); // no open head
  });
});

describe('renderCoverage', () => {
  it('counts served, modelled and tested per prefix and category, and lists connectors’ missing endpoints', () => {
    const served = new Set(['RestV10ProjectsProjectIdRfisGet', 'RestV10ProjectsProjectIdRfisPost', 'OauthTokenPost']);
    const md = renderCoverage({
      operations: catalog.operations,
      served: (o) => served.has(o.operationId),
      generated: (o) => o.operationId === 'RestV11ProjectsProjectIdRfisExportGet',
      reason: () => 'no route',
      modelled: (o) => o.operationId.startsWith('RestV10'),
      tested: (o) => o.method === 'GET',
      connectors: [
        {
          connector: 'Example',
          file: 'example.json',
          source: { repository: 'a/b', path: 'x.py', commit: 'f'.repeat(40) },
          endpoints: [
            { method: 'GET', path: '/rest/v1.0/projects/{project_id}/rfis', operationId: 'RestV10ProjectsProjectIdRfisGet', served: true },
            { method: 'GET', path: '/rest/v1.1/projects', operationId: 'RestV11ProjectsGet', served: false, used_by: 'picker' },
          ],
        },
      ],
      extraRoutes: ['GET /rest/v1.0/blobs/{blob_id}/{filename}'],
      vapidTwins: 2,
    });
    expect(md).toContain('| all | 2636 | 4 | 0.2 % | 2 | 1 | 2 |');
    expect(md).toContain('| `/rest/v1.0` | 2011 | 2 | 0.1 % | 2 | 0 | 1 |');
    expect(md).toContain('| `/rest/v1.1` | 155 | 1 | 0.6 % | 0 | 1 | 1 |');
    expect(md).toContain('| `/oauth` | 4 | 1 | 25.0 % | 0 | 0 | 0 |');
    expect(md).toContain('- `GET /rest/v1.1/projects` — no route');
    expect(md).toContain('### Example: 1 of 2 served');
    expect(md).toContain('- `GET /rest/v1.1/projects` (RestV11ProjectsGet) — picker');
    expect(md).toContain('| ✓ | ✓ | · | ✓ | `GET /rest/v1.0/projects/{project_id}/rfis` | RestV10ProjectsProjectIdRfisGet |');
    expect(md).toContain('| ✓ | · | ✓ | ✓ | `GET /rest/v1.1/projects/{project_id}/rfis/export` | RestV11ProjectsProjectIdRfisExportGet |');
    expect(md).toContain('| · | · | · | · | `GET /rest/v1.1/projects` | RestV11ProjectsGet |');
    expect(md.match(/^\| [✓·] \| [✓·] \| [✓·] \| [✓·] \| `/gm)).toHaveLength(2636);
  });
});
