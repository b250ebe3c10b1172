import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileOperation, deriveOperation, type RawDetails, type RawIndexEntry } from './compile.js';
import { bodyFieldTable, fieldPaths } from './fields.js';
import { catalogPaths, loadCatalog } from './load.js';

const catalog = loadCatalog();
const ref = catalogPaths().reference;
const index = JSON.parse(readFileSync(join(ref, 'catalog.json'), 'utf8')) as RawIndexEntry[];

describe('catalogue', () => {
  it('holds every operation of the reference: 2,636 on 1,743 paths, one per details file', () => {
    expect(catalog.operations).toHaveLength(2636);
    expect(new Set(catalog.operations.map((o) => o.path)).size).toBe(1743);
    expect(readdirSync(join(ref, 'endpoint-details'))).toHaveLength(2636);
    expect(new Set(catalog.operations.map((o) => o.operationId)).size).toBe(2636);
  });

  it('splits version prefixes as the README counts them', () => {
    const counts: Record<string, number> = {};
    for (const op of catalog.operations) counts[op.version ?? 'none'] = (counts[op.version ?? 'none'] ?? 0) + 1;
    expect(counts).toEqual({ 'v1.0': 2011, 'v2.0': 413, 'v1.1': 155, 'v2.1': 32, 'v1.3': 11, 'v1.2': 10, none: 4 });
    for (const op of catalog.operations) expect(op.version === null ? op.path : `${op.prefix}${op.template}`).toBe(op.path);
  });

  it('agrees with the index on path parameters, bodies and required parameters', () => {
    for (const entry of index) {
      const op = catalog.operation(entry.operationId);
      expect(op, entry.operationId).toBeDefined();
      if (!op) continue;
      expect(op.method).toBe(entry.method.toUpperCase());
      expect(op.path).toBe(entry.path);
      expect(op.pathParams.map((p) => p.name).sort()).toEqual([...entry.pathParams].sort());
      expect(op.body !== null, entry.operationId).toBe(entry.hasRequestBody);
      const required = new Set([...op.pathParams.map((p) => p.name), ...op.requiredQuery]);
      for (const name of entry.requiredParams) expect(required.has(name), `${entry.operationId} ${name}`).toBe(true);
    }
  });

  it('the compiled form of an operation equals a fresh compile of its details file (round trip)', () => {
    for (const id of ['RestV10ProjectsProjectIdRfisGet', 'RestV10ProjectsProjectIdRfisPost', 'RestV11ProjectsGet', 'OauthTokenPost']) {
      const entry = index.find((e) => e.operationId === id) as RawIndexEntry;
      const details = JSON.parse(readFileSync(join(ref, 'endpoint-details', `${id}.json`), 'utf8')) as RawDetails;
      expect(catalog.operation(id)).toEqual(deriveOperation(compileOperation(entry, details)));
    }
  });

  it('types the RFI list: paging, filters with enums, search and sort[attribute]', () => {
    const op = catalog.operation('RestV10ProjectsProjectIdRfisGet');
    expect(op).toMatchObject({
      method: 'GET',
      prefix: '/rest/v1.0',
      version: 'v1.0',
      template: '/projects/{project_id}/rfis',
      paginated: true,
      search: true,
    });
    expect(op?.sort).toEqual({ style: 'attribute', keys: null });
    const status = op?.filters.find((f) => f.key === 'status');
    expect(status).toMatchObject({ name: 'filters[status]', type: 'string', enum: ['open', 'closed', 'draft'] });
    expect(op?.filters.find((f) => f.key === 'id')).toMatchObject({ type: 'array', items: { type: 'integer' } });
    expect(op?.pathParams).toEqual([{ name: 'project_id', in: 'path', required: true, type: 'integer' }]);
  });

  it('a plain sort parameter keeps its enumerated keys', () => {
    expect(catalog.operation('RestV10ProjectsGet')?.sort).toEqual({ style: 'param', keys: ['name', 'display_name'] });
    expect(catalog.operation('RestV11ProjectsGet')?.requiredQuery).toEqual(['company_id']);
  });

  it('matches concrete paths, preferring literal segments over parameters', () => {
    expect(catalog.match('GET', '/rest/v1.0/projects/12/rfis/34')?.operationId).toBe('RestV10ProjectsProjectIdRfisIdGet');
    expect(catalog.match('GET', '/rest/v1.0/projects/12/rfis/export?x=1')?.operationId).toBe('RestV10ProjectsProjectIdRfisExportGet');
    expect(catalog.match('GET', '/rest/v1.0/projects/12/rfis/34.pdf')?.path).toBe('/rest/v1.0/projects/{project_id}/rfis/{id}.pdf');
    expect(catalog.match('PUT', '/rest/v1.0/projects/12/rfis/34')).toBeUndefined();
    expect(catalog.byRoute('get', '/rest/v1.0/projects/:x/rfis/:y')?.operationId).toBe('RestV10ProjectsProjectIdRfisIdGet');
  });

  it('groups operations into resources across versions: RFIs with CRUD, recycle/retrieve and actions', () => {
    const rfis = catalog.resource('/projects/{project_id}/rfis');
    expect(rfis).toMatchObject({
      name: 'rfis',
      member: '/projects/{project_id}/rfis/{id}',
      idParam: 'id',
      parent: '/projects',
      scope: 'project',
    });
    expect(rfis?.versions).toEqual(['v1.0', 'v1.1']);
    const kinds = (rfis?.operations ?? []).map((o) => `${o.version} ${o.method} ${o.kind}${o.action ? ` ${o.on}:${o.action}` : ''}`);
    for (const k of [
      'v1.0 GET list',
      'v1.0 POST create',
      'v1.0 GET show',
      'v1.0 PATCH update',
      'v1.0 PATCH action member:recycle',
      'v1.0 PATCH action member:retrieve',
      'v1.1 PATCH action member:advance_ball_in_court',
      'v1.0 GET action collection:filter_options/status',
      'v1.0 GET action collection:potential_assignees',
      'v1.0 GET action collection:recycle_bin',
    ])
      expect(kinds).toContain(k);
    const replies = catalog.resource('/projects/{project_id}/rfis/{rfi_id}/replies');
    expect(replies?.parent).toBe('/projects/{project_id}/rfis');
    expect(replies?.operations.map((o) => o.kind).sort()).toEqual(['create', 'delete', 'list', 'show', 'update']);
  });

  it('files every operation in exactly one resource', () => {
    const seen = new Map<string, string>();
    for (const r of catalog.resources())
      for (const o of r.operations) {
        expect(seen.has(o.operationId), o.operationId).toBe(false);
        seen.set(o.operationId, r.key);
      }
    expect(seen.size).toBe(2636);
    expect(catalog.resourceOf('RestV11ProjectsGet')?.key).toBe('/projects');
  });

  it('counts operations per category as categories.json does', () => {
    const categories = JSON.parse(readFileSync(join(ref, 'categories.json'), 'utf8')) as {
      categories: Record<string, { modules: Record<string, { endpointCount: number }> }>;
    };
    for (const c of catalog.categories()) {
      for (const m of c.modules) {
        const expected = categories.categories[c.category]?.modules[m.module]?.endpointCount;
        if (expected !== undefined) expect(m.operations, `${c.category}/${m.module}`).toBe(expected);
      }
    }
    expect(catalog.categories().reduce((n, c) => n + c.operations, 0)).toBe(2636);
  });
});

