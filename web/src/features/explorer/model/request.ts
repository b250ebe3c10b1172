/**
 * The Request Builder's draft and its two translations: to and from a Postman v2.1 request
 * (what Save stores, so a saved request round-trips), and to the resolved request the proxy
 * sends (variables substituted, auth applied as postman-runtime signs it).
 */
import type { AuthAttribute, KeyValue, PostmanAuth, PostmanBody, PostmanRequest, SendRequest } from './types.js';
import { paramsFromUrl, rawUrl, urlObject, urlWithParams, type Row } from './url.js';
import { authParam, resolveString, type Scope } from './variables.js';

export type BodyMode = 'none' | 'raw' | 'urlencoded' | 'formdata';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export interface Draft {
  method: string;
  url: string;
  params: Row[];
  headers: Row[];
  body: { mode: BodyMode; raw: string; urlencoded: Row[]; formdata: Row[] };
  /** null: inherit from folder/collection; `{type:'noauth'}`: none. */
  auth: PostmanAuth | null;
}

export function emptyDraft(url = '{{base_url}}/rest/v1.0/me'): Draft {
  return {
    method: 'GET',
    url,
    params: paramsFromUrl(url),
    headers: [],
    body: { mode: 'none', raw: '', urlencoded: [], formdata: [] },
    auth: null,
  };
}

const rowsOf = (list: readonly KeyValue[] | undefined): Row[] =>
  (list ?? [])
    .filter((h) => h && typeof h.key === 'string')
    .map((h) => ({ key: h.key, value: String(h.value ?? ''), enabled: !h.disabled }));
const kvOf = (rows: readonly Row[]): KeyValue[] =>
  rows.filter((r) => r.key !== '' || r.value !== '').map((r) => ({ key: r.key, value: r.value, ...(r.enabled ? {} : { disabled: true }) }));

export function draftFromRequest(request: PostmanRequest | string | undefined): Draft {
  if (typeof request === 'string' || request === undefined) {
    const url = typeof request === 'string' ? request : '';
    return { ...emptyDraft(url) };
  }
  const url = rawUrl(request.url);
  const queryRows = typeof request.url === 'object' && request.url?.query ? rowsOf(request.url.query) : paramsFromUrl(url);
  const body: PostmanBody = request.body ?? {};
  const mode: BodyMode = body.mode === 'raw' || body.mode === 'urlencoded' || body.mode === 'formdata' ? body.mode : 'none';
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    url,
    params: queryRows,
    headers: rowsOf(request.header),
    body: {
      mode,
      raw: typeof body.raw === 'string' ? body.raw : '',
      urlencoded: rowsOf(body.urlencoded),
      formdata: rowsOf((body.formdata ?? []).filter((f) => f.type !== 'file')),
    },
    auth: request.auth && typeof request.auth === 'object' && typeof request.auth.type === 'string' ? request.auth : null,
  };
}

/** The draft as a Postman request; fields of `base` (description, unknown keys) are kept. */
export function requestFromDraft(draft: Draft, base: PostmanRequest = {}): PostmanRequest {
  const out: PostmanRequest = {
    ...base,
    method: draft.method,
    header: kvOf(draft.headers),
    url: urlObject(urlWithParams(draft.url, draft.params), draft.params),
  };
  if (draft.body.mode === 'none') delete out.body;
  else if (draft.body.mode === 'raw')
    out.body = { mode: 'raw', raw: draft.body.raw, options: { raw: { language: looksLikeJson(draft.body.raw) ? 'json' : 'text' } } };
  else if (draft.body.mode === 'urlencoded') out.body = { mode: 'urlencoded', urlencoded: kvOf(draft.body.urlencoded) };
  else out.body = { mode: 'formdata', formdata: kvOf(draft.body.formdata).map((f) => ({ ...f, type: 'text' })) };
  if (draft.auth) out.auth = draft.auth;
  else delete out.auth;
  return out;
}

function looksLikeJson(text: string): boolean {
  const t = text.trim();
  return t.startsWith('{') || t.startsWith('[');
}

/** A v2.1 auth block from a plain map (`authBlock('bearer', {token})`). */
export function authBlock(type: string, params: Record<string, unknown>): PostmanAuth {
  if (type === 'noauth') return { type };
  const list: AuthAttribute[] = Object.entries(params).map(([key, value]) => ({
    key,
    value,
    type: typeof value === 'boolean' ? 'boolean' : 'string',
  }));
  return { type, [type]: list };
}

/** Sets one parameter of a v2.1 auth block (a new block; the input is not changed). */
export function withAuthParam(auth: PostmanAuth, key: string, value: unknown): PostmanAuth {
  const list = Array.isArray(auth[auth.type]) ? [...(auth[auth.type] as AuthAttribute[])] : [];
  const at = list.findIndex((p) => p.key === key);
  const entry = { key, value, type: typeof value === 'boolean' ? 'boolean' : 'string' };
  if (at >= 0) list[at] = entry;
  else list.push(entry);
  return { ...auth, [auth.type]: list };
}

