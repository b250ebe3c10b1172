/**
 * Groups the catalogue's operations into resources by path shape, across versions:
 * `/rest/v1.0/projects/{project_id}/rfis`, `…/rfis/{id}`, `…/rfis/{id}/recycle` and
 * `/rest/v1.1/projects/{project_id}/rfis/{id}/advance_ball_in_court` are one resource
 * (`/projects/{project_id}/rfis`) with list, show, create, update and actions.
 *
 * The rule, in order:
 * 1. A path ending in a parameter (`…/rfis/{id}`) is a member of the collection above it, and
 *    that collection is a resource. So is a literal path offering both GET and POST.
 * 2. Any other path is an action of the nearest resource above it (`…/rfis/filter_options/status`,
 *    `…/rfis/{id}/recycle`), unless it hangs below another resource's member under a tag of its
 *    own (`/projects/{project_id}/potential_locations` under `Project Management/…/locations`):
 *    then it is a resource of its own (a read-only list or a singleton), as is a path with no
 *    resource above it.
 */
import type { CatalogOperation, CatalogVersion, HttpMethod, OperationKind } from './types.js';

export interface ResourceOperation {
  operationId: string;
  method: HttpMethod;
  version: CatalogVersion | null;
  kind: OperationKind;
  /** Whether it acts on the collection path or on one member (`…/{id}`). */
  on: 'collection' | 'member';
  /** For actions: the path below the collection or member, e.g. `recycle`, `filter_options/status`. */
  action?: string;
}

export interface CatalogResource {
  /** The collection template below the version prefix: `/projects/{project_id}/rfis`. */
  key: string;
  /** Last literal segment: `rfis`. */
  name: string;
  /** Tag of most of its CRUD operations. */
  tag: string;
  category: string;
  module: string;
  /** Member template (`…/rfis/{id}`) when the catalogue has member routes. */
  member: string | null;
  /** The member parameter's name (`id`, `rfi_id`). */
  idParam: string | null;
  /** Key of the resource this one is nested under (`/projects` for `/projects/{project_id}/rfis`). */
  parent: string | null;
  /** Where the tenant scope comes from: a `{project_id}`/`project_id=` or `{company_id}`/`company_id=`. */
  scope: 'project' | 'company' | 'none';
  versions: CatalogVersion[];
  operations: ResourceOperation[];
}

const isParam = (segment: string): boolean => /^\{[^}]+\}$/.test(segment);
const segmentsOf = (template: string): string[] => template.split('/').filter(Boolean);
const join = (segments: string[]): string => `/${segments.join('/')}`;

function collectionKind(op: CatalogOperation): OperationKind {
  switch (op.method) {
    case 'GET':
      return op.responseType === 'object' && !op.paginated && op.filters.length === 0 ? 'show' : 'list';
    case 'POST':
      return 'create';
    case 'DELETE':
      return 'delete';
    default:
      return 'update';
  }
}

function memberKind(op: CatalogOperation): OperationKind {
  switch (op.method) {
    case 'GET':
      return 'show';
    case 'DELETE':
      return 'delete';
    case 'POST':
      return 'action';
    default:
      return 'update';
  }
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0] ?? '';
  for (const [v, n] of counts) if (n > (counts.get(best) ?? 0)) best = v;
  return best;
}

interface Draft {
  key: string;
  member: string | null;
  idParam: string | null;
  ops: { op: CatalogOperation; r: ResourceOperation }[];
}

