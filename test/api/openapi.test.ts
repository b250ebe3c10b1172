/**
 * `/openapi.json` lists what the server answers: the declared routes and every catalogue
 * operation the generic engine answers (`src/api/openapi.ts`), ≥ 2,600 operations, and stays a
 * valid OpenAPI 3.0 document: unique operation ids, path parameters matching their templates,
 * responses on every operation, every schema a valid JSON Schema (Ajv) using only OpenAPI 3.0's
 * dialect (no `null` type, no type lists, arrays with `items`), every `$ref` resolving. With
 * `OPENAPI_SPEC_VALIDATOR=1` the whole document also goes through Python's
 * `openapi-spec-validator` (minutes on a busy machine).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../helpers/runtime.js';

type Schema = Record<string, unknown>;
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every Schema Object of an operation, with where it sits. */
function* schemasOf(path: string, method: string, op: Schema): Generator<[string, Schema]> {
  for (const p of (op['parameters'] ?? []) as Schema[]) yield [`${method} ${path} param ${String(p['name'])}`, p['schema'] as Schema];
  const content = (op['requestBody'] as Schema | undefined)?.['content'] as Record<string, Schema> | undefined;
  for (const [type, media] of Object.entries(content ?? {})) yield [`${method} ${path} body ${type}`, media['schema'] as Schema];
  for (const [status, r] of Object.entries((op['responses'] ?? {}) as Record<string, Schema>))
    for (const [type, media] of Object.entries((r['content'] ?? {}) as Record<string, Schema>))
      yield [`${method} ${path} ${status} ${type}`, media['schema'] as Schema];
}

/** OpenAPI 3.0 dialect slips JSON Schema itself allows. */
function dialectProblems(where: string, s: unknown, out: string[], depth = 0): void {
  if (!s || typeof s !== 'object' || depth > 30) return;
  const o = s as Schema;
  if (Array.isArray(o['type'])) out.push(`${where}: type list`);
  if (o['type'] === 'null') out.push(`${where}: null type`);
  if (o['type'] === 'array' && !o['items']) out.push(`${where}: array without items`);
  for (const [k, v] of Object.entries(o)) {
    if (k === 'properties' && v && typeof v === 'object')
      for (const [p, ps] of Object.entries(v as Schema)) dialectProblems(`${where}.${p}`, ps, out, depth + 1);
    else if (k === 'items' || k === 'additionalProperties') dialectProblems(`${where}[]`, v, out, depth + 1);
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v))
      v.forEach((x, i) => dialectProblems(`${where}.${k}[${i}]`, x, out, depth + 1));
  }
}

