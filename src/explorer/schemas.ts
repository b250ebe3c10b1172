/**
 * TypeBox schemas of the explorer API (`/api/explorer`): bodies, params, queries and responses.
 * Every route is `hide: true`, so the explorer API stays out of the Procore `/openapi.json`
 * document (docs/explorer.md describes it instead).
 */
import { Type, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { EDITABLE_KINDS, RECORD_KINDS } from './records.js';
import { PICKER_KINDS } from './pickers.js';

const literalUnion = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<T>[]>;

export const ErrorBody = Type.Object({
  code: Type.Optional(Type.Integer()),
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});

export const RecordView = Type.Object({
  id: Type.String(),
  kind: literalUnion(RECORD_KINDS),
  v: Type.Integer(),
  name: Type.String(),
  data: Type.Unknown(),
  position: Type.Integer(),
  builtin: Type.Boolean(),
  app_id: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const KindParams = Type.Object({ kind: literalUnion(EDITABLE_KINDS) });
export const KindIdParams = Type.Object({ kind: literalUnion(EDITABLE_KINDS), id: Type.String({ maxLength: 100 }) });
export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

const Name = Type.String({ minLength: 1, maxLength: 200 });

export const CreateBody = Type.Object(
  {
    name: Type.Optional(Name),
    data: Type.Unknown(),
    /** Version of `data`; older data is upgraded (default: latest). */
    v: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const PutBody = Type.Object(
  { name: Type.Optional(Name), data: Type.Unknown(), v: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
);

export const PatchBody = Type.Object(
  { name: Type.Optional(Name), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) },
  { additionalProperties: false, minProperties: 1 },
);

export const HistoryQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });

export const RestoreBody = Type.Object({ app_id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const ImportBody = Type.Union([
  Type.Object({ url: Type.String({ minLength: 1, maxLength: 4096 }), name: Type.Optional(Name) }, { additionalProperties: false }),
  Type.Object(
    { json: Type.Union([Type.Object({}, { additionalProperties: true }), Type.String({ minLength: 1 })]), name: Type.Optional(Name) },
    { additionalProperties: false },
  ),
]);

export const ExportQuery = Type.Object({
  include_secrets: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0')])),
});

const Pair = Type.Tuple([Type.String({ maxLength: 8192 }), Type.String({ maxLength: 65_536 })]);

export const SendBody = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 20 }),
    url: Type.String({ minLength: 1, maxLength: 16_384 }),
    headers: Type.Optional(Type.Array(Pair, { maxItems: 200 })),
    body: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object({ mode: Type.Literal('raw'), raw: Type.String() }, { additionalProperties: false }),
        Type.Object(
          { mode: Type.Literal('urlencoded'), urlencoded: Type.Array(Pair, { maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        Type.Object({ mode: Type.Literal('formdata'), formdata: Type.Array(Pair, { maxItems: 1000 }) }, { additionalProperties: false }),
      ]),
    ),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 120_000 })),
    follow_redirects: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const SendResponse = Type.Object({
  status: Type.Integer(),
  status_text: Type.String(),
  headers: Type.Array(Type.Tuple([Type.String(), Type.String()])),
  body: Type.String(),
  body_encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')]),
  size: Type.Integer(),
  time_ms: Type.Number(),
  url: Type.String(),
  redirects: Type.Array(Type.Object({ status: Type.Integer(), location: Type.String() })),
  via: Type.Union([Type.Literal('this-server'), Type.Literal('network')]),
});

export const CodegenBody = Type.Object(
  {
    language: Type.String({ minLength: 1, maxLength: 50 }),
    variant: Type.String({ minLength: 1, maxLength: 50 }),
    request: Type.Union([Type.Object({}, { additionalProperties: true }), Type.String({ minLength: 1 })]),
    options: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
  },
  { additionalProperties: false },
);

export const PickersQuery = Type.Object({
  app_id: Type.Integer({ minimum: 1 }),
  kind: literalUnion(PICKER_KINDS),
  q: Type.Optional(Type.String({ maxLength: 200 })),
});

export const ValidateBody = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 20 }),
    path: Type.String({ minLength: 1, maxLength: 16_384 }),
    status: Type.Integer({ minimum: 100, maximum: 999 }),
    body: Type.Unknown(),
  },
  { additionalProperties: false },
);

export const ValidateResponse = Type.Object({
  operation_id: Type.Union([Type.String(), Type.Null()]),
  path_template: Type.Union([Type.String(), Type.Null()]),
  valid: Type.Union([Type.Boolean(), Type.Null()]),
  errors: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
});

/** `{ hide: true, ...schema, response: {…, 4xx: ErrorBody, 5xx: ErrorBody} }` for every explorer route. */
export function routeSchema<S extends { response: Record<number, TSchema> }>(
  schema: S,
): Omit<S, 'response'> & { hide: true; tags: string[]; response: S['response'] & { '4xx': typeof ErrorBody; '5xx': typeof ErrorBody } } {
  return { ...schema, hide: true, tags: ['explorer'], response: { ...schema.response, '4xx': ErrorBody, '5xx': ErrorBody } };
}
