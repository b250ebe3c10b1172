/**
 * What the generic engine does with one catalogue operation, worked out on its first request
 * and cached: its resource (`catalog.resourceOf`), the behaviour (list, show, create, update,
 * delete, a singleton, or an action acting on stored rows), where its tenant scope comes from
 * (`{project_id}` / `project_id=`, `{company_id}` / `company_id=`), the path parameter carrying
 * the parent row, the member id, its filters and sort keys as stored-field queries, the 2017
 * definition its answers carry, and the v2.x envelope.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeTemplate } from '../../catalog/catalog.js';
import { load2017Twins, type VapidTwin } from '../../catalog/draft.js';
import { bodyFieldTable, type FieldSpec } from '../../catalog/fields.js';
import { catalogPaths, loadCatalog } from '../../catalog/load.js';
import type { CatalogResource, ResourceOperation } from '../../catalog/resources.js';
import type { CatalogOperation } from '../../catalog/types.js';

export type Behaviour =
  | 'list'
  | 'show'
  | 'create'
  | 'update'
  | 'delete'
  | 'singleton'
  | 'singleton-update'
  | 'singleton-delete'
  | 'recycle'
  | 'retrieve'
  | 'recycle_bin'
  | 'sync'
  | 'filter_options'
  | 'potential'
  | 'ids'
  | 'bulk_create'
  | 'bulk_update'
  | 'bulk_destroy'
  | 'member'
  | 'collection';

export interface Plan {
  op: CatalogOperation;
  resource: CatalogResource;
  behaviour: Behaviour;
  /** The `records.resource` of its rows: `catalog:<resource key>`. */
  store: string;
  /** The member id parameter of this operation's template (member operations). */
  idParam: string | null;
  /** The path parameter naming the parent row (`rfi_id` of `…/rfis/{rfi_id}/replies`). */
  parentParam: string | null;
  /** Path parameters of the collection part (stored on created rows, shown in answers). */
  pathFields: string[];
  project: { from: 'path' | 'query'; required: boolean } | null;
  company: { from: 'path' | 'query' } | null;
  /** The attribute of `filter_options/<attr>`, null for a bare `filter_options`. */
  attribute: string | null;
  /** v2.x: `{ "data": … }` and string ids. */
  v2: boolean;
  /** Whether the answer is a list (from the response schema). */
  answersList: boolean;
  /** The 2017 definition of the answer (`RFIExtended`), if any. */
  definition: string | null;
  /** The resource's written fields (create and update bodies merged). */
  fields: Record<string, FieldSpec>;
  /** Text fields `search` looks in. */
  searchFields: string[];
}

const isParam = (s: string): boolean => /^\{[^}]+\}$/.test(s);
const nameOf = (s: string): string => s.slice(1, -1);

let twins: Map<string, VapidTwin> | undefined;
const plans = new Map<string, Plan>();
const fieldsByResource = new Map<string, Record<string, FieldSpec>>();
const storeByShape = new Map<string, string>();

/** The success response schema of an operation, from its details file (v2.x shapes). */
function responseSchema(op: CatalogOperation): { type?: string; properties?: Record<string, { type?: string }> } | null {
  const file = join(catalogPaths().reference, 'endpoint-details', `${op.operationId}.json`);
  if (!existsSync(file)) return null;
  try {
    const details = JSON.parse(readFileSync(file, 'utf8')) as { responses?: Record<string, { schema?: Record<string, unknown> }> };
    const ok =
      details.responses?.[String(op.successStatus)] ?? Object.entries(details.responses ?? {}).find(([k]) => k.startsWith('2'))?.[1];
    return (ok?.schema as never) ?? null;
  } catch {
    return null;
  }
}

function resourceFields(resource: CatalogResource): Record<string, FieldSpec> {
  let hit = fieldsByResource.get(resource.key);
  if (hit) return hit;
  const catalog = loadCatalog();
  hit = {};
  for (const kind of ['create', 'update'] as const)
    for (const r of resource.operations) {
      if (r.kind !== kind) continue;
      const op = catalog.operation(r.operationId);
      if (!op?.body) continue;
      for (const [k, spec] of Object.entries(bodyFieldTable(op.body).fields)) hit[k] ??= spec;
    }
  fieldsByResource.set(resource.key, hit);
  return hit;
}

/** One store per path shape: `/companies/{company_id}/…` and `/companies/{id}/…` share rows. */
function storeOf(resource: CatalogResource): string {
  const shape = normalizeTemplate(resource.key);
  let store = storeByShape.get(shape);
  if (!store) storeByShape.set(shape, (store = `catalog:${resource.key}`));
  return store;
}

const POTENTIAL_PEOPLE = /^(potential|possible)_\w*(assignees|members|creators|creator_ids|managers|contact|inspectors)$/;

