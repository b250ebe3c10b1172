/**
 * The catalogue walk (issue #12's done-when): every operation of Procore's current API sent to a
 * fresh sandbox through `inject()`, resource by resource — creates first (their ids feed the
 * member operations), then reads, updates and actions, deletes last — with a body built from the
 * operation's own request schema. A parent row in a path (`…/vendors/{vendor_id}/insurances`)
 * is a real one: the walk's own (parents are walked before their children) or a seeded row of
 * the parent's list. Used by `walk.test.ts` and the connector suite (bodies).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { LightMyRequestResponse } from 'fastify';
import { loadCatalog } from '../../src/catalog/load.js';
import type { CatalogResource } from '../../src/catalog/resources.js';
import type { CatalogOperation, JsonSchema } from '../../src/catalog/types.js';
import { normalizeTemplate } from '../../src/catalog/catalog.js';
import { parentOf, planOf } from '../../src/api/generic/plan.js';
import { definitions2017 } from '../../src/api/generic/shape.js';
import { declaredFor } from '../../src/api/generic/declared.js';
import { RESOURCES } from '../../src/api/resources/index.js';
import type { ApiFixture } from '../api/fixture.js';

export interface WalkResult {
  total: number;
  routed: number;
  /** Operations answered by the route-404 (`Route … not found`), with the answer's message. */
  unrouted: { op: string; status: number; message: string }[];
  fiveHundreds: { op: string; status: number; body: string }[];
  byVersion: Record<string, { total: number; routed: number }>;
  statuses: Record<string, number>;
  /** Client errors other than 404 (the walk's own bodies should pass): operation, status, body. */
  refused: string[];
  /** create → show → list → update → show → delete → show(404) on the same version. */
  roundTrips: { attempted: number; consistent: number; failures: string[] };
  /** Answers of operations with a 2017 definition, checked against it. */
  definitions: { checked: number; valid: number; failures: string[] };
  ms: number;
}

const MISSING_ID = 999_999_937;

/** A value for `schema`, as a client would send it (`name` guides ids and dates). */
export function sampleValue(name: string, schema: JsonSchema | undefined, depth = 0, known: Record<string, number> = {}): unknown {
  const s = schema ?? {};
  if (known[name] !== undefined && (s.type === 'integer' || s.type === 'string'))
    return s.type === 'string' ? String(known[name]) : known[name];
  if (Array.isArray(s.enum) && s.enum.length) return s.enum.find((v) => v !== null) ?? s.enum[0];
  const type = s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'string':
      if (s.format === 'date') return '2026-03-14';
      if (s.format === 'date-time') return '2026-03-14T09:30:00Z';
      if (s.format === 'binary') return 'file';
      if (name.endsWith('_id') || name === 'id') return '1';
      return `Walk ${name}`.slice(0, Math.max(1, typeof s.maxLength === 'number' ? s.maxLength : 60));
    case 'integer':
      return typeof s.minimum === 'number' && s.minimum > 1 ? s.minimum : 1;
    case 'number':
      return typeof s.minimum === 'number' && s.minimum > 1.5 ? s.minimum : 1.5;
    case 'boolean':
      return true;
    case 'array':
      return depth > 3 ? [] : [sampleValue(name, s.items, depth + 1, known)];
    case 'object': {
      if (depth > 4) return {};
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(s.properties ?? {})) out[k] = sampleValue(k, p, depth + 1, known);
      for (const k of s.required ?? []) out[k] ??= known[k] ?? (k.endsWith('_ids') ? [1] : 1);
      return out;
    }
    default:
      return depth === 0 ? {} : `Walk ${name}`;
  }
}

/** The first written text field of a body (`rfi.subject`), for the round trip's update. */
function textField(op: CatalogOperation): string | null {
  const schema = op.body?.schema;
  if (!schema) return null;
  const root =
    planOf(op) && schema.properties ? Object.entries(schema.properties).find(([, p]) => p?.type === 'object' && p.properties) : undefined;
  const props = (root && Object.keys(schema.properties ?? {}).length === 1 ? root[1].properties : schema.properties) ?? {};
  for (const [k, p] of Object.entries(props))
    if (p?.type === 'string' && !p.format && !p.enum && !k.endsWith('_id') && !/(^|_)(uuid|token|email|url|phone|zip|code)$/.test(k))
      return k;
  return null;
}

