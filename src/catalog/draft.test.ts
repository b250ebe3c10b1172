import { describe, expect, it } from 'vitest';
import { declarationDraft, load2017Twins } from './draft.js';
import { loadCatalog } from './load.js';

const catalog = loadCatalog();
const twins = load2017Twins();

describe('declarationDraft', () => {
  it('RFIs: paths, scope, wrapped body, merged fields, list filters and the 2017 response definitions', () => {
    const d = declarationDraft(catalog, '/projects/{project_id}/rfis', twins);
    expect(d).toMatchObject({
      name: 'rfis',
      scope: 'project',
      parent: '/projects',
      parentParam: 'project_id',
      member: '/projects/{project_id}/rfis/{id}',
      idParam: 'id',
      versions: ['v1.0', 'v1.1'],
      body: { root: 'rfi', contentTypes: ['application/json', 'multipart/form-data'] },
      search: true,
    });
    expect(d?.fields['subject']).toEqual({ kind: 'text', type: 'string', required: true });
    expect(d?.filters['status']).toMatchObject({ type: 'string', enum: ['open', 'closed', 'draft'] });
    const list = d?.operations.find((o) => o.kind === 'list' && o.version === 'v1.0');
    expect(list).toMatchObject({
      method: 'GET',
      envelope: null,
      ids: 'integer',
      paginated: true,
      vapid: { definition: 'RFINormal', array: true },
    });
    expect(d?.operations.find((o) => o.kind === 'show')?.vapid).toMatchObject({
      path: '/vapid/projects/{project_id}/rfis/{id}',
      definition: 'RFIExtended',
    });
    expect(d?.operations.find((o) => o.action === 'recycle')).toMatchObject({ method: 'PATCH', on: 'member', kind: 'action' });
  });

  it('nested resources carry the parent’s id parameter', () => {
    expect(declarationDraft(catalog, '/projects/{project_id}/rfis/{rfi_id}/replies', twins)).toMatchObject({
      parent: '/projects/{project_id}/rfis',
      parentParam: 'rfi_id',
    });
  });

  it('v2.0 resources: unwrapped bodies, the data envelope and string ids', () => {
    const d = declarationDraft(catalog, '/companies/{company_id}/projects/{project_id}/prime_contracts', twins);
    expect(d?.body.root).toBeNull();
    expect(d?.fields['vendor_id']).toMatchObject({ kind: 'ref', ref: 'vendor' });
    expect(d?.operations.every((o) => o.envelope === 'data' && o.ids === 'string' && o.vapid === null)).toBe(true);
  });

  it('a draft exists for every resource, and unknown keys have none', () => {
    for (const r of catalog.resources()) expect(declarationDraft(catalog, r.key)?.operations.length).toBe(r.operations.length);
    expect(declarationDraft(catalog, '/nope')).toBeUndefined();
  });
});
