import { describe, expect, it } from 'vitest';
import { checkRedirectUri, checkRedirectUris } from './redirect-uris.js';

describe('redirect URI registration rules (security.md F2)', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com',
    'https://app.example.com:8443/cb?tenant=1',
    'http://localhost',
    'http://localhost:3000',
    'http://localhost:3000/oauth/callback',
    'http://127.0.0.1:8080/cb',
    'urn:ietf:wg:oauth:2.0:oob',
  ])('accepts %s', (uri) => {
    expect(checkRedirectUri(uri)).toEqual({ ok: true });
  });

  it.each([
    ['', 'empty'],
    ['https://app.example.com/cb#', 'bare fragment'],
    ['https://app.example.com/cb#frag', 'fragment'],
    ['/relative/cb', 'relative'],
    ['app.example.com/cb', 'no scheme'],
    ['javascript:alert(1)', 'javascript'],
    ['JavaScript:alert(1)', 'javascript, mixed case'],
    ['data:text/html,<script>alert(1)</script>', 'data'],
    ['file:///etc/passwd', 'file'],
    ['vbscript:msgbox', 'vbscript'],
    ['https://app.example.com/a\r\nSet-Cookie: x=1', 'CR/LF'],
    ['https://app.example.com/a\tb', 'tab'],
    ['https://app.example.com/a b', 'space'],
    ['https://*.example.com/cb', 'wildcard'],
    ['https://user:pass@app.example.com/cb', 'userinfo'],
    ['https://app.example.com@evil.test/cb', 'userinfo confusion'],
    ['https://evil.test\\@app.example.com', 'backslash'],
    ['http://app.example.com/cb', 'plain http, not loopback'],
    ['http://localhost@evil.test', 'loopback userinfo'],
    ['http://localhost.evil.test/cb', 'loopback lookalike'],
    ['http://localhost:80@evil.test', 'loopback port + userinfo'],
    ['http://localhost:99999/cb', 'bad port'],
    ['HTTPS://app.example.com/cb', 'upper-case scheme'],
    ['https:///cb', 'no host'],
    ['urn:ietf:wg:oauth:2.0:oob:auto', 'oob:auto'],
    ['URN:IETF:WG:OAUTH:2.0:OOB', 'oob upper case'],
    ['urn:ietf:wg:oauth:2.0:oob#x', 'oob + fragment'],
    [`https://app.example.com/${'a'.repeat(2048)}`, 'over 2 KB'],
  ])('refuses %j (%s)', (uri) => {
    const check = checkRedirectUri(uri);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message.length).toBeGreaterThan(3);
  });

  it('checks lists, names the first bad entry, and drops duplicates', () => {
    expect(checkRedirectUris(['http://localhost', 'http://localhost', 'https://a.test/cb'])).toEqual({
      ok: true,
      uris: ['http://localhost', 'https://a.test/cb'],
    });
    expect(checkRedirectUris(['http://localhost', 'ftp://x'])).toMatchObject({ ok: false, index: 1 });
    expect(checkRedirectUris(Array.from({ length: 21 }, (_, i) => `https://a.test/${i}`))).toMatchObject({ ok: false });
    expect(checkRedirectUris([])).toEqual({ ok: true, uris: [] });
  });
});
