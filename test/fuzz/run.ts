/**
 * Runs N generated requests (`generate.ts`) against both listeners of one runtime with
 * `app.inject()` and checks every answer against the oracles of docs/testing.md:
 *
 * - no 5xx, no hang (20 s per request);
 * - every error (≥ 400) of a JSON route is `application/json` with a non-empty `message` (or,
 *   for OAuth, `error_description`/`error`); page routes may answer HTML;
 * - no stack trace, source path or SQL in any error body or HTML page;
 * - a HEAD answer has no body; a 422 speaks Procore's words, not the validator's; JSON carries
 *   `X-Content-Type-Options: nosniff`; a method the URL pattern does not serve is a 405 with Allow;
 * - a rejected request (≥ 400) changes no row (`test/helpers/changes.ts`);
 * - text with NUL, lone surrogates or invalid UTF-8 sent to a route that reads it is refused;
 * - every 250 requests the server still answers `/health` and `/me` with the tenant's token.
 *
 * Violations are collected (not thrown) so one run reports every kind it found.
 */
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { genericRouter } from '../../src/api/generic/index.js';
import { API_VERSIONS, type ApiVersion } from '../../src/api/resource.js';
import { createSession, SESSION_COOKIE } from '../../src/portal/sessions.js';
import { createApp } from '../../src/services/apps.js';
import { createDeveloper } from '../../src/services/developers.js';
import { installChangeLog, type ChangeLog } from '../helpers/changes.js';
import { routeCases, type RouteCase } from '../helpers/registry.js';
import type { World } from '../helpers/world.js';
import { corpus, PORTAL_TEXT_ROUTES, requestArb, SECRET_RE, type FuzzRequest, type GenContext } from './generate.js';

export interface Violation {
  kind: string;
  /** `METHOD pattern` of the route the request was generated for. */
  route: string;
  status: number;
  count: number;
  example: string;
}

export interface FuzzStats {
  engine: string;
  seed: number;
  requests: number;
  /** Of which from the deterministic corpus. */
  corpus: number;
  /** Requests inject refused to build (e.g. a header value Node rejects); not counted above. */
  unsendable: number;
  withValidToken: number;
  byStatus: Record<string, number>;
  byFamily: Record<string, number>;
  tags: Record<string, number>;
  routes: number;
  violations: Violation[];
  durationMs: number;
  /** Time spent waiting for answers (the rest is generation and oracles). */
  injectMs: number;
  changeLogMs: number;
}

/** Paths whose every answer must be JSON (the page routes — login, consent, SPA — may be HTML). */
const JSON_PATH_RE = /^\/(rest\/|vapid(\/|$)|api\/|oauth\/(token|revoke)|postman\/|health$|openapi\.json$)/;

const LEAK_RES = [
  /\bat (?:async )?[\w$.<>[\] ]+ \((?:file:\/\/)?\/[^)]+:\d+:\d+\)/,
  /node_modules\//,
  /\/src\/[\w/.-]+\.ts\b/,
  /SQLITE_[A-Z]+|SqliteError|syntax error at or near|violates (?:not-null|foreign key|unique|check) constraint|duplicate key value|relation "[^"]+" does not exist|invalid byte sequence for encoding|invalid input syntax for type|out of range for type/i,
  /\b(?:select [\w".*, ]+ from|insert into "?\w+"? \(|update "?\w+"? set|delete from "?\w+"?) /i,
];

/** The path as a server should read it: `//` collapsed, `.`/`..` (also `%2e`) resolved. */
export function canonicalPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  const out: string[] = [];
  for (const raw of path.split('/')) {
    const seg = raw.replace(/%2e/gi, '.');
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(raw);
  }
  return `/${out.join('/')}`;
}

/** TypeBox/Ajv phrasing that must not reach a client ("Expected union value", "must have required property"). */
const VALIDATOR_TEXT_RE =
  /Expected (?:union value|required property|integer|number|string|boolean|array|object|string length|integer to be|value)|must have required property|must NOT have|must match pattern/;

/** FUZZ_FULL=1 keeps whole request bodies in violation examples (for reproducing). */
const FULL = process.env['FUZZ_FULL'] === '1';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

const ROUTER_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Methods a non-wildcard route of `app` serves on the concrete path of `url`. */
function servedOn(app: FastifyInstance, url: string): Set<string> {
  const path = url.split('?')[0] ?? '/';
  const out = new Set<string>();
  for (const method of ROUTER_METHODS) {
    const found = app.findRoute({ method, url: path });
    if (found && !(found.params && '*' in (found.params as object))) out.add(method);
  }
  // HEAD is answered by the GET route (routeHeadAsGet in src/http/index.ts).
  if (out.has('GET')) out.add('HEAD');
  // The generic engine's catch-all serves the catalogue's operations of each /rest prefix.
  const version = /^\/rest\/(v\d+\.\d+)\//.exec(path)?.[1];
  if (version && (API_VERSIONS as readonly string[]).includes(version))
    for (const method of genericRouter(version as ApiVersion).methods(path)) {
      out.add(method);
      if (method === 'GET') out.add('HEAD');
    }
  return out;
}

