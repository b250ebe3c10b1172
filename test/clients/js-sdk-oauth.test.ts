/**
 * `@procore/js-sdk` against a running server: token (code from the login/approve forms posted
 * with plain fetch and cookies), info, refresh, revoke — exactly as the SDK sends them (JSON
 * bodies, credentials in the body, one host for OAuth and API).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { info, refresh, revoke, token } from '@procore/js-sdk';
import type { RunningServer } from '../../src/server/runtime.js';
import { startTestServer } from '../helpers/runtime.js';

const REDIRECT = 'http://localhost';

/** Signs in and approves with fetch, like a browser without JavaScript; returns the code. */
async function authorizeWithFetch(base: string, clientId: string, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  // The first form's hidden fields (the approve page also holds a sign-out form with its own token).
  const hidden = (html: string) =>
    Object.fromEntries(
      [...html.slice(0, html.indexOf('</form>') >>> 0).matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [
        m[1]!,
        m[2]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
      ]),
    );
  const post = async (path: string, fields: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
      body: new URLSearchParams(fields),
    });
    keep(res);
    return res;
  };

  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, state: 'sdk' });
  const loginPage = await fetch(`${base}/oauth/authorize?${query}`, { redirect: 'manual' });
  keep(loginPage);
  const login = await post('/oauth/login', { ...hidden(await loginPage.text()), email, password });
  expect(login.status).toBe(303);
  const approvePage = await fetch(`${base}${login.headers.get('location')}`, { redirect: 'manual', headers: { cookie: cookie() } });
  const approved = await post('/oauth/authorize', { ...hidden(await approvePage.text()), decision: 'approve' });
  expect(approved.status).toBe(303);
  const location = new URL(approved.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('sdk');
  return location.searchParams.get('code')!;
}

describe('@procore/js-sdk OAuth helpers', () => {
  let server: RunningServer;
  let clientId: string;
  let clientSecret: string;
  let password: string;

  beforeAll(async () => {
    ({
      server,
      userPassword: password,
      credentials: { clientId, clientSecret },
    } = await startTestServer());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('token → info → refresh → revoke', async () => {
    const options = { apiHostname: server.sandboxUrl };
    const code = await authorizeWithFetch(server.sandboxUrl, clientId, 'sandbox+arch@example.com', password);

    const issued = await token({ id: clientId, secret: clientSecret, code, uri: REDIRECT }, options);
    expect(issued).toMatchObject({ token_type: 'bearer', expires_in: 5400 });
    expect(issued.access_token).toEqual(expect.any(String));
    expect(issued.refresh_token).toMatch(/^[0-9a-f]{64}$/);

    const about = await info(issued.access_token, options);
    expect(about).toMatchObject({ scopes: [], application: { uid: clientId } });
    expect(about.expires_in_seconds).toBeGreaterThan(5300);

    const refreshed = await refresh(
      { id: clientId, secret: clientSecret, uri: REDIRECT, token: issued.access_token, refresh: issued.refresh_token },
      options,
    );
    expect(refreshed.refresh_token).not.toBe(issued.refresh_token);
    // The old refresh token is spent; errors come back as JSON the SDK can parse.
    const again = await refresh(
      { id: clientId, secret: clientSecret, uri: REDIRECT, token: issued.access_token, refresh: issued.refresh_token },
      options,
    );
    expect(again).toMatchObject({ error: 'invalid_grant' });

    const revoked = await revoke({ token: refreshed.access_token, clientId, clientSecret }, options);
    expect(revoked).toEqual({});
    const gone = await info(refreshed.access_token, options);
    expect(gone).toEqual({ error: 'invalid_token', error_description: 'The access token is invalid.' });
  });

  it('reports a wrong secret as JSON invalid_client', async () => {
    const code = await authorizeWithFetch(server.sandboxUrl, clientId, 'sandbox+demo@example.com', password);
    const res = await token({ id: clientId, secret: 'wrong', code, uri: REDIRECT }, { apiHostname: server.sandboxUrl });
    expect(res).toMatchObject({ error: 'invalid_client' });
  });
});