/** Groups `operations` into resources (see the module comment for the rule). */
export function groupResources(operations: readonly CatalogOperation[]): CatalogResource[] {
  // Rule 1: collections that are certainly resources.
  const byPath = new Map<string, CatalogOperation[]>();
  for (const op of operations) {
    const list = byPath.get(op.template);
    if (list) list.push(op);
    else byPath.set(op.template, [op]);
  }
  const drafts = new Map<string, Draft>();
  const draft = (key: string): Draft => {
    let d = drafts.get(key);
    if (!d) drafts.set(key, (d = { key, member: null, idParam: null, ops: [] }));
    return d;
  };
  for (const [template, ops] of byPath) {
    const segments = segmentsOf(template);
    const last = segments[segments.length - 1];
    if (last !== undefined && isParam(last) && segments.length > 1) {
      const d = draft(join(segments.slice(0, -1)));
      d.member ??= template;
      d.idParam ??= last.slice(1, -1);
    } else if (ops.some((o) => o.method === 'GET') && ops.some((o) => o.method === 'POST')) {
      draft(template);
    }
  }
  const certain = new Set(drafts.keys());

  /** Nearest resource above `segments` (exclusive), and whether the way up crossed a member. */
  const ancestorOf = (segments: string[], within: Set<string>): { key: string; rest: string[]; viaMember: boolean } | null => {
    for (let n = segments.length - 1; n >= 1; n--) {
      const head = segments.slice(0, n);
      const last = head[head.length - 1] as string;
      if (isParam(last)) {
        const base = join(head.slice(0, -1));
        if (head.length > 1 && within.has(base)) return { key: base, rest: segments.slice(n - 1), viaMember: true };
      } else if (within.has(join(head))) {
        return { key: join(head), rest: segments.slice(n), viaMember: false };
      }
    }
    return null;
  };

  for (const [template, ops] of byPath) {
    const segments = segmentsOf(template);
    const last = segments[segments.length - 1];
    if (last !== undefined && isParam(last) && segments.length > 1) {
      const d = draft(join(segments.slice(0, -1)));
      for (const op of ops)
        d.ops.push({ op, r: { operationId: op.operationId, method: op.method, version: op.version, kind: memberKind(op), on: 'member' } });
      continue;
    }
    if (certain.has(template)) {
      const d = draft(template);
      for (const op of ops)
        d.ops.push({
          op,
          r: { operationId: op.operationId, method: op.method, version: op.version, kind: collectionKind(op), on: 'collection' },
        });
      continue;
    }
    const up = ancestorOf(segments, certain);
    // The ancestor's tags: those of its own collection and member paths.
    const ancestorTags = up
      ? new Set([...(byPath.get(up.key) ?? []), ...(byPath.get(drafts.get(up.key)?.member ?? '') ?? [])].map((o) => o.tag))
      : null;
    const foreign = up !== null && up.viaMember && ancestorTags !== null && !ops.some((op) => ancestorTags.has(op.tag));
    if (up && !foreign) {
      const d = draft(up.key);
      const rest = up.rest;
      const onMember = rest.length > 0 && (rest[0] as string).startsWith('{');
      const first = rest[0] ?? '';
      const tail = onMember ? [first.replace(/^\{[^}]+\}\.?/, ''), ...rest.slice(1)].filter(Boolean) : rest;
      const action = tail.join('/') || first;
      for (const op of ops)
        d.ops.push({
          op,
          r: {
            operationId: op.operationId,
            method: op.method,
            version: op.version,
            kind: 'action',
            on: onMember ? 'member' : 'collection',
            action,
          },
        });
    } else {
      const d = draft(template);
      for (const op of ops)
        d.ops.push({
          op,
          r: { operationId: op.operationId, method: op.method, version: op.version, kind: collectionKind(op), on: 'collection' },
        });
    }
  }

  const keys = new Set(drafts.keys());
  const resources: CatalogResource[] = [];
  for (const d of drafts.values()) {
    const segments = segmentsOf(d.key);
    const crud = d.ops.filter((o) => o.r.kind !== 'action');
    const tagged = (crud.length ? crud : d.ops).map((o) => o.op);
    const tag = mostCommon(tagged.map((o) => o.tag));
    const sample = tagged.find((o) => o.tag === tag) ?? d.ops[0]?.op;
    const parent = ancestorOf(segments, keys);
    const all = d.ops.map((o) => o.op);
    const scope = all.some((o) => o.template.includes('{project_id}') || o.requiredQuery.includes('project_id'))
      ? 'project'
      : all.some((o) => o.template.includes('{company_id}') || o.requiredQuery.includes('company_id'))
        ? 'company'
        : 'none';
    const versions = [...new Set(all.map((o) => o.version).filter((v): v is CatalogVersion => v !== null))].sort();
    resources.push({
      key: d.key,
      name: [...segments].reverse().find((s) => !isParam(s)) ?? d.key,
      tag,
      category: sample?.category ?? '',
      module: sample?.module ?? '',
      member: d.member,
      idParam: d.idParam,
      parent: parent?.key ?? null,
      scope,
      versions,
      operations: d.ops.map((o) => o.r),
    });
  }
  return resources.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
