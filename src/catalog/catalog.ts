/**
 * Typed access to the compiled catalogue: operations by id, by method and concrete path, by
 * resource, by category.
 */
import { deriveOperation } from './compile.js';
import { groupResources, type CatalogResource } from './resources.js';
import { compileRouter, type CatalogRouter } from './router.js';
import type { CatalogOperation, CompiledCatalog } from './types.js';

/** A template segment as a matcher: `{id}` matches any segment, `{id}.pdf` any `<x>.pdf`. */
function segmentMatcher(segment: string): (s: string) => boolean {
  if (!segment.includes('{')) return (s) => s === segment;
  const re = new RegExp(`^${segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return (s) => re.test(s);
}

/** Whether concrete `path` (no query string) fits `template` (`/rest/v1.0/projects/{project_id}`). */
export function pathMatches(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return false;
  for (let i = 0; i < t.length; i++) if (!segmentMatcher(t[i] as string)(p[i] as string)) return false;
  return true;
}

/** `{id}` and `:id` both become `{}`: compares route patterns whatever their parameter names. */
export function normalizeTemplate(template: string): string {
  return template.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '{}');
}

export class Catalog {
  readonly operations: readonly CatalogOperation[];
  private readonly byId = new Map<string, CatalogOperation>();
  private readonly byPattern = new Map<string, CatalogOperation>();
  private grouped: CatalogResource[] | undefined;
  private compiledRouter: CatalogRouter | undefined;
  private resourceOfOp: Map<string, CatalogResource> | undefined;

  constructor(compiled: CompiledCatalog) {
    this.operations = compiled.operations.map(deriveOperation);
    for (const op of this.operations) {
      this.byId.set(op.operationId, op);
      this.byPattern.set(`${op.method} ${normalizeTemplate(op.path)}`, op);
    }
  }

  operation(operationId: string): CatalogOperation | undefined {
    return this.byId.get(operationId);
  }

  /** The operation declared for a route pattern (`/rest/v1.0/projects/:id` or `{project_id}`). */
  byRoute(method: string, pattern: string): CatalogOperation | undefined {
    return this.byPattern.get(`${method.toUpperCase()} ${normalizeTemplate(pattern)}`);
  }

  /** The operation a concrete request path falls on (`/rest/v1.0/projects/12/rfis`), if any, as Fastify would route it. */
  match(method: string, path: string): CatalogOperation | undefined {
    this.compiledRouter ??= compileRouter(this.operations);
    return this.compiledRouter.find(method, path)?.op;
  }

  /** The segment trie over every operation (see `router.ts`). */
  router(): CatalogRouter {
    this.compiledRouter ??= compileRouter(this.operations);
    return this.compiledRouter;
  }

  /** Resources grouped by path shape across versions (see `resources.ts`). */
  resources(): CatalogResource[] {
    this.grouped ??= groupResources(this.operations);
    return this.grouped;
  }

  resource(key: string): CatalogResource | undefined {
    return this.resources().find((r) => r.key === key);
  }

  /** The resource an operation belongs to. */
  resourceOf(operationId: string): CatalogResource | undefined {
    if (!this.resourceOfOp) {
      this.resourceOfOp = new Map();
      for (const r of this.resources()) for (const o of r.operations) this.resourceOfOp.set(o.operationId, r);
    }
    return this.resourceOfOp.get(operationId);
  }

  /** Operation counts by category (`Core`, `Project Management`, …) and module. */
  categories(): { category: string; modules: { module: string; operations: number }[]; operations: number }[] {
    const tree = new Map<string, Map<string, number>>();
    for (const op of this.operations) {
      const modules = tree.get(op.category) ?? new Map<string, number>();
      modules.set(op.module, (modules.get(op.module) ?? 0) + 1);
      tree.set(op.category, modules);
    }
    return [...tree]
      .map(([category, modules]) => ({
        category,
        modules: [...modules].map(([module, operations]) => ({ module, operations })).sort((a, b) => b.operations - a.operations),
        operations: [...modules.values()].reduce((a, b) => a + b, 0),
      }))
      .sort((a, b) => b.operations - a.operations || (a.category < b.category ? -1 : 1));
  }
}
