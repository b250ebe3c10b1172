/**
 * Validates response bodies against Procore's own 2017 Swagger 2.0 definitions
 * (`reference/procore-vapid-2017.swagger.json`, vendored with its MIT licence; `PROCORE_SWAGGER` overrides).
 *
 * Conversion to JSON Schema: `#/definitions/X` refs resolve in a local definitions map; extra
 * properties are allowed; `type: file` accepts anything. Swagger 2.0 has no `nullable` and the
 * 2017 file uses no `x-nullable`, while Procore's API answers `null` for every unset value — so
 * every property also accepts null (real values are checked by the route tests).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { PACKAGE_ROOT } from '../../src/context/paths.js';

const SWAGGER_PATH = process.env['PROCORE_SWAGGER'] ?? join(PACKAGE_ROOT, 'reference', 'procore-vapid-2017.swagger.json');

type Json = Record<string, unknown>;

const swagger = JSON.parse(readFileSync(SWAGGER_PATH, 'utf8')) as {
  definitions: Record<string, Json>;
  paths: Record<string, Record<string, Json>>;
};

function convert(node: unknown, nullable: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, false));
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-') || k === 'example' || k === 'discriminator' || k === 'readOnly' || k === 'xml') continue;
    if (k === 'properties') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, convert(pv, true)]));
    } else if (k === 'items') {
      out[k] = convert(v, true);
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = (v as unknown[]).map((x) => convert(x, false));
    } else if (k === 'additionalProperties' && typeof v === 'object') {
      out[k] = convert(v, true);
    } else if (k === 'required') {
      out[k] = v;
    } else {
      out[k] = v;
    }
  }
  if (out['type'] === 'file') delete out['type'];
  // ajv-formats' deprecated `url` demands a dotted host name; any absolute URI is a URL here.
  if (out['format'] === 'url') out['format'] = 'uri';
  if (!nullable) return out;
  if (typeof out['$ref'] === 'string' || out['allOf']) return { anyOf: [out, { type: 'null' }] };
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
  }
  return out;
}

const definitions = Object.fromEntries(Object.entries(swagger.definitions).map(([k, v]) => [k, convert(v, false)]));
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema({ $id: 'procore', definitions });

const cache = new Map<string, ValidateFunction>();

/** The 200/201 schema of a vapid operation, e.g. `('GET', '/vapid/projects/{project_id}/rfis')`. */
export function responseSchemaOf(method: string, path: string, status = method === 'POST' ? '201' : '200'): Json {
  const op = swagger.paths[path]?.[method.toLowerCase()];
  const schema = (op?.['responses'] as Record<string, { schema?: Json }> | undefined)?.[status]?.schema;
  if (!schema) throw new Error(`no ${status} schema for ${method} ${path}`);
  return schema;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Json).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace('#/definitions/', 'procore#/definitions/') : rewriteRefs(v),
    ]),
  );
}

/** Validates `body` against an operation's success schema; returns error strings (empty = valid). */
export function validateAgainstSwagger(method: string, path: string, body: unknown): string[] {
  const key = `${method} ${path}`;
  let fn = cache.get(key);
  if (!fn) {
    const schema = rewriteRefs(convert(responseSchemaOf(method, path), false)) as Json;
    fn = ajv.compile(schema);
    cache.set(key, fn);
  }
  return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Property names a definition lists (allOf merged; arrays → their items; refs followed). */
export function fieldsOf(schema: Json): string[] {
  if (typeof schema['$ref'] === 'string')
    return fieldsOf(swagger.definitions[(schema['$ref'] as string).split('/').pop() as string] as Json);
  if (schema['type'] === 'array' && schema['items']) return fieldsOf(schema['items'] as Json);
  const out = new Set<string>(Object.keys((schema['properties'] as Json | undefined) ?? {}));
  for (const part of (schema['allOf'] as Json[] | undefined) ?? []) for (const f of fieldsOf(part)) out.add(f);
  return [...out];
}

/** Share of the operation's listed fields present on `item` (0..1), and the missing ones. */
export function fieldCoverage(method: string, path: string, item: Json): { share: number; missing: string[] } {
  const fields = fieldsOf(responseSchemaOf(method, path));
  const missing = fields.filter((f) => !(f in item));
  return { share: fields.length ? (fields.length - missing.length) / fields.length : 1, missing };
}
