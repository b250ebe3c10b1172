/**
 * Versioned explorer records (hoppscotch's `versionMap` + `up()` idea): every kind keeps the
 * list of its past `data` shapes as upgrade steps, and a record of version `v` is brought to
 * the latest version on read (and written back). Clients may also send `data` in an older
 * version with its `v`; it is upgraded before it is checked and stored.
 *
 * Versions so far (docs/explorer.md#record-versions):
 * - collections  v1 a Postman collection v2.0 or v2.1 · v2 a v2.1.0 collection (normalized)
 * - environments v1 Postman file `{name, values:[{key,value,type:'text'|…,enabled?}]}`
 *                v2 `values[].type` is `default|secret`, `enabled` explicit, `current: {}` added
 * - globals      same as environments
 * - presets      v1 `{headers: {Name: value}}` · v2 `{headers: [{key, value, enabled}]}`
 * - tokens       v1 `expires_in` seconds + `created_at` · v2 `expires_at` (ISO), no client secret
 * - history      v1
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { compileValidator, type BodyValidator } from '../api/validate.js';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { normalizeCollection } from './postman-format.js';

export const RECORD_KINDS = ['collections', 'environments', 'globals', 'presets', 'tokens', 'history'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Kinds a client creates and edits through `/api/explorer/{kind}`. */
export const EDITABLE_KINDS = ['collections', 'environments', 'globals', 'presets', 'tokens'] as const;
export type EditableKind = (typeof EDITABLE_KINDS)[number];

export class RecordDataError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

// ---- latest shapes ----

const VariableValue = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 1000 }),
    value: Type.String({ maxLength: 1_000_000 }),
    type: Type.Union([Type.Literal('default'), Type.Literal('secret')]),
    enabled: Type.Boolean(),
  },
  { additionalProperties: true },
);

export const EnvironmentData = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    values: Type.Array(VariableValue, { maxItems: 2000 }),
    current: Type.Record(Type.String(), Type.String({ maxLength: 1_000_000 })),
  },
  { additionalProperties: true },
);
export type EnvironmentData = Static<typeof EnvironmentData>;

