/** Reading a response: status text, sizes, Procore's paging and rate-limit headers. */

export function header(headers: readonly [string, string][], name: string): string | null {
  const lower = name.toLowerCase();
  const found = headers.find(([k]) => k.toLowerCase() === lower);
  return found ? found[1] : null;
}

/** `Link: <url>; rel="next", <url>; rel="last"` → { next: url, last: url }. */
export function parseLink(value: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (!m) continue;
    const rel = /rel="?([^";]+)"?/i.exec(m[2]!)?.[1];
    if (rel) for (const r of rel.split(/\s+/)) out[r.toLowerCase()] = m[1]!;
  }
  return out;
}

export interface RateLimit {
  limit: number;
  remaining: number;
  reset: number | null;
}

/** X-Rate-Limit-Limit / -Remaining / -Reset (Procore's names), or null when absent. */
export function rateLimit(headers: readonly [string, string][]): RateLimit | null {
  const limit = Number(header(headers, 'X-Rate-Limit-Limit'));
  const remaining = Number(header(headers, 'X-Rate-Limit-Remaining'));
  if (!Number.isFinite(limit) || limit <= 0 || !Number.isFinite(remaining) || header(headers, 'X-Rate-Limit-Limit') === null) return null;
  const reset = Number(header(headers, 'X-Rate-Limit-Reset'));
  return { limit, remaining, reset: Number.isFinite(reset) && header(headers, 'X-Rate-Limit-Reset') !== null ? reset : null };
}

/** Headers the response panel highlights (paging and rate limit). */
export function isNotableHeader(name: string): boolean {
  return /^(total|per-page|link|x-rate-limit-.*)$/i.test(name);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `200 OK`: the proxy's status text, else the standard reason phrase. */
export function statusLine(status: number, text?: string): string {
  return `${status} ${text || REASONS[status] || ''}`.trim();
}

/** The body as text (the proxy sends binary bodies base64-encoded). */
export function bodyText(body: string, encoding: 'utf8' | 'base64'): string {
  if (encoding === 'utf8') return body;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
  } catch {
    return body;
  }
}
