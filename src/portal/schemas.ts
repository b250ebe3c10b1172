/**
 * Request bodies of the portal JSON API (TypeBox), checked strictly (no type coercion, no
 * unknown fields) so a wrong type or a forbidden field such as `owner_id` is a 422 naming it.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { compileValidator, type BodyValidator } from '../api/validate.js';

export const SignUpBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' }),
    password: Type.String({ minLength: 8, maxLength: 1024 }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type SignUpBody = Static<typeof SignUpBody>;

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const CreateAppBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type CreateAppBody = Static<typeof CreateAppBody>;

/** Grant types an app may register, in the order they are stored. `implicit` is off by default. */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', 'implicit'] as const;

/** PATCH: only these fields; `owner_id`, `client_id`, `company_id`… are refused by name. */
export const UpdateAppBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    redirect_uris: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 50 })),
    /** The app's whole list (e.g. add or remove `implicit`); at least one, each once. */
    grant_types: Type.Optional(Type.Array(Type.Union(GRANT_TYPES.map((g) => Type.Literal(g))), { minItems: 1, maxItems: 4 })),
  },
  { additionalProperties: false },
);
export type UpdateAppBody = Static<typeof UpdateAppBody>;

/** A client mistake in a portal request: `{code, error, message, field?}` with a 4xx status. */
export class PortalError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON() {
    return { code: this.statusCode, error: this.error, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

const compiled = new Map<TSchema, ReturnType<typeof TypeCompiler.Compile>>();

/** Checks `value` against `schema`; throws a 422 PortalError naming the first bad field. */
const validators = new WeakMap<TSchema, BodyValidator>();

export function parseBody<S extends TSchema>(schema: S, value: unknown): Static<S> {
  let checker = compiled.get(schema);
  if (!checker) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PortalError(422, 'invalid_request', 'The request body must be a JSON object');
  }
  if (checker.Check(value)) return value as Static<S>;
  const first = checker.Errors(value).First();
  const path = (first?.path ?? '')
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.');
  const isUnknown = first?.type === 42; // ValueErrorType.ObjectAdditionalProperties
  if (isUnknown) throw new PortalError(422, 'invalid_request', `${path} is not a field you can set`, path || undefined);
  // The API's Rails-style words ("can't be blank", "is too long (maximum is 100 characters)"),
  // not TypeBox's ("Expected required property").
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = compileValidator(schema)));
  const entry = Object.entries(validate(value as Record<string, unknown>).errors).find(([f]) => f !== 'base');
  if (entry) throw new PortalError(422, 'invalid_request', `${entry[0]} ${entry[1][0] ?? 'is invalid'}`, entry[0]);
  // What the API's words do not cover (lengths, formats) in the same style.
  const raw = first?.message ?? '';
  const min = /length greater or equal to (\d+)/.exec(raw)?.[1];
  const max = /length less or equal to (\d+)/.exec(raw)?.[1];
  const words = min ? `is too short (minimum is ${min} characters)` : max ? `is too long (maximum is ${max} characters)` : 'is invalid';
  throw new PortalError(422, 'invalid_request', `${path || 'body'} ${words}`, path || undefined);
}
