/**
 * `{{variable}}` resolution as Postman's runtime does it, shared by the server and the web app
 * (no Node, DOM or library imports: the browser imports this file by relative path).
 *
 * Precedence, narrowest wins: local > data > environment > collection > global
 * (postman-runtime `resolveUrl()` looks scopes up in that order). A value may itself hold
 * `{{other}}`; nested references are resolved up to {@link MAX_DEPTH} levels. Unknown names
 * stay as written (`{{missing}}`), as in Postman.
 *
 * @example
 * const scopes = [
 *   { scope: 'environment', values: scopeFromEnvironment(env.data) },
 *   { scope: 'collection', values: scopeFromCollectionVariables(collection.variable) },
 * ];
 * resolveString('{{base_url}}/rest/v1.0/projects/{{project_id}}/rfis', scopes).value;
 */

export type ScopeName = 'local' | 'data' | 'environment' | 'collection' | 'global';

/** Narrowest first: the first scope that defines a name supplies its value. */
export const SCOPE_ORDER: readonly ScopeName[] = ['local', 'data', 'environment', 'collection', 'global'];

/** Postman's nested-substitution limit (postman-collection `Substitutor`: 19 passes, then stop). */
export const MAX_DEPTH = 20;

export interface Scope {
  scope: ScopeName;
  /** Enabled variables of the scope by name. */
  values: Readonly<Record<string, string>>;
}

export interface VariableRef {
  /** The name between the braces (`project_id`, `$guid`). */
  name: string;
  /** Offsets of `{{name}}` in the input text. */
  start: number;
  end: number;
  /** The scope that supplied the value, `dynamic` for `{{$…}}`, or null when nothing defines it. */
  scope: ScopeName | 'dynamic' | null;
  /** The fully resolved value, or null when undefined. */
  value: string | null;
}

export interface Resolved {
  value: string;
  refs: VariableRef[];
}

/** A Postman environment or globals record's `data` (see docs/explorer.md). */
export interface EnvironmentData {
  name?: string;
  values?: readonly { key?: string; value?: unknown; type?: string; enabled?: boolean }[];
  /** Current values (this browser session's working values), by key; win over `value`. */
  current?: Readonly<Record<string, unknown>>;
}

const VAR_RE = /\{\{([^{}]+?)\}\}/g;

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Enabled variables of an environment or globals record; a current value wins over the initial one. */
export function scopeFromEnvironment(data: EnvironmentData | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of data?.values ?? []) {
    if (!v || typeof v.key !== 'string' || v.key === '' || v.enabled === false) continue;
    const current = data?.current;
    out[v.key] = current && Object.prototype.hasOwnProperty.call(current, v.key) ? text(current[v.key]) : text(v.value);
  }
  return out;
}

/** A collection's (or folder's) `variable[]`: `{key|id, value, disabled?}`. */
export function scopeFromCollectionVariables(
  variables: readonly { key?: string; id?: string; value?: unknown; disabled?: boolean }[] | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of variables ?? []) {
    const key = v?.key ?? v?.id;
    if (!v || typeof key !== 'string' || key === '' || v.disabled === true) continue;
    out[key] = text(v.value);
  }
  return out;
}

