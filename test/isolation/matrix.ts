/**
 * The tenant-isolation matrix (docs/testing.md), generated from the route registry: for every
 * API route of both listeners and every place an id can go — each path parameter, `project_id` /
 * `company_id` / id filters in the query, every id reference of a write body, and the
 * `Procore-Company-Id` header — A's token with B's id. Each case also runs a control with A's own
 * id (which must succeed for reads) and, for path ids, a never-existing id whose answer must be
 * byte-identical (G1).
 *
 * Oracles: a 404 (403 for the company header; a 4xx for body references), never any of B's ids
 * or names in the body, and no row changed by a rejected request.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { installChangeLog } from '../helpers/changes.js';
import { fillPath, routeCases, type JsonSchema, type RouteCase } from '../helpers/registry.js';
import type { Tenant, World } from '../helpers/world.js';
import { ownIdsFor, validValue, type GenContext } from '../fuzz/generate.js';

export interface IsolationCase {
  route: RouteCase;
  /** Where B's id went, e.g. `path:id`, `query:project_id`, `body:rfi_manager_id`, `header`. */
  place: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** Statuses Procore answers here. */
  expect: number[];
  /** The same request with A's own id (null when there is no meaningful control). */
  control?: { url: string; headers: Record<string, string>; payload?: string };
  /** The same request with an id that never existed: must answer byte-identically (path ids). */
  never?: string;
}

export interface IsolationFailure {
  case: string;
  problem: string;
}

export interface IsolationResult {
  cases: number;
  byPlace: Record<string, number>;
  controlsOk: number;
  controlsWeak: string[];
  failures: IsolationFailure[];
}

const NEVER_ID = 987_654_321;

function sample<T>(arb: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arb, { numRuns: 1, seed })[0] as T;
}

