/**
 * List machinery shared by every paginated endpoint: `page`/`per_page`, Procore's `Total`,
 * `Per-Page` and `Link` headers, `filters[…]` and `sort` (procore-api.md §3.1, §3.4).
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { ApiError } from '../errors.js';
import { parseId, queryString, type QueryTree, type QueryValue } from './query.js';

/** Procore v1.0's documented maximum. */
export const MAX_PER_PAGE = 10_000;
export const DEFAULT_PER_PAGE = 100;

export interface Page {
  page: number;
  perPage: number;
}

const PAGE_RE = /^[1-9][0-9]{0,8}$/;

/** `page`/`per_page` from the query; 400 naming the parameter on anything odd. */
export function parsePage(tree: QueryTree, maxPerPage = MAX_PER_PAGE): Page {
  const rawPage = queryString(tree, 'page');
  const rawPer = queryString(tree, 'per_page');
  if (rawPage !== undefined && !PAGE_RE.test(rawPage)) throw ApiError.badRequest('page must be a positive integer', 'page');
  if (rawPer !== undefined && !PAGE_RE.test(rawPer)) throw ApiError.badRequest('per_page must be a positive integer', 'per_page');
  const perPage = rawPer === undefined ? Math.min(DEFAULT_PER_PAGE, maxPerPage) : Number(rawPer);
  if (perPage > maxPerPage) throw ApiError.badRequest(`per_page must be at most ${maxPerPage}`, 'per_page');
  return { page: rawPage === undefined ? 1 : Number(rawPage), perPage };
}

