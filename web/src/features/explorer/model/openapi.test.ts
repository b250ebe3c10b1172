/**
 * The explorer's reading of the OpenAPI document, checked against this server's real
 * `/openapi.json`: every request of the sandbox collection maps to an operation (the schema
 * badge), and the RFI create body offers Procore's field names (completion).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../../test/helpers/runtime.js';
import { SANDBOX_REQUESTS } from '../../../../../src/postman/collection.js';
import { fieldsAt, findOperation, pathOf, type OpenApiDocument } from './openapi.js';

describe('OpenAPI lookups against /openapi.json', () => {
  let rt: TestRuntime;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    rt = await createTestRuntime();
    doc = (await rt.sandboxApp.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument;
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
  });

  it('finds the operation of every sandbox collection request, on /rest/v1.0 and /vapid', () => {
    for (const prefix of ['/rest/v1.0', '/vapid']) {
      for (const r of SANDBOX_REQUESTS) {
        const path = `${prefix}/${r.path.map((seg) => (seg.startsWith('{{') ? '42' : seg)).join('/')}`;
        const found = findOperation(doc, 'GET', path);
        expect(found, `${r.name} ${path}`).not.toBeNull();
      }
    }
    const rfis = findOperation(doc, 'GET', pathOf('http://127.0.0.1:4000/rest/v1.0/projects/7/rfis?page=2'))!;
    expect(rfis.template).toBe('/rest/v1.0/projects/{project_id}/rfis');
    expect(rfis.params).toEqual({ project_id: '7' });
    expect(findOperation(doc, 'GET', '/rest/v1.0/no/such/thing')).toBeNull();
  });

  it('completes the fields of {"rfi":{…}} when creating an RFI', () => {
    const op = findOperation(doc, 'POST', '/rest/v1.0/projects/7/rfis');
    expect(op).not.toBeNull();
    const top = fieldsAt(doc, op!.operation, []).map((f) => f.name);
    expect(top).toContain('rfi');
    const fields = fieldsAt(doc, op!.operation, ['rfi']);
    const names = fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['subject', 'assignee_id']));
    expect(fields.find((f) => f.name === 'subject')!.type).toBe('string');
  });
});