function randomHex(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

function uuid(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const h = randomHex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20)}`;
}

/** The dynamic variables the explorer supports (a subset of Postman's `{{$…}}` list). */
export const DYNAMIC_VARIABLES: Readonly<Record<string, () => string>> = {
  $guid: uuid,
  $randomUUID: uuid,
  $timestamp: () => String(Math.floor(Date.now() / 1000)),
  $isoTimestamp: () => new Date().toISOString(),
  $randomInt: () => String(Math.floor(Math.random() * 1001)),
};

function lookup(name: string, scopes: readonly Scope[]): { scope: ScopeName | 'dynamic'; value: string } | null {
  const ordered = [...scopes].sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope));
  for (const s of ordered) {
    if (Object.prototype.hasOwnProperty.call(s.values, name)) return { scope: s.scope, value: s.values[name]! };
  }
  const dynamic = DYNAMIC_VARIABLES[name];
  return dynamic ? { scope: 'dynamic', value: dynamic() } : null;
}

function expand(value: string, scopes: readonly Scope[], depth: number): string {
  if (depth >= MAX_DEPTH || !value.includes('{{')) return value;
  return value.replace(VAR_RE, (whole, name: string) => {
    const found = lookup(name, scopes);
    return found ? expand(found.value, scopes, depth + 1) : whole;
  });
}

/** Resolves every `{{name}}` of `input`; `refs` lists the top-level references with their source. */
export function resolveString(input: string, scopes: readonly Scope[]): Resolved {
  const refs: VariableRef[] = [];
  let out = '';
  let last = 0;
  for (const m of input.matchAll(VAR_RE)) {
    const name = m[1]!;
    const start = m.index;
    const end = start + m[0].length;
    const found = lookup(name, scopes);
    const value = found ? expand(found.value, scopes, 1) : null;
    refs.push({ name, start, end, scope: found?.scope ?? null, value });
    out += input.slice(last, start) + (value ?? m[0]);
    last = end;
  }
  return { value: out + input.slice(last), refs };
}

/** Resolves every string inside a JSON value (request bodies, auth parameter lists). */
export function resolveDeep<T>(value: T, scopes: readonly Scope[]): T {
  if (typeof value === 'string') return resolveString(value, scopes).value as T;
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, scopes)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveDeep(v, scopes);
    return out as T;
  }
  return value;
}

// ---- auth inheritance ----

/** A Postman v2.1 `auth` block: `{ type, [type]: [{key, value, type}] }`. */
export interface AuthBlock {
  type: string;
  [params: string]: unknown;
}

interface ItemLike {
  id?: string;
  name?: string;
  auth?: AuthBlock | null;
  request?: unknown;
  item?: ItemLike[];
}

export interface EffectiveAuth {
  /** The auth that applies, or null when none does (`noauth` or nothing set anywhere). */
  auth: AuthBlock | null;
  /** Where it was set: the request itself, a folder, the collection, or nowhere. */
  source: 'request' | 'folder' | 'collection' | 'none';
  /** Name of the folder (or request) that set it. */
  sourceName?: string;
}

function findPath(items: readonly ItemLike[] | undefined, id: string, trail: ItemLike[]): ItemLike[] | null {
  for (const item of items ?? []) {
    const here = [...trail, item];
    if (item.id === id) return here;
    if (Array.isArray(item.item)) {
      const found = findPath(item.item, id, here);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The auth a request of a collection uses (SDK `Item.getAuth()`): its own, else the nearest
 * folder's, else the collection's. Absent or null means inherit; `{type:'noauth'}` stops the
 * search and means no auth. `itemId` is the request item's `id`; unknown ids → collection auth.
 */
export function resolveAuth(collection: { auth?: AuthBlock | null; item?: ItemLike[] }, itemId?: string): EffectiveAuth {
  const path = itemId ? (findPath(collection.item, itemId, []) ?? []) : [];
  const isAuth = (a: unknown): a is AuthBlock => !!a && typeof a === 'object' && typeof (a as AuthBlock).type === 'string';
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    const isRequest = i === path.length - 1 && node.request !== undefined;
    // A request's auth lives in `request.auth`; a folder's in the folder's own `auth`.
    const own = isRequest ? (node.request as { auth?: AuthBlock | null } | null)?.auth : node.auth;
    if (isAuth(own)) return { auth: own.type === 'noauth' ? null : own, source: isRequest ? 'request' : 'folder', sourceName: node.name };
  }
  const top = collection.auth;
  if (top && typeof top === 'object' && typeof top.type === 'string') {
    return { auth: top.type === 'noauth' ? null : top, source: 'collection' };
  }
  return { auth: null, source: 'none' };
}

/** The value of one parameter of a v2.1 auth block (`authParam(auth, 'accessToken')`). */
export function authParam(auth: AuthBlock | null, key: string): unknown {
  if (!auth) return undefined;
  const params = auth[auth.type];
  if (Array.isArray(params)) return (params as { key?: string; value?: unknown }[]).find((p) => p?.key === key)?.value;
  if (params && typeof params === 'object') return (params as Record<string, unknown>)[key];
  return undefined;
}
