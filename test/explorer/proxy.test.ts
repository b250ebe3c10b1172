/**
 * The explorer proxy over real sockets (security.md §H in docs/explorer.md): local target
 * servers on 127.0.0.1 whose ports are declared allowed network targets (the test-only
 * `loopbackPorts`), and a sentinel listener that must never see a connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAllowList } from '../../src/explorer/proxy/allow-list.js';
import { ProxyError, sendProxied, type ProxyPolicy, type ProxyRequest, type ResolvedAddress } from '../../src/explorer/proxy/send.js';
import { createTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { ExplorerClient } from './client.js';

interface Listening {
  server: Server;
  port: number;
  connections: number;
  sockets: Set<Socket>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<Listening> {
  const state: Listening = { server: null as unknown as Server, port: 0, connections: 0, sockets: new Set() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (s: Socket) => {
    state.connections++;
    state.sockets.add(s);
    s.on('close', () => state.sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.server = server;
  state.port = (server.address() as AddressInfo).port;
  return state;
}

async function close(l: Listening): Promise<void> {
  for (const s of l.sockets) s.destroy();
  await new Promise<void>((r) => l.server.close(() => r()));
}

let target: Listening;
let other: Listening;
let sentinel: Listening;

const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));

beforeAll(async () => {
  const route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/ok':
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': 'sid=upstream',
          'x-rate-limit-remaining': '99',
          connection: 'close',
        });
        return res.end(JSON.stringify({ ok: true }));
      case '/echo':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ method: req.method, headers: req.headers, body: body.toString('utf8') }));
      case '/binary':
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]));
      case '/big':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(Buffer.alloc(2 * 1024 * 1024, 1));
      case '/bomb':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        return res.end(bomb);
      case '/gzip':
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(gzipSync(JSON.stringify({ zipped: true })));
      case '/hang':
        return; // never answers
      case '/drip': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('.'), 200);
        res.on('close', () => clearInterval(t));
        return;
      }
      case '/redirect':
        res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to') ?? '/ok' });
        return res.end();
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        return res.end();
      default:
        res.writeHead(404);
        return res.end();
    }
  };
  target = await listen(route);
  other = await listen(route);
  sentinel = await listen((_req, res) => res.end('sentinel'));
});

afterAll(async () => {
  await Promise.all([close(target), close(other), close(sentinel)]);
});

beforeEach(() => {
  sentinel.connections = 0;
});

const policy = (extra: Partial<ProxyPolicy> = {}): ProxyPolicy => ({
  allow: parseAllowList('procore.com'),
  self: () => null,
  loopbackPorts: [target.port, other.port],
  maxResponseBytes: 1024 * 1024,
  ...extra,
});

const get = (url: string, extra: Partial<ProxyRequest> = {}): ProxyRequest => ({ method: 'GET', url, headers: [], ...extra });

async function refusal(p: Promise<unknown>): Promise<ProxyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProxyError) return err;
    throw err;
  }
  throw new Error('expected a ProxyError');
}

describe('allowed targets', () => {
  it('sends to an allowed target and returns status, headers (no Set-Cookie, no hop-by-hop) and body', async () => {
    const res = await sendProxied(get(`http://127.0.0.1:${target.port}/ok`), policy());
    expect(res).toMatchObject({
      status: 200,
      status_text: 'OK',
      body: '{"ok":true}',
      body_encoding: 'utf8',
      size: 11,
      via: 'network',
      redirects: [],
    });
    const names = res.headers.map(([n]) => n.toLowerCase());
    expect(names).toContain('x-rate-limit-remaining');
    expect(names).not.toContain('set-cookie');
    expect(names).not.toContain('connection');
    expect(res.time_ms).toBeGreaterThanOrEqual(0);
  });

  it('sends raw, urlencoded and multipart bodies and the user headers', async () => {
    const url = `http://127.0.0.1:${target.port}/echo`;
    const raw = JSON.parse(
      (
        await sendProxied(
          {
            method: 'POST',
            url,
            headers: [
              ['Content-Type', 'application/json'],
              ['X-A', 'b'],
            ],
            body: { mode: 'raw', raw: '{"rfi":{}}' },
          },
          policy(),
        )
      ).body,
    );
    expect(raw).toMatchObject({ method: 'POST', body: '{"rfi":{}}', headers: { 'content-type': 'application/json', 'x-a': 'b' } });
    const form = JSON.parse(
      (
        await sendProxied(
          {
            method: 'POST',
            url,
            headers: [],
            body: {
              mode: 'urlencoded',
              urlencoded: [
                ['a', '1 2'],
                ['b', '&'],
              ],
            },
          },
          policy(),
        )
      ).body,
    );
    expect(form).toMatchObject({ body: 'a=1+2&b=%26', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const multi = JSON.parse(
      (await sendProxied({ method: 'PATCH', url, headers: [], body: { mode: 'formdata', formdata: [['rfi[subject]', 'Hi']] } }, policy()))
        .body,
    );
    expect(multi.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(multi.body).toContain('name="rfi[subject]"');
    expect(multi.body).toContain('Hi');
  });

  it('returns binary bodies as base64 and decodes gzip', async () => {
    const bin = await sendProxied(get(`http://127.0.0.1:${target.port}/binary`), policy());
    expect(bin.body_encoding).toBe('base64');
    expect(Buffer.from(bin.body, 'base64')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]));
    const zipped = await sendProxied(get(`http://127.0.0.1:${target.port}/gzip`), policy());
    expect(JSON.parse(zipped.body)).toEqual({ zipped: true });
  });

  it('follows redirects within allowed targets, dropping credentials when the origin changes', async () => {
    const same = await sendProxied(
      get(`http://127.0.0.1:${target.port}/redirect?to=/echo`, {
        headers: [
          ['Authorization', 'Bearer t'],
          ['Cookie', 'a=b'],
        ],
      }),
      policy(),
    );
    expect(same.redirects).toEqual([{ status: 302, location: `http://127.0.0.1:${target.port}/echo` }]);
    expect(JSON.parse(same.body).headers).toMatchObject({ authorization: 'Bearer t', cookie: 'a=b' });
    const cross = await sendProxied(
      get(`http://127.0.0.1:${target.port}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${other.port}/echo`)}`, {
        headers: [
          ['Authorization', 'Bearer t'],
          ['X-Keep', '1'],
        ],
      }),
      policy(),
    );
    expect(cross.url).toBe(`http://127.0.0.1:${other.port}/echo`);
    const headers = JSON.parse(cross.body).headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-keep']).toBe('1');
    // 303 turns a POST into a GET without body; 307 keeps both.
    const see = await sendProxied(
      { method: 'POST', url: `http://127.0.0.1:${target.port}/redirect?status=303&to=/echo`, headers: [], body: { mode: 'raw', raw: 'x' } },
      policy(),
    );
    expect(JSON.parse(see.body)).toMatchObject({ method: 'GET', body: '' });
    const keep = await sendProxied(
      { method: 'POST', url: `http://127.0.0.1:${target.port}/redirect?status=307&to=/echo`, headers: [], body: { mode: 'raw', raw: 'x' } },
      policy(),
    );
    expect(JSON.parse(keep.body)).toMatchObject({ method: 'POST', body: 'x' });
    const unfollowed = await sendProxied(get(`http://127.0.0.1:${target.port}/redirect?to=/ok`, { follow_redirects: false }), policy());
    expect(unfollowed.status).toBe(302);
    expect(await refusal(sendProxied(get(`http://127.0.0.1:${target.port}/loop`), policy()))).toMatchObject({
      statusCode: 502,
      message: /More than 5 redirects/,
    });
  });
});

describe('refused targets (the sentinel sees no connection)', () => {
  it('other loopback ports, in every spelling', async () => {
    for (const host of [
      '127.0.0.1',
      'localhost',
      '127.1',
      '0x7f.1',
      '2130706433',
      '017700000001',
      '[::ffff:127.0.0.1]',
      '0.0.0.0',
      '[::1]',
    ]) {
      const err = await refusal(sendProxied(get(`http://${host}:${sentinel.port}/`), policy()));
      expect(err.statusCode, host).toBe(403);
      expect(err.code).toBe('proxy_refused');
    }
    expect(sentinel.connections).toBe(0);
  });

  it('redirects from an allowed target to other ports, metadata, other schemes or other hosts', async () => {
    for (const to of [
      `http://127.0.0.1:${sentinel.port}/`,
      `http://0x7f.1:${sentinel.port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:5432/',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_',
      'https://evil.test/',
      'http://sandbox.procore.com/',
    ]) {
      const err = await refusal(sendProxied(get(`http://127.0.0.1:${target.port}/redirect?to=${encodeURIComponent(to)}`), policy()));
      expect(err.statusCode, to).toBe(403);
      expect(err.message, to).toMatch(/^Redirect \(302\) to .* refused/);
    }
    expect(sentinel.connections).toBe(0);
  });

  it('host names resolving to private addresses (checked at connect time: no rebinding window)', async () => {
    const calls: string[] = [];
    const answers: Record<string, ResolvedAddress[]> = {
      'loop.procore.com': [{ address: '127.0.0.1', family: 4 }],
      'mixed.procore.com': [
        { address: '8.8.8.8', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ],
      'mapped.procore.com': [{ address: '::ffff:127.0.0.1', family: 6 }],
      'meta.procore.com': [{ address: '169.254.169.254', family: 4 }],
      'ula.procore.com': [{ address: 'fd00::1', family: 6 }],
    };
    const resolve = async (hostname: string) => {
      calls.push(hostname);
      return answers[hostname] ?? [];
    };
    for (const host of Object.keys(answers)) {
      const err = await refusal(sendProxied(get(`https://${host}/rest/v1.0/me`), policy({ resolve })));
      expect(err.statusCode, host).toBe(403);
      expect(err.message).toMatch(/resolves to .*never reaches/);
    }
    // One resolution per connection: the address checked is the address dialled.
    expect(calls).toEqual(Object.keys(answers));
    const none = await refusal(sendProxied(get('https://nowhere.procore.com/'), policy({ resolve })));
    expect(none).toMatchObject({ statusCode: 403, message: /does not resolve/ });
  });

  it('a rebinding resolver (public first, then loopback) is asked once and its first answer is dialled', async () => {
    let n = 0;
    const resolve = async (): Promise<ResolvedAddress[]> =>
      n++ === 0 ? [{ address: '203.0.114.1', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const err = await refusal(sendProxied(get('https://rebind.procore.com/', { timeout_ms: 1500 }), policy({ resolve })));
    // Not a refusal: the public address was dialled (and is unreachable offline).
    expect([502, 504]).toContain(err.statusCode);
    expect(n).toBe(1);
  });
});

describe('limits', () => {
  it('caps the body on its decoded size (also gzip bombs)', async () => {
    expect(await refusal(sendProxied(get(`http://127.0.0.1:${target.port}/big`), policy()))).toMatchObject({
      statusCode: 502,
      code: 'proxy_response_too_large',
    });
    expect(await refusal(sendProxied(get(`http://127.0.0.1:${target.port}/bomb`), policy()))).toMatchObject({
      statusCode: 502,
      code: 'proxy_response_too_large',
    });
  });

  it('answers 504 when the target does not answer, or drips, past the deadline', async () => {
    expect(await refusal(sendProxied(get(`http://127.0.0.1:${target.port}/hang`, { timeout_ms: 300 }), policy()))).toMatchObject({
      statusCode: 504,
      code: 'proxy_timeout',
    });
    expect(await refusal(sendProxied(get(`http://127.0.0.1:${target.port}/drip`, { timeout_ms: 700 }), policy()))).toMatchObject({
      statusCode: 504,
    });
  });

  it('refuses framing, hop-by-hop and malformed headers', async () => {
    const url = `http://127.0.0.1:${target.port}/echo`;
    for (const header of [
      ['Host', 'evil.test'],
      ['Transfer-Encoding', 'chunked'],
      ['Content-Length', '5'],
      ['Connection', 'upgrade'],
      ['Proxy-Authorization', 'x'],
      ['X-Bad', 'a\r\nInjected: 1'],
      ['Bad Name', 'x'],
      ['X-Big', 'x'.repeat(9000)],
    ] as [string, string][]) {
      expect((await refusal(sendProxied(get(url, { headers: [header] }), policy()))).statusCode, header[0]).toBe(400);
    }
    expect((await refusal(sendProxied({ method: 'GE T', url, headers: [] }, policy()))).statusCode).toBe(400);
    expect((await refusal(sendProxied(get('not a url'), policy()))).statusCode).toBe(400);
  });
});

describe('POST /api/explorer/send', () => {
  let rt: TestRuntime;
  let c: ExplorerClient;
  beforeAll(async () => {
    rt = await createTestRuntime({ settings: { explorerProxy: { loopbackPorts: [target.port] } } });
    c = await new ExplorerClient(rt.sandboxApp).signIn(rt.setup!.developer.email, rt.developerPassword);
  });
  afterAll(() => rt?.close());

  it('needs a session and the CSRF header', async () => {
    const anonymous = new ExplorerClient(rt.sandboxApp);
    const res = await anonymous.send('POST', '/send', get(`http://127.0.0.1:${target.port}/ok`));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
    const noCsrf = await c.raw('POST', '/api/explorer/send', get(`http://127.0.0.1:${target.port}/ok`), { 'x-requested-with': '' });
    expect(noCsrf.statusCode).toBe(403);
    const crossSite = await c.send('POST', '/send', get(`http://127.0.0.1:${target.port}/ok`), { origin: 'https://evil.test' });
    expect(crossSite.statusCode).toBe(403);
    const text = await c.send('POST', '/send', 'x', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
  });

  it('sends to this server in-process with the token, and to allowed targets over the network', async () => {
    const token = await rt.mintToken();
    const me = await c.send('POST', '/send', get('http://localhost/vapid/me', { headers: [['Authorization', `Bearer ${token}`]] }));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ status: 200, via: 'this-server' });
    expect(JSON.parse(me.json().body)).toMatchObject({ login: 'sandbox+demo@example.com' });
    const rfis = await c.send(
      'POST',
      '/send',
      get(`http://localhost/rest/v1.0/projects/${rt.sandbox.project_id}/rfis`, {
        headers: [
          ['Authorization', `Bearer ${token}`],
          ['Procore-Company-Id', String(rt.sandbox.company_id)],
        ],
      }),
    );
    expect(rfis.json().status).toBe(200);
    expect(JSON.parse(rfis.json().body)[0]).toMatchObject({ subject: 'Foundation wall reinforcement at grid line A' });
    expect(rfis.json().headers.map(([n]: [string]) => n.toLowerCase())).toEqual(
      expect.arrayContaining(['total', 'per-page', 'x-rate-limit-remaining']),
    );
    const net = await c.send('POST', '/send', get(`http://127.0.0.1:${target.port}/ok`));
    expect(net.json()).toMatchObject({ status: 200, via: 'network' });
  });

  it('refuses with 403 proxy_refused JSON, and never proxies the explorer API itself', async () => {
    const res = await c.send('POST', '/send', get(`http://127.0.0.1:${sentinel.port}/`));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'proxy_refused' });
    const self = await c.send('POST', '/send', get('http://localhost/api/explorer/state', { headers: [['Cookie', c.cookie]] }));
    expect(self.statusCode).toBe(403);
    const bad = await c.send('POST', '/send', { method: 'GET', url: 'http://localhost/', headers: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request' });
    expect(sentinel.connections).toBe(0);
  });

  it('allows at most 10 requests in flight per developer', async () => {
    const slow = Array.from({ length: 10 }, () =>
      c.send('POST', '/send', get(`http://127.0.0.1:${target.port}/hang`, { timeout_ms: 1500 })),
    );
    await new Promise((r) => setTimeout(r, 200));
    const eleventh = await c.send('POST', '/send', get(`http://127.0.0.1:${target.port}/ok`));
    expect(eleventh.statusCode).toBe(429);
    const done = await Promise.all(slow);
    expect(done.map((r) => r.statusCode)).toEqual(Array(10).fill(504));
    expect((await c.send('POST', '/send', get(`http://127.0.0.1:${target.port}/ok`))).statusCode).toBe(200);
  });
});
