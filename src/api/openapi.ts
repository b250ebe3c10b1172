/**
 * The operations of Procore's current API catalogue (`reference/procore-2026/`) that no
 * declaration serves, added to `/openapi.json` beside the declared routes: the generic engine
 * (`src/api/generic/`) answers them, so the document lists what the server answers. Each comes
 * from the catalogue's path and query parameters and request body (made valid OpenAPI 3.0) and
 * the engine's answer shape (a stored row: `id`, the written fields, timestamps; a list of them;
 * `{ "data": … }` on `/rest/v2.x`), marked `x-procore-sandbox: generic` — or `declared` where the
 * operation reads a declared resource's own rows (`/rest/v1.1/projects`, `filter_options/…`).
 * Operations a declaration refuses (405: a write it does not model) are left out.
 *
 * Built on the first request to `/openapi.json`, not at start-up (`src/api/index.ts`).
 */
import type { FieldSpec } from '../catalog/fields.js';
import { loadCatalog } from '../catalog/load.js';
import type { CatalogOperation, CatalogParam, JsonSchema } from '../catalog/types.js';
import { declaredAnswer, declaredFor } from './generic/declared.js';
import { planOf, type Plan } from './generic/plan.js';
import type { Resource } from './resource.js';

type Schema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Schema>>;
  tags?: { name: string }[];
  [key: string]: unknown;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const shapeOf = (path: string): string => path.replace(/\{[^}]+\}/g, '{}');
const paramNames = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

const COPIED = new Set(['format', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'nullable']);

/** A catalogue JSON Schema fragment as an OpenAPI 3.0 Schema Object (no `null` type, arrays with items). */
export function toOas(s: JsonSchema | undefined, depth = 0): Schema {
  if (!s || typeof s !== 'object' || depth > 12) return {};
  const out: Schema = {};
  const types = (Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type]) as string[];
  const real = types.filter((t) => t !== 'null');
  if (real.length === 1) out['type'] = real[0];
  if (types.includes('null') || s.nullable === true) out['nullable'] = true;
  for (const [k, v] of Object.entries(s)) {
    if (COPIED.has(k) && v !== undefined && k !== 'nullable') out[k] = v;
    else if (k === 'properties' && v && typeof v === 'object')
      out['properties'] = Object.fromEntries(Object.entries(v as Record<string, JsonSchema>).map(([p, ps]) => [p, toOas(ps, depth + 1)]));
    else if (k === 'items') out['items'] = toOas(v as JsonSchema, depth + 1);
    else if (k === 'required' && Array.isArray(v) && v.length) out['required'] = [...new Set(v as string[])];
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v))
      out[k] = (v as JsonSchema[]).map((x) => toOas(x, depth + 1));
    else if (k === 'additionalProperties') out[k] = typeof v === 'boolean' ? v : toOas(v as JsonSchema, depth + 1);
  }
  if (Array.isArray(out['enum'])) {
    const values = (out['enum'] as unknown[]).filter((e) => e !== null);
    if (values.length < (out['enum'] as unknown[]).length) out['nullable'] = true;
    if (values.length) out['enum'] = values;
    else delete out['enum'];
  }
  if (out['type'] === 'array' && !out['items']) out['items'] = {};
  if (out['type'] !== 'object') delete out['properties'];
  if (out['type'] !== 'object') delete out['required'];
  // A default the schema would reject is the catalogue's slip: left out.
  if (s.default !== undefined && sameType(s.default, out['type'])) out['default'] = s.default;
  return out;
}

function sameType(v: unknown, type: unknown): boolean {
  if (type === undefined) return true;
  if (type === 'integer') return Number.isInteger(v);
  if (type === 'number') return typeof v === 'number';
  if (type === 'array') return Array.isArray(v);
  if (type === 'object') return typeof v === 'object' && v !== null && !Array.isArray(v);
  return typeof v === type;
}

function paramSchema(p: CatalogParam): Schema {
  const s: JsonSchema = p.type === 'any' ? {} : { type: p.type };
  if (p.format) s.format = p.format;
  if (p.enum) s.enum = p.enum;
  if (p.type === 'array')
    s.items = p.items ? { ...(p.items.type === 'any' ? {} : { type: p.items.type }), format: p.items.format, enum: p.items.enum } : {};
  if (p.default !== undefined) s.default = p.default;
  return toOas(s);
}

function fieldSchema(spec: FieldSpec, depth = 0): Schema {
  const s: Schema = spec.type === 'any' ? {} : { type: spec.type };
  if (spec.format) s['format'] = spec.format;
  if (spec.type === 'array') s['items'] = spec.items && depth < 4 ? fieldSchema(spec.items, depth + 1) : {};
  if (spec.type === 'object' && spec.fields && depth < 4)
    s['properties'] = Object.fromEntries(Object.entries(spec.fields).map(([k, v]) => [k, fieldSchema(v, depth + 1)]));
  // Stored rows answer what was written, or null for what was not.
  s['nullable'] = true;
  return s;
}

