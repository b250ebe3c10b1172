/**
 * The explorer against a listening server (both environments on real ports): "this server"
 * means the origins this process serves, reached in-process; its other ports and any other
 * loopback port are refused. The explorer API stays out of the Procore OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ListeningTestServer } from '../helpers/runtime.js';

describe('explorer on a listening server', () => {
  let t: ListeningTestServer;
  let cookie = '';
  let token = '';

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.server.sandboxUrl}/api/explorer${path}`, {
      method,
      headers: { cookie, 'x-requested-with': 'procore-sandbox', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    t = await startTestServer();
    const signin = await fetch(`${t.server.sandboxUrl}/api/portal/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'procore-sandbox' },
      body: JSON.stringify({ email: t.server.setup!.developer.email, password: t.server.setup!.developerPassword }),
    });
    expect(signin.status).toBe(200);
    cookie = signin.headers.getSetCookie()[0]!.split(';')[0]!;
    const tok = await fetch(`${t.server.sandboxUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: t.credentials.clientId,
        client_secret: t.credentials.clientSecret,
      }),
    });
    expect(tok.status).toBe(200);
    token = ((await tok.json()) as { access_token: string }).access_token;
  });
  afterAll(() => t?.server.close());

  it('sends to both environments of this server in-process; tokens stay per environment', async () => {
    const headers = [['Authorization', `Bearer ${token}`]];
    const sandbox = await api('POST', '/send', { method: 'GET', url: `${t.server.sandboxUrl}/vapid/me`, headers });
    expect(sandbox.json).toMatchObject({ status: 200, via: 'this-server' });
    const localhost = t.server.sandboxUrl.replace('127.0.0.1', 'localhost');
    expect((await api('POST', '/send', { method: 'GET', url: `${localhost}/vapid/me`, headers })).json).toMatchObject({
      status: 200,
      via: 'this-server',
    });
    const production = await api('POST', '/send', { method: 'GET', url: `${t.server.productionUrl}/vapid/me`, headers });
    // The production environment is this server too, and refuses a sandbox token (as Procore does).
    expect(production.json).toMatchObject({ status: 401, via: 'this-server' });
    const tokenAtProd = await api('POST', '/send', {
      method: 'POST',
      url: `${t.server.productionUrl}/oauth/token`,
      headers: [],
      body: {
        mode: 'urlencoded',
        urlencoded: [
          ['grant_type', 'client_credentials'],
          ['client_id', t.credentials.clientId],
          ['client_secret', t.credentials.clientSecret],
        ],
      },
    });
    expect(tokenAtProd.json).toMatchObject({ status: 401, via: 'this-server' });
    expect(JSON.parse(tokenAtProd.json['body'] as string)).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses other ports of this machine', async () => {
    const port = Number(new URL(t.server.productionUrl).port) + 1;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      'http://127.0.0.1:5432/',
      `https://127.0.0.1:${new URL(t.server.sandboxUrl).port}/vapid/me`,
    ]) {
      const res = await api('POST', '/send', { method: 'GET', url, headers: [] });
      expect(res.status, url).toBe(403);
      expect(res.json).toMatchObject({ error: 'proxy_refused' });
    }
  });

  it('keeps the explorer API out of /openapi.json', async () => {
    const doc = (await (await fetch(`${t.server.sandboxUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/'))).toEqual([]);
  });
});