export interface ResolvedRequest {
  send: SendRequest;
  /** The same request as a Postman request, resolved and signed (for history and code snippets). */
  postman: PostmanRequest;
  /** Where the Authorization came from, for the UI ("from collection OAuth 2.0"). */
  authNote: string | null;
  /** Names of variables that are referenced but not defined anywhere. */
  unresolved: string[];
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * Resolves a draft for sending: `{{vars}}` everywhere, then the effective auth (the draft's
 * own, else the inherited one given), signed as postman-runtime does: bearer → `Authorization:
 * Bearer`, oauth2 → `accessToken` with `headerPrefix` (default Bearer) in the header or as
 * `access_token` query parameter, nothing when the token is empty; basic; apikey.
 * `mask` keeps secrets out (for snippets shown on screen): the token becomes `<access_token>`.
 */
export function resolveDraft(
  draft: Draft,
  scopes: readonly Scope[],
  inherited: { auth: PostmanAuth | null; source: string } = { auth: null, source: 'none' },
  options: { mask?: boolean; secretNames?: readonly string[] } = {},
): ResolvedRequest {
  const unresolved = new Set<string>();
  const secret = new Set(options.secretNames ?? []);
  const r = (text: string): string => {
    const out = resolveString(text, scopes);
    for (const ref of out.refs) if (ref.value === null) unresolved.add(ref.name);
    if (!options.mask) return out.value;
    // Masked: secret variables stay as `{{name}}`.
    let masked = '';
    let last = 0;
    for (const ref of out.refs) {
      masked += text.slice(last, ref.start) + (secret.has(ref.name) || ref.value === null ? `{{${ref.name}}}` : ref.value);
      last = ref.end;
    }
    return masked + text.slice(last);
  };
  let url = r(urlWithParams(draft.url, draft.params));
  let headers: [string, string][] = draft.headers.filter((h) => h.enabled && h.key.trim() !== '').map((h) => [r(h.key), r(h.value)]);
  const auth = draft.auth ?? inherited.auth;
  const source = draft.auth ? 'request' : inherited.source;
  let authNote: string | null = null;
  const param = (key: string): string => {
    const v = authParam(auth, key);
    return v === undefined || v === null ? '' : r(String(v));
  };
  const setAuthorization = (value: string) => {
    headers = headers.filter(([k]) => k.toLowerCase() !== 'authorization');
    headers.push(['Authorization', value]);
  };
  if (auth && auth.type !== 'noauth') {
    if (auth.type === 'bearer') {
      const token = param('token');
      if (token) {
        setAuthorization(`Bearer ${options.mask ? '<token>' : token}`);
        authNote = `Bearer token (${source})`;
      }
    } else if (auth.type === 'oauth2') {
      const token = param('accessToken');
      if (token) {
        const shown = options.mask ? '<access_token>' : token;
        if (param('addTokenTo') === 'queryParams') {
          const sep = url.includes('?') ? '&' : '?';
          url = `${url.replace(/([?&])access_token=[^&#]*&?/, '$1').replace(/[?&]$/, '')}${sep}access_token=${encodeURIComponent(shown)}`;
        } else {
          setAuthorization(`${param('headerPrefix') || 'Bearer'} ${shown}`);
        }
        authNote = `OAuth 2.0 access token (${source})`;
      }
    } else if (auth.type === 'basic') {
      setAuthorization(`Basic ${options.mask ? '<credentials>' : base64(`${param('username')}:${param('password')}`)}`);
      authNote = `Basic auth (${source})`;
    } else if (auth.type === 'apikey') {
      const key = param('key');
      const value = options.mask ? '<api-key>' : param('value');
      if (key) {
        if (param('in') === 'query') url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
        else headers.push([key, value]);
        authNote = `API key (${source})`;
      }
    }
  }
  const send: SendRequest = { method: draft.method, url, headers };
  const postman: PostmanRequest = { method: draft.method, url, header: headers.map(([key, value]) => ({ key, value })) };
  if (draft.body.mode === 'raw' && !['GET', 'HEAD'].includes(draft.method)) {
    send.body = { mode: 'raw', raw: r(draft.body.raw) };
    postman.body = { mode: 'raw', raw: send.body.raw, options: { raw: { language: looksLikeJson(send.body.raw) ? 'json' : 'text' } } };
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type') && looksLikeJson(send.body.raw)) {
      headers.push(['Content-Type', 'application/json']);
      postman.header!.push({ key: 'Content-Type', value: 'application/json' });
    }
  } else if (draft.body.mode === 'urlencoded') {
    const pairs: [string, string][] = draft.body.urlencoded.filter((p) => p.enabled && p.key).map((p) => [r(p.key), r(p.value)]);
    send.body = { mode: 'urlencoded', urlencoded: pairs };
    postman.body = { mode: 'urlencoded', urlencoded: pairs.map(([key, value]) => ({ key, value })) };
  } else if (draft.body.mode === 'formdata') {
    const pairs: [string, string][] = draft.body.formdata.filter((p) => p.enabled && p.key).map((p) => [r(p.key), r(p.value)]);
    send.body = { mode: 'formdata', formdata: pairs };
    postman.body = { mode: 'formdata', formdata: pairs.map(([key, value]) => ({ key, value, type: 'text' })) };
  }
  return { send, postman, authNote, unresolved: [...unresolved] };
}
