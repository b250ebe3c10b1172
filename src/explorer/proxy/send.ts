/**
 * The explorer's request proxy: one request (already resolved by the browser: variables, auth)
 * sent either in-process to this server (`app.inject`, no socket) or over the network to an
 * allow-listed host, never as an open proxy:
 *
 * - http and https only; plain http and ports other than 443 only for this server;
 * - the host must match the allow-list (on the WHATWG-parsed hostname) and every address it
 *   resolves to must be public unicast (addresses.ts). The check runs inside the socket's DNS
 *   `lookup` (undici Agent `connect.lookup`), so the address dialled is the address checked
 *   (no DNS rebinding between check and connect); IP literals skip `lookup` in Node and are
 *   checked before dialling;
 * - redirects are followed by hand (at most 5), each hop checked like the first, with
 *   `Authorization`/`Cookie` dropped when the origin changes;
 * - hop-by-hop and framing headers (`Host`, `Content-Length`, `Transfer-Encoding`…) cannot be
 *   set, header names and values are checked (no CR/LF), `Set-Cookie` never comes back;
 * - a deadline covers connect, headers and body (default 30 s); the body is capped on its
 *   decoded size (default 10 MiB), so gzip bombs stop at the cap.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { STATUS_CODES } from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync, constants as zlib } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { isLocalhostName, isLoopbackAddress, isPublicAddress, unbracket } from './addresses.js';
import { matchAllowList, type AllowPattern } from './allow-list.js';

export type ProxyBody =
  | { mode: 'raw'; raw: string }
  | { mode: 'urlencoded'; urlencoded: [string, string][] }
  | { mode: 'formdata'; formdata: [string, string][] };

export interface ProxyRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: ProxyBody | null;
  timeout_ms?: number;
  /** Follow redirects (default true); each hop is checked. */
  follow_redirects?: boolean;
}

export interface ProxyResponse {
  status: number;
  status_text: string;
  headers: [string, string][];
  body: string;
  body_encoding: 'utf8' | 'base64';
  size: number;
  time_ms: number;
  /** The URL of the last hop. */
  url: string;
  /** Each redirect followed: `{status, url}` of the 3xx and where it pointed. */
  redirects: { status: number; location: string }[];
  /** `this-server` (in-process) or `network`. */
  via: 'this-server' | 'network';
}

export class ProxyError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: 'invalid_request' | 'proxy_refused' | 'proxy_timeout' | 'proxy_upstream_error' | 'proxy_response_too_large',
    message: string,
  ) {
    super(message);
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface ProxyPolicy {
  allow: readonly AllowPattern[];
  /** The in-process app serving `url` when it is this server, else null. */
  self(url: URL): FastifyInstance | Promise<FastifyInstance> | null;
  /** Loopback ports treated as allowed network targets (tests only). */
  loopbackPorts?: readonly number[];
  /** DNS (default: the system resolver, all addresses). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  defaultTimeoutMs?: number;
  maxTimeoutMs?: number;
  maxResponseBytes?: number;
}

export const PROXY_DEFAULTS = {
  timeoutMs: 30_000,
  maxTimeoutMs: 120_000,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  maxHeaderBytes: 16 * 1024,
  maxHeaderValueBytes: 8 * 1024,
} as const;

const TOKEN_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_REQUEST_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'http2-settings',
]);
const DROPPED_RESPONSE_HEADERS = new Set([
  'set-cookie',
  'set-cookie2',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-connection',
  'trailer',
  'te',
]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie']);
const METHOD_RE = /^[A-Z][A-Z0-9_-]{0,19}$/;

const defaultResolve = async (hostname: string): Promise<ResolvedAddress[]> =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Checks the user's headers; returns them as given (order kept). Throws 400 on bad ones. */
export function checkRequestHeaders(headers: readonly [string, string][]): [string, string][] {
  let total = 0;
  for (const [name, value] of headers) {
    if (!TOKEN_RE.test(name))
      throw new ProxyError(400, 'invalid_request', `Header name ${JSON.stringify(name.slice(0, 100))} is not valid`);
    if (FORBIDDEN_REQUEST_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('proxy-'))
      throw new ProxyError(400, 'invalid_request', `The ${name} header is set by the proxy and cannot be sent`);
    // eslint-disable-next-line no-control-regex
    if (/[\r\n\u0000]/.test(value)) throw new ProxyError(400, 'invalid_request', `Header ${name} contains CR, LF or NUL`);
    const bytes = Buffer.byteLength(name) + Buffer.byteLength(value);
    if (Buffer.byteLength(value) > PROXY_DEFAULTS.maxHeaderValueBytes)
      throw new ProxyError(400, 'invalid_request', `Header ${name} is longer than ${PROXY_DEFAULTS.maxHeaderValueBytes} bytes`);
    total += bytes;
  }
  if (total > PROXY_DEFAULTS.maxHeaderBytes)
    throw new ProxyError(400, 'invalid_request', `Headers are larger than ${PROXY_DEFAULTS.maxHeaderBytes} bytes in all`);
  return headers.map(([n, v]) => [n, v]);
}

export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProxyError(400, 'invalid_request', 'The URL is not valid (give an absolute http:// or https:// URL)');
  }
  return url;
}

