import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLocalhostName, isPublicAddress } from './addresses.js';
import { AllowListError, matchAllowList, parseAllowList } from './allow-list.js';
import { decide, ProxyError, type ProxyPolicy } from './send.js';

const policy = (allow = 'procore.com'): ProxyPolicy => ({ allow: parseAllowList(allow), self: () => null });

function refusedReason(url: string, p = policy()): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid URL';
  }
  try {
    decide(parsed, p);
    return null;
  } catch (err) {
    if (err instanceof ProxyError && err.code === 'proxy_refused') return err.message;
    throw err;
  }
}

describe('allow-list patterns', () => {
  it('parses host, *.host and :port; refuses URLs, IPs, inner wildcards, single labels', () => {
    expect(parseAllowList(' procore.com, *.Example.com api.test.dev:8443 ')).toEqual([
      { host: 'procore.com', subdomainsOnly: false, port: null, source: 'procore.com' },
      { host: 'example.com', subdomainsOnly: true, port: null, source: '*.Example.com' },
      { host: 'api.test.dev', subdomainsOnly: false, port: 8443, source: 'api.test.dev:8443' },
    ]);
    expect(parseAllowList('')).toEqual([]);
    for (const bad of [
      'https://procore.com',
      'procore.com/x',
      'a.*.com',
      '10.0.0.1',
      '[::1]',
      'localhost',
      'user@procore.com',
      'x.com:99999',
    ])
      expect(() => parseAllowList(bad), bad).toThrow(AllowListError);
  });

  it('matches by whole labels and port', () => {
    const p = parseAllowList('procore.com, *.example.com, api.test.dev:8443');
    expect(matchAllowList(p, 'sandbox.procore.com', 443)?.source).toBe('procore.com');
    expect(matchAllowList(p, 'procore.com', 443)?.source).toBe('procore.com');
    expect(matchAllowList(p, 'procore.com.', 443)?.source).toBe('procore.com');
    expect(matchAllowList(p, 'evilprocore.com', 443)).toBeNull();
    expect(matchAllowList(p, 'example.com', 443)).toBeNull();
    expect(matchAllowList(p, 'a.example.com', 443)?.source).toBe('*.example.com');
    expect(matchAllowList(p, 'sandbox.procore.com', 8443)).toBeNull();
    expect(matchAllowList(p, 'api.test.dev', 8443)?.source).toBe('api.test.dev:8443');
    expect(matchAllowList(p, 'api.test.dev', 443)).toBeNull();
  });
});

