/**
 * "A wrong route says what it meant": the catalogue's operations nearest to a request that
 * matched no route, for the `did_you_mean` list of the API's 404 body.
 *
 * The request path and each operation's template are compared segment by segment, with an
 * alignment that allows one missing or extra segment at a cost: ids (`123`, UUIDs) fit any
 * `{param}`, a literal costs its normalized edit distance (`rfi` vs `rfis` = 0.25), another
 * version prefix or another method costs a little. The nearest few are kept.
 *
 * @example
 * suggestOperations(ops, 'GET', '/rest/v1.0/projects/12/rfi')[0]?.display
 * // → 'GET /rest/v1.0/projects/12/rfis'
 */
import { pathMatches } from './catalog.js';
import { splitPrefix } from './compile.js';
import type { CatalogOperation, HttpMethod } from './types.js';

export interface Suggestion {
  operationId: string;
  method: HttpMethod;
  /** The operation's path template. */
  path: string;
  /** What to show: `GET /rest/v1.0/projects/12/rfis`, `GET /rest/v1.1/projects?company_id=`. */
  display: string;
  score: number;
}

export interface SuggestOptions {
  /** How many to return (default 3). */
  limit?: number;
  /** Whether the app serves a catalogue path template: served operations rank first. */
  isServed?: (method: HttpMethod, pathTemplate: string) => boolean;
}

const MAX_SEGMENTS = 16;
const MAX_PATH = 1024;
const INDEL = 1;
const MISSING_ID = 0.8;
const LITERAL_FOR_ID = 0.6;
const OTHER_VERSION = 0.3;
const OTHER_METHOD = 0.6;
const SERVED_BONUS = 0.15;
const MAX_SCORE = 1.6;
const NEAR = 0.6;

const isParamSegment = (s: string): boolean => s.startsWith('{') && s.endsWith('}') && s.indexOf('}') === s.length - 1;
const ID_RE = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|\{[^}]*\}|:\w+)$/i;

const levA = new Int32Array(128);
const levB = new Int32Array(128);

/**
 * Levenshtein distance of two path segments, or `max + 1` as soon as it must exceed `max`
 * (segments longer than 120 characters count as entirely different).
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  if (a.length > 120 || b.length > 120) return Math.max(a.length, b.length);
  let prev = levA;
  let cur = levB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (ca === b.charCodeAt(j - 1) ? 0 : 1),
      );
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

interface Prepared {
  op: CatalogOperation;
  /** Per template segment: the index of its literal in `literals`, or -1 for a `{param}`. */
  lits: Int32Array;
}

interface PreparedCatalog {
  ops: Prepared[];
  literals: string[];
}

const preparedCache = new WeakMap<readonly CatalogOperation[], PreparedCatalog>();

function prepare(operations: readonly CatalogOperation[]): PreparedCatalog {
  let p = preparedCache.get(operations);
  if (!p) {
    const index = new Map<string, number>();
    const literals: string[] = [];
    const ops = operations.map((op) => {
      const segments = op.template.split('/').filter(Boolean);
      const lits = Int32Array.from(segments, (seg) => {
        if (isParamSegment(seg)) return -1;
        const lower = seg.toLowerCase();
        let i = index.get(lower);
        if (i === undefined) {
          i = literals.length;
          literals.push(lower);
          index.set(lower, i);
        }
        return i;
      });
      return { op, lits };
    });
    preparedCache.set(operations, (p = { ops, literals }));
  }
  return p;
}

/**
 * Cost of the request's `m` segments against a template (`lits`), or Infinity once it must exceed
 * `bound`. `literal(k, j)` is the cost of literal `k` for request segment `j`.
 */
function alignCost(lits: Int32Array, m: number, reqIsId: boolean[], literal: (k: number, j: number) => number, bound: number): number {
  const n = lits.length;
  let prev = rowA;
  let cur = rowB;
  prev[0] = 0;
  for (let j = 1; j <= m; j++) prev[j] = j * INDEL;
  for (let i = 1; i <= n; i++) {
    const k = lits[i - 1] as number;
    const tParam = k < 0;
    const skip = tParam ? MISSING_ID : INDEL;
    cur[0] = (prev[0] as number) + skip;
    let rowMin = cur[0] as number;
    for (let j = 1; j <= m; j++) {
      const rId = reqIsId[j - 1] as boolean;
      const sub = tParam ? (rId ? 0 : LITERAL_FOR_ID) : rId ? 1 : literal(k, j - 1);
      const v = Math.min((prev[j - 1] as number) + sub, (prev[j] as number) + skip, (cur[j - 1] as number) + INDEL);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > bound) return Infinity;
    [prev, cur] = [cur, prev];
  }
  return prev[m] as number;
}

