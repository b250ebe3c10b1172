/**
 * A resource of the catalogue as a declaration draft: everything a generated `defineResource`
 * needs, as plain data — paths, scope, parent, versions, wrapped-body root, the field table
 * (create and update bodies merged), filters and sort keys of its lists, and per operation its
 * kind, action name, envelope (`{data: …}` and string ids on v2.x) and its `/vapid` twin in the
 * 2017 description with the response definition there (`RFINormal`, `RFIExtended`), whose fields
 * a response must carry.
 *
 * @example
 * const draft = declarationDraft(loadCatalog(), '/projects/{project_id}/rfis', load2017Twins());
 * draft.body.root;                     // 'rfi'
 * draft.fields.subject;                // { kind: 'text', type: 'string', required: true }
 * draft.operations.find((o) => o.kind === 'list')?.vapid?.definition; // 'RFINormal'
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from './catalog.js';
import { bodyFieldTable, type FieldSpec } from './fields.js';
import { catalogPaths } from './load.js';
import type { CatalogResource } from './resources.js';
import type { CatalogFilter, CatalogOperation, CatalogVersion, HttpMethod, OperationKind } from './types.js';

export interface VapidTwin {
  /** The 2017 path: `/vapid/projects/{project_id}/rfis/{id}`. */
  path: string;
  /** The success response's definition in the 2017 description, if it names one. */
  definition: string | null;
  /** Whether the success response is a list of it. */
  array: boolean;
}

export interface DraftOperation {
  operationId: string;
  method: HttpMethod;
  version: CatalogVersion | null;
  path: string;
  kind: OperationKind;
  on: 'collection' | 'member';
  action?: string;
  /** v2.x: responses are `{ "data": … }` and ids are strings. */
  envelope: 'data' | null;
  ids: 'string' | 'integer';
  paginated: boolean;
  filters: string[];
  successStatus: number;
  /** Root key of its request body (`rfi`), null when unwrapped or bodiless. */
  bodyRoot: string | null;
  vapid: VapidTwin | null;
}

export interface DeclarationDraft {
  key: string;
  name: string;
  tag: string;
  scope: CatalogResource['scope'];
  parent: string | null;
  /** The path parameter that carries the parent's id (`rfi_id` for `…/rfis/{rfi_id}/replies`). */
  parentParam: string | null;
  collection: string;
  member: string | null;
  idParam: string | null;
  versions: CatalogVersion[];
  body: { root: string | null; contentTypes: string[] };
  /** Create and update bodies merged; `required` as the create body says. */
  fields: Record<string, FieldSpec>;
  /** Filters of its lists, by key (first declaration wins). */
  filters: Record<string, Omit<CatalogFilter, 'name' | 'in' | 'key' | 'required'>>;
  sortKeys: string[];
  search: boolean;
  operations: DraftOperation[];
}

const norm = (path: string): string => path.replace(/\{[^}]+\}/g, '{}');

/**
 * The 2017 description's operations by `METHOD template` (`GET /projects/{}/rfis`), read from
 * `reference/procore-vapid-2017.swagger.json`.
 */
export function load2017Twins(file = join(catalogPaths().reference, '..', 'procore-vapid-2017.swagger.json')): Map<string, VapidTwin> {
  const swagger = JSON.parse(readFileSync(file, 'utf8')) as {
    paths: Record<
      string,
      Record<string, { responses?: Record<string, { schema?: { $ref?: string; type?: string; items?: { $ref?: string } } }> }>
    >;
  };
  const twins = new Map<string, VapidTwin>();
  for (const [path, methods] of Object.entries(swagger.paths)) {
    if (!path.startsWith('/vapid/')) continue;
    for (const [method, op] of Object.entries(methods)) {
      const ok = op.responses?.['200'] ?? op.responses?.['201'];
      const schema = ok?.schema;
      const ref = schema?.$ref ?? schema?.items?.$ref ?? null;
      twins.set(`${method.toUpperCase()} ${norm(path.slice('/vapid'.length))}`, {
        path,
        definition: ref ? (ref.split('/').pop() ?? null) : null,
        array: schema?.type === 'array',
      });
    }
  }
  return twins;
}

function mergeFields(into: Record<string, FieldSpec>, from: Record<string, FieldSpec>, keepRequired: boolean): void {
  for (const [name, spec] of Object.entries(from)) {
    if (into[name]) continue;
    if (keepRequired) into[name] = spec;
    else {
      const copy = { ...spec };
      delete copy.required;
      into[name] = copy;
    }
  }
}

/** The draft of resource `key` (a `CatalogResource.key`), or undefined when there is none. */
export function declarationDraft(catalog: Catalog, key: string, twins?: Map<string, VapidTwin>): DeclarationDraft | undefined {
  const resource = catalog.resource(key);
  if (!resource) return undefined;
  const ops = resource.operations.map((r) => ({ r, op: catalog.operation(r.operationId) as CatalogOperation }));
  const byKind = (kind: OperationKind) => ops.filter((o) => o.r.kind === kind).sort((a, b) => versionOrder(a.op) - versionOrder(b.op));

  const fields: Record<string, FieldSpec> = {};
  const contentTypes = new Set<string>();
  let root: string | null = null;
  for (const [kind, keepRequired] of [
    ['create', true],
    ['update', false],
  ] as const) {
    for (const { op } of byKind(kind)) {
      if (!op.body) continue;
      const table = bodyFieldTable(op.body);
      contentTypes.add(op.body.contentType);
      if (op.version !== 'v2.0' && op.version !== 'v2.1') root ??= table.root;
      mergeFields(fields, table.fields, keepRequired);
    }
  }

  const filters: DeclarationDraft['filters'] = {};
  const sortKeys = new Set<string>();
  let search = false;
  for (const { op } of byKind('list')) {
    for (const f of op.filters) {
      if (filters[f.key]) continue;
      const { name: _n, in: _i, key: _k, required: _r, ...spec } = f;
      filters[f.key] = spec;
    }
    for (const k of op.sort?.keys ?? []) sortKeys.add(k);
    search ||= op.search;
  }

  const segments = key.split('/').filter(Boolean);
  const parentParam =
    resource.parent !== null
      ? ([...segments]
          .reverse()
          .find((s) => /^\{[^}]+\}$/.test(s))
          ?.slice(1, -1) ?? null)
      : null;

  return {
    key,
    name: resource.name,
    tag: resource.tag,
    scope: resource.scope,
    parent: resource.parent,
    parentParam,
    collection: key,
    member: resource.member,
    idParam: resource.idParam,
    versions: resource.versions,
    body: { root, contentTypes: [...contentTypes].sort() },
    fields,
    filters,
    sortKeys: [...sortKeys],
    search,
    operations: ops.map(({ r, op }) => {
      const v2 = op.version === 'v2.0' || op.version === 'v2.1';
      const draft: DraftOperation = {
        operationId: op.operationId,
        method: op.method,
        version: op.version,
        path: op.path,
        kind: r.kind,
        on: r.on,
        envelope: v2 ? 'data' : null,
        ids: v2 ? 'string' : 'integer',
        paginated: op.paginated,
        filters: op.filters.map((f) => f.key),
        successStatus: op.successStatus,
        bodyRoot: op.body ? bodyFieldTable(op.body).root : null,
        vapid: op.version === 'v1.0' ? (twins?.get(`${op.method} ${norm(op.template)}`) ?? null) : null,
      };
      if (r.action !== undefined) draft.action = r.action;
      return draft;
    }),
  };
}

function versionOrder(op: CatalogOperation): number {
  return op.version === 'v1.0' ? 0 : op.version === null ? 9 : 1;
}