function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

type Decision = { kind: 'self'; app: FastifyInstance | Promise<FastifyInstance> } | { kind: 'network'; loopbackTestPort: boolean };

/** Where a hop may go, or a 403 naming the rule it breaks. Exported for tests. */
export function decide(url: URL, policy: ProxyPolicy): Decision {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ProxyError(403, 'proxy_refused', `Scheme ${url.protocol} is not allowed: the explorer sends http and https requests only`);
  if (url.username || url.password) throw new ProxyError(403, 'proxy_refused', 'URLs with credentials (user:password@host) are not sent');
  const self = policy.self(url);
  if (self) {
    if (url.pathname === '/api/explorer' || url.pathname.startsWith('/api/explorer/'))
      throw new ProxyError(403, 'proxy_refused', "The explorer's own API cannot be sent through the explorer");
    return { kind: 'self', app: self };
  }
  const host = unbracket(url.hostname);
  const port = defaultPort(url);
  if (isIP(host) !== 0 && isLoopbackAddress(host) && (policy.loopbackPorts ?? []).includes(port))
    return { kind: 'network', loopbackTestPort: true };
  if (isLocalhostName(host))
    throw new ProxyError(403, 'proxy_refused', `${url.host} is not this server's address and local hosts are never reached`);
  if (isIP(host) !== 0) {
    if (!isPublicAddress(host))
      throw new ProxyError(
        403,
        'proxy_refused',
        `${url.host} is a private, loopback, link-local or reserved address, which the proxy never reaches`,
      );
    throw new ProxyError(403, 'proxy_refused', `${url.host}: IP addresses are not on the allow-list (use a host name)`);
  }
  const match = matchAllowList(policy.allow, host, port);
  const hostOnly = match ?? policy.allow.find((p) => matchAllowList([p], host, p.port ?? 443));
  if (hostOnly && url.protocol !== 'https:')
    throw new ProxyError(403, 'proxy_refused', `Plain http is only sent to this server; use https://${url.host}`);
  if (!match && hostOnly)
    throw new ProxyError(403, 'proxy_refused', `Port ${port} of ${host} is not allowed (allow-list entry "${hostOnly.source}")`);
  if (!match)
    throw new ProxyError(
      403,
      'proxy_refused',
      `${host} is not on the explorer's allow-list (${policy.allow.map((p) => p.source).join(', ') || 'empty'}); start the server with --proxy-allow to add hosts`,
    );
  return { kind: 'network', loopbackTestPort: false };
}

interface Encoded {
  payload: Buffer | undefined;
  contentType: string | undefined;
}

async function encodeBody(method: string, body: ProxyBody | null | undefined): Promise<Encoded> {
  if (!body || method === 'GET' || method === 'HEAD') return { payload: undefined, contentType: undefined };
  if (body.mode === 'raw') return { payload: Buffer.from(body.raw, 'utf8'), contentType: undefined };
  if (body.mode === 'urlencoded') {
    return {
      payload: Buffer.from(new URLSearchParams(body.urlencoded).toString(), 'utf8'),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  const form = new FormData();
  for (const [k, v] of body.formdata) form.append(k, v);
  // The platform's own multipart encoder (boundary included).
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') ?? undefined };
}

function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const t = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    t.startsWith('text/') ||
    t.endsWith('+json') ||
    t.endsWith('+xml') ||
    [
      'application/json',
      'application/xml',
      'application/javascript',
      'application/x-www-form-urlencoded',
      'application/problem+json',
    ].includes(t)
  );
}

