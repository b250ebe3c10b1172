/**
 * Postman files in and out of the explorer: collections v2.0 and v2.1 normalized to v2.1.0,
 * environment and globals files, the wrapped API forms (`{"collection": …}`,
 * `{"environment": …}`), and the exported shapes.
 *
 * Normalizing is lossless for a v2.1 collection: the JSON is kept as given (unknown fields,
 * scripts, saved responses, `useBrowser` booleans, `*RequestParams` arrays…); only
 * `info.schema` is set to the exact v2.1.0 URL. A v2.0 collection differs only in its auth
 * blocks (a `{key: value}` object per type instead of `[{key, value, type}]`), which are
 * converted with postman-collection's `RequestAuth`; everything else is kept.
 */
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import type Sdk from 'postman-collection';
import { COLLECTION_SCHEMA_URL } from '../postman/collection.js';
import { POSTMAN_COLLECTION_V210_SCHEMA } from '../postman/collection-schema.js';

type Json = Record<string, unknown>;

// postman-collection (and the faker it loads) is read on first use, not at start-up.
const requireLazily = createRequire(import.meta.url);
let loadedSdk: typeof Sdk | null = null;
const sdk = () => (loadedSdk ??= requireLazily('postman-collection') as typeof Sdk);
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

export class FormatError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Auth types of the v2.1.0 schema. */
export const AUTH_TYPES = [
  'apikey',
  'awsv4',
  'basic',
  'bearer',
  'digest',
  'edgegrid',
  'hawk',
  'noauth',
  'oauth1',
  'oauth2',
  'ntlm',
] as const;

/** Guards against hostile files: nesting and item counts a real collection never reaches. */
export const MAX_ITEMS = 10_000;
export const MAX_DEPTH = 32;

/** `v2.0` / `v2.1` from `info.schema` (getpostman.com or postman.com URLs), or null. */
export function schemaVersion(schema: unknown): '2.0' | '2.1' | null {
  if (typeof schema !== 'string') return null;
  const m = /\/v2\.([01])\.\d+\//.exec(schema) ?? /\/collection\/json\/v2\.([01])\.\d+/.exec(schema);
  return m ? (m[1] === '0' ? '2.0' : '2.1') : null;
}

function attributeType(value: unknown): string {
  return typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'string' : 'any';
}

/** A v2.0 auth block (`{type, bearer: {token}}`) in v2.1 form (`{type, bearer: [{key, value, type}]}`). */
export function authToV21(auth: Json): Json {
  const out: Json = { ...auth };
  for (const type of AUTH_TYPES) {
    const params = auth[type];
    if (type === 'noauth' || !isObject(params)) continue;
    // The SDK reads both forms; its JSON is the v2.1 list. Keep Postman's attribute types.
    const converted = new (sdk().RequestAuth)({ type, [type]: params } as never).toJSON() as Json;
    const list = (converted[type] as { key: string; value: unknown }[] | undefined) ?? [];
    out[type] = list.map(({ key, value }) => ({ key, value, type: attributeType(value) }));
  }
  return out;
}

function convertAuthIn(node: unknown, depth: number, counter: { items: number }): void {
  if (!isObject(node)) return;
  if (depth > MAX_DEPTH) throw new FormatError(`Folders are nested deeper than ${MAX_DEPTH} levels`);
  if (isObject(node['auth'])) node['auth'] = authToV21(node['auth']);
  const request = node['request'];
  if (isObject(request) && isObject(request['auth'])) request['auth'] = authToV21(request['auth']);
  if (Array.isArray(node['response'])) {
    for (const r of node['response']) {
      const original = isObject(r) ? r['originalRequest'] : undefined;
      if (isObject(original) && isObject(original['auth'])) original['auth'] = authToV21(original['auth']);
    }
  }
  if (Array.isArray(node['item'])) {
    for (const child of node['item']) {
      if (++counter.items > MAX_ITEMS) throw new FormatError(`A collection may hold at most ${MAX_ITEMS} items`);
      convertAuthIn(child, depth + 1, counter);
    }
  }
}

let validateV21: ValidateFunction | null = null;

