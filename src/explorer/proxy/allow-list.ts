/**
 * The explorer proxy's allow-list of hosts besides this server.
 *
 * A pattern is `host`, `*.host` or either with `:port`:
 * - `procore.com` matches `procore.com` and every subdomain (`api.procore.com`), by whole labels;
 * - `*.procore.com` matches subdomains only;
 * - without a port only 443 (https) is allowed; `api.example.com:8443` allows that port.
 * Matching is done on the WHATWG-parsed hostname (so `sandbox.procore.com@evil.test`,
 * `evil.test\@sandbox.procore.com` and `sandbox.procore.com.evil.test` do not match), and the
 * proxy dials that same parsed URL. Unicode names are compared in their punycode form.
 *
 * @example parseAllowList('*.procore.com, api.example.com:8443')
 */
import { isIP } from 'node:net';

export interface AllowPattern {
  /** Lower-case ASCII hostname, without `*.` and without a final dot. */
  host: string;
  subdomainsOnly: boolean;
  /** Allowed port; null = 443. */
  port: number | null;
  /** The pattern as written, for messages. */
  source: string;
}

export class AllowListError extends Error {}

export function parsePattern(raw: string): AllowPattern {
  const source = raw.trim();
  let rest = source.toLowerCase();
  if (!rest) throw new AllowListError('empty host pattern');
  if (/[/?#@\\\s]/.test(rest) || rest.includes('://'))
    throw new AllowListError(`"${source}": give a host name such as *.example.com, not a URL`);
  let subdomainsOnly = false;
  if (rest.startsWith('*.')) {
    subdomainsOnly = true;
    rest = rest.slice(2);
  }
  let port: number | null = null;
  const m = /^(.*):(\d{1,5})$/.exec(rest);
  if (m && !rest.startsWith('[')) {
    rest = m[1]!;
    port = Number(m[2]);
    if (port < 1 || port > 65535) throw new AllowListError(`"${source}": invalid port`);
  }
  if (rest.includes('*')) throw new AllowListError(`"${source}": a wildcard is only allowed as a leading "*."`);
  let host: string;
  try {
    host = new URL(`https://${rest}/`).hostname.replace(/\.$/, '');
  } catch {
    throw new AllowListError(`"${source}": not a valid host name`);
  }
  if (!host || isIP(host.replace(/^\[|\]$/g, '')) !== 0 || !host.includes('.'))
    throw new AllowListError(`"${source}": give a domain name with at least two labels (IP addresses are never allowed)`);
  return { host, subdomainsOnly, port, source };
}

/** A comma- or whitespace-separated list (flag / environment variable) or an array. */
export function parseAllowList(input: string | readonly string[]): AllowPattern[] {
  const parts = typeof input === 'string' ? input.split(/[\s,]+/) : input.flatMap((p) => p.split(/[\s,]+/));
  return parts.filter((p) => p.trim() !== '').map(parsePattern);
}

/** Does `hostname` (WHATWG-parsed, lower case) on `port` match a pattern? */
export function matchAllowList(patterns: readonly AllowPattern[], hostname: string, port: number): AllowPattern | null {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  for (const p of patterns) {
    const hostOk = p.subdomainsOnly ? h.endsWith(`.${p.host}`) : h === p.host || h.endsWith(`.${p.host}`);
    if (hostOk && port === (p.port ?? 443)) return p;
  }
  return null;
}