function decodeBody(raw: Buffer, encoding: string | undefined, max: number): Buffer {
  const e = (encoding ?? '').trim().toLowerCase();
  if (!e || e === 'identity') return raw;
  try {
    if (e === 'gzip' || e === 'x-gzip') return gunzipSync(raw, { maxOutputLength: max + 1 });
    if (e === 'deflate') return inflateSync(raw, { maxOutputLength: max + 1 });
    if (e === 'br') return brotliDecompressSync(raw, { maxOutputLength: max + 1, params: { [zlib.BROTLI_PARAM_SIZE_HINT]: 0 } });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ProxyError(502, 'proxy_response_too_large', `The decoded response is larger than ${max} bytes`);
    throw new ProxyError(502, 'proxy_upstream_error', `The response body could not be decoded (${e})`);
  }
  return raw;
}

function packBody(buf: Buffer, contentType: string | undefined): { body: string; body_encoding: 'utf8' | 'base64' } {
  if (isTextual(contentType)) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
    // Round-trips only if it was valid UTF-8.
    if (Buffer.from(text, 'utf8').equals(buf)) return { body: text, body_encoding: 'utf8' };
  }
  return { body: buf.toString('base64'), body_encoding: 'base64' };
}

function toPairs(headers: Record<string, string | string[] | number | undefined>): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, String(v)]);
  }
  return out;
}

interface HopResult {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Buffer;
}

async function sendSelf(
  app: FastifyInstance,
  url: URL,
  method: string,
  headers: [string, string][],
  enc: Encoded,
  max: number,
): Promise<HopResult> {
  const h: Record<string, string> = {};
  for (const [n, v] of headers) {
    const k = n.toLowerCase();
    h[k] = h[k] === undefined ? v : `${h[k]}, ${v}`;
  }
  if (enc.contentType && h['content-type'] === undefined) h['content-type'] = enc.contentType;
  h['host'] = url.host;
  const res = await app.inject({
    method: method as 'GET',
    url: `${url.pathname}${url.search}`,
    headers: h,
    ...(enc.payload !== undefined ? { payload: enc.payload } : {}),
  });
  const body = res.rawPayload;
  if (body.length > max) throw new ProxyError(502, 'proxy_response_too_large', `The response is larger than ${max} bytes`);
  return {
    status: res.statusCode,
    statusText: res.statusMessage || STATUS_CODES[res.statusCode] || '',
    headers: toPairs(res.headers),
    body,
  };
}