export const PresetData = Type.Object(
  {
    headers: Type.Array(
      Type.Object(
        {
          key: Type.String({ minLength: 1, maxLength: 1000 }),
          value: Type.String({ maxLength: 8192 }),
          enabled: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type PresetData = Static<typeof PresetData>;

export const TokenData = Type.Object(
  {
    access_token: Type.String({ minLength: 1, maxLength: 8192 }),
    refresh_token: Type.Optional(Type.Union([Type.String({ maxLength: 8192 }), Type.Null()])),
    token_type: Type.String({ maxLength: 100 }),
    expires_at: Type.Union([Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T', maxLength: 40 }), Type.Null()]),
    scope: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    created_at: Type.Optional(Type.String({ maxLength: 40 })),
    collection_id: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    environment: Type.Optional(Type.String({ maxLength: 20 })),
    auth: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);
export type TokenData = Static<typeof TokenData>;

export const HistoryData = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 20 }),
    url: Type.String({ minLength: 1, maxLength: 16_384 }),
    status: Type.Union([Type.Integer({ minimum: 0, maximum: 999 }), Type.Null()]),
    time_ms: Type.Number({ minimum: 0 }),
    size: Type.Integer({ minimum: 0 }),
    request: Type.Unknown(),
    response_headers: Type.Optional(Type.Array(Type.Tuple([Type.String(), Type.String()]), { maxItems: 500 })),
    collection_id: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    item_id: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: true },
);
export type HistoryData = Static<typeof HistoryData>;

const checkers = new Map<TSchema, ReturnType<typeof TypeCompiler.Compile>>();
function check<S extends TSchema>(schema: S, value: unknown): Static<S> {
  let c = checkers.get(schema);
  if (!c) checkers.set(schema, (c = TypeCompiler.Compile(schema)));
  if (c.Check(value)) return value as Static<S>;
  const first = c.Errors(value).First();
  const path = (first?.path ?? '').replace(/^\//, '').replace(/\//g, '.');
  // The API's Rails-style words ("can't be blank", "is not a valid date"), never TypeBox's.
  if (isObject(value)) {
    let words = railsCheckers.get(schema);
    if (!words) railsCheckers.set(schema, (words = compileValidator(schema)));
    const entry = Object.entries(words(value).errors).find(([f]) => f === path);
    if (entry) throw new RecordDataError(`data.${entry[0]} ${entry[1][0] ?? 'is invalid'}`, entry[0]);
  }
  throw new RecordDataError(path ? `data.${path} is invalid` : 'data must be an object', path || undefined);
}
const railsCheckers = new Map<TSchema, BodyValidator>();

// ---- upgrade steps ----

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

function environmentV1toV2(old: unknown): Json {
  if (!isObject(old)) throw new RecordDataError('data must be an object');
  const values = Array.isArray(old['values']) ? old['values'] : [];
  return {
    ...old,
    name: typeof old['name'] === 'string' ? old['name'] : '',
    values: values.filter(isObject).map((v) => ({
      ...v,
      key: typeof v['key'] === 'string' ? v['key'] : String(v['key'] ?? ''),
      value:
        typeof v['value'] === 'string' ? v['value'] : v['value'] === undefined || v['value'] === null ? '' : JSON.stringify(v['value']),
      type: v['type'] === 'secret' ? 'secret' : 'default',
      enabled: v['enabled'] !== false,
    })),
    current: isObject(old['current']) ? old['current'] : {},
  };
}

function presetV1toV2(old: unknown): Json {
  if (!isObject(old)) throw new RecordDataError('data must be an object');
  const headers = old['headers'];
  if (Array.isArray(headers)) return { headers };
  if (!isObject(headers)) return { headers: [] };
  return { headers: Object.entries(headers).map(([key, value]) => ({ key, value: String(value ?? ''), enabled: true })) };
}

function tokenV1toV2(old: unknown): Json {
  if (!isObject(old)) throw new RecordDataError('data must be an object');
  const { expires_in, ...rest } = old;
  const created = typeof old['created_at'] === 'string' ? Date.parse(old['created_at']) : NaN;
  const expiresAt =
    typeof expires_in === 'number' && Number.isFinite(created)
      ? new Date(created + expires_in * 1000).toISOString().replace(/\.000Z$/, 'Z')
      : null;
  return { token_type: 'Bearer', ...rest, expires_at: (rest['expires_at'] as string | undefined) ?? expiresAt };
}

interface KindVersions {
  latest: number;
  /** `up[n]` turns version n into n + 1. */
  up: Record<number, (old: unknown) => unknown>;
  /** Checks (and may normalize) latest-version data. */
  validate: (data: unknown) => Json;
}

/** Auth blocks kept with a token never carry the client secret. */
function stripSecret(auth: unknown): unknown {
  if (Array.isArray(auth)) return auth.filter((p) => !(isObject(p) && (p['key'] === 'clientSecret' || p['key'] === 'client_secret')));
  if (!isObject(auth)) return auth;
  const out: Json = {};
  for (const [k, v] of Object.entries(auth)) {
    if (k === 'clientSecret' || k === 'client_secret') continue;
    out[k] = isObject(v) || Array.isArray(v) ? stripSecret(v) : v;
  }
  return out;
}

export const VERSIONS: Record<RecordKind, KindVersions> = {
  collections: {
    latest: 2,
    up: { 1: (old) => normalizeCollection(old) },
    validate: (data) => normalizeCollection(data) as Json,
  },
  environments: { latest: 2, up: { 1: environmentV1toV2 }, validate: (d) => check(EnvironmentData, d) },
  globals: { latest: 2, up: { 1: environmentV1toV2 }, validate: (d) => check(EnvironmentData, d) },
  presets: { latest: 2, up: { 1: presetV1toV2 }, validate: (d) => check(PresetData, d) },
  tokens: {
    latest: 2,
    up: { 1: tokenV1toV2 },
    validate: (d) => {
      const token = check(TokenData, d);
      return token.auth === undefined ? token : { ...token, auth: stripSecret(token.auth) as Json };
    },
  },
  history: { latest: 1, up: {}, validate: (d) => check(HistoryData, d) },
};

export function latestVersion(kind: RecordKind): number {
  return VERSIONS[kind].latest;
}

/** Brings `data` of version `v` to the latest version of `kind` and checks it. */
export function upgradeData(kind: RecordKind, v: number, data: unknown): { v: number; data: Json; upgraded: boolean } {
  const spec = VERSIONS[kind];
  if (!Number.isInteger(v) || v < 1 || v > spec.latest)
    throw new RecordDataError(`${kind} records have versions 1 to ${spec.latest}, not ${v}`);
  let current = data;
  for (let n = v; n < spec.latest; n++) current = spec.up[n]!(current);
  return { v: spec.latest, data: spec.validate(current), upgraded: v !== spec.latest };
}