interface Call {
  url: string;
  payload?: unknown;
}

/** Ids of rows by their collection's shape (`normalizeTemplate`): the walk's creates and seeded rows. */
type Parents = Map<string, number | null>;

/**
 * A live row of the parent collection of `op`: one the walk created, else the first its list
 * answers, else (`create`) one made through the parent's create on the same version.
 */
export async function parentId(f: ApiFixture, op: CatalogOperation, parents: Parents = new Map(), create = false): Promise<number | null> {
  const parent = parentOf(planOf(op));
  if (!parent) return null;
  const shape = normalizeTemplate(parent.key);
  if (parents.has(shape)) return parents.get(shape)!;
  const url = `${op.path.slice(0, op.path.indexOf(op.template))}${parent.key}`
    .replace('{project_id}', String(f.projectId))
    .replace('{company_id}', String(f.companyId));
  const res = await f.get(`${url}?project_id=${f.projectId}&company_id=${f.companyId}`);
  const body = unwrap(parse(res), planOf(op).v2);
  let first = res.statusCode === 200 && Array.isArray(body) ? Number((body[0] as { id?: unknown } | undefined)?.id) : NaN;
  const maker = create && !Number.isSafeInteger(first) ? loadCatalog().match('POST', url) : undefined;
  if (maker) {
    const made = await f.call('POST', url, {
      payload: sampleValue('body', maker.body?.schema, 0, { project_id: f.projectId, company_id: f.companyId }),
    });
    const row = unwrap(parse(made), planOf(maker).v2) as { id?: unknown } | undefined;
    first = Number(row?.id);
  }
  parents.set(shape, Number.isSafeInteger(first) ? first : null);
  return parents.get(shape)!;
}

function buildCall(f: ApiFixture, op: CatalogOperation, ids: Map<string, number>, resource: CatalogResource, parent: number | null): Call {
  const plan = planOf(op);
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'project_id') return String(f.projectId);
    if (name === 'company_id') return String(f.companyId);
    if (name === plan.idParam) return String(ids.get(resource.key) ?? MISSING_ID);
    if (name === plan.parentParam && parent !== null) return String(parent);
    if (/uuid/i.test(name)) return 'walk-uuid';
    return name.endsWith('id') ? '5' : 'walk';
  });
  const qs = new URLSearchParams();
  for (const name of op.requiredQuery) {
    if (name === 'project_id') qs.set(name, String(f.projectId));
    else if (name === 'company_id') qs.set(name, String(f.companyId));
    else if (name === 'page' || name === 'per_page') continue;
    else {
      const p = op.query.find((q) => q.name === name);
      const numeric =
        p?.type === 'integer' || p?.type === 'number' || p?.items?.type === 'integer' || name.endsWith('_id') || name.endsWith('ids');
      const v = p?.enum?.[0] ?? p?.items?.enum?.[0] ?? (numeric ? 5 : p?.type === 'boolean' ? true : 'walk');
      qs.set(name, String(v));
    }
  }
  if (plan.project?.from === 'query' && plan.project.required && !qs.has('project_id')) qs.set('project_id', String(f.projectId));
  const q = qs.toString();
  const call: Call = { url: q ? `${url}?${q}` : url };
  if (op.body && op.method !== 'GET')
    call.payload = sampleValue('body', op.body.schema, 0, { project_id: f.projectId, company_id: f.companyId });
  return call;
}

const ORDER: Record<string, number> = {
  create: 0,
  'singleton-update': 1,
  list: 2,
  show: 2,
  singleton: 2,
  update: 3,
  delete: 9,
  'singleton-delete': 9,
  bulk_destroy: 8,
};

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();
function definitionValidator(name: string): ValidateFunction | undefined {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, logger: false });
    // Values the 2026 request schemas accept beyond a 2017 enum are answered as written.
    const relaxed = JSON.parse(JSON.stringify(definitions2017()), (k, v: unknown) => (k === 'enum' ? undefined : v)) as object;
    ajv.addSchema({ $id: 'swagger2017', definitions: relaxed });
  }
  let v = validators.get(name);
  if (!v) {
    const schema = ajv.getSchema(`swagger2017#/definitions/${name}`);
    if (!schema) return undefined;
    validators.set(name, (v = schema));
  }
  return v;
}