describe('field tables', () => {
  it('an RFI create body: root rfi, required fields, refs, nested question, enums', () => {
    const table = bodyFieldTable(
      catalog.operation('RestV10ProjectsProjectIdRfisPost')?.body ?? { contentType: '', required: false, schema: {} },
    );
    expect(table.root).toBe('rfi');
    expect(table.contentType).toBe('multipart/form-data');
    expect(table.fields['subject']).toEqual({ kind: 'text', type: 'string', required: true });
    expect(table.fields['rfi_manager_id']).toEqual({ kind: 'ref', type: 'integer', required: true, ref: 'rfi_manager' });
    expect(table.fields['assignee_ids']).toEqual({
      kind: 'refs',
      type: 'array',
      ref: 'assignee',
      items: { kind: 'integer', type: 'integer' },
    });
    expect(table.fields['due_date']).toEqual({ kind: 'date', type: 'string', format: 'date' });
    expect(table.fields['draft']).toEqual({ kind: 'boolean', type: 'boolean', default: false });
    expect(table.fields['question']?.fields?.['body']).toEqual({ kind: 'text', type: 'string', required: true });
    expect(table.fields['schedule_impact']?.fields?.['status']?.enum).toEqual(['yes_known', 'yes_unknown', 'no_impact', 'tbd', 'n_a']);
    expect(fieldPaths(table.fields)).toContain('question.body');
  });

  it('a v2.0 body is unwrapped; a bulk body is an array', () => {
    const prime = bodyFieldTable(
      catalog.operation('RestV20CompaniesCompanyIdProjectsProjectIdPrimeContractsPost')?.body ?? {
        contentType: '',
        required: false,
        schema: {},
      },
    );
    expect(prime.root).toBeNull();
    expect(prime.fields['vendor_id']).toMatchObject({ kind: 'ref', ref: 'vendor' });
    const bulk = bodyFieldTable(
      catalog.operation('RestV20CompaniesCompanyIdWebhooksHooksHookIdTriggersBulkPost')?.body ?? {
        contentType: '',
        required: false,
        schema: {},
      },
    );
    expect(bulk.items?.fields?.['resource_name']).toMatchObject({ required: true });
  });

  it('every body of the catalogue converts, with no prose left in it', () => {
    let converted = 0;
    for (const op of catalog.operations) {
      if (!op.body) continue;
      const table = bodyFieldTable(op.body);
      expect(JSON.stringify(table)).not.toMatch(/"description":"/);
      converted++;
    }
    expect(converted).toBe(993); // 985 described bodies, 8 exports with an open one
  });
});
