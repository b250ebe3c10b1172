/**
 * Turns an operation's request-body schema into a field table: one plain entry per writable
 * field (type, format, enum, required, limits, nested fields, the reference it names), which a
 * declaration-based resource engine can take as its `fields` (e.g. `f.date({ write: true })`
 * for `{ kind: 'date' }`). Plain data only, so it feeds whatever `defineResource` takes.
 *
 * @example
 * bodyFieldTable(catalog.operation('RestV10ProjectsProjectIdRfisPost')!.body!)
 * // → { root: 'rfi', fields: { subject: { kind: 'text', type: 'string', required: true }, … } }
 */
import type { CatalogBody, JsonSchema } from './types.js';

/** The engine-facing kind of a field, one per `f.*` helper of the engine sketch. */
export type FieldKind =
  'text' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'enum' | 'ref' | 'refs' | 'object' | 'array' | 'file' | 'any';

export interface FieldSpec {
  kind: FieldKind;
  /** The JSON Schema type as written (`string`, `integer`, …; `any` when none is given). */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'any';
  format?: string;
  enum?: (string | number | boolean)[];
  required?: boolean;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  /**
   * For `ref`/`refs`: what the id points at, from the field's name
   * (`location_id` → `location`, `assignee_ids` → `assignee`, `rfi_manager_id` → `rfi_manager`).
   */
  ref?: string;
  /** For `array`: the element's spec. */
  items?: FieldSpec;
  /** For `object` (and arrays of objects, on `items`): nested fields. */
  fields?: Record<string, FieldSpec>;
}

export interface FieldTable {
  /**
   * The wrapper key of a Rails-style body (`{"rfi": {...}}` → `rfi`); null when the fields sit at
   * the top level (most of `/rest/v2.0`).
   */
  root: string | null;
  contentType: string;
  /** Top-level fields besides the root (e.g. `attachments` beside `rfi`), or all of them when unwrapped. */
  fields: Record<string, FieldSpec>;
  /** When the body is an array (bulk operations): the element's spec. */
  items?: FieldSpec;
  /** Top-level keys beside the root object (`run_configurable_validations`, files). */
  siblings?: Record<string, FieldSpec>;
}

type SchemaType = FieldSpec['type'];

function typeOf(schema: JsonSchema): SchemaType {
  const t = schema.type;
  if (t === 'string' || t === 'integer' || t === 'number' || t === 'boolean' || t === 'object' || t === 'array') return t;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return 'any';
}

function refName(name: string, suffix: '_id' | '_ids'): string {
  return name.slice(0, -suffix.length);
}

/** The spec of one schema, named `name` (the name decides `ref`/`refs`). */
export function fieldSpec(name: string, schema: JsonSchema, required = false): FieldSpec {
  const type = typeOf(schema);
  let kind: FieldKind;
  const enumValues = Array.isArray(schema.enum) ? schema.enum.filter((v): v is string | number | boolean => v !== null) : undefined;
  if (enumValues && enumValues.length) kind = 'enum';
  else if (type === 'string' && schema.format === 'date') kind = 'date';
  else if (type === 'string' && schema.format === 'date-time') kind = 'datetime';
  else if (type === 'string' && schema.format === 'binary') kind = 'file';
  // `/rest/v2.0` writes ids as strings.
  else if ((type === 'integer' || (type === 'string' && !schema.format)) && name.endsWith('_id') && name.length > 3) kind = 'ref';
  else if (type === 'array' && name.endsWith('_ids') && name.length > 4 && schema.items && typeOf(schema.items) !== 'object') kind = 'refs';
  else if (type === 'string') kind = 'text';
  else kind = type;
  const spec: FieldSpec = { kind, type };
  if (schema.format) spec.format = schema.format;
  if (enumValues && enumValues.length) spec.enum = enumValues;
  if (required) spec.required = true;
  for (const key of ['maxLength', 'minLength', 'minimum', 'maximum'] as const) {
    const v = schema[key];
    if (typeof v === 'number') spec[key] = v;
  }
  if (schema.default !== undefined) spec.default = schema.default;
  if (kind === 'ref') spec.ref = refName(name, '_id');
  if (kind === 'refs') spec.ref = refName(name, '_ids');
  if (type === 'object' && schema.properties) spec.fields = objectFields(schema);
  if (type === 'array' && schema.items) spec.items = fieldSpec(name, schema.items);
  return spec;
}

function objectFields(schema: JsonSchema): Record<string, FieldSpec> {
  const required = new Set(schema.required ?? []);
  const out: Record<string, FieldSpec> = {};
  for (const [name, s] of Object.entries(schema.properties ?? {})) out[name] = fieldSpec(name, s ?? {}, required.has(name));
  return out;
}

/**
 * The root key of a wrapped body: the only object property, or the one object property that
 * is required while its siblings are not objects (`{rfi: {...}, run_configurable_validations}`).
 */
export function bodyRoot(schema: JsonSchema): string | null {
  if (typeOf(schema) !== 'object' || !schema.properties) return null;
  const entries = Object.entries(schema.properties);
  const objects = entries.filter(([, s]) => s && typeOf(s) === 'object' && s.properties);
  if (objects.length !== 1) return null;
  const [name] = objects[0] as [string, JsonSchema];
  if (entries.length === 1) return name;
  return (schema.required ?? []).includes(name) ? name : null;
}

/** The field table of an operation's request body. */
export function bodyFieldTable(body: CatalogBody): FieldTable {
  const schema = body.schema;
  if (typeOf(schema) === 'array') {
    return { root: null, contentType: body.contentType, fields: {}, items: fieldSpec('items', schema.items ?? {}) };
  }
  const root = bodyRoot(schema);
  if (!root) return { root: null, contentType: body.contentType, fields: objectFields(schema) };
  const all = objectFields(schema);
  const inner = all[root];
  const table: FieldTable = { root, contentType: body.contentType, fields: inner?.fields ?? {} };
  const siblings = Object.fromEntries(Object.entries(all).filter(([k]) => k !== root));
  if (Object.keys(siblings).length) table.siblings = siblings;
  return table;
}

/** Names of every writable field, nested ones dotted (`question.body`), for reports and 422s. */
export function fieldPaths(fields: Record<string, FieldSpec>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push(path);
    if (spec.fields) out.push(...fieldPaths(spec.fields, path));
    else if (spec.items?.fields) out.push(...fieldPaths(spec.items.fields, `${path}[]`));
  }
  return out;
}