function parse(res: LightMyRequestResponse): unknown {
  try {
    return res.body ? JSON.parse(res.body) : undefined;
  } catch {
    return undefined;
  }
}

const isRoute404 = (res: LightMyRequestResponse): boolean =>
  res.statusCode === 404 && /^Route /.test(String((parse(res) as { message?: string } | undefined)?.message ?? ''));

const unwrap = (body: unknown, v2: boolean): unknown => (v2 && body && typeof body === 'object' ? (body as { data?: unknown }).data : body);

/** Walks `operations` (default: the whole catalogue's `/rest/…` operations). */
export async function walkCatalogue(f: ApiFixture, options: { sample?: number } = {}): Promise<WalkResult> {
  const started = Date.now();
  const catalog = loadCatalog();
  let resources = catalog.resources();
  if (options.sample) resources = resources.filter((_, i) => i % options.sample! === 0);
  // Parents before their children (shorter collection paths first; the sort is stable).
  const depth = (r: CatalogResource) => r.key.split('/').length;
  resources = [...resources].sort((a, b) => depth(a) - depth(b));
  const parents: Parents = new Map();
  const result: WalkResult = {
    total: 0,
    routed: 0,
    unrouted: [],
    fiveHundreds: [],
    byVersion: {},
    statuses: {},
    refused: [],
    roundTrips: { attempted: 0, consistent: 0, failures: [] },
    definitions: { checked: 0, valid: 0, failures: [] },
    ms: 0,
  };
  for (const resource of resources) {
    const ops = resource.operations
      .map((r) => catalog.operation(r.operationId) as CatalogOperation)
      .filter((op) => op.version !== null)
      .sort((a, b) => (ORDER[planOf(a).behaviour] ?? 5) - (ORDER[planOf(b).behaviour] ?? 5));
    const ids = new Map<string, number>();
    for (const op of ops) {
      const plan = planOf(op);
      const parent = await parentId(f, op, parents);
      const call = buildCall(f, op, ids, resource, parent);
      const res = await f.call(op.method, call.url, call.payload === undefined ? {} : { payload: call.payload });
      result.total++;
      const v = (result.byVersion[op.version as string] ??= { total: 0, routed: 0 });
      v.total++;
      result.statuses[String(res.statusCode)] = (result.statuses[String(res.statusCode)] ?? 0) + 1;
      if (res.statusCode >= 500)
        result.fiveHundreds.push({ op: `${op.method} ${op.path}`, status: res.statusCode, body: res.body.slice(0, 300) });
      if (res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 404)
        result.refused.push(`${res.statusCode} ${op.method} ${op.path}: ${res.body.slice(0, 160)}`);
      if (isRoute404(res)) {
        result.unrouted.push({ op: `${op.method} ${op.path}`, status: res.statusCode, message: res.body.slice(0, 120) });
      } else {
        result.routed++;
        v.routed++;
      }
      const body = unwrap(parse(res), plan.v2);
      if (plan.behaviour === 'create' && res.statusCode < 300 && body && typeof body === 'object' && !ids.has(resource.key)) {
        const id = Number((body as { id?: unknown }).id);
        if (Number.isSafeInteger(id)) {
          ids.set(resource.key, id);
          if (await roundTrip(f, result, resource, op, id, parent)) {
            // The round trip deleted its row: a fresh one for the member operations that follow.
            const again = unwrap(parse(await f.call(op.method, call.url, { payload: call.payload })), plan.v2) as { id?: unknown };
            if (Number.isSafeInteger(Number(again?.id))) ids.set(resource.key, Number(again.id));
            else ids.delete(resource.key);
          }
        }
      }
      // Hand declarations answer their own shapes (their suites check them); these are the generic engine's.
      const declared =
        f.rt.sandboxApp.hasRoute({ method: op.method, url: op.path.replace(/\{(\w+)\}/g, ':$1') }) ||
        declaredFor(RESOURCES, plan) !== undefined;
      if (!declared && plan.definition && res.statusCode >= 200 && res.statusCode < 300 && body !== undefined) {
        const validate = definitionValidator(plan.definition);
        if (validate) {
          const whole = (definitions2017()[plan.definition] as { type?: string } | undefined)?.type === 'array';
          const items = Array.isArray(body) && !whole ? body : [body];
          for (const item of items.slice(0, 3)) {
            result.definitions.checked++;
            if (validate(item)) result.definitions.valid++;
            else
              result.definitions.failures.push(
                `${op.method} ${op.path} ${plan.definition}: ${ajv!.errorsText(validate.errors).slice(0, 200)}`,
              );
          }
        }
      }
    }
    // A live row for the children's paths (this resource's own was deleted last).
    const create = ops.find((op) => planOf(op).behaviour === 'create' && ids.has(resource.key));
    if (create) {
      const call = buildCall(f, create, ids, resource, await parentId(f, create, parents));
      const made = unwrap(parse(await f.call(create.method, call.url, { payload: call.payload })), planOf(create).v2) as { id?: unknown };
      if (Number.isSafeInteger(Number(made?.id))) parents.set(normalizeTemplate(resource.key), Number(made.id));
    }
  }
  result.ms = Date.now() - started;
  return result;
}

