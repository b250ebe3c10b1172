/**
 * Request bodies of the generic engine, validated against the catalogue's JSON Schema of each
 * operation with ajv (compiled on the operation's first write, then cached), each failure a 422
 * naming the field in the Rails words the declared resources use (`src/api/validate.ts`):
 * "can't be blank", "is not included in the list", "is too long (maximum is N characters)", …
 *
 * Unknown properties are ignored, as Procore does; `null` clears an optional field.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FastifyRequest } from 'fastify';
import type { CatalogOperation, JsonSchema } from '../../catalog/types.js';
import { bodyRoot } from '../../catalog/fields.js';
import { ApiError, FieldErrors } from '../errors.js';
import { isValidDate, normalizeTimestamp } from '../http/listing.js';
import { hasNul } from '../validate.js';

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  coerceTypes: false,
  validateFormats: true,
  logger: false,
  formats: {
    date: (v: string) => isValidDate(v),
    'date-time': (v: string) => normalizeTimestamp(v) !== null,
  },
});

interface CompiledBody {
  validate: ValidateFunction | null;
  /** Wrapper key (`rfi` of `{"rfi": {…}}`), null when the fields sit at the top level. */
  root: string | null;
  schema: JsonSchema;
}

const cache = new Map<string, CompiledBody>();

/** The compiled body of `op` (null when it has none). */
export function compiledBody(op: CatalogOperation): CompiledBody | null {
  if (!op.body) return null;
  let hit = cache.get(op.operationId);
  if (!hit) {
    let validate: ValidateFunction | null = null;
    try {
      validate = ajv.compile(op.body.schema);
    } catch {
      validate = null; // a schema ajv cannot compile: the body is only required to be an object
    }
    hit = { validate, root: op.body.schema.type === 'array' ? null : rootOf(op.body.schema), schema: op.body.schema };
    cache.set(op.operationId, hit);
  }
  return hit;
}

/**
 * The wrapper key: `bodyRoot`'s, or the one object-typed property that is required (or alone)
 * even when the catalogue lists no fields inside it (`{"visitor_log": {required: […]}}`).
 */
function rootOf(schema: JsonSchema): string | null {
  const root = bodyRoot(schema);
  if (root !== null) return root;
  const entries = Object.entries(schema.properties ?? {});
  const objects = entries.filter(([, s]) => s?.type === 'object');
  if (objects.length !== 1) return null;
  const [name] = objects[0] as [string, JsonSchema];
  return entries.length === 1 || (schema.required ?? []).includes(name) ? name : null;
}

