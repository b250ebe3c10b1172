/**
 * The URL bar and the Params table, kept in sync both ways. URLs hold `{{variables}}` (even in
 * the host), so they are split as text, not with `new URL()`; values stay as typed (Postman
 * does not decode them in the table either).
 */

export interface Row {
  key: string;
  value: string;
  enabled: boolean;
}

/** `base`, the query text (without `?`) and the `#fragment`, split as text. */
export function splitUrl(raw: string): { base: string; query: string | null; hash: string } {
  const hashAt = raw.indexOf('#');
  const hash = hashAt >= 0 ? raw.slice(hashAt) : '';
  const noHash = hashAt >= 0 ? raw.slice(0, hashAt) : raw;
  const q = noHash.indexOf('?');
  return q >= 0 ? { base: noHash.slice(0, q), query: noHash.slice(q + 1), hash } : { base: noHash, query: null, hash };
}

/** The query parameters of a URL, in order (`a=1&b&c=` → a:1, b:'', c:''). */
export function paramsFromUrl(raw: string): Row[] {
  const { query } = splitUrl(raw);
  if (query === null || query === '') return [];
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq >= 0 ? { key: pair.slice(0, eq), value: pair.slice(eq + 1), enabled: true } : { key: pair, value: '', enabled: true };
  });
}

/** The URL with its query replaced by the enabled rows (disabled rows stay in the table only). */
export function urlWithParams(raw: string, rows: readonly Row[]): string {
  const { base, hash } = splitUrl(raw);
  const enabled = rows.filter((r) => r.enabled && (r.key !== '' || r.value !== ''));
  const query = enabled.map((r) => (r.value === '' && !r.key.includes('=') ? `${r.key}=` : `${r.key}=${r.value}`)).join('&');
  return `${base}${enabled.length > 0 ? `?${query}` : ''}${hash}`;
}

/**
 * After the URL was edited: the rows parsed from it, keeping the disabled rows of the table
 * where they were (so toggling a parameter off and editing the URL does not lose it).
 */
export function syncParamsFromUrl(raw: string, previous: readonly Row[]): Row[] {
  const parsed = paramsFromUrl(raw);
  const disabled = previous.filter((r) => !r.enabled);
  return [...parsed, ...disabled];
}

/** Postman's url object for a raw URL: protocol, host and path segments, query. */
export function urlObject(
  raw: string,
  rows: readonly Row[],
): {
  raw: string;
  protocol?: string;
  host: string[];
  path: string[];
  query?: { key: string; value: string; disabled?: boolean }[];
} {
  const { base } = splitUrl(raw);
  const proto = /^([a-z][a-z0-9+.-]*):\/\//i.exec(base);
  const rest = proto ? base.slice(proto[0].length) : base;
  const slash = rest.indexOf('/');
  const host = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash + 1).split('/') : [];
  const out: ReturnType<typeof urlObject> = { raw, host: host ? host.split('.') : [], path };
  if (host.startsWith('{{') && host.endsWith('}}')) out.host = [host];
  if (proto) out.protocol = proto[1]!.toLowerCase();
  const query = rows
    .filter((r) => r.key !== '' || r.value !== '')
    .map((r) => ({ key: r.key, value: r.value, ...(r.enabled ? {} : { disabled: true }) }));
  if (query.length > 0) out.query = query;
  return out;
}

/** The raw URL of a Postman url (string, or object with or without `raw`). */
export function rawUrl(url: unknown): string {
  if (typeof url === 'string') return url;
  if (!url || typeof url !== 'object') return '';
  const u = url as {
    raw?: string;
    protocol?: string;
    host?: string | string[];
    path?: string | string[];
    port?: string;
    query?: { key?: string; value?: string; disabled?: boolean }[];
  };
  if (typeof u.raw === 'string') return u.raw;
  const host = Array.isArray(u.host) ? u.host.join('.') : (u.host ?? '');
  const path = Array.isArray(u.path) ? u.path.join('/') : (u.path ?? '').replace(/^\//, '');
  const query = (u.query ?? []).filter((q) => !q.disabled).map((q) => `${q.key ?? ''}=${q.value ?? ''}`);
  return `${u.protocol ? `${u.protocol}://` : ''}${host}${u.port ? `:${u.port}` : ''}${path ? `/${path}` : ''}${query.length ? `?${query.join('&')}` : ''}`;
}