/** create → show → list → update → show → delete → show, on the create's own version. */
async function roundTrip(
  f: ApiFixture,
  result: WalkResult,
  resource: CatalogResource,
  create: CatalogOperation,
  id: number,
  parent: number | null,
): Promise<boolean> {
  const catalog = loadCatalog();
  const same = (kind: string) =>
    resource.operations
      .filter((r) => r.version === create.version && r.kind === kind && (kind === 'list' ? r.on === 'collection' : r.on === 'member'))
      .map((r) => catalog.operation(r.operationId) as CatalogOperation)
      .find((op) => planOf(op).behaviour === kind);
  const show = same('show');
  const list = same('list');
  const update = same('update');
  const del = same('delete');
  if (!show || !list || !update || !del) return false;
  result.roundTrips.attempted++;
  const v2 = planOf(create).v2;
  const ids = new Map([[resource.key, id]]);
  const fail = (why: string) => {
    result.roundTrips.failures.push(`${create.method} ${create.path}: ${why}`);
    return true;
  };
  const get = async (op: CatalogOperation) => {
    const c = buildCall(f, op, ids, resource, parent);
    const res = await f.call('GET', c.url);
    return { res, body: unwrap(parse(res), v2) };
  };
  const shown = await get(show);
  if (shown.res.statusCode !== 200 || Number((shown.body as { id?: unknown })?.id) !== id)
    return fail(`show answered ${shown.res.statusCode}`);
  const listed = await get(list);
  const rows = Array.isArray(listed.body) ? (listed.body as { id?: unknown }[]) : [];
  if (!rows.some((row) => Number(row.id) === id)) return fail(`list (${listed.res.statusCode}) lacks the created row`);
  const field = textField(update);
  if (field) {
    const u = buildCall(f, update, ids, resource, parent);
    const payload = u.payload as Record<string, unknown>;
    const root =
      Object.keys(payload ?? {}).length === 1 &&
      payload[Object.keys(payload)[0] as string] &&
      typeof payload[Object.keys(payload)[0] as string] === 'object'
        ? (payload[Object.keys(payload)[0] as string] as Record<string, unknown>)
        : payload;
    if (root && Object.hasOwn(root, field)) {
      root[field] = `Updated ${field}`.slice(0, 40);
      const res = await f.call(update.method, u.url, { payload });
      if (res.statusCode >= 300) return fail(`update answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      const again = await get(show);
      if ((again.body as Record<string, unknown>)?.[field] !== root[field])
        return fail(`show after update: ${field} is ${JSON.stringify((again.body as Record<string, unknown>)?.[field])}`);
    }
  }
  const d = buildCall(f, del, ids, resource, parent);
  const removed = await f.call('DELETE', d.url, d.payload === undefined ? {} : { payload: d.payload });
  if (removed.statusCode >= 300) return fail(`delete answered ${removed.statusCode}`);
  const gone = await get(show);
  if (gone.res.statusCode !== 404) return fail(`show after delete answered ${gone.res.statusCode}`);
  result.roundTrips.consistent++;
  return true;
}