/** A stored row as the generic engine answers it. */
function rowSchema(plan: Plan): Schema {
  if (plan.v2) return { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: true };
  const properties: Record<string, Schema> = {
    id: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time', nullable: true },
    updated_at: { type: 'string', format: 'date-time', nullable: true },
  };
  for (const [k, spec] of Object.entries(plan.fields)) properties[k] ??= fieldSchema(spec);
  return { type: 'object', properties, additionalProperties: true };
}

const ROW_ANSWERS = new Set(['list', 'show', 'create', 'update', 'singleton', 'singleton-update', 'recycle', 'retrieve', 'recycle_bin']);

function successSchema(plan: Plan, how: 'generic' | 'declared'): Schema {
  // Declared answers carry the declaration's own shape; other behaviours answer what they act on.
  if (how === 'declared' || !ROW_ANSWERS.has(plan.behaviour)) return {};
  const row = rowSchema(plan);
  const body = plan.answersList || plan.behaviour === 'list' || plan.behaviour === 'recycle_bin' ? { type: 'array', items: row } : row;
  return plan.v2 ? { type: 'object', properties: { data: body } } : body;
}

const ERROR: Schema = {
  type: 'object',
  properties: { code: { type: 'integer' }, message: { type: 'string' }, errors: {} },
  additionalProperties: true,
};

function operationOf(op: CatalogOperation, plan: Plan, how: 'generic' | 'declared', names: string[]): Schema {
  const rename = new Map(paramNames(op.path).map((n, i) => [n, names[i] ?? n]));
  const seen = new Set<string>();
  const parameters: Schema[] = [];
  const add = (p: Schema & { name: string; in: string }) => {
    const key = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    parameters.push(p);
  };
  for (const name of paramNames(op.path)) {
    const p = op.pathParams.find((x) => x.name === name);
    add({ name: rename.get(name) ?? name, in: 'path', required: true, schema: p ? paramSchema(p) : { type: 'string' } });
  }
  for (const p of op.query) add({ name: p.name, in: 'query', required: p.required, schema: paramSchema(p) });
  const exempt = /^\/(me|companies)$/.test(op.template);
  add({
    name: 'Procore-Company-Id',
    in: 'header',
    required: !exempt,
    schema: { type: 'string' },
    description: exempt ? 'Company ID (service-account tokens only)' : 'Company ID',
  });
  const status = String(op.successStatus);
  const out: Schema = {
    operationId: op.operationId,
    summary: op.summary,
    tags: [op.module || op.category || 'Catalogue'],
    security: [{ bearerAuth: [] }],
    parameters,
    responses: {
      [status]:
        status === '204'
          ? { description: 'No Content' }
          : { description: 'Success', content: { 'application/json': { schema: successSchema(plan, how) } } },
      '4XX': { description: 'Client error', content: { 'application/json': { schema: ERROR } } },
    },
    'x-procore-sandbox': how,
  };
  if (op.body) {
    out['requestBody'] = {
      required: op.body.required,
      content: { [op.body.contentType || 'application/json']: { schema: toOas(op.body.schema) } },
    };
  }
  return out;
}

/**
 * Adds to `doc` (in place) every catalogue operation answered on a `/rest/…` prefix that it does
 * not list yet; returns how many were added.
 */
export function addCatalogueOperations(doc: OpenApiDocument, resources: readonly Resource[]): number {
  const taken = new Map<string, Schema>();
  const pathByShape = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    pathByShape.set(shapeOf(path), path);
    for (const [m, op] of Object.entries(item)) if (METHODS.has(m)) taken.set(`${m} ${shapeOf(path)}`, op);
  }
  const tags = new Set<string>();
  const listed = new Set((doc.tags ?? []).map((t) => t.name));
  let added = 0;
  for (const op of loadCatalog().operations) {
    if (!op.version) continue;
    const method = op.method.toLowerCase();
    const shape = shapeOf(op.path);
    const declaredOp = taken.get(`${method} ${shape}`);
    if (declaredOp) {
      // A declared route reading its body itself (uploads: unwrapped, JSON or multipart) documents the catalogue's.
      if (!declaredOp['requestBody'] && op.body)
        declaredOp['requestBody'] = {
          required: op.body.required,
          content: { [op.body.contentType || 'application/json']: { schema: toOas(op.body.schema) } },
        };
      continue;
    }
    const plan = planOf(op);
    const declared = declaredFor(resources, plan);
    let how: 'generic' | 'declared' = 'generic';
    if (declared) {
      const answer = declaredAnswer(declared, plan);
      if (answer === null) continue; // refused by the declaration (405)
      if (answer !== 'generic') how = 'declared';
    }
    taken.set(`${method} ${shape}`, {});
    // One path item per shape: OpenAPI forbids two templates that differ only in parameter names.
    let path = pathByShape.get(shape);
    if (!path) pathByShape.set(shape, (path = op.path));
    const operation = operationOf(op, plan, how, paramNames(path));
    (doc.paths[path] ??= {})[method] = operation;
    for (const t of operation['tags'] as string[]) tags.add(t);
    added++;
  }
  doc.tags = [...(doc.tags ?? []), ...[...tags].filter((t) => !listed.has(t)).map((name) => ({ name }))];
  return added;
}
