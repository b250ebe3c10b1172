/**
 * A segment trie over the catalogue's path templates: `find('GET', '/rest/v1.0/projects/12/rfis/34')`
 * → the operation and its path parameters. Built in a few milliseconds for all 2,636 operations,
 * so the long tail can be served by one catch-all route per prefix instead of one Fastify route
 * per operation (registering 2,632 routes in Fastify 5 / find-my-way took seconds on the 2-core
 * machine; see docs/decisions/0004-breadth-from-catalogue.md).
 *
 * Literal segments win over parameters (`…/rfis/export` before `…/rfis/{id}`), and a mixed
 * segment that fits (`{id}.pdf`) over a whole `{param}`, as Fastify orders them.
 *
 * @example
 * const router = compileRouter(loadCatalog().operations);
 * router.find('GET', '/rest/v1.0/projects/12/rfis/34')?.params; // { project_id: '12', id: '34' }
 */
import type { CatalogOperation } from './types.js';

/** What the trie routes: a method and a path template (`/rest/v1.0/projects/{id}`). */
export interface Routable {
  method: string;
  path: string;
}

interface MixedChild<T> {
  re: RegExp;
  names: string[];
  node: TrieNode<T>;
}

interface TrieNode<T> {
  literal: Map<string, TrieNode<T>>;
  param: { name: string; node: TrieNode<T> } | null;
  mixed: MixedChild<T>[];
  /** Operations ending here, by method. */
  ops: Map<string, T>;
}

export interface RouteMatch<T extends Routable = CatalogOperation> {
  op: T;
  /** Raw (undecoded) path parameter values by the template's names. */
  params: Record<string, string>;
}

export interface CatalogRouter<T extends Routable = CatalogOperation> {
  find(method: string, path: string): RouteMatch<T> | null;
  /** The methods a path answers to (for 405-style hints). */
  methods(path: string): string[];
}

const node = <T>(): TrieNode<T> => ({ literal: new Map(), param: null, mixed: [], ops: new Map() });

function mixedChild(segment: string): { re: RegExp; names: string[] } {
  const names: string[] = [];
  const source = segment.replace(/\{(\w+)\}|([^{]+)/g, (_, name: string | undefined, text: string | undefined) => {
    if (name) {
      names.push(name);
      return '([^/]+?)';
    }
    return (text as string).replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  });
  return { re: new RegExp(`^${source}$`), names };
}

export function compileRouter<T extends Routable = CatalogOperation>(operations: readonly T[]): CatalogRouter<T> {
  const root = node<T>();
  /** Each operation's parameter names in template order (read once, not on every match). */
  const paramNames = new Map<T, string[]>();
  for (const op of operations) {
    let at = root;
    for (const segment of op.path.split('/').filter(Boolean)) {
      const whole = /^\{(\w+)\}$/.exec(segment);
      if (whole) {
        // Parameter names differ between operations on one position (`{id}`, `{rfi_id}`): one
        // child, each operation reading its own names back from its template.
        at.param ??= { name: whole[1] as string, node: node<T>() };
        at = at.param.node;
      } else if (segment.includes('{')) {
        let child = at.mixed.find((m) => m.re.source === mixedChild(segment).re.source);
        if (!child) at.mixed.push((child = { ...mixedChild(segment), node: node<T>() }));
        at = child.node;
      } else {
        let next = at.literal.get(segment);
        if (!next) at.literal.set(segment, (next = node<T>()));
        at = next;
      }
    }
    if (!at.ops.has(op.method)) at.ops.set(op.method, op);
    paramNames.set(
      op,
      [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
    );
  }

  // Per method, as Fastify keeps one tree per method: PATCH …/rfis/export is PATCH …/rfis/{id}.
  const walk = (
    method: string,
    at: TrieNode<T>,
    segments: string[],
    i: number,
    values: string[],
  ): { node: TrieNode<T>; values: string[] } | null => {
    if (i === segments.length) return at.ops.has(method) ? { node: at, values } : null;
    const s = segments[i] as string;
    const lit = at.literal.get(s);
    if (lit) {
      const found = walk(method, lit, segments, i + 1, values);
      if (found) return found;
    }
    for (const m of at.mixed) {
      const mm = m.re.exec(s);
      if (!mm) continue;
      const found = walk(method, m.node, segments, i + 1, [...values, ...mm.slice(1)]);
      if (found) return found;
    }
    if (at.param && s !== '') {
      const found = walk(method, at.param.node, segments, i + 1, [...values, s]);
      if (found) return found;
    }
    return null;
  };

  const methods = [...new Set(operations.map((o) => o.method))];
  const locate = (method: string, path: string) => {
    const q = path.indexOf('?');
    const clean = q < 0 ? path : path.slice(0, q);
    if (!clean.startsWith('/')) return null;
    return walk(method, root, clean.split('/').slice(1), 0, []);
  };

  return {
    find(method, path) {
      const verb = method.toUpperCase();
      const found = locate(verb, path);
      const op = found?.node.ops.get(verb);
      if (!found || !op) return null;
      const names = paramNames.get(op) as string[];
      const params: Record<string, string> = {};
      names.forEach((name, k) => (params[name] = found.values[k] as string));
      return { op, params };
    },
    methods(path) {
      return methods.filter((m) => locate(m, path) !== null).sort();
    },
  };
}