/** The root object of a body (or the body itself when unwrapped), if it is an object. */
export function rootObject(op: CatalogOperation, body: unknown): Record<string, unknown> | null {
  const compiled = compiledBody(op);
  if (!compiled || body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const inner = compiled.root !== null ? (body as Record<string, unknown>)[compiled.root] : body;
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : null;
}

const JSON_TYPE = /^application\/([\w.+-]*\+)?json\b/i;

/** `/rfi/question/body` below the root → `question.body`; array indexes as `[0]`. */
function fieldName(instancePath: string, root: string | null, extra?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  if (root !== null && parts[0] === root && parts.length > 1) parts.shift();
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || root || 'base';
}

function valueAt(data: unknown, instancePath: string): unknown {
  let at = data;
  for (const p of instancePath.split('/').slice(1)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return at;
}

/** Rails' words for one ajv error. */
function message(e: ErrorObject, value: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return "can't be blank";
    case 'type': {
      const t = String(p['type']);
      if (value === null) return "can't be blank";
      if (t.startsWith('integer')) return typeof value === 'number' ? 'must be an integer' : 'is not a number';
      if (t.startsWith('number')) return 'is not a number';
      if (t.startsWith('string')) return 'must be a string';
      if (t.startsWith('boolean')) return 'is not included in the list';
      if (t.startsWith('array')) return 'must be an array';
      if (t.startsWith('object')) return 'must be an object';
      return 'is invalid';
    }
    case 'enum':
    case 'const':
      return 'is not included in the list';
    case 'maxLength':
      return `is too long (maximum is ${String(p['limit'])} characters)`;
    case 'minLength':
      return typeof value === 'string' && value.trim() === ''
        ? "can't be blank"
        : `is too short (minimum is ${String(p['limit'])} characters)`;
    case 'format':
      return p['format'] === 'date' ? 'is not a valid date' : p['format'] === 'date-time' ? 'is not a valid datetime' : 'is invalid';
    case 'maximum':
      return `must be less than or equal to ${String(p['limit'])}`;
    case 'minimum':
      return Number(p['limit']) === 1 ? 'must be greater than 0' : `must be greater than or equal to ${String(p['limit'])}`;
    case 'exclusiveMinimum':
      return `must be greater than ${String(p['limit'])}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(p['limit'])}`;
    case 'maxItems':
      return `is too long (maximum is ${String(p['limit'])} elements)`;
    case 'minItems':
      return `is too short (minimum is ${String(p['limit'])} elements)`;
    default:
      return 'is invalid';
  }
}

/** Whether `instancePath` names a property its parent object does not require (null may clear it). */
function optionalAt(schema: JsonSchema, instancePath: string): boolean {
  const parts = instancePath.split('/').slice(1);
  let at: JsonSchema | undefined = schema;
  for (let i = 0; i < parts.length; i++) {
    if (!at) return false;
    const p = parts[i] as string;
    if (/^\d+$/.test(p) && at.items) {
      at = at.items;
      continue;
    }
    if (i === parts.length - 1) return !(at.required ?? []).includes(p);
    at = at.properties?.[p];
  }
  return false;
}

/**
 * The request body of `op`, checked: 415 for a non-JSON body, 400 when it is missing or not an
 * object (or the root key is missing, as Rails' ParameterMissing), 422 naming each bad field.
 * Multipart operations accept the same fields as JSON.
 */
export function readGenericBody(request: FastifyRequest, op: CatalogOperation): unknown {
  const compiled = compiledBody(op);
  if (!compiled) return undefined;
  const type = String(request.headers['content-type'] ?? '');
  const body: unknown = request.body;
  if (body !== undefined && body !== null && !JSON_TYPE.test(type)) {
    throw new ApiError(415, {
      code: 415,
      message: 'Content-Type must be application/json',
      errors: ['Content-Type must be application/json'],
    });
  }
  const isArray = compiled.schema.type === 'array';
  if (body === undefined || body === null) {
    if (!op.body?.required) return isArray ? [] : {};
    throw ApiError.missingParam(compiled.root ?? 'body');
  }
  if (isArray) {
    if (!Array.isArray(body)) throw ApiError.badRequest('Request body must be a JSON array', 'body');
  } else if (typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.badRequest('Request body must be a JSON object', 'body');
  }
  if (compiled.root !== null) {
    const inner = (body as Record<string, unknown>)[compiled.root];
    if (inner === undefined || inner === null) throw ApiError.missingParam(compiled.root);
    if (typeof inner !== 'object' || Array.isArray(inner)) throw ApiError.unprocessable({ [compiled.root]: ['must be an object'] });
  }
  const errors = new FieldErrors();
  if (hasNul(body)) errors.add('base', 'must not contain a NUL character');
  if (compiled.validate && !compiled.validate(body)) {
    for (const e of compiled.validate.errors ?? []) {
      const value = valueAt(body, e.instancePath);
      if (e.keyword === 'type' && value === null && optionalAt(compiled.schema, e.instancePath)) continue;
      if (e.keyword === 'nullable' || e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') {
        if (value === null && optionalAt(compiled.schema, e.instancePath)) continue;
      }
      const missing = e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
      const field = fieldName(e.instancePath, compiled.root, missing);
      const text = message(e, value);
      if (!(errors.errors[field] ?? []).includes(text)) errors.add(field, text);
    }
  }
  errors.throwIfAny();
  return body;
}

/**
 * The fields a write stores: the root object's (or the top level's) properties the schema
 * names, unknown ones dropped; all of them when the schema leaves the object open.
 */
export function writtenFields(op: CatalogOperation, body: unknown): Record<string, unknown> {
  const compiled = compiledBody(op);
  if (!compiled || body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const schema = compiled.root !== null ? compiled.schema.properties?.[compiled.root] : compiled.schema;
  const source = (compiled.root !== null ? (body as Record<string, unknown>)[compiled.root] : body) as Record<string, unknown>;
  return pickKnown(schema, source);
}

/** The properties of `value` that `schema` names (all when it names none). */
export function pickKnown(schema: JsonSchema | undefined, value: Record<string, unknown>): Record<string, unknown> {
  const props = schema?.properties;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || k === '__proto__') continue;
    if (props && !Object.hasOwn(props, k)) continue;
    out[k] = v;
  }
  return out;
}
