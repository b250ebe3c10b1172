/**
 * List machinery shared by every paginated endpoint: `page`/`per_page`, Procore's `Total`,
 * `Per-Page` and `Link` headers, `filters[…]` and `sort` (procore-api.md §3.1, §3.4).
 */
import type { FastifyReply } from 'fastify';
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { param, preparedQuery, runQuery } from '../../db/connect.js';
import type { Database } from '../../db/schema.js';
import { COUNTED_TABLES } from '../../db/migrations/2026-12-02T00-fast-path.js';
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

// ---------------------------------------------------------------------------------------------
// Running a list: Total, keyset pages, Link

/**
 * What a list base selects, when it is "the live rows of `table` in one project" (see
 * `tagListScope`): lets `runList` read `Total` from `list_counts` and seek pages by id instead of
 * counting and skipping rows.
 */
export interface ListScope {
  table: string;
  projectId: number;
  sandboxId: number;
  /**
   * The storage's `select` and the same page as one prepared statement: `select(base)` from id
   * `first` on, `limit` rows in id order (used when the list selects with that `select`).
   */
  page?: {
    select: (qb: AnyQuery) => AnyQuery;
    run(db: Kysely<Database>, scope: ListScope, first: number, limit: number): Promise<unknown[]>;
  };
}

const scopes = new WeakMap<object, ListScope>();

/**
 * Marks `qb` as selecting exactly the live (`deleted_at is null`) rows of `scope.table` in
 * `scope.projectId`. Any further `.where()` makes a new builder without the mark, so a narrowed
 * base (search, custom conditions) simply takes the general path.
 */
export function tagListScope<Q extends AnyQuery>(qb: Q, scope: ListScope): Q {
  if ((COUNTED_TABLES as readonly string[]).includes(scope.table)) scopes.set(qb, scope);
  return qb;
}

const liveCount = preparedQuery((db) =>
  db
    .selectFrom('list_counts')
    .select(['n', 'version'])
    .where('table_name', '=', param<string>(0))
    .where('project_id', '=', param<number>(1)),
);

const liveIdQueries = new Map<string, ReturnType<typeof preparedQuery<{ id: number }>>>();
function liveIds(table: string) {
  let q = liveIdQueries.get(table);
  if (!q) {
    q = preparedQuery((db) =>
      (db as unknown as Kysely<Record<string, { id: number; project_id: number; sandbox_id: number; deleted_at: string | null }>>)
        .selectFrom(table)
        .select('id')
        .where('project_id', '=', param<number>(0))
        .where('sandbox_id', '=', param<number>(1))
        .where('deleted_at', 'is', null)
        .orderBy('id'),
    ) as ReturnType<typeof preparedQuery<{ id: number }>>;
    liveIdQueries.set(table, q);
  }
  return q;
}

/**
 * Keyset bookmarks: the ids of a project's live rows in id order, valid for one `version` of
 * its `list_counts` row (which changes with every insert, delete and soft delete, in any
 * process). Read once per version through the covering list index; a page then costs one seek.
 * Bounded: at most MAX_BOOKMARK_IDS ids are kept in all (oldest lists dropped first).
 */
const bookmarks = new Map<string, { version: number; ids: Float64Array }>();
const MAX_BOOKMARK_IDS = 2_000_000;
let bookmarkIds = 0;

async function idsAt(db: Kysely<Database>, scope: ListScope, version: number, total: number): Promise<Float64Array | null> {
  const key = `${scope.table}:${scope.projectId}`;
  const hit = bookmarks.get(key);
  if (hit && hit.version === version) return hit.ids;
  const rows = await liveIds(scope.table)(db, [scope.projectId, scope.sandboxId]);
  const ids = Float64Array.from(rows, (r) => Number(r.id));
  // A write between the count and this read: use the ids for this request, cache nothing.
  if (ids.length !== total) return null;
  if (hit) {
    bookmarks.delete(key);
    bookmarkIds -= hit.ids.length;
  }
  while (bookmarkIds + ids.length > MAX_BOOKMARK_IDS && bookmarks.size) {
    const [oldest, entry] = bookmarks.entries().next().value as [string, { ids: Float64Array }];
    bookmarks.delete(oldest);
    bookmarkIds -= entry.ids.length;
  }
  bookmarks.set(key, { version, ids });
  bookmarkIds += ids.length;
  return ids;
}

export interface ListRun {
  db: Kysely<Database>;
  reply: FastifyReply;
  /** The request URL (path and raw query), for `Link`. */
  url: string;
  origin: string;
  page: Page;
  filterDefs: Record<string, FilterDef>;
  filters: Map<string, ParsedFilter>;
  sort: [string, 'asc' | 'desc'][];
}

function isIdOrder(sort: [string, 'asc' | 'desc'][]): boolean {
  return sort.length === 1 && sort[0]![0] === 'id' && sort[0]![1] === 'asc';
}

/**
 * Runs a paginated list (the body of `ApiContext.list`): filters, sort, page, `Total`,
 * `Per-Page`, `Link`. A tagged base (`tagListScope`) without filters in id order reads `Total`
 * from `list_counts` and seeks the page by id (cost independent of the page number and of the
 * project's size); anything else counts with the list index and pages with LIMIT/OFFSET.
 */
export async function runList<R>(
  run: ListRun,
  base: AnyQuery,
  select: (qb: AnyQuery) => AnyQuery,
  serialize: (rows: R[]) => Promise<unknown[]> | unknown[],
): Promise<unknown[]> {
  const { page, db } = run;
  const offset = (page.page - 1) * page.perPage;
  const scope = scopes.get(base);
  let rows: R[];
  let total: number;
  if (scope && run.filters.size === 0 && isIdOrder(run.sort)) {
    const [count] = await liveCount(db, [scope.table, scope.projectId]);
    total = count ? Number(count.n) : 0;
    if (offset >= total) {
      rows = [];
    } else {
      const ids = await idsAt(db, scope, count ? Number(count.version) : 0, total);
      const first = ids ? ids[offset] : undefined;
      if (first !== undefined && scope.page && scope.page.select === select) {
        rows = (await scope.page.run(db, scope, first, page.perPage)) as R[];
      } else {
        let qb = select(base);
        if (first !== undefined) qb = qb.where('id', '>=', first).orderBy('id', 'asc').limit(page.perPage);
        else qb = qb.orderBy('id', 'asc').limit(page.perPage).offset(offset);
        rows = (await runQuery(db, qb)) as R[];
      }
    }
  } else {
    const filtered = applyFilters(base, run.filterDefs, run.filters);
    rows = (await runQuery(db, applySort(select(filtered), run.sort).limit(page.perPage).offset(offset))) as R[];
    // A page that is neither full nor past the end tells the total by itself: count only
    // otherwise (one query fewer for most lists).
    total = offset + rows.length;
    if (rows.length === page.perPage || (rows.length === 0 && offset > 0)) {
      const counted = await filtered.select(sql<number>`count(*)`.as('n')).executeTakeFirst();
      total = Number((counted as { n?: unknown } | undefined)?.n ?? 0);
    }
  }
  const qi = run.url.indexOf('?');
  const path = qi < 0 ? run.url : run.url.slice(0, qi);
  const rawQuery = qi < 0 ? '' : run.url.slice(qi + 1);
  run.reply.header('Total', String(total));
  run.reply.header('Per-Page', String(page.perPage));
  run.reply.header('Link', linkHeader(`${run.origin}${path}`, rawQuery, page.page, page.perPage, total));
  return rows.length ? serialize(rows) : [];
}