/** A path that is refused before routing (not UTF-8 once decoded, or a segment over 500 chars). */
function malformedPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (path.split('/').some((seg) => seg.length > 500)) return true;
  // NUL anywhere in the target is refused by the text hygiene first.
  if (/%00/i.test(url)) return true;
  // `//` collapses before routing (the concrete path differs from the one sent).
  if (path.includes('//')) return true;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  for (const k of ['message', 'error_description', 'error']) {
    const v = b[k];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return undefined;
}

function describeRequest(r: FuzzRequest, sentHeaders: Record<string, string>): string {
  const payload =
    r.payload === undefined
      ? ''
      : Buffer.isBuffer(r.payload)
        ? `<${r.payload.length} bytes> ${JSON.stringify(r.payload.subarray(0, 160).toString('latin1'))}`
        : JSON.stringify(r.payload.slice(0, FULL ? 100_000 : 200)) +
          (r.payload.length > (FULL ? 100_000 : 200) ? `… (${r.payload.length} chars)` : '');
  const headers = Object.entries(sentHeaders)
    .map(([k, v]) => `${k}: ${k === 'authorization' || k === 'cookie' ? v.replace(/[A-Za-z0-9_-]{20,}/g, '<secret>') : v.slice(0, 80)}`)
    .join('; ');
  const url = r.url.length > 300 ? `${r.url.slice(0, 300)}… (${r.url.length} chars)` : r.url;
  return `${r.environment} ${r.method} ${url} [${headers}] ${payload} tags=${r.tags.join(',')}`;
}

export interface FuzzOptions {
  /** Requests in all: the corpus, then random ones up to this number (at least `minRandom`). */
  requests: number;
  minRandom?: number;
  /**
   * The deterministic corpus first (`generate.ts`): `full` = every route, every value;
   * `sample` = the sandbox listener's /rest/v1.0, OAuth and portal routes (no HEAD), fewer values.
   */
  corpus?: 'full' | 'sample' | 'none';
  seed?: number;
  /** Progress callback every 1,000 requests. */
  progress?: (done: number) => void;
}