describe('/openapi.json', () => {
  let rt: TestRuntime;
  let doc: Doc;
  let raw = '';
  beforeAll(async () => {
    rt = await createTestRuntime();
    const res = await rt.sandboxApp.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    raw = res.body;
    doc = res.json() as Doc;
  }, 120_000);
  afterAll(() => rt?.close());

  it('lists the declared routes and ≥ 2,600 operations in all, the generic ones marked', () => {
    let operations = 0;
    const marks: Record<string, number> = {};
    for (const item of Object.values(doc.paths))
      for (const [m, op] of Object.entries(item)) {
        if (!METHODS.includes(m)) continue;
        operations++;
        const mark = String(op['x-procore-sandbox'] ?? 'route');
        marks[mark] = (marks[mark] ?? 0) + 1;
      }
    expect(operations).toBeGreaterThanOrEqual(2600);
    expect(marks['generic']).toBeGreaterThan(2000);
    expect(marks['route']).toBeGreaterThan(50);
    // A generic operation carries the catalogue's parameters and body.
    const punch = doc.paths['/rest/v1.0/projects/{project_id}/punch_items/{id}']?.['get'];
    expect(punch).toBeUndefined(); // declared: answered by its own route
    const generic = Object.entries(doc.paths).find(([p]) => p === '/rest/v1.0/projects/{project_id}/specification_uploads')?.[1];
    expect(generic?.['post']?.['x-procore-sandbox']).toBe('generic');
    expect(generic?.['post']?.['requestBody']).toBeDefined();
    const upload = doc.paths['/rest/v1.0/projects/{project_id}/uploads']?.['post'];
    expect(upload?.['x-procore-sandbox']).toBeUndefined();
    // A declared route that reads its own body documents the catalogue's.
    expect(JSON.stringify(upload?.['requestBody'])).toContain('response_filename');
    // Served again from the cache, byte for byte.
    return rt.sandboxApp.inject({ url: '/openapi.json' }).then((again) => expect(again.body).toBe(raw));
  });

  it('is a valid OpenAPI 3.0 document', () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    const problems: string[] = [];
    const ids = new Map<string, string>();
    const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, logger: false });
    ajv.addSchema({ $id: 'doc', components: doc.components ?? {} });
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/')) problems.push(`${path}: not absolute`);
      const placeholders = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      if (new Set(placeholders).size !== placeholders.length) problems.push(`${path}: repeated placeholder`);
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const id = op['operationId'];
        if (typeof id === 'string') {
          if (ids.has(id)) problems.push(`${method} ${path}: operationId ${id} also on ${ids.get(id)}`);
          ids.set(id, `${method} ${path}`);
        }
        const params = (op['parameters'] ?? []) as Schema[];
        const keys = params.map(
          (p) => `${String(p['in'])}:${String(p['in']) === 'header' ? String(p['name']).toLowerCase() : String(p['name'])}`,
        );
        if (new Set(keys).size !== keys.length) problems.push(`${method} ${path}: duplicate parameter`);
        for (const p of params) {
          if (!['path', 'query', 'header', 'cookie'].includes(String(p['in'])))
            problems.push(`${method} ${path}: parameter in ${String(p['in'])}`);
          if (p['in'] === 'path' && p['required'] !== true)
            problems.push(`${method} ${path}: path parameter ${String(p['name'])} not required`);
          if (!p['schema'] && !p['content']) problems.push(`${method} ${path}: parameter ${String(p['name'])} without schema`);
        }
        const inPath = params.filter((p) => p['in'] === 'path').map((p) => String(p['name']));
        if ([...inPath].sort().join() !== [...placeholders].sort().join())
          problems.push(`${method} ${path}: path parameters ${inPath.join(',')} ≠ ${placeholders.join(',')}`);
        const responses = op['responses'] as Record<string, Schema> | undefined;
        if (!responses || Object.keys(responses).length === 0) problems.push(`${method} ${path}: no responses`);
        for (const [status, r] of Object.entries(responses ?? {})) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${method} ${path}: response ${status}`);
          if (typeof r['description'] !== 'string') problems.push(`${method} ${path}: response ${status} without description`);
        }
        for (const [where, schema] of schemasOf(path, method, op)) {
          if (!schema || typeof schema !== 'object') continue;
          dialectProblems(where, schema, problems);
          if (!ajv.validateSchema(schema)) problems.push(`${where}: ${ajv.errorsText(ajv.errors)}`);
        }
      }
    }
    for (const m of raw.matchAll(/"\$ref":"([^"]+)"/g)) {
      const ref = m[1] as string;
      const name = ref.replace('#/components/schemas/', '');
      if (!ref.startsWith('#/components/schemas/') || !doc.components?.schemas?.[name]) problems.push(`unresolved $ref ${ref}`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it.skipIf(!process.env['OPENAPI_SPEC_VALIDATOR'])(
    'passes openapi-spec-validator',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
      try {
        const file = join(dir, 'openapi.json');
        writeFileSync(file, raw);
        const run = spawnSync(
          'python3',
          [
            '-c',
            'import sys; from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename(sys.argv[1])[0])',
            file,
          ],
          { encoding: 'utf8' },
        );
        expect(run.status, run.stderr.slice(-2000)).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    900_000,
  );
});
