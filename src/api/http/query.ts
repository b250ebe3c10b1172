/**
 * Rails-style query strings (`filters[status][]=open&sort[attribute]=number`) parsed safely.
 *
 * Fastify's parser already splits on `&`/`=` and percent-decodes names, so `filters%5Bid%5D%5B%5D`
 * arrives as the flat key `filters[id][]`. This module nests those keys into null-prototype
 * objects with hard limits, and rejects `__proto__`/`constructor`/`prototype` segments with 400
 * so nothing downstream can be polluted.
 */
import { ApiError } from '../errors.js';

export type QueryValue = string | string[] | QueryTree;
export interface QueryTree {
  [key: string]: QueryValue;
}

/** Distinct parameter names per request. */
export const MAX_QUERY_KEYS = 200;
/** Values per request, repeated names included (`a[]=1&a[]=2` counts 2). */
export const MAX_QUERY_VALUES = 1000;
/** Bracket levels after the name (`a[b][c][]` has 3). */
export const MAX_QUERY_DEPTH = 4;

const NUL = '\u0000';
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const KEY_RE = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

function bad(message: string, field: string): never {
  throw ApiError.badRequest(message, field);
}

/** Nests a flat `name → value(s)` map (as Fastify parses it) into a tree. */
export function parseQuery(flat: Record<string, string | string[] | undefined>): QueryTree {
  const root: QueryTree = Object.create(null) as QueryTree;
  const keys = Object.keys(flat);
  if (keys.length > MAX_QUERY_KEYS) bad(`Too many query parameters (max ${MAX_QUERY_KEYS})`, 'query');
  let values = 0;
  for (const rawKey of keys) {
    const raw = flat[rawKey];
    if (raw === undefined) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    // No storage keeps a NUL character (PostgreSQL text cannot): a client mistake, named.
    if (rawKey.includes(NUL) || list.some((v) => v.includes(NUL))) {
      const name = rawKey.split(NUL).join('');
      bad(`${name} must not contain a NUL character`, name);
    }
    values += list.length;
    if (values > MAX_QUERY_VALUES) bad(`Too many query values (max ${MAX_QUERY_VALUES})`, 'query');
    const m = KEY_RE.exec(rawKey);
    const segments = m ? [m[1] as string, ...[...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((s) => s[1] as string)] : [rawKey];
    if (segments.length - 1 > MAX_QUERY_DEPTH) bad(`Query parameter nested too deeply: ${rawKey}`, rawKey);
    for (const s of segments) if (FORBIDDEN.has(s)) bad(`Forbidden query parameter name: ${rawKey}`, rawKey);
    const isArray = segments.length > 1 && segments[segments.length - 1] === '';
    if (isArray) segments.pop();
    if (segments.some((s, i) => s === '' && i < segments.length)) bad(`Malformed query parameter name: ${rawKey}`, rawKey);
    let node = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const seg = segments[i] as string;
      const next = node[seg];
      if (next === undefined) {
        const child = Object.create(null) as QueryTree;
        node[seg] = child;
        node = child;
      } else if (typeof next === 'object' && !Array.isArray(next)) {
        node = next;
      } else {
        bad(`Conflicting query parameters: ${rawKey}`, rawKey);
      }
    }
    const leaf = segments[segments.length - 1] as string;
    const existing = node[leaf];
    if (isArray) {
      if (existing === undefined) node[leaf] = [...list];
      else if (Array.isArray(existing)) existing.push(...list);
      else bad(`Conflicting query parameters: ${rawKey}`, rawKey);
    } else {
      if (existing !== undefined) bad(`Conflicting query parameters: ${rawKey}`, rawKey);
      node[leaf] = list.length === 1 ? (list[0] as string) : [...list];
    }
  }
  return root;
}

/** A single string parameter; arrays and nested objects are a 400. */
export function queryString(tree: QueryTree, name: string): string | undefined {
  const v = tree[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') bad(`${name} must be a single value`, name);
  return v;
}

const ID_RE = /^[1-9][0-9]{0,15}$/;

/** Parses a positive integer id (path segment, query value or filter value), else null. */
export function parseId(value: string): number | null {
  if (!ID_RE.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** A positive integer query parameter: absent → undefined, malformed → 400 naming it. */
export function queryId(tree: QueryTree, name: string): number | undefined {
  const v = queryString(tree, name);
  if (v === undefined || v === '') return undefined;
  const n = parseId(v);
  if (n === null) bad(`${name} must be a positive integer`, name);
  return n;
}

/** `true|false|1|0` → boolean; absent → undefined; anything else → 400. */
export function queryBool(tree: QueryTree, name: string): boolean | undefined {
  const v = queryString(tree, name);
  if (v === undefined || v === '') return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  bad(`${name} must be true or false`, name);
}