export async function runFuzz(world: World, options: FuzzOptions): Promise<FuzzStats> {
  const { rt } = world;
  const ctx = rt.ctx;
  const seed = options.seed ?? (Number(process.env['FUZZ_SEED']) || Date.now() % 2 ** 31);
  const started = Date.now();

  // The portal session belongs to a third developer, so a generated "delete app" or "reset
  // secret" cannot take A's token down; its app ids go where portal ids go.
  const devC = await createDeveloper(ctx, { email: 'fuzz-c@example.com', name: 'Fuzz C', password: 'fuzz-c-password-1' });
  const appC = await createApp(ctx, { developerId: devC.id, name: 'Fuzz C App' });
  const newCookie = async () => `${SESSION_COOKIE}=${(await createSession(ctx, devC.id)).sessionId}`;
  const secrets: Record<string, string> = {
    token: world.A.token,
    productionToken: world.A.productionToken,
    otherToken: world.B.token,
    portalCookie: await newCookie(),
    otherPortalCookie: world.B.portalCookie,
  };
  const g: GenContext = { self: { ...world.A, ids: { ...world.A.ids, apps: [appC.app.id, world.A.app.id] } }, other: world.B };

  const apps: Record<'sandbox' | 'production', FastifyInstance> = { sandbox: rt.sandboxApp, production: rt.productionApp };
  const routes: RouteCase[] = [...routeCases(rt.sandboxApp, 'sandbox'), ...routeCases(rt.productionApp, 'production')];
  const methodsOf = new Map<string, Set<string>>();
  for (const r of routes) {
    const key = `${r.environment} ${r.url}`;
    if (!methodsOf.has(key)) methodsOf.set(key, new Set());
    methodsOf.get(key)!.add(r.method);
  }
  const changes: ChangeLog = await installChangeLog(ctx.db, world.engine);
  let changeCount = await changes.count();
  let readsSinceCheck = 0;

  const stats: FuzzStats = {
    engine: world.engine,
    seed,
    requests: 0,
    corpus: 0,
    unsendable: 0,
    withValidToken: 0,
    byStatus: {},
    byFamily: {},
    tags: {},
    routes: routes.length,
    violations: [],
    durationMs: 0,
    injectMs: 0,
    changeLogMs: 0,
  };
  const found = new Map<string, Violation>();
  const slow = new Map<string, number>();
  const violate = (kind: string, route: RouteCase | string, status: number, example: string) => {
    const name = typeof route === 'string' ? route : `${route.method} ${route.url}`;
    const key = `${kind}|${name}|${status}`;
    const v = found.get(key);
    if (v) v.count++;
    else found.set(key, { kind, route: name, status, count: 1, example: FULL ? example : example.slice(0, 1200) });
  };

  async function send(app: FastifyInstance, opts: InjectOptions) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)));
    try {
      return await Promise.race([app.inject(opts), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function aliveCheck(): Promise<void> {
    const health = await send(rt.sandboxApp, { method: 'GET', url: '/health' });
    if (health === 'timeout' || health.statusCode !== 200)
      violate('not-alive', 'GET /health', health === 'timeout' ? 0 : health.statusCode, 'health check failed');
    const me = await send(rt.sandboxApp, {
      method: 'GET',
      url: '/rest/v1.0/me',
      headers: { authorization: `Bearer ${secrets['token']}` },
    });
    if (me === 'timeout' || me.statusCode !== 200) {
      violate('token-died', 'GET /rest/v1.0/me', me === 'timeout' ? 0 : me.statusCode, "tenant A's token stopped working during the run");
      secrets['token'] = await rt.mintToken({ sandboxId: world.A.sandbox.id });
    }
    // The portal session may be signed out by a generated request: that is allowed, so renew it.
    secrets['portalCookie'] = await newCookie();
    changeCount = await changes.count();
    readsSinceCheck = 0;
  }

  async function one(r: FuzzRequest): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) headers[k] = v.replace(SECRET_RE, (_m, name: string) => secrets[name] ?? '');
    const opts: InjectOptions = {
      method: r.method as InjectOptions['method'],
      url: r.url,
      headers,
      ...(r.payload !== undefined ? { payload: r.payload } : {}),
    };
    let res;
    const t0 = performance.now();
    try {
      res = await send(apps[r.environment], opts);
      const dt = performance.now() - t0;
      stats.injectMs += dt;
      const key = `${r.route.method} ${r.route.url.replace(/^\/(rest\/v1\.0|vapid)/, '')} ${r.tags.filter((t) => !['valid-token', 'bad-text', 'focused'].includes(t)).join('+')}`;
      slow.set(key, (slow.get(key) ?? 0) + dt);
    } catch {
      stats.unsendable++;
      return;
    }
    stats.requests++;
    if (r.tags.includes('valid-token')) stats.withValidToken++;
    stats.byFamily[r.route.family] = (stats.byFamily[r.route.family] ?? 0) + 1;
    for (const t of r.tags) stats.tags[t] = (stats.tags[t] ?? 0) + 1;
    const example = () => describeRequest(r, headers);
    if (res === 'timeout') {
      violate('hang', r.route, 0, example());
      return;
    }
    const status = res.statusCode;
    const cls = `${Math.floor(status / 100)}xx`;
    stats.byStatus[cls] = (stats.byStatus[cls] ?? 0) + 1;
    const contentType = String(res.headers['content-type'] ?? '');
    const body = res.body;
    const excerpt = () => `${example()}\n    → ${status} ${contentType} ${body.slice(0, 300)}`;

    if (status >= 500) violate('5xx', r.route, status, excerpt());
    if (/^application\/json/i.test(contentType) && res.headers['x-content-type-options'] !== 'nosniff')
      violate('json-without-nosniff', r.route, status, excerpt());
    // A method the pattern does not serve is the router's 405 with Allow (not a 404), whatever the ids.
    // Served on this concrete path by any pattern (`/rfis/recycle_bin` is also `/rfis/:id`).
    const served = methodsOf.get(`${r.environment} ${r.route.url}`) && servedOn(apps[r.environment], r.url);
    if (
      served &&
      served.size > 0 &&
      !served.has(r.method) &&
      r.method !== 'OPTIONS' &&
      r.route.family !== 'web' &&
      !r.tags.includes('odd-path') &&
      !r.route.url.endsWith('*') &&
      !malformedPath(r.url)
    ) {
      if (status !== 405 || !String(res.headers['allow'] ?? '')) violate('wrong-method-not-405', r.route, status, excerpt());
    }
    if (r.method === 'HEAD' && body.length > 0) violate('head-with-body', r.route, status, excerpt());
    if (status >= 400 && r.method !== 'HEAD') {
      const mustBeJson = JSON_PATH_RE.test(canonicalPath(r.url));
      if (/^application\/json/i.test(contentType)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          violate('error-not-json', r.route, status, excerpt());
        }
        if (parsed !== undefined && messageOf(parsed) === undefined) violate('error-without-message', r.route, status, excerpt());
        // A 422 names the field in Procore's (Rails') words, never the validator's internals.
        if (status === 422 && VALIDATOR_TEXT_RE.test(body)) violate('422-validator-internals', r.route, status, excerpt());
      } else if (mustBeJson || !/^text\/html/i.test(contentType) || !pageRoute(r)) {
        violate('error-not-json', r.route, status, excerpt());
      }
    }
    if (status >= 400 || /^text\/html/i.test(contentType)) {
      for (const re of LEAK_RES) if (re.test(body)) violate('leak', r.route, status, `${re} in ${excerpt()}`);
    }
    if (
      r.tags.includes('bad-text') &&
      status < 400 &&
      r.method === r.route.method &&
      ['POST', 'PATCH', 'PUT'].includes(r.method) &&
      (r.route.body !== undefined || TEXT_ROUTES.has(r.route.url))
    )
      violate('accepted-bad-text', r.route, status, excerpt());

    // The change log is read after every request except rejected reads (a read that succeeds may
    // write lazily, e.g. a Postman link token); rejected reads in between are covered by the
    // next check, where any change is a rejected request's change (and they are named).
    if (!SAFE_METHODS.has(r.method) || status < 400 || r.route.family === 'oauth') {
      const t1 = performance.now();
      const now = await changes.count();
      stats.changeLogMs += performance.now() - t1;
      if (now !== changeCount) {
        if (status >= 400)
          violate(
            'rejected-write-changed-rows',
            r.route,
            status,
            `${(await changes.describe(changeCount)).join(', ')} after ${excerpt()}${readsSinceCheck ? ` (or one of the ${readsSinceCheck} rejected reads before it)` : ''}`,
          );
        changeCount = now;
      }
      readsSinceCheck = 0;
    } else readsSinceCheck++;
  }

  const arb = requestArb(routes, g);
  await aliveCheck();
  const level = options.corpus ?? 'full';
  if (level !== 'none') {
    const picked =
      level === 'full' ? routes : routes.filter((r) => r.environment === 'sandbox' && r.method !== 'HEAD' && !r.url.startsWith('/vapid'));
    const list = corpus(picked, g, level === 'full' ? 'full' : 'sample');
    stats.corpus = list.length;
    for (let i = 0; i < list.length; i++) {
      await one(list[i]!);
      if ((i + 1) % 250 === 0) await aliveCheck();
    }
  }
  await fc.assert(
    fc.asyncProperty(arb, async (r) => {
      await one(r);
      const done = stats.requests + stats.unsendable - stats.corpus;
      if (done % 250 === 0) await aliveCheck();
      if (done % 1000 === 0) options.progress?.(done);
      return true;
    }),
    { numRuns: Math.max(options.minRandom ?? 0, options.requests - stats.corpus), seed, endOnFailure: true },
  );
  await aliveCheck();
  stats.violations = [...found.values()].sort((a, b) => b.count - a.count);
  stats.durationMs = Date.now() - started;
  if (process.env['FUZZ_PROFILE'])
    console.log(
      [...slow]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, v]) => `${v.toFixed(0)} ms ${k}`)
        .join('\n'),
    );
  return stats;
}