function checkV21(collection: Json): void {
  if (!validateV21) validateV21 = new Ajv({ strict: false, allErrors: false }).compile(POSTMAN_COLLECTION_V210_SCHEMA);
  if (!validateV21(collection)) {
    const e = validateV21.errors?.[0];
    const path = (e?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    throw new FormatError(`Not a Postman v2.1 collection: ${path || 'collection'} ${e?.message ?? 'is invalid'}`, path || undefined);
  }
  try {
    new (sdk().Collection)(collection as never);
  } catch (err) {
    throw new FormatError(`postman-collection cannot read this collection: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Is this JSON a Postman collection (any version, bare or wrapped)? */
export function looksLikeCollection(value: unknown): boolean {
  const v = isObject(value) && isObject(value['collection']) ? value['collection'] : value;
  return isObject(v) && (isObject(v['info']) || (Array.isArray(v['requests']) && typeof v['name'] === 'string'));
}

/**
 * A Postman collection v2.0 or v2.1 (bare or `{"collection": …}`) as a v2.1.0 collection.
 * Throws FormatError for anything else (v1 files are refused with a hint).
 */
export function normalizeCollection(input: unknown): Json {
  const unwrapped = isObject(input) && isObject(input['collection']) && !isObject(input['info']) ? input['collection'] : input;
  if (!isObject(unwrapped)) throw new FormatError('A collection must be a JSON object');
  if (!isObject(unwrapped['info'])) {
    if (Array.isArray(unwrapped['requests']))
      throw new FormatError('Postman collection v1 files are not supported: export the collection again as v2.1 (Postman: Export → v2.1)');
    throw new FormatError('Not a Postman collection: info is missing');
  }
  const info = unwrapped['info'];
  const version = schemaVersion(info['schema']);
  if (info['schema'] !== undefined && version === null)
    throw new FormatError(
      `Unsupported collection schema ${JSON.stringify(String(info['schema']).slice(0, 200))} (v2.0 and v2.1 are supported)`,
    );
  if (!Array.isArray(unwrapped['item'])) throw new FormatError('Not a Postman collection: item must be a list', 'item');
  // Deep copy: the caller's object is never changed.
  const out = structuredClone(unwrapped);
  convertAuthIn(out, 0, { items: 0 });
  (out['info'] as Json)['schema'] = COLLECTION_SCHEMA_URL;
  checkV21(out);
  return out;
}

// ---- environments and globals ----

export interface NormalizedEnvironment {
  scope: 'environment' | 'globals';
  data: {
    name: string;
    values: { key: string; value: string; type: 'default' | 'secret'; enabled: boolean }[];
    current: Record<string, string>;
  } & Json;
}

/** Is this JSON a Postman environment or globals file (bare or wrapped)? */
export function looksLikeEnvironment(value: unknown): boolean {
  const v = isObject(value)
    ? ((isObject(value['environment']) ? value['environment'] : isObject(value['globals']) ? value['globals'] : value) as Json)
    : null;
  return !!v && Array.isArray(v['values']) && !isObject(v['info']);
}

/** A Postman environment or globals file as the explorer's environment data (v2). */
export function normalizeEnvironment(input: unknown): NormalizedEnvironment {
  let v: unknown = input;
  let scope: 'environment' | 'globals' = 'environment';
  if (isObject(input) && isObject(input['environment'])) v = input['environment'];
  else if (isObject(input) && isObject(input['globals'])) {
    v = input['globals'];
    scope = 'globals';
  }
  if (!isObject(v) || !Array.isArray(v['values'])) throw new FormatError('Not a Postman environment: values must be a list', 'values');
  if (v['_postman_variable_scope'] === 'globals') scope = 'globals';
  const values = v['values'].map((raw, i) => {
    if (!isObject(raw) || typeof raw['key'] !== 'string' || raw['key'] === '')
      throw new FormatError(`values[${i}]: key must be a non-empty string`, `values.${i}.key`);
    const value = raw['value'];
    return {
      key: raw['key'],
      value:
        typeof value === 'string'
          ? value
          : value === undefined || value === null
            ? ''
            : typeof value === 'object'
              ? JSON.stringify(value)
              : String(value),
      type: raw['type'] === 'secret' ? ('secret' as const) : ('default' as const),
      enabled: raw['enabled'] !== false,
    };
  });
  const name =
    typeof v['name'] === 'string' && v['name'].trim()
      ? v['name'].trim().slice(0, 200)
      : scope === 'globals'
        ? 'Globals'
        : 'Imported environment';
  return { scope, data: { name, values, current: {} } };
}

/**
 * The Postman environment file of a record: current values are never exported, and secret
 * values are exported empty unless `includeSecrets` (Postman's own export does the same).
 */
export function exportEnvironment(
  record: { id: string; name: string; data: Json },
  scope: 'environment' | 'globals',
  exportedAt: string,
  includeSecrets = false,
): Json {
  const values = Array.isArray(record.data['values']) ? (record.data['values'] as Json[]) : [];
  return {
    id: record.id,
    name: record.name,
    values: values.map((v) => ({
      key: v['key'],
      value: v['type'] === 'secret' && !includeSecrets ? '' : v['value'],
      type: v['type'] === 'secret' ? 'secret' : 'default',
      enabled: v['enabled'] !== false,
    })),
    _postman_variable_scope: scope,
    _postman_exported_at: exportedAt,
    _postman_exported_using: 'procore-sandbox explorer',
  };
}