async function sendNetwork(
  url: URL,
  method: string,
  headers: [string, string][],
  enc: Encoded,
  policy: ProxyPolicy,
  loopbackTestPort: boolean,
  signal: AbortSignal,
  deadline: number,
  max: number,
): Promise<HopResult> {
  const resolve = policy.resolve ?? defaultResolve;
  let refused: string | null = null;
  // The address check runs where the socket resolves its host: what is checked is dialled.
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => !isPublicAddress(a.address) && !(loopbackTestPort && isLoopbackAddress(a.address)));
        if (addresses.length === 0 || bad) {
          refused = bad
            ? `${hostname} resolves to ${bad.address}, a private, loopback, link-local or reserved address, which the proxy never reaches`
            : `${hostname} does not resolve`;
          const err = Object.assign(new Error(refused), { code: 'EPROXYREFUSED' });
          return callback(err, '', 4);
        }
        const family = (options as { family?: number }).family;
        const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
        const chosen = usable[0] ?? addresses[0]!;
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [chosen]);
        return callback(null, chosen.address, chosen.family);
      },
      (err: Error) => callback(Object.assign(err, { code: (err as { code?: string }).code ?? 'ENOTFOUND' }), '', 4),
    );
  };
  const remaining = Math.max(1, deadline - Date.now());
  // Loaded on the first proxied request: undici is a megabyte of the bundle's start-up otherwise.
  const { Agent, request: undiciRequest } = await import('undici');
  const agent = new Agent({
    connect: { lookup, timeout: Math.min(remaining, 10_000) },
    headersTimeout: remaining,
    bodyTimeout: remaining,
    connections: 1,
    pipelining: 0,
  });
  const h: string[] = [];
  for (const [n, v] of headers) h.push(n, v);
  if (enc.contentType && !headers.some(([n]) => n.toLowerCase() === 'content-type')) h.push('content-type', enc.contentType);
  try {
    const res = await undiciRequest(url, {
      dispatcher: agent,
      method: method as 'GET',
      headers: h,
      body: enc.payload,
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > max) {
        res.body.destroy();
        throw new ProxyError(502, 'proxy_response_too_large', `The response is larger than ${max} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    const encoding = res.headers['content-encoding'];
    const body = decodeBody(raw, Array.isArray(encoding) ? encoding.join(',') : encoding, max);
    if (body.length > max) throw new ProxyError(502, 'proxy_response_too_large', `The decoded response is larger than ${max} bytes`);
    return { status: res.statusCode, statusText: STATUS_CODES[res.statusCode] ?? '', headers: toPairs(res.headers), body };
  } catch (err) {
    if (err instanceof ProxyError) throw err;
    if (refused) throw new ProxyError(403, 'proxy_refused', refused);
    if (signal.aborted) throw new ProxyError(504, 'proxy_timeout', `No complete response from ${url.host} within the deadline`);
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? e.cause?.code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
      throw new ProxyError(504, 'proxy_timeout', `No complete response from ${url.host} within the deadline`);
    throw new ProxyError(
      502,
      'proxy_upstream_error',
      `Could not reach ${url.host}: ${code ?? e.cause?.message ?? e.message ?? 'connection failed'}`,
    );
  } finally {
    agent.destroy().catch(() => {});
  }
}

/**
 * Sends one request under the policy.
 *
 * @example
 * const res = await sendProxied({ method: 'GET', url: 'https://api.procore.com/rest/v1.0/me', headers: [] }, policy);
 */
export async function sendProxied(input: ProxyRequest, policy: ProxyPolicy): Promise<ProxyResponse> {
  const started = Date.now();
  const method = input.method.toUpperCase();
  if (!METHOD_RE.test(method))
    throw new ProxyError(400, 'invalid_request', `Method ${JSON.stringify(input.method.slice(0, 30))} is not valid`);
  const max = policy.maxResponseBytes ?? PROXY_DEFAULTS.maxResponseBytes;
  const timeout = Math.min(
    input.timeout_ms ?? policy.defaultTimeoutMs ?? PROXY_DEFAULTS.timeoutMs,
    policy.maxTimeoutMs ?? PROXY_DEFAULTS.maxTimeoutMs,
  );
  const deadline = started + timeout;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  timer.unref?.();
  let headers = checkRequestHeaders(input.headers);
  let url = parseTargetUrl(input.url);
  let currentMethod = method;
  let enc = await encodeBody(method, input.body);
  const redirects: { status: number; location: string }[] = [];
  let via: ProxyResponse['via'] = 'network';
  try {
    for (;;) {
      const decision = decide(url, policy);
      via = decision.kind === 'self' ? 'this-server' : 'network';
      const hop =
        decision.kind === 'self'
          ? await Promise.race([
              Promise.resolve(decision.app).then((app) => sendSelf(app, url, currentMethod, headers, enc, max)),
              new Promise<never>((_, reject) =>
                controller.signal.addEventListener('abort', () =>
                  reject(new ProxyError(504, 'proxy_timeout', 'No response from this server within the deadline')),
                ),
              ),
            ])
          : await sendNetwork(url, currentMethod, headers, enc, policy, decision.loopbackTestPort, controller.signal, deadline, max);
      const location = hop.headers.find(([n]) => n.toLowerCase() === 'location')?.[1];
      if (input.follow_redirects === false || ![301, 302, 303, 307, 308].includes(hop.status) || !location) {
        return {
          status: hop.status,
          status_text: hop.statusText,
          headers: hop.headers,
          ...packBody(hop.body, hop.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1]),
          size: hop.body.length,
          time_ms: Date.now() - started,
          url: url.toString(),
          redirects,
          via,
        };
      }
      if (redirects.length >= PROXY_DEFAULTS.maxRedirects)
        throw new ProxyError(502, 'proxy_upstream_error', `More than ${PROXY_DEFAULTS.maxRedirects} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new ProxyError(
          502,
          'proxy_upstream_error',
          `The redirect location ${JSON.stringify(location.slice(0, 200))} is not a valid URL`,
        );
      }
      redirects.push({ status: hop.status, location: next.toString() });
      try {
        decide(next, policy);
      } catch (err) {
        if (err instanceof ProxyError && err.code === 'proxy_refused')
          throw new ProxyError(
            403,
            'proxy_refused',
            `Redirect (${hop.status}) to ${next.toString().slice(0, 300)} refused: ${err.message}`,
          );
        throw err;
      }
      if (next.origin !== url.origin) headers = headers.filter(([n]) => !CREDENTIAL_HEADERS.has(n.toLowerCase()));
      if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && currentMethod === 'POST')) {
        currentMethod = currentMethod === 'HEAD' ? 'HEAD' : 'GET';
        enc = { payload: undefined, contentType: undefined };
        headers = headers.filter(([n]) => n.toLowerCase() !== 'content-type');
      }
      url = next;
    }
  } finally {
    clearTimeout(timer);
  }
}