/**
 * Schema-less routes that store or compare the text they are sent: bad text must be refused there.
 * (OAuth forms carry many fields a grant ignores; their NUL/surrogate cases are caught as 5xx.)
 */
const TEXT_ROUTES = PORTAL_TEXT_ROUTES;

/** Routes that serve browser pages (login, consent, SPA) and may answer errors as HTML. */
function pageRoute(r: FuzzRequest): boolean {
  return r.route.family === 'web' || ['/oauth/authorize', '/oauth/login', '/oauth/logout'].includes(r.route.url);
}

/** A compact multi-line summary for test output and the CI log. */
export function formatStats(s: FuzzStats): string {
  const lines = [
    `fuzz ${s.engine}: ${s.requests} requests (${s.corpus} from the corpus, ${s.withValidToken} with a valid token, ${s.unsendable} unsendable) over ${s.routes} routes in ${(s.durationMs / 1000).toFixed(1)} s (answers ${(s.injectMs / 1000).toFixed(1)} s, change log ${(s.changeLogMs / 1000).toFixed(1)} s), seed ${s.seed}`,
    `  statuses ${JSON.stringify(s.byStatus)} families ${JSON.stringify(s.byFamily)}`,
    `  tags ${JSON.stringify(s.tags)}`,
  ];
  for (const v of s.violations) lines.push(`  VIOLATION ${v.kind} ×${v.count} on ${v.route} (${v.status}):\n    ${v.example}`);
  return lines.join('\n');
}