/** Integer id fields of a body schema (`assigned_id`, `distribution_ids`, nested ones too). */
function idFields(schema: JsonSchema, prefix = ''): { path: string[]; array: boolean }[] {
  const out: { path: string[]; array: boolean }[] = [];
  for (const [k, v] of Object.entries(schema.properties ?? {})) {
    const variants = [v, ...(v.anyOf ?? [])];
    const isInt = variants.some((x) => x.type === 'integer');
    const isIntArray = variants.some((x) => x.type === 'array' && x.items?.type === 'integer');
    if (/_ids?$/.test(k) && (isInt || isIntArray)) out.push({ path: [...(prefix ? [prefix] : []), k], array: isIntArray && !isInt });
    const obj = variants.find((x) => x.type === 'object');
    if (obj) out.push(...idFields(obj, k).map((f) => ({ ...f, path: prefix ? [prefix, ...f.path] : f.path })));
  }
  return out;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let node = obj;
  for (const k of path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

/** B's id of the same kind as `field` in A's body (users for people, vendors for companies). */
function foreignRef(b: Tenant, field: string): number {
  if (/contractor|vendor/.test(field)) return b.ids['vendors']![0]!;
  if (/location/.test(field)) return b.projectId;
  if (/status/.test(field)) return b.ids['rfis']![0]!;
  if (/drawing/.test(field)) return b.ids['drawings']![0]!;
  if (/file|attachment|upload/.test(field)) return b.ids['files']![0]!;
  return b.users.find((u) => u.is_service_account === 0)?.id ?? b.ids['users']![0]!;
}

export async function buildCases(world: World): Promise<IsolationCase[]> {
  const { A, B } = world;
  const blobName = async (id: number) =>
    (await world.rt.ctx.db.selectFrom('blobs').select('filename').where('id', '=', id).executeTakeFirst())?.filename ?? 'x';
  const gA: GenContext = { self: A, other: B };
  const gB: GenContext = { self: B, other: A };
  const out: IsolationCase[] = [];
  let seed = 1;
  const routes = [...routeCases(world.rt.sandboxApp, 'sandbox'), ...routeCases(world.rt.productionApp, 'production')].filter(
    (r) => r.family === 'api' && r.method !== 'OPTIONS' && !r.url.endsWith('*'),
  );
  for (const route of routes) {
    const token = route.environment === 'production' ? A.productionToken : A.token;
    const baseHeaders: Record<string, string> = { authorization: `Bearer ${token}`, 'procore-company-id': String(A.companyId) };
    const own: Record<string, string> = {};
    const foreign: Record<string, string> = {};
    for (const p of route.params) {
      if (p === 'filename') continue;
      own[p] = String(ownIdsFor(route, p, gA)[0]);
      foreign[p] = String(ownIdsFor(route, p, gB)[0]);
    }
    if (route.params.includes('filename')) {
      own['filename'] = encodeURIComponent(await blobName(Number(own['blob_id'])));
      foreign['filename'] = encodeURIComponent(await blobName(Number(foreign['blob_id'])));
    }
    const body = route.body ? sample(validValue(route.body.schema, gA, route.body.root), seed++) : undefined;
    const payload = body === undefined ? undefined : JSON.stringify({ [route.body!.root]: body });
    const headers = payload === undefined ? baseHeaders : { ...baseHeaders, 'content-type': 'application/json' };
    // The scope a read needs (`project_id`, `company_id`), as A's own; a case may replace it.
    const scope: Record<string, string> = {};
    if (route.query.includes('project_id')) scope['project_id'] = String(A.projectId);
    if (route.query.includes('company_id') || /\/projects$/.test(route.url)) scope['company_id'] = String(A.companyId);
    // Other id parameters of the query (`image_category_id`, `folder_id`): A's row of that table.
    const tableOf = (key: string) => {
      const base = key.replace(/_id$/, '');
      return [`${base}s`, `${base.replace(/y$/, 'ie')}s`].find((t) => A.ids[t]?.length);
    };
    for (const key of route.query.filter((k) => /^\w+_id$/.test(k) && k !== 'project_id' && k !== 'company_id')) {
      const table = tableOf(key);
      if (table) scope[key] = String(A.ids[table]![0]);
    }
    const q = (extra: string) => {
      const replaced = new Set([...extra.matchAll(/(?:^|&)(\w+)=/g)].map((m) => m[1]));
      const base = Object.entries(scope)
        .filter(([k]) => !replaced.has(k))
        .map(([k, v]) => `${k}=${v}`);
      return [...base, extra].filter(Boolean).join('&');
    };
    const url = (params: Record<string, string>, query = '') => {
      const path = fillPath(route.url, params);
      const qs = q(query);
      return qs ? `${path}?${qs}` : path;
    };
    const control = { url: url(own), headers, ...(payload === undefined ? {} : { payload }) };

    // Path parameters, one at a time, then all of them.
    const variants: [string, Record<string, string>][] = route.params
      .filter((p) => p !== 'filename')
      .map((p) => [`path:${p}`, { ...own, [p]: foreign[p]!, ...(p === 'blob_id' ? { filename: foreign['filename']! } : {}) }]);
    if (route.params.filter((p) => p !== 'filename').length > 1) variants.push(['path:all', foreign]);
    for (const [place, params] of variants) {
      const neverParams = Object.fromEntries(
        Object.entries(params).map(([k, v]) => [k, v === foreign[k] && k !== 'filename' ? String(NEVER_ID) : v]),
      );
      out.push({
        route,
        place,
        url: url(params),
        headers,
        ...(payload === undefined ? {} : { payload }),
        expect: [404],
        control,
        never: url(neverParams),
      });
    }
    // Query: project and company scope, id filters.
    if (route.query.includes('project_id'))
      out.push({
        route,
        place: 'query:project_id',
        url: url(own, `project_id=${B.projectId}`),
        headers,
        expect: [404],
        control: { ...control, url: url(own, `project_id=${A.projectId}`) },
      });
    for (const key of Object.keys(scope).filter((k) => k !== 'project_id' && k !== 'company_id')) {
      const table = tableOf(key)!;
      // A scope the route needs (a list's category) is a 404; one a show ignores may answer A's row.
      out.push({
        route,
        place: `query:${key}`,
        url: url(own, `${key}=${B.ids[table]![0]}`),
        headers,
        expect: [200, 404],
        control: { ...control },
      });
    }
    if (scope['company_id'] !== undefined)
      out.push({ route, place: 'query:company_id', url: url(own, `company_id=${B.companyId}`), headers, expect: [403, 404] });
    for (const key of route.query.filter((k) => /^filters\[(\w+_)?ids?\]$/.test(k))) {
      const name = /^filters\[(.+)\]$/.exec(key)![1]!;
      const bIds = /assign|manager|court|user|created_by/.test(name) ? B.ids['users']! : Object.values(B.ids).flat();
      out.push({
        route,
        place: `query:${key}`,
        url: url(
          own,
          bIds
            .slice(0, 20)
            .map((id) => `${encodeURIComponent(`filters[${name}][]`)}=${id}`)
            .join('&'),
        ),
        headers,
        expect: [200, 400, 404, 422],
      });
    }
    // Body references.
    if (route.body && body !== undefined) {
      for (const f of idFields(route.body.schema)) {
        const b = structuredClone(body) as Record<string, unknown>;
        const ref = foreignRef(B, f.path[f.path.length - 1]!);
        setPath(b, f.path, f.array ? [ref] : ref);
        out.push({
          route,
          place: `body:${f.path.join('.')}`,
          url: url(own),
          headers,
          payload: JSON.stringify({ [route.body.root]: b }),
          expect: [400, 403, 404, 422],
        });
      }
    }
    // The company header.
    if (route.headers.length)
      out.push({
        route,
        place: 'header:Procore-Company-Id',
        url: url(own),
        headers: { ...headers, 'procore-company-id': String(B.companyId) },
        ...(payload === undefined ? {} : { payload }),
        expect: [403],
      });
  }
  // Developer portal (F3): A's developer with B's app id, on every portal route that takes one.
  for (const route of routeCases(world.rt.sandboxApp, 'sandbox').filter((r) => r.family === 'portal' && r.params.includes('id'))) {
    const payload = route.method === 'PATCH' ? JSON.stringify({ name: 'Renamed by A' }) : route.method === 'POST' ? '{}' : undefined;
    const headers: Record<string, string> = { cookie: A.portalCookie, 'x-requested-with': 'XMLHttpRequest' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const params = (id: number) => ({ id: String(id), environment: 'sandbox' });
    out.push({
      route,
      place: 'path:id',
      url: fillPath(route.url, params(B.app.id)),
      headers,
      ...(payload === undefined ? {} : { payload }),
      expect: [404],
      ...(['GET', 'HEAD'].includes(route.method) ? { control: { url: fillPath(route.url, params(A.app.id)), headers } } : {}),
      never: fillPath(route.url, params(NEVER_ID)),
    });
  }
  return out;
}

export async function runMatrix(world: World): Promise<IsolationResult> {
  const { A, B, rt } = world;
  const changes = await installChangeLog(rt.ctx.db, world.engine);
  const cases = await buildCases(world);
  const bIds = new Set(Object.values(B.ids).flat().concat([B.companyId, B.projectId]));
  // Only what is B's alone: both sandboxes share the seed's names.
  const bNames = [...B.names.filter((n) => !A.names.includes(n)), B.app.name, 'Zanzibar', B.developer.email];
  const result: IsolationResult = { cases: 0, byPlace: {}, controlsOk: 0, controlsWeak: [], failures: [] };
  const app = (r: RouteCase): FastifyInstance => (r.environment === 'production' ? rt.productionApp : rt.sandboxApp);
  // An id the request itself carried may be echoed ("user 6000004 is not a user of this company").
  const leakOf = (body: string, sent: string): string | undefined => {
    const echoed = new Set([...sent.matchAll(/\d{4,}/g)].map((m) => Number(m[0])));
    for (const m of body.matchAll(/-?\d{4,}/g)) if (bIds.has(Number(m[0])) && !echoed.has(Number(m[0]))) return `B's id ${m[0]}`;
    for (const n of bNames) if (body.includes(n)) return `B's name ${JSON.stringify(n)}`;
    return undefined;
  };
  // Reads first, writes after (a DELETE control removes A's row), each kind in route order.
  const order = (c: IsolationCase) =>
    ['GET', 'HEAD'].includes(c.route.method) ? 0 : c.route.method === 'POST' ? 1 : c.route.method === 'PATCH' ? 2 : 3;
  cases.sort((x, y) => order(x) - order(y));
  for (const c of cases) {
    const name = `${c.route.environment} ${c.route.method} ${c.route.url} ${c.place}`;
    const fail = (problem: string) => result.failures.push({ case: name, problem });
    const before = await changes.count();
    const res = await app(c.route).inject({
      method: c.route.method as 'GET',
      url: c.url,
      headers: c.headers,
      ...(c.payload === undefined ? {} : { payload: c.payload }),
    });
    result.cases++;
    const kind = c.place.split(':')[0]!;
    result.byPlace[kind] = (result.byPlace[kind] ?? 0) + 1;
    if (!c.expect.includes(res.statusCode)) fail(`status ${res.statusCode}, expected ${c.expect.join('/')}: ${res.body.slice(0, 200)}`);
    // The Link header echoes the request's own query (B's ids we sent); every other header counts.
    const sent = `${c.url} ${c.payload ?? ''} ${JSON.stringify(c.headers)}`;
    const leak = leakOf(res.body, sent) ?? leakOf(JSON.stringify(res.headers), sent);
    if (leak) fail(`${leak} in the answer (${res.statusCode}): ${res.body.slice(0, 200)}`);
    const after = await changes.count();
    if (res.statusCode >= 400 && after !== before)
      fail(`rejected with ${res.statusCode} but changed ${(await changes.describe(before)).join(', ')}`);
    if (c.never !== undefined && res.statusCode === 404) {
      const n = await app(c.route).inject({
        method: c.route.method as 'GET',
        url: c.never,
        headers: c.headers,
        ...(c.payload === undefined ? {} : { payload: c.payload }),
      });
      if (n.statusCode !== res.statusCode || (c.route.method !== 'HEAD' && n.body !== res.body))
        fail(
          `"exists in B" (${res.statusCode} ${res.body.slice(0, 80)}) differs from "never existed" (${n.statusCode} ${n.body.slice(0, 80)})`,
        );
    }
    if (c.control && ['GET', 'HEAD'].includes(c.route.method)) {
      const ctl = await app(c.route).inject({ method: c.route.method as 'GET', url: c.control.url, headers: c.control.headers });
      if (ctl.statusCode >= 200 && ctl.statusCode < 300) result.controlsOk++;
      else result.controlsWeak.push(`${name}: control answered ${ctl.statusCode} ${ctl.body.slice(0, 120)}`);
    }
  }
  // A's own data is still A's: the token still works, B's rows are all there.
  const me = await rt.sandboxApp.inject({ method: 'GET', url: '/rest/v1.0/me', headers: { authorization: `Bearer ${A.token}` } });
  if (me.statusCode !== 200) result.failures.push({ case: 'after the matrix', problem: `A's token answers ${me.statusCode}` });
  const bRows = await rt.ctx.db.selectFrom('rfis').select('id').where('sandbox_id', '=', B.sandbox.id).execute();
  if (bRows.length !== B.ids['rfis']!.length)
    result.failures.push({ case: 'after the matrix', problem: `B has ${bRows.length} RFIs, had ${B.ids['rfis']!.length}` });
  return result;
}