// Two DP rows, reused by every call (requests have at most MAX_SEGMENTS segments).
const rowA = new Float64Array(MAX_SEGMENTS + 1);
const rowB = new Float64Array(MAX_SEGMENTS + 1);

/** `/rest/v1.1/projects?company_id=` with the request's own ids and query values filled in. */
function display(op: CatalogOperation, prefix: string, req: string[], query: URLSearchParams): string {
  const tpl = op.template.split('/').filter(Boolean);
  // Carry the request's ids over when the shapes line up segment for segment.
  const filled =
    tpl.length === req.length
      ? tpl.map((t, i) =>
          isParamSegment(t) && ID_RE.test(req[i] as string) && !(req[i] as string).startsWith('{') ? (req[i] as string) : t,
        )
      : tpl;
  const path = `${prefix || op.prefix}${filled.length ? '/' + filled.join('/') : ''}`;
  const qs = op.requiredQuery.map((name) => `${name}=${query.get(name) ?? ''}`);
  return `${op.method} ${path}${qs.length ? '?' + qs.join('&') : ''}`;
}

/**
 * The catalogue operations nearest to `method url`, best first (at most `limit`). An operation the
 * request matches exactly is left out: the caller answers 404 because it is not served.
 */
export function suggestOperations(
  operations: readonly CatalogOperation[],
  method: string,
  url: string,
  options: SuggestOptions = {},
): Suggestion[] {
  if (url.length > MAX_PATH) return [];
  const limit = options.limit ?? 3;
  const verb = method.toUpperCase();
  const q = url.indexOf('?');
  const rawPath = (q < 0 ? url : url.slice(0, q)).split('#')[0] as string;
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  const vapid = /^\/vapid(\/|$)/.test(path);
  const { version, template } = vapid ? { version: null, template: path.slice('/vapid'.length) || '/' } : splitPrefix(path);
  const req = template.toLowerCase().split('/').filter(Boolean);
  if (req.length > MAX_SEGMENTS) return [];
  const api = vapid || version !== null || path.startsWith('/rest/');

  const reqIsId = req.map((r) => ID_RE.test(r));
  // Edit distances per template literal and request segment, computed once per request.
  const { ops, literals } = prepare(operations);
  const m = req.length;
  const distances = new Float64Array(literals.length * m).fill(-1);
  const literal = (k: number, j: number): number => {
    let d = distances[k * m + j] as number;
    if (d < 0) {
      const t = literals[k] as string;
      const r = req[j] as string;
      // Segments further apart than NEAR (as a share of the longer one) count as unrelated (1).
      const longest = Math.max(t.length, r.length);
      const dist = editDistance(t, r, Math.floor(longest * NEAR));
      d = dist / longest > NEAR ? 1 : dist / longest;
      distances[k * m + j] = d;
    }
    return d;
  };

  const bound = MAX_SCORE + SERVED_BONUS;
  const scored: Suggestion[] = [];
  for (const { op, lits } of ops) {
    if (api !== (op.version !== null)) continue;
    if (Math.abs(lits.length - m) > 2) continue;
    let score = alignCost(lits, m, reqIsId, literal, bound);
    if (score > bound) continue;
    if (op.method !== verb) score += OTHER_METHOD;
    if (vapid) score += op.version === 'v1.0' ? 0.05 : OTHER_VERSION;
    else if (op.version !== version) score += OTHER_VERSION;
    if (op.method === verb && op.version === version && !vapid && pathMatches(op.path, path)) continue; // the request itself
    const served = options.isServed?.(op.method, op.path) ?? false;
    if (served) score -= SERVED_BONUS;
    if (score > MAX_SCORE) continue;
    scored.push({
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      display: display(op, '', req, query),
      score: round(score),
    });
  }
  scored.sort((a, b) => a.score - b.score || versionRank(a.path) - versionRank(b.path) || (a.display < b.display ? -1 : 1));
  const best = scored[0]?.score ?? 0;
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  for (const s of scored) {
    if (out.length >= limit || s.score > best + 0.9) break;
    if (seen.has(s.display)) continue;
    seen.add(s.display);
    out.push(s);
  }
  return out;
}

function versionRank(path: string): number {
  return path.startsWith('/rest/v1.0/') ? 0 : 1;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
