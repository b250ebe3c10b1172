import { describe, expect, it } from 'vitest';
import {
  authFromSettings,
  authorizeUrl,
  codeExchange,
  curlOf,
  expiresSoon,
  parseCallback,
  pkceChallenge,
  randomToken,
  refreshRequest,
  settingsFromAuth,
  tokenDataFrom,
} from './oauth.js';
import type { PostmanAuth } from './types.js';

const sandboxAuth: PostmanAuth = {
  type: 'oauth2',
  oauth2: [
    { key: 'grant_type', value: 'authorization_code', type: 'string' },
    { key: 'authUrl', value: 'http://127.0.0.1:4000/oauth/authorize', type: 'string' },
    { key: 'accessTokenUrl', value: 'http://127.0.0.1:4000/oauth/token', type: 'string' },
    { key: 'refreshTokenUrl', value: 'http://127.0.0.1:4000/oauth/token', type: 'string' },
    { key: 'clientId', value: '{{client_id}}', type: 'string' },
    { key: 'clientSecret', value: '{{client_secret}}', type: 'string' },
    { key: 'redirect_uri', value: 'http://localhost', type: 'string' },
    { key: 'useBrowser', value: false, type: 'boolean' },
    { key: 'client_authentication', value: 'header', type: 'string' },
    { key: 'addTokenTo', value: 'header', type: 'string' },
    { key: 'headerPrefix', value: 'Bearer', type: 'string' },
    { key: 'tokenName', value: 'Procore sandbox (emulated) - App', type: 'string' },
    { key: 'accessToken', value: '{{access_token}}', type: 'string' },
  ],
};

describe('OAuth 2.0 settings', () => {
  it('reads the sandbox collection block and writes it back without losing keys', () => {
    const s = settingsFromAuth(sandboxAuth);
    expect(s).toMatchObject({
      grantType: 'authorization_code',
      clientId: '{{client_id}}',
      clientAuthentication: 'header',
      callbackUrl: 'http://localhost',
    });
    const back = authFromSettings({ ...s, callbackUrl: 'urn:ietf:wg:oauth:2.0:oob' }, sandboxAuth);
    const keys = Object.fromEntries((back['oauth2'] as { key: string; value: unknown }[]).map((p) => [p.key, p.value]));
    expect(keys).toMatchObject({
      useBrowser: false,
      accessToken: '{{access_token}}',
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      tokenName: 'Procore sandbox (emulated) - App',
    });
  });

  it('builds the authorize URL with state and PKCE', async () => {
    const s = { ...settingsFromAuth(sandboxAuth), clientId: 'abc', grantType: 'authorization_code_with_pkce' as const };
    const verifier = randomToken();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const challenge = await pkceChallenge(verifier, 'S256');
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // RFC 7636 appendix B.
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'S256')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const url = new URL(authorizeUrl(s, 'st', challenge));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'abc',
      redirect_uri: 'http://localhost',
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
  });

  it('exchanges the code with Basic auth or with credentials in the body', () => {
    const s = { ...settingsFromAuth(sandboxAuth), clientId: 'id', clientSecret: 'sec' };
    const header = codeExchange(s, 'CODE', 'VER');
    expect(header.headers).toContainEqual(['Authorization', `Basic ${btoa('id:sec')}`]);
    expect(header.form).toEqual([
      ['grant_type', 'authorization_code'],
      ['code', 'CODE'],
      ['redirect_uri', 'http://localhost'],
      ['code_verifier', 'VER'],
    ]);
    const body = refreshRequest({ ...s, clientAuthentication: 'body' }, 'R');
    expect(body.headers.some(([k]) => k === 'Authorization')).toBe(false);
    expect(body.form).toContainEqual(['client_secret', 'sec']);
    expect(curlOf(header)).toContain("--data-urlencode 'code=CODE'");
    expect(curlOf(header, true)).not.toContain('CODE');
    expect(curlOf(header, true)).not.toContain(btoa('id:sec'));
  });

  it('turns a token answer into a record without the client secret, and knows when to refresh', () => {
    const s = { ...settingsFromAuth(sandboxAuth), clientSecret: 'sec' };
    const t = tokenDataFrom(
      { access_token: 'A', refresh_token: 'R', token_type: 'Bearer', expires_in: 7200 },
      s,
      Date.parse('2026-01-01T00:00:00Z'),
      'c1',
    );
    expect(t).toMatchObject({ access_token: 'A', refresh_token: 'R', expires_at: '2026-01-01T02:00:00.000Z', collection_id: 'c1' });
    expect(JSON.stringify(t)).not.toContain('sec');
    expect(expiresSoon(t, Date.parse('2026-01-01T01:59:30Z'))).toBe(true);
    expect(expiresSoon(t, Date.parse('2026-01-01T01:00:00Z'))).toBe(false);
  });

  it('parses callbacks', () => {
    expect(parseCallback('?code=c&state=s')).toEqual({ code: 'c', state: 's', error: null });
    expect(parseCallback('?error=access_denied&error_description=no&state=s').error).toBe('access_denied: no');
  });
});
