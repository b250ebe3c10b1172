/**
 * Write-body validation with Procore's (Rails') words: every 422 names the field and says
 * "can't be blank", "is not a valid date", "is not included in the list", "is too long (maximum
 * is N characters)", "must be an integer", … — derived from the TypeBox schema of the body, so a
 * field's type is its validation. TypeBox's compiled check runs first; the messages are only
 * worked out for a body that fails it.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { FieldErrors } from './errors.js';

type Schema = TSchema & {
  type?: string | string[];
  anyOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
};

const NUL = '\u0000';

/** Messages for `value` against `schema` at `path`, added to `errors`. */
function walk(schema: Schema, value: unknown, path: string, errors: FieldErrors): void {
  const kind = schema[Kind];
  if (kind === 'Union') {
    const options = schema.anyOf ?? [];
    if (value === null) {
      if (!options.some((o) => o[Kind] === 'Null')) errors.add(path, "can't be blank");
      return;
    }
    const nonNull = options.filter((o) => o[Kind] !== 'Null');
    if (nonNull.every((o) => o[Kind] === 'Literal')) {
      if (!nonNull.some((o) => o.const === value)) errors.add(path, 'is not included in the list');
      return;
    }
    // The option of the value's own type decides the message (a string number: the string rules).
    const own = nonNull.find((o) => sameType(o, value)) ?? nonNull[0];
    if (own) walk(own, value, path, errors);
    return;
  }
  if (value === null || value === undefined) {
    if (kind !== 'Null' && kind !== 'Unknown' && kind !== 'Any') errors.add(path, "can't be blank");
    return;
  }
  switch (kind) {
    case 'String': {
      if (typeof value !== 'string') return errors.add(path, 'must be a string');
      if (value.includes(NUL)) return errors.add(path, 'must not contain a NUL character');
      if (schema.minLength !== undefined && schema.minLength > 0 && value.trim().length === 0) return errors.add(path, "can't be blank");
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return errors.add(path, `is too long (maximum is ${schema.maxLength} characters)`);
      if (schema.format === 'date' || schema.format === 'date-time') {
        if (!TypeCompiler.Compile(schema).Check(value))
          errors.add(path, schema.format === 'date' ? 'is not a valid date' : 'is not a valid datetime');
      }
      if (schema.enum && !schema.enum.includes(value)) errors.add(path, 'is not included in the list');
      else if (schema.pattern && schema.pattern !== '\\S' && !new RegExp(schema.pattern, 'u').test(value)) errors.add(path, 'is invalid');
      return;
    }
    case 'Integer':
    case 'Number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return errors.add(path, 'is not a number');
      if (kind === 'Integer' && !Number.isInteger(value)) return errors.add(path, 'must be an integer');
      if (schema.maximum !== undefined && value > schema.maximum)
        return errors.add(path, `must be less than or equal to ${schema.maximum}`);
      if (schema.minimum !== undefined && value < schema.minimum)
        return errors.add(path, schema.minimum === 1 ? 'must be greater than 0' : `must be greater than or equal to ${schema.minimum}`);
      return;
    }
    case 'Boolean':
      if (typeof value !== 'boolean') errors.add(path, 'is not included in the list');
      return;
    case 'Literal':
      if (value !== schema.const) errors.add(path, 'is not included in the list');
      return;
    case 'Array': {
      if (!Array.isArray(value)) return errors.add(path, 'must be an array');
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        return errors.add(path, `is too long (maximum is ${schema.maxItems} elements)`);
      const item = schema.items;
      if (!item) return;
      const before = Object.keys(errors.errors).length;
      for (let i = 0; i < value.length && Object.keys(errors.errors).length === before; i++) {
        const sub = new FieldErrors();
        walk(item, value[i], path, sub);
        if (!sub.empty)
          errors.add(path, `${itemNoun(item)} ${JSON.stringify(value[i])?.slice(0, 40)} ${sub.errors[path]?.[0] ?? 'is invalid'}`);
      }
      return;
    }
    case 'Object':
      if (typeof value !== 'object' || Array.isArray(value)) return errors.add(path, 'must be an object');
      walkObject(schema, value as Record<string, unknown>, path, errors);
      return;
    default:
      return;
  }
}

function itemNoun(item: Schema): string {
  return item[Kind] === 'Integer' ? 'id' : 'value';
}

function sameType(schema: Schema, value: unknown): boolean {
  switch (schema[Kind]) {
    case 'String':
      return typeof value === 'string';
    case 'Integer':
    case 'Number':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Array':
      return Array.isArray(value);
    case 'Object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'Literal':
      return typeof value === typeof schema.const;
    default:
      return false;
  }
}

function walkObject(schema: Schema, value: Record<string, unknown>, prefix: string, errors: FieldErrors): void {
  const props = schema.properties ?? {};
  for (const key of schema.required ?? []) if (value[key] === undefined) errors.add(join(prefix, key), "can't be blank");
  for (const [key, sub] of Object.entries(props)) {
    if (value[key] === undefined) continue;
    walk(sub, value[key], join(prefix, key), errors);
  }
}

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** True when some string anywhere in `value` holds a NUL character (PostgreSQL cannot store it). */
export function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (hasNul(v, depth + 1)) return true;
  return false;
}

/** A compiled body validator: Rails-style `FieldErrors` for a body object, empty when valid. */
export interface BodyValidator {
  (body: Record<string, unknown>): FieldErrors;
}

/**
 * Compiles the validator of an object body schema.
 *
 * @example const check = compileValidator(SubmittalCreateBody); check({ number: '' }).throwIfAny();
 */
export function compileValidator(schema: TSchema): BodyValidator {
  const compiled: TypeCheck<TSchema> = TypeCompiler.Compile(schema);
  return (body) => {
    const errors = new FieldErrors();
    if (compiled.Check(body) && !hasNul(body)) return errors;
    walkObject(schema as Schema, body, '', errors);
    if (errors.empty) errors.add('base', 'is invalid');
    return errors;
  };
}

/** A body validator compiled on its first use (compiling all of them was a part of start-up). */
export function lazyValidator(schema: TSchema): BodyValidator {
  let check: BodyValidator | null = null;
  return (body) => (check ??= compileValidator(schema))(body);
}