function behaviourOf(op: CatalogOperation, r: ResourceOperation): Behaviour {
  const last = [...op.template.split('/')].reverse().find((s) => s && !s.includes('{')) ?? '';
  // People (or vendors) who could take a role: `…/potential_assignees`, `…/possible_inspectors`.
  // `potential_change_orders` is a resource of its own, stored and listed like any other.
  if (op.method === 'GET' && POTENTIAL_PEOPLE.test(last)) return 'potential';
  switch (r.kind) {
    case 'list':
      return 'list';
    case 'show':
      return r.on === 'member' ? 'show' : 'singleton';
    case 'create':
      return 'create';
    case 'update':
      return r.on === 'member' ? 'update' : 'singleton-update';
    case 'delete':
      return r.on === 'member' ? 'delete' : 'singleton-delete';
    default:
      break;
  }
  const action = r.action ?? '';
  const first = action.split('/')[0] ?? '';
  if (first === 'recycle' && r.on === 'member') return 'recycle';
  if ((first === 'retrieve' || first === 'restore') && r.on === 'member') return 'retrieve';
  if (first === 'recycle_bin' && op.method === 'GET' && r.on === 'collection') return 'recycle_bin';
  if (first === 'sync' && op.method !== 'GET') return 'sync';
  if ((first === 'filter_options' || first === 'filters') && op.method === 'GET') return 'filter_options';
  if (first === 'ids' && op.method === 'GET') return 'ids';
  if (first === 'bulk_create' && op.method === 'POST') return 'bulk_create';
  if ((first === 'bulk_update' || first === 'update_all') && op.method !== 'GET') return 'bulk_update';
  if ((first === 'bulk_destroy' || first === 'bulk_delete') && op.method === 'DELETE') return 'bulk_destroy';
  return r.on === 'member' ? 'member' : 'collection';
}

/** The plan of `op` (cached). */
export function planOf(op: CatalogOperation): Plan {
  const hit = plans.get(op.operationId);
  if (hit) return hit;
  const catalog = loadCatalog();
  const resource = catalog.resourceOf(op.operationId) as CatalogResource;
  const r = resource.operations.find((o) => o.operationId === op.operationId) as ResourceOperation;
  const behaviour = behaviourOf(op, r);

  const keyLength = resource.key.split('/').filter(Boolean).length;
  const segments = op.template.split('/').filter(Boolean);
  const collection = segments.slice(0, keyLength);
  const pathFields = collection.filter(isParam).map(nameOf);
  const member = r.on === 'member' ? segments[keyLength] : undefined;
  const idParam = member && member.includes('{') ? (/\{(\w+)\}/.exec(member)?.[1] ?? null) : null;
  const parentParam = [...pathFields].reverse().find((p) => p !== 'project_id' && p !== 'company_id') ?? null;

  const queryNames = new Set(op.query.map((q) => q.name));
  const inPath = (name: string) => op.pathParams.some((p) => p.name === name);
  const project = inPath('project_id')
    ? { from: 'path' as const, required: true }
    : queryNames.has('project_id')
      ? { from: 'query' as const, required: op.requiredQuery.includes('project_id') && !op.requiredQuery.includes('company_id') }
      : null;
  const company = inPath('company_id') ? { from: 'path' as const } : queryNames.has('company_id') ? { from: 'query' as const } : null;

  const v2 = op.version === 'v2.0' || op.version === 'v2.1';
  let answersList: boolean;
  if (v2) {
    const schema = responseSchema(op);
    answersList = schema?.properties?.['data']?.type === 'array' || (schema?.type === 'array' && behaviour !== 'show');
  } else {
    answersList = op.responseType === 'array';
  }

  twins ??= load2017Twins();
  const twinOf = (o: CatalogOperation) => twins!.get(`${o.method} ${o.template.replace(/\{[^}]+\}/g, '{}')}`);
  let definition: string | null = null;
  if (!v2) {
    definition = twinOf(op)?.definition ?? null;
    // Other v1.x versions answer as the v1.0 operation of the same kind does.
    if (!definition && op.version !== 'v1.0') {
      const same = resource.operations.find((o) => o.version === 'v1.0' && o.kind === r.kind && o.on === r.on && o.action === r.action);
      const twinOp = same ? catalog.operation(same.operationId) : undefined;
      definition = (twinOp && twinOf(twinOp)?.definition) ?? null;
    }
  }

  const fields = resourceFields(resource);
  const attribute = behaviour === 'filter_options' ? ((r.action ?? '').split('/')[1] ?? null) : null;
  const plan: Plan = {
    op,
    resource,
    behaviour,
    store: storeOf(resource),
    idParam,
    parentParam,
    pathFields,
    project,
    company,
    attribute: attribute && !attribute.includes('{') ? attribute : null,
    v2,
    answersList,
    definition,
    fields,
    searchFields: Object.entries(fields)
      .filter(([k, s]) => s.kind === 'text' && /^[A-Za-z_]\w*$/.test(k))
      .map(([k]) => k),
  };
  plans.set(op.operationId, plan);
  return plan;
}

const parents = new Map<string, { key: string; store: string | null } | null>();

/**
 * The collection the parent row of `plan` lives in (`/companies/{company_id}/vendors` for
 * `…/vendors/{vendor_id}/insurances`), and the generic store of its rows when the catalogue
 * lets a client create them (null: no row of it can be looked up, so none is checked).
 */
export function parentOf(plan: Plan): { key: string; store: string | null } | null {
  if (plan.parentParam === null) return null;
  const hit = parents.get(plan.op.operationId);
  if (hit !== undefined) return hit;
  const segments = plan.op.template.split('/');
  const at = segments.indexOf(`{${plan.parentParam}}`);
  let parent: { key: string; store: string | null } | null = null;
  if (at > 1) {
    const key = segments.slice(0, at).join('/');
    const shape = normalizeTemplate(key);
    const resource = loadCatalog()
      .resources()
      .find((r) => normalizeTemplate(r.key) === shape && r.operations.some((o) => o.kind === 'create'));
    parent = { key, store: resource ? storeOf(resource) : null };
  }
  parents.set(plan.op.operationId, parent);
  return parent;
}
