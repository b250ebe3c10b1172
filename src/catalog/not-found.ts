/**
 * What the API's 404 adds for a path that matches no route: the nearest operations of the
 * catalogue (`did_you_mean`), and, when the request names an operation of Procore's API that
 * this sandbox does not serve yet, that operation (`not_served`). The catalogue is loaded on the
 * first miss, so start-up never pays for it. Answers are cached per request line, and at most
 * {@link SUGGESTIONS_PER_SECOND} new ones are computed each second (a flood of random paths gets
 * the plain 404 body, never a slower one).
 *
 * @example
 * reply.code(404).send({ ...notFoundBody(message), ...routeNotFoundHints(request.method, request.url, (r) => app.hasRoute(r)) });
 */
import { loadCatalog } from './load.js';
import { suggestOperations } from './suggest.js';

export interface RouteNotFoundHints {
  /** `["GET /rest/v1.0/projects/1/rfis"]`; empty when nothing is near. */
  did_you_mean: string[];
  /** `GET /rest/v1.1/projects (RestV11ProjectsGet)`: a real Procore operation not served here yet. */
  not_served?: string;
}

/** Fastify's `app.hasRoute` shape: whether a route pattern (`/rest/v1.0/projects/:id`) is registered. */
export type HasRoute = (route: { method: string; url: string }) => boolean;

export const SUGGESTIONS_PER_SECOND = 50;
const CACHE_SIZE = 500;
/** Longer request lines get no hints (and take no cache room). */
const MAX_URL = 2048;

const cache = new Map<string, RouteNotFoundHints>();
let windowStart = 0;
let computed = 0;

/** Catalogue path template → route pattern: `{id}` → `:id`. */
export function routePattern(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * @param hasRoute the app's `hasRoute`: served operations rank first among the suggestions.
 * @param nowMs for tests of the budget; default `Date.now()` (a CPU budget, not sandbox time).
 */
export function routeNotFoundHints(method: string, url: string, hasRoute?: HasRoute, nowMs = Date.now()): RouteNotFoundHints {
  if (url.length > MAX_URL) return { did_you_mean: [] };
  const key = `${method} ${url}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (nowMs - windowStart >= 1000) {
    windowStart = nowMs;
    computed = 0;
  }
  if (computed >= SUGGESTIONS_PER_SECOND) return { did_you_mean: [] };
  computed++;

  let hints: RouteNotFoundHints;
  try {
    const catalog = loadCatalog();
    const isServed = hasRoute ? (m: string, p: string) => hasRoute({ method: m, url: routePattern(p) }) : undefined;
    hints = { did_you_mean: suggestOperations(catalog.operations, method, url, isServed ? { isServed } : {}).map((s) => s.display) };
    const exact = catalog.match(method, url);
    if (exact) hints.not_served = `${exact.method} ${exact.path} (${exact.operationId})`;
  } catch {
    // Hints are a courtesy: whatever goes wrong here, the 404 itself still answers.
    hints = { did_you_mean: [] };
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, hints);
  return hints;
}
