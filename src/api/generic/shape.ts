/**
 * Response shapes of the generic engine: where the 2017 description
 * (`reference/procore-vapid-2017.swagger.json`) defines an operation's resource (its `/vapid`
 * twin's success definition, e.g. `RFINormal` for the RFI list), a stored row answers with every
 * field of that definition — stored values where the row has them, type-correct empty values
 * (`""`, `0`, `false`, `[]`, objects filled the same way) for the fields nothing has written.
 * On `/rest/v2.x` every id is a string and the answer sits in `{ "data": … }`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogPaths } from '../../catalog/load.js';

/** A Swagger 2 schema of the 2017 description. */
export interface SwaggerSchema {
  type?: string;
  format?: string;
  $ref?: string;
  allOf?: SwaggerSchema[];
  properties?: Record<string, SwaggerSchema>;
  items?: SwaggerSchema;
  enum?: unknown[];
  [key: string]: unknown;
}

let definitions: Record<string, SwaggerSchema> | undefined;

/** The definitions of the 2017 description, read on first use. */
export function definitions2017(): Record<string, SwaggerSchema> {
  if (!definitions) {
    const file = join(catalogPaths().reference, '..', 'procore-vapid-2017.swagger.json');
    definitions = (JSON.parse(readFileSync(file, 'utf8')) as { definitions?: Record<string, SwaggerSchema> }).definitions ?? {};
  }
  return definitions;
}

function deref(schema: SwaggerSchema, seen: number): SwaggerSchema | null {
  let at: SwaggerSchema | undefined = schema;
  for (let i = 0; at?.$ref && i < 10; i++) at = definitions2017()[at.$ref.split('/').pop() as string];
  return at && seen < 8 ? at : null;
}

/** The properties of an object schema, `allOf` parts merged. */
function propertiesOf(schema: SwaggerSchema, depth = 0): Record<string, SwaggerSchema> {
  const s = deref(schema, depth);
  if (!s) return {};
  const out: Record<string, SwaggerSchema> = {};
  for (const part of s.allOf ?? []) Object.assign(out, propertiesOf(part, depth + 1));
  Object.assign(out, s.properties ?? {});
  return out;
}

function typeOf(schema: SwaggerSchema, depth: number): string | undefined {
  const s = deref(schema, depth);
  if (!s) return undefined;
  if (s.type) return s.type;
  if (s.properties || s.allOf) return 'object';
  return undefined;
}

/** The type-correct empty value of a schema (objects: every property, to a depth of 3). */
export function emptyValue(schema: SwaggerSchema, depth = 0): unknown {
  const s = deref(schema, depth);
  if (!s) return null;
  switch (typeOf(s, depth)) {
    case 'string':
      return Array.isArray(s.enum) && typeof s.enum[0] === 'string' ? s.enum[0] : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      if (depth >= 3) return {};
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(propertiesOf(s, depth))) out[k] = emptyValue(p, depth + 1);
      return out;
    }
    default:
      return null;
  }
}

function fits(schema: SwaggerSchema, value: unknown, depth: number): boolean {
  switch (typeOf(schema, depth)) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

function coercible(schema: SwaggerSchema, value: unknown, depth: number): boolean {
  const t = typeOf(schema, depth);
  if ((t === 'integer' || t === 'number') && typeof value === 'string') return /^-?\d+(\.\d+)?$/.test(value);
  return t === 'string' && (typeof value === 'number' || typeof value === 'boolean');
}

/** A stored value in the definition's type when that loses nothing (`"12"` → 12, 12 → `"12"`). */
function coerce(schema: SwaggerSchema, value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return emptyValue(schema, depth);
  if (fits(schema, value, depth)) {
    const t = typeOf(schema, depth);
    if (t === 'object' && depth < 3) return fill(value as Record<string, unknown>, schema, depth + 1);
    const items = deref(schema, depth)?.items;
    if (t === 'array' && items && depth < 3) {
      // Items that fit (or convert losslessly) stay; a written id or file name where the
      // definition has objects (`attachments`) is not what the resource answers.
      return (value as unknown[])
        .filter((v) => fits(items, v, depth + 1) || coercible(items, v, depth + 1))
        .map((v) => coerce(items, v, depth + 1));
    }
    return value;
  }
  const t = typeOf(schema, depth);
  if ((t === 'integer' || t === 'number') && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if (t === 'number' || Number.isInteger(n)) return n;
  }
  if (t === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return emptyValue(schema, depth);
}

function fill(row: Record<string, unknown>, schema: SwaggerSchema, depth: number): Record<string, unknown> {
  const props = propertiesOf(schema, depth);
  const out: Record<string, unknown> = { ...row };
  for (const [k, p] of Object.entries(props)) out[k] = Object.hasOwn(row, k) ? coerce(p, row[k], depth) : emptyValue(p, depth + 1);
  return out;
}

/** `row` with every field of 2017 definition `name` (unknown definition: the row as is). */
export function fillDefinition(row: Record<string, unknown>, name: string | null): Record<string, unknown> {
  if (!name) return row;
  const def = definitions2017()[name];
  if (!def) return row;
  // A definition of the list itself (`PermissionTemplates`: an array of objects): its items.
  const one = def.type === 'array' && def.items ? def.items : def;
  return fill(row, one, 0);
}

/** `/rest/v2.x`: every `id`, `*_id` and `*_ids` integer as a string, nested ones too. */
export function stringIds(value: unknown, key = '', depth = 0): unknown {
  if (depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => stringIds(v, key.endsWith('_ids') ? key.slice(0, -1) : key, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = stringIds(v, k, depth + 1);
    return out;
  }
  if (typeof value === 'number' && Number.isInteger(value) && (key === 'id' || key.endsWith('_id'))) return String(value);
  return value;
}