describe('targets (security H1, H2, H5)', () => {
  it('allows https on 443 to allow-listed hosts', () => {
    expect(refusedReason('https://sandbox.procore.com/rest/v1.0/me')).toBeNull();
    expect(refusedReason('https://api.procore.com:443/x')).toBeNull();
    expect(refusedReason('https://SANDBOX.Procore.COM./x')).toBeNull();
  });

  it('refuses allow-list spoofing', () => {
    for (const url of [
      'https://sandbox.procore.com.evil.test/',
      'https://evil.test/.procore.com',
      'https://evil.test?.procore.com',
      'https://evil.test#.procore.com',
      'https://sandbox.procore.com@evil.test/',
      'https://evil.test\\@sandbox.procore.com/',
      'https://xn--prcore-6kf.com/',
      'https://sandbox.prоcore.com/', // Cyrillic "о"
      'https://procore.com.evil.test/',
      'https://notprocore.com/',
    ])
      expect(refusedReason(url), url).not.toBeNull();
    expect(refusedReason('https://evil.test%2f.procore.com/')).toBe('invalid URL');
  });

  it('refuses private, loopback, link-local and reserved addresses in every spelling', () => {
    for (const host of [
      '127.0.0.1',
      '127.1',
      '0',
      '0.0.0.0',
      '2130706433',
      '017700000001',
      '0x7f.1',
      '0x7f000001',
      '012.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '[::1]',
      '[::]',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[::ffff:a9fe:a9fe]',
      '[fc00::1]',
      '[fd12:3456::1]',
      '[fe80::1]',
      '[64:ff9b::7f00:1]',
      '[2002:7f00:1::]',
      'localhost',
      'localhost.',
      'api.localhost',
    ]) {
      for (const scheme of ['http', 'https']) {
        const reason = refusedReason(`${scheme}://${host}/latest/meta-data`);
        expect(reason, `${scheme}://${host}`).not.toBeNull();
      }
    }
    expect(refusedReason('https://8.8.8.8/')).toMatch(/IP addresses are not on the allow-list/);
  });

  it('refuses other schemes, credentials in the URL, plain http and odd ports to external hosts', () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://sandbox.procore.com/',
      'gopher://sandbox.procore.com/',
      'dict://x.procore.com/',
      'ldap://x.procore.com/',
      'ws://x.procore.com/',
      'data:text/plain,hi',
      'javascript:alert(1)',
    ])
      expect(refusedReason(url), url).toMatch(/Scheme/);
    expect(refusedReason('https://user:pw@sandbox.procore.com/')).toMatch(/credentials/);
    expect(refusedReason('http://sandbox.procore.com/')).toMatch(/Plain http/);
    expect(refusedReason('https://sandbox.procore.com:8443/')).toMatch(/Port 8443/);
    expect(refusedReason('https://sandbox.procore.com/', policy(''))).toMatch(/allow-list/);
  });

  it('this server is reached in-process, but never its explorer API', () => {
    const app = {} as never;
    const self: ProxyPolicy = { allow: [], self: (u) => (u.host === 'localhost:4000' ? app : null) };
    expect(decide(new URL('http://localhost:4000/rest/v1.0/me'), self)).toEqual({ kind: 'self', app });
    expect(refusedReason('http://localhost:4000/api/explorer/send', self)).toMatch(/own API/);
    expect(refusedReason('http://localhost:5432/', self)).not.toBeNull();
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true);
    expect(isPublicAddress('[2606:4700:4700::1111]')).toBe(true);
    for (const a of [
      '127.0.0.1',
      '::1',
      '::ffff:10.0.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      'fe80::1%eth0',
      'not-an-ip',
      '192.0.2.1',
    ])
      expect(isPublicAddress(a), a).toBe(false);
    expect(isLocalhostName('LOCALHOST.')).toBe(true);
    expect(isLocalhostName('localhost.procore.com')).toBe(false);
  });
});

describe('properties (fast-check)', () => {
  it('whatever the URL, an allowed external target’s parsed host is procore.com or ends with .procore.com', () => {
    const piece = fc.constantFrom(
      'procore.com',
      'sandbox',
      'evil.test',
      '.',
      '@',
      '\\',
      '/',
      '?',
      '#',
      '%2f',
      ':443',
      ':80',
      '..',
      'xn--',
      '[',
      ']',
      '%00',
      '\t',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('https://', 'http://', 'https:/', 'https:\\\\'),
        (parts, scheme) => {
          let url: URL;
          try {
            url = new URL(scheme + parts.join(''));
          } catch {
            return;
          }
          if (refusedReason(url.toString()) === null) {
            const h = url.hostname.replace(/\.$/, '');
            expect(h === 'procore.com' || h.endsWith('.procore.com'), url.toString()).toBe(true);
            expect(url.protocol).toBe('https:');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a private IPv4 address is refused in decimal, octal, hex and short spellings', () => {
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(privateV4, fc.constantFrom('dotted', 'decimal', 'octal', 'hex', 'short'), (octets, style) => {
        const n = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
        const host =
          style === 'dotted'
            ? octets.join('.')
            : style === 'decimal'
              ? String(n)
              : style === 'octal'
                ? octets.map((o) => `0${o.toString(8)}`).join('.')
                : style === 'hex'
                  ? `0x${n.toString(16)}`
                  : `${octets[0]}.${(octets[1] << 16) + (octets[2] << 8) + octets[3]}`;
        expect(refusedReason(`https://${host}/`), host).not.toBeNull();
        expect(refusedReason(`http://${host}:8080/`), host).not.toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});