/** Characters that would break a `Link` header value or its URL. */
function encodeLinkChars(s: string): string {
  return s.replace(/[<>,;"\s\u0080-\uffff]/g, (c) => encodeURIComponent(c));
}

/**
 * `Link` header value with absolute URLs: `first`/`prev` from page 2 on, `next` before the last
 * page, `last` always. Other query parameters are kept as the client sent them.
 */
export function linkHeader(baseUrl: string, rawQuery: string, page: number, perPage: number, total: number): string {
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const kept = rawQuery
    .split('&')
    .filter((p) => p !== '' && !/^(page|per_page)(=|$)/.test(p))
    .map(encodeLinkChars);
  const url = (n: number) => `<${baseUrl}?${[...kept, `page=${n}`, `per_page=${perPage}`].join('&')}>`;
  const links: string[] = [];
  if (page > 1) {
    links.push(`${url(1)}; rel="first"`);
    links.push(`${url(Math.min(page - 1, lastPage))}; rel="prev"`);
  }
  if (page < lastPage) links.push(`${url(page + 1)}; rel="next"`);
  links.push(`${url(lastPage)}; rel="last"`);
  return links.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Filters

/**
 * How one `filters[name]` is read and applied.
 * - `ids`: one id or `[]` list; `enum`: one value or list from `values`; `bool`: true/false;
 * - `datetime`: a timestamp/date or a range `a...b` (ISO 8601, `±HH:MM` offsets, dates);
 * - `int`: a number, a range `4...7`, or a list; `search`: case-insensitive substring.
 */
export type FilterDef = (
  | { kind: 'ids'; column: string }
  | { kind: 'enum'; column: string; values: readonly string[] }
  | { kind: 'bool'; column: string }
  | { kind: 'datetime'; column: string; date?: boolean }
  | { kind: 'int'; column: string }
  | { kind: 'search'; columns: string[] }
) & {
  /** Custom application (e.g. membership in a JSON list column) instead of a column test. */
  apply?: (qb: AnyQuery, filter: ParsedFilter) => AnyQuery;
  description?: string;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQuery = SelectQueryBuilder<any, any, any>;

export type ParsedFilter =
  | { kind: 'ids'; ids: number[] }
  | { kind: 'enum'; values: string[] }
  | { kind: 'bool'; value: boolean }
  | { kind: 'range'; from: string | number; to: string | number }
  | { kind: 'in'; values: number[] }
  | { kind: 'search'; text: string };

function listOf(v: QueryValue, field: string): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v;
  throw ApiError.badRequest(`${field} has an invalid value`, field);
}

/** ISO 8601 timestamp (or date) → canonical `YYYY-MM-DDTHH:MM:SSZ`, or null. */
export function normalizeTimestamp(value: string, endOfDay = false): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (!isValidDate(value)) return null;
    return `${value}T${endOfDay ? '23:59:59' : '00:00:00'}Z`;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !isValidDate(value.slice(0, 10))) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isValidDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function parseOne(name: string, def: FilterDef, v: QueryValue): ParsedFilter {
  const field = `filters[${name}]`;
  switch (def.kind) {
    case 'ids': {
      const ids = listOf(v, field).map((s) => parseId(s));
      if (ids.some((n) => n === null)) throw ApiError.badRequest(`${field} must be integer ids`, field);
      return { kind: 'ids', ids: ids as number[] };
    }
    case 'enum': {
      const values = listOf(v, field);
      const bad = values.find((s) => !def.values.includes(s));
      if (bad !== undefined) throw ApiError.badRequest(`${field} must be one of: ${def.values.join(', ')}`, field);
      return { kind: 'enum', values };
    }
    case 'bool': {
      if (v === 'true' || v === '1') return { kind: 'bool', value: true };
      if (v === 'false' || v === '0') return { kind: 'bool', value: false };
      throw ApiError.badRequest(`${field} must be true or false`, field);
    }
    case 'datetime': {
      if (typeof v !== 'string') throw ApiError.badRequest(`${field} must be a timestamp or a range a...b`, field);
      const parts = v.split('...');
      if (parts.length > 2) throw ApiError.badRequest(`${field} must be a timestamp or a range a...b`, field);
      const from = normalizeTimestamp(parts[0] ?? '');
      const to = normalizeTimestamp(parts[1] ?? parts[0] ?? '', true);
      if (!from || !to) throw ApiError.badRequest(`${field} must be an ISO 8601 timestamp or a range a...b`, field);
      return def.date ? { kind: 'range', from: from.slice(0, 10), to: to.slice(0, 10) } : { kind: 'range', from, to };
    }
    case 'int': {
      if (typeof v === 'string' && v.includes('...')) {
        const [a, b, ...rest] = v.split('...');
        if (rest.length || !/^-?\d{1,9}$/.test(a ?? '') || !/^-?\d{1,9}$/.test(b ?? ''))
          throw ApiError.badRequest(`${field} must be a number, a list or a range a...b`, field);
        return { kind: 'range', from: Number(a), to: Number(b) };
      }
      const values = listOf(v, field);
      if (values.some((s) => !/^-?\d{1,9}$/.test(s)))
        throw ApiError.badRequest(`${field} must be a number, a list or a range a...b`, field);
      return { kind: 'in', values: values.map(Number) };
    }
    case 'search': {
      if (typeof v !== 'string') throw ApiError.badRequest(`${field} must be a string`, field);
      return { kind: 'search', text: v };
    }
  }
}

/** Reads `filters[…]` against an endpoint's filter table. Unknown filter names are ignored, as Procore does. */
export function parseFilters(tree: QueryTree, defs: Record<string, FilterDef>): Map<string, ParsedFilter> {
  const out = new Map<string, ParsedFilter>();
  const raw = tree['filters'];
  if (raw === undefined) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw ApiError.badRequest('filters must be given as filters[name]=value', 'filters');
  for (const name of Object.keys(raw)) {
    const def = Object.hasOwn(defs, name) ? defs[name] : undefined;
    const v = raw[name];
    if (!def || v === undefined) continue;
    out.set(name, parseOne(name, def, v));
  }
  return out;
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Applies parsed filters to a Kysely select, portable across SQLite and PostgreSQL. */
export function applyFilters(qb: AnyQuery, defs: Record<string, FilterDef>, parsed: Map<string, ParsedFilter>): AnyQuery {
  for (const [name, f] of parsed) {
    const def = defs[name];
    if (!def) continue;
    if (def.apply) {
      qb = def.apply(qb, f);
      continue;
    }
    if (def.kind === 'search' && f.kind === 'search') {
      const pattern = likePattern(f.text);
      qb = qb.where((eb) => eb.or(def.columns.map((c) => sql<boolean>`lower(${sql.ref(c)}) like ${pattern} escape '\\'`)));
      continue;
    }
    if (def.kind === 'search') continue;
    const col = def.column;
    switch (f.kind) {
      case 'ids':
        qb = qb.where(col, 'in', f.ids.length ? f.ids : [-1]);
        break;
      case 'enum':
        qb = qb.where(col, 'in', f.values);
        break;
      case 'bool':
        qb = qb.where(col, '=', f.value ? 1 : 0);
        break;
      case 'range':
        qb = qb.where(col, '>=', f.from).where(col, '<=', f.to);
        break;
      case 'in':
        qb = qb.where(col, 'in', f.values.length ? f.values : [-1]);
        break;
      case 'search':
        break;
    }
  }
  return qb;
}

// ---------------------------------------------------------------------------------------------
// Sorting

/**
 * Sort keys of an endpoint. `style: 'sort'` reads `sort=name`, `sort=-name`, `sort=a,-b`;
 * `style: 'attribute'` (RFIs) reads `sort[attribute]=number&sort[direction]=desc`.
 */
export interface SortDef {
  style: 'sort' | 'attribute';
  keys: Record<string, string>;
  /** Applied when no sort is given (and as tie-break): column and direction. */
  default: [string, 'asc' | 'desc'][];
}

export function parseSort(tree: QueryTree, def: SortDef | undefined): [string, 'asc' | 'desc'][] {
  const raw = tree['sort'];
  if (raw === undefined || def === undefined) return def?.default ?? [];
  const column = (key: string, field: string): string => {
    const c = Object.hasOwn(def.keys, key) ? def.keys[key] : undefined;
    if (!c) throw ApiError.badRequest(`${field} must be one of: ${Object.keys(def.keys).join(', ')}`, field);
    return c;
  };
  const out: [string, 'asc' | 'desc'][] = [];
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const attribute = raw['attribute'];
    const direction = raw['direction'] ?? 'asc';
    if (typeof attribute !== 'string') throw ApiError.badRequest('sort[attribute] is required', 'sort[attribute]');
    if (direction !== 'asc' && direction !== 'desc') throw ApiError.badRequest('sort[direction] must be asc or desc', 'sort[direction]');
    out.push([column(attribute, 'sort[attribute]'), direction]);
  } else if (typeof raw === 'string') {
    for (const part of raw.split(',')) {
      const desc = part.startsWith('-');
      out.push([column(desc ? part.slice(1) : part, 'sort'), desc ? 'desc' : 'asc']);
    }
  } else {
    throw ApiError.badRequest('sort must be a single value', 'sort');
  }
  return [...out, ...def.default];
}

export function applySort(qb: AnyQuery, order: [string, 'asc' | 'desc'][]): AnyQuery {
  for (const [col, dir] of order) qb = qb.orderBy(col, dir);
  return qb;
}
