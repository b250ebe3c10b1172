/**
 * HTTP-level behaviour common to every route: `nosniff` on every response, 405 + `Allow` for a
 * wrong method on a known path, `/favicon.ico`, request targets that are not a path (`GET *`),
 * duplicate slashes and dot-segments (security.md G7, I10), and client errors of a HEAD request.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../test/helpers/runtime.js';

/** One raw HTTP/1.1 exchange (inject() normalizes the request target, a socket does not). */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const done = () => resolve(out);
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    socket.setTimeout(3000, () => socket.destroy());
  });
}

function parse(response: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = response.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

describe('HTTP layer', () => {
  let rt: TestRuntime;
  let port = 0;
  let token = '';
  beforeAll(async () => {
    rt = await createTestRuntime();
    token = await rt.mintToken();
    await rt.sandboxApp.listen({ port: 0, host: '127.0.0.1' });
    port = (rt.sandboxApp.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('every response carries X-Content-Type-Options: nosniff (API, OAuth, portal, 404s, both environments)', async () => {
    const auth = { authorization: `Bearer ${token}`, 'procore-company-id': String(rt.sandbox.company_id) };
    for (const [app, url, headers] of [
      [rt.sandboxApp, '/rest/v1.0/me', auth],
      [rt.sandboxApp, '/rest/v1.0/me', {}],
      [rt.sandboxApp, '/oauth/token/info', {}],
      [rt.sandboxApp, '/api/portal/me', {}],
      [rt.sandboxApp, '/health', {}],
      [rt.sandboxApp, '/no/such/route', {}],
      [rt.productionApp, '/rest/v1.0/me', {}],
    ] as const) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('a wrong method on a known path → 405 with Allow computed from the router; unknown paths stay 404', async () => {
    const del = await rt.sandboxApp.inject({ method: 'DELETE', url: '/rest/v1.0/me' });
    expect(del.statusCode).toBe(405);
    expect(del.headers['allow']).toBe('GET, HEAD, OPTIONS');
    expect(del.json()).toMatchObject({ code: 405 });
    const token = await rt.sandboxApp.inject({ method: 'GET', url: '/oauth/token' });
    expect(token.statusCode).toBe(405);
    expect(token.headers['allow']).toBe('POST');
    const portal = await rt.sandboxApp.inject({ method: 'PUT', url: '/api/portal/apps/1' });
    expect(portal.statusCode).toBe(405);
    expect(portal.headers['allow']).toBe('GET, HEAD, PATCH, DELETE');
    const rfi = await rt.sandboxApp.inject({ method: 'PUT', url: `/rest/v1.0/projects/${rt.sandbox.project_id}/rfis` });
    expect(rfi.statusCode).toBe(405);
    expect(rfi.headers['allow']).toContain('POST');
    const unknown = await rt.sandboxApp.inject({ method: 'POST', url: '/rest/v1.0/no_such_resource' });
    expect(unknown.statusCode).toBe(404);
  });

  it('/favicon.ico is served on both environments', async () => {
    for (const app of [rt.sandboxApp, rt.productionApp]) {
      const res = await app.inject({ method: 'GET', url: '/favicon.ico' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\//);
      expect(res.body).toContain('<svg');
    }
  });

  it('GET * (asterisk-form) → 400 JSON, not the web app', async () => {
    const res = parse(await raw(port, 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(res.body)).toMatchObject({ code: 400 });
  });

  it('//rest/v1.0/… gets the API answer of the canonical path, not the static handler', async () => {
    const res = parse(
      await raw(port, `GET //rest/v1.0//me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ login: 'sandbox+demo@example.com' });
    const anonymous = parse(await raw(port, 'GET //rest/v1.0/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('dot-segment paths → 400 JSON from every prefix', async () => {
    for (const path of ['/rest/v1.0/../rest/v1.0/me', '/rest/v1.0/./me', '/assets/%2e%2e/index.html', '/oauth/%2E/token', '/x/..']) {
      const res = parse(await raw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      expect(res.status, path).toBe(400);
      expect(res.headers['content-type'], path).toMatch(/application\/json/);
    }
  });

  it('a HEAD answered 431 carries no body; a GET answered 431 carries JSON', async () => {
    const big = 'a'.repeat(20_000);
    const head = await raw(port, `HEAD / HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`);
    const parsed = parse(head);
    expect(parsed.status).toBe(431);
    expect(parsed.body).toBe('');
    const getRes = parse(await raw(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`));
    expect(getRes.status).toBe(431);
    expect(JSON.parse(getRes.body)).toMatchObject({ statusCode: 431 });
  });
});

describe('HTTP layer: a body the route never reads', () => {
  let rt: TestRuntime;
  let port = 0;
  beforeAll(async () => {
    rt = await createTestRuntime();
    await rt.sandboxApp.listen({ port: 0, host: '127.0.0.1' });
    port = (rt.sandboxApp.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('invalid UTF-8 in a JSON body of a GET or a 404 is no uncaught stream error; the server keeps answering', async () => {
    const bad = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    for (const [method, path] of [
      ['GET', '/health'],
      ['GET', '/rest/v1.0/me'],
      ['POST', '/no/such/route'],
      ['DELETE', '/oauth/token'],
    ] as const) {
      const head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${bad.length}\r\nConnection: close\r\n\r\n`;
      const res = parse(await raw(port, head + bad.toString('latin1')));
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
    // A body of many chunks with the bad byte early: the guard fails while more data arrives.
    const big = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.alloc(200_000, 0x61), Buffer.from('"}')]);
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as const) {
      for (const url of ['/health', '/rest/v1.0/me', '/oauth/token', '/api/portal/signin', '/nope']) {
        const res = await rt.sandboxApp.inject({ method, url, payload: big, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
      }
    }
    const health = parse(await raw(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    expect(health.status).toBe(200);
  });
});

describe('HTTP layer: HEAD errors', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('a HEAD refused with a 4xx before its handler carries no body (a NUL in a path id, a malformed id)', async () => {
    const token = await rt.mintToken();
    const headers = { authorization: `Bearer ${token}`, 'procore-company-id': String(rt.sandbox.company_id) };
    for (const url of ['/rest/v1.0/projects/1/rfis/%00', '/vapid/projects/1/submittals/%00', '/rest/v1.0/blobs/%00/x.pdf']) {
      const res = await rt.sandboxApp.inject({ method: 'HEAD', url, headers });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).toBe('');
    }
  });

  it("HEAD is answered by the GET route: same status and headers, the GET body's length, no body", async () => {
    const token = await rt.mintToken();
    const headers = { authorization: `Bearer ${token}`, 'procore-company-id': String(rt.sandbox.company_id) };
    for (const url of ['/rest/v1.0/me', `/rest/v1.0/projects/${rt.sandbox.project_id}/rfis`, '/rest/v1.0/me?x=%00', '/signin', '/health']) {
      const get = await rt.sandboxApp.inject({ method: 'GET', url, headers });
      const head = await rt.sandboxApp.inject({ method: 'HEAD', url, headers });
      expect(head.statusCode, url).toBe(get.statusCode);
      expect(head.body, url).toBe('');
      expect(head.headers['content-length'], url).toBe(String(Buffer.byteLength(get.body)));
      expect(head.headers['content-type'], url).toBe(get.headers['content-type']);
    }
    // A path with no GET route: 405 listing what it serves, HEAD not among them.
    const post = await rt.sandboxApp.inject({ method: 'HEAD', url: '/oauth/token' });
    expect(post.statusCode).toBe(405);
    expect(post.headers['allow']).not.toMatch(/HEAD/);
    // And where GET is served, HEAD is listed with it.
    const del = await rt.sandboxApp.inject({ method: 'DELETE', url: '/health' });
    expect(del.headers['allow']).toBe('GET, HEAD');
    expect(rt.sandboxApp.routeRegistry.find((r) => r.url === '/health')?.methods).toEqual(['GET', 'HEAD']);
  });
});
