/**
 * Redirect URI registration rules (security.md F2). What is accepted is stored verbatim and
 * later compared as a raw string, so the rules look at the raw text, not a normalized URL.
 *
 * Accepted: `https://host[:port][/path][?query]`, loopback `http://localhost[:port][/path][?query]`
 * and `http://127.0.0.1…`, and `urn:ietf:wg:oauth:2.0:oob`.
 */
export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
export const MAX_REDIRECT_URI_BYTES = 2048;
export const MAX_REDIRECT_URIS = 20;

export type RedirectUriCheck = { ok: true } | { ok: false; message: string };

const HTTPS_RE = /^https:\/\/([^/?#@\\\s]+)((?:\/[^?#\\\s]*)?(?:\?[^#\\\s]*)?)$/;
const LOOPBACK_RE = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?((?:\/[^?#\\\s]*)?(?:\?[^#\\\s]*)?)$/;

export function checkRedirectUri(uri: string): RedirectUriCheck {
  if (uri.length === 0) return { ok: false, message: 'is empty' };
  if (Buffer.byteLength(uri, 'utf8') > MAX_REDIRECT_URI_BYTES)
    return { ok: false, message: `is longer than ${MAX_REDIRECT_URI_BYTES} bytes` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(uri)) return { ok: false, message: 'contains control characters (CR, LF, tab…)' };
  if (/\s/.test(uri)) return { ok: false, message: 'contains whitespace' };
  if (uri === OOB_REDIRECT_URI) return { ok: true };
  if (uri.includes('#')) return { ok: false, message: 'must not contain a fragment (#)' };
  if (uri.includes('*')) return { ok: false, message: 'must not contain wildcards (*)' };
  if (uri.includes('\\')) return { ok: false, message: 'must not contain backslashes' };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return { ok: false, message: 'must be an absolute URL (https://…, http://localhost or urn:ietf:wg:oauth:2.0:oob)' };
  if (scheme === 'urn') return { ok: false, message: `the only URN accepted is ${OOB_REDIRECT_URI}` };
  if (scheme !== 'https' && scheme !== 'http')
    return { ok: false, message: `scheme "${scheme}:" is not allowed (use https, or http://localhost)` };
  if (scheme === 'http') {
    const m = LOOPBACK_RE.exec(uri);
    if (!m) {
      if (/^http:\/\/[^/?#]*@/i.test(uri)) return { ok: false, message: 'must not contain user information (user@host)' };
      return { ok: false, message: 'plain http is only allowed for http://localhost and http://127.0.0.1' };
    }
    const port = m[2] ? Number(m[2].slice(1)) : 80;
    if (port < 1 || port > 65535) return { ok: false, message: 'has an invalid port' };
    return { ok: true };
  }
  const m = HTTPS_RE.exec(uri);
  if (!m) {
    if (/^https:\/\/[^/?#]*@/i.test(uri)) return { ok: false, message: 'must not contain user information (user@host)' };
    if (!uri.startsWith('https://')) return { ok: false, message: 'must start with https:// (lower case)' };
    return { ok: false, message: 'is not a valid https URL' };
  }
  try {
    const parsed = new URL(uri);
    if (!parsed.hostname || parsed.username || parsed.password) return { ok: false, message: 'is not a valid https URL' };
  } catch {
    return { ok: false, message: 'is not a valid https URL' };
  }
  return { ok: true };
}

/** Checks a list; returns the index and reason of the first bad entry, or the deduplicated list. */
export function checkRedirectUris(uris: readonly string[]): { ok: true; uris: string[] } | { ok: false; index: number; message: string } {
  const unique = [...new Set(uris)];
  if (unique.length > MAX_REDIRECT_URIS)
    return { ok: false, index: MAX_REDIRECT_URIS, message: `at most ${MAX_REDIRECT_URIS} redirect URIs` };
  for (const [index, uri] of uris.entries()) {
    const check = checkRedirectUri(uri);
    if (!check.ok) return { ok: false, index, message: check.message };
  }
  return { ok: true, uris: unique };
}
