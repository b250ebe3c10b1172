/**
 * Black-box attack suite for the login service and portal (security.md §1 A–F), over real
 * sockets against a listening server, on SQLite and PostgreSQL. It covers what the route tests
 * beside the code (src/oauth/test/*, src/portal/*.test.ts, src/http/*.test.ts) do not:
 *
 * - A9/B10: no CORS headers on any login-service endpoint; every token, revoke and info answer,
 *   errors included, is JSON with `Cache-Control: no-store`.
 * - B12: after full flows (code, refresh, revoke, client credentials, portal sign-in) the whole
 *   database holds no secret, code, access or refresh token, password or session id in clear.
 * - C8/F7: deleting an app voids its unredeemed codes, its tokens and its import links.
 * - D1 over the wire: two Authorization headers, a 10 KB token → 401 JSON, never a 5xx/431.
 * - E6: long passwords work; no bcrypt-style 72-byte truncation, trimming or case folding.
 * - E7/F1: an app named with markup, template syntax and U+202E is text on every page.
 */
import net from 'node:net';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revealCredentials, revealUserPassword } from '../../src/services/apps.js';
import { findSandboxByApp } from '../../src/db/repos/sandboxes.js';
import { startServer, type RunningServer } from '../../src/server/runtime.js';
import { defaultSettings } from '../../src/context/settings.js';
import { ENGINES, freshPostgresDatabase, useScratchDir } from '../helpers/runtime.js';

/** A browser-ish HTTP client: cookie jar, no redirects followed. */
class Client {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(method: string, path: string, o: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (this.cookies.size) headers['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    } else if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(pair!.slice(0, eq));
      else this.cookies.set(pair!.slice(0, eq), value);
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
}

function hidden(html: string): Record<string, string> {
  const end = html.indexOf('</form>');
  const fields: Record<string, string> = {};
  for (const m of html.slice(0, end < 0 ? undefined : end).matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[m[1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))] = m[2]!.replace(/&#(\d+);/g, (_, n: string) =>
      String.fromCharCode(Number(n)),
    );
  return fields;
}

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
    socket.setTimeout(3000, () => socket.destroy());
  });
}

const LOCALHOST = 'http://localhost';
const EVIL_NAME = '<img src=x onerror=alert(1)>{{7*7}}\u202eevil';

const scratch = useScratchDir('oauth-attacks-');

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: OAuth attack suite (black box)`, () => {
    let server: RunningServer;
    let base = '';
    let port = 0;
    let clientId = '';
    let clientSecret = '';
    let userPassword = '';
    let developerPassword = '';
    /** Every secret value seen on the wire, to look for in the database afterwards (B12). */
    const secrets = new Set<string>();

    beforeAll(async () => {
      const db = engine.name === 'sqlite' ? join(scratch(), `${engine.name}.db`) : await freshPostgresDatabase();
      server = await startServer({
        db,
        host: '127.0.0.1',
        port: 0,
        productionPort: 0,
        settings: defaultSettings({ loginAttemptsPerHour: 10_000, loginAttemptsPerIpPerHour: 10_000 }),
      });
      base = server.sandboxUrl;
      port = Number(new URL(base).port);
      const app = server.setup!.app!;
      ({ clientId, clientSecret } = (await revealCredentials(server.ctx, app.id, 'sandbox'))!);
      userPassword = revealUserPassword(server.ctx, (await findSandboxByApp(server.ctx.db, app.id))!);
      developerPassword = server.setup!.developerPassword ?? '';
      for (const s of [clientSecret, userPassword, developerPassword]) secrets.add(s);
    });
    afterAll(async () => {
      await server?.close();
    });

    async function authorizeCode(c = new Client(base), id = clientId, redirectUri = LOCALHOST): Promise<{ code: string; client: Client }> {
      const q = new URLSearchParams({ response_type: 'code', client_id: id, redirect_uri: redirectUri, state: 'st' });
      let page = await c.request('GET', `/oauth/authorize?${q}`);
      if (page.text.includes('Log in to your Account')) {
        const login = await c.request('POST', '/oauth/login', {
          form: { ...hidden(page.text), email: 'sandbox+arch@example.com', password: userPassword },
        });
        expect(login.status).toBe(303);
        page = await c.request('GET', login.headers.get('location')!);
      }
      let final = page;
      if (page.text.includes('name="decision"')) {
        final = await c.request('POST', '/oauth/authorize', { form: { ...hidden(page.text), decision: 'approve' } });
      }
      expect(final.status, final.text.slice(0, 200)).toBe(303);
      const code = new URL(final.headers.get('location')!).searchParams.get('code')!;
      secrets.add(code);
      for (const v of c.cookies.values()) secrets.add(v);
      return { code, client: c };
    }

    async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
      const res = await new Client(base).request('POST', '/oauth/token', { form, headers });
      if (res.status === 200) {
        const body = JSON.parse(res.text) as Record<string, string>;
        for (const k of ['access_token', 'refresh_token']) if (body[k]) secrets.add(body[k]);
      }
      return res;
    }

    it('A9/B10: login-service endpoints send no CORS headers; token, revoke and info answers are no-store JSON, errors too', async () => {
      const evil = { origin: 'https://evil.test' };
      const c = new Client(base);
      const { code } = await authorizeCode();
      const answers = [
        await c.request('GET', `/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=${LOCALHOST}`, { headers: evil }),
        await c.request('OPTIONS', '/oauth/token', { headers: { ...evil, 'access-control-request-method': 'POST' } }),
        await token(
          { grant_type: 'authorization_code', code, redirect_uri: LOCALHOST, client_id: clientId, client_secret: clientSecret },
          evil,
        ),
        await token(
          { grant_type: 'authorization_code', code: 'nope', redirect_uri: LOCALHOST, client_id: clientId, client_secret: clientSecret },
          evil,
        ),
        await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'wrong' }, evil),
        await token({ grant_type: 'password', client_id: clientId, client_secret: clientSecret }, evil),
        await token({}, evil),
        await c.request('POST', '/oauth/revoke', { form: { token: 'x', client_id: clientId, client_secret: clientSecret }, headers: evil }),
        await c.request('POST', '/oauth/revoke', { form: { token: 'x' }, headers: evil }),
        await c.request('GET', '/oauth/token/info', { headers: { ...evil, authorization: 'Bearer nope' } }),
        await c.request('POST', '/oauth/token', { headers: { ...evil, 'content-type': 'application/json' }, json: undefined }),
      ];
      for (const [i, res] of answers.entries()) {
        for (const [name] of res.headers) expect(name, `answer ${i}`).not.toMatch(/^access-control-/);
      }
      for (const res of answers.slice(2)) {
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(() => JSON.parse(res.text)).not.toThrow();
      }
    });

    it('D1 over the wire: two Authorization headers and a 10 KB token → 401 JSON with WWW-Authenticate', async () => {
      const two = await raw(
        port,
        'GET /rest/v1.0/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\nConnection: close\r\n\r\n',
      );
      expect(two).toMatch(/^HTTP\/1.1 401/);
      expect(two).toMatch(/www-authenticate: Bearer/i);
      const big = await raw(
        port,
        `GET /oauth/token/info HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(10_240)}\r\nConnection: close\r\n\r\n`,
      );
      expect(big).toMatch(/^HTTP\/1.1 401/);
      expect(big).toMatch(/content-type: application\/json/i);
    });

    it('E6: long passwords work; no 72-byte truncation, trimming or case folding', async () => {
      const c = new Client(base);
      const long = `${'Lång-pässwörd-'.repeat(8)}tail-A`; // > 72 bytes, multibyte
      const email = `e6-${engine.name}@example.com`;
      const h = { 'x-requested-with': 'test' };
      expect((await c.request('POST', '/api/portal/signup', { json: { email, password: long }, headers: h })).status).toBe(202);
      secrets.add(long);
      const attempt = async (password: string) =>
        (await new Client(base).request('POST', '/api/portal/signin', { json: { email, password }, headers: h })).status;
      expect(await attempt(long)).toBe(200);
      expect(await attempt(`${long.slice(0, -1)}B`)).toBe(401); // same first 100+ bytes
      expect(await attempt(Buffer.from(long).subarray(0, 72).toString())).toBe(401);
      expect(await attempt(` ${long}`)).toBe(401);
      expect(await attempt(`${long} `)).toBe(401);
      expect(await attempt(long.toUpperCase())).toBe(401);
    });

    it('E7/F1: an app name with markup, template syntax and U+202E is escaped text on the login, approve and oob pages', async () => {
      const dev = new Client(base);
      const h = { 'x-requested-with': 'test' };
      expect(
        (
          await dev.request('POST', '/api/portal/signin', {
            json: { email: 'developer@example.com', password: developerPassword },
            headers: h,
          })
        ).status,
      ).toBe(200);
      for (const v of dev.cookies.values()) secrets.add(v);
      const created = await dev.request('POST', '/api/portal/apps', { json: { name: EVIL_NAME }, headers: h });
      expect(created.status).toBe(201);
      const app = JSON.parse(created.text).app as { id: number; name: string; credentials: { sandbox: { client_id: string } } };
      expect(app.name).toBe(EVIL_NAME); // JSON carries it verbatim
      const id = app.credentials.sandbox.client_id;
      const secret = JSON.parse((await dev.request('POST', `/api/portal/apps/${app.id}/credentials/sandbox/reveal`, { headers: h })).text)
        .client_secret as string;
      secrets.add(secret);
      const sandboxPassword = JSON.parse((await dev.request('POST', `/api/portal/apps/${app.id}/sandbox/password`, { headers: h })).text)
        .password as string;
      secrets.add(sandboxPassword);

      const c = new Client(base);
      const pages: string[] = [];
      const q = (redirect: string) => new URLSearchParams({ response_type: 'code', client_id: id, redirect_uri: redirect });
      const login = await c.request('GET', `/oauth/authorize?${q(LOCALHOST)}`);
      pages.push(login.text);
      const signedIn = await c.request('POST', '/oauth/login', {
        form: { ...hidden(login.text), email: 'sandbox+arch@example.com', password: sandboxPassword },
      });
      expect(signedIn.status).toBe(303);
      const approve = await c.request('GET', `/oauth/authorize?${q('urn:ietf:wg:oauth:2.0:oob')}`);
      pages.push(approve.text);
      const oob = await c.request('POST', '/oauth/authorize', { form: { ...hidden(approve.text), decision: 'approve' } });
      expect(oob.status).toBe(200);
      pages.push(oob.text);
      const oobCode = /data-code="([0-9a-f]{64})"/.exec(oob.text)?.[1];
      if (oobCode) secrets.add(oobCode);
      for (const html of pages) {
        expect(html).not.toContain('<img');
        expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
        expect(html).toContain('{{7*7}}'); // inert text: nothing renders templates
        expect(html).toContain('\u202eevil'); // shown as is, inside escaped text
      }
      expect(oob.text).not.toContain(secret);
    });

    it('C8/F7: deleting an app voids its unredeemed codes, its tokens and its import links', async () => {
      const dev = new Client(base);
      const h = { 'x-requested-with': 'test' };
      await dev.request('POST', '/api/portal/signin', {
        json: { email: 'developer@example.com', password: developerPassword },
        headers: h,
      });
      const app = JSON.parse((await dev.request('POST', '/api/portal/apps', { json: { name: 'Doomed' }, headers: h })).text).app as {
        id: number;
        credentials: { sandbox: { client_id: string } };
        sandbox: { postman: { collection_url: string } };
      };
      const id = app.credentials.sandbox.client_id;
      const secret = JSON.parse((await dev.request('POST', `/api/portal/apps/${app.id}/credentials/sandbox/reveal`, { headers: h })).text)
        .client_secret as string;
      const sandboxPassword = JSON.parse((await dev.request('POST', `/api/portal/apps/${app.id}/sandbox/password`, { headers: h })).text)
        .password as string;
      secrets.add(secret);
      secrets.add(sandboxPassword);
      const c = new Client(base);
      const q = new URLSearchParams({ response_type: 'code', client_id: id, redirect_uri: LOCALHOST });
      const login = await c.request('GET', `/oauth/authorize?${q}`);
      await c.request('POST', '/oauth/login', {
        form: { ...hidden(login.text), email: 'sandbox+arch@example.com', password: sandboxPassword },
      });
      const approve = await c.request('GET', `/oauth/authorize?${q}`);
      const codes: string[] = [];
      for (let i = 0; i < 2; i++) {
        const page = i === 0 ? approve : await c.request('GET', `/oauth/authorize?${q}`);
        const res = await c.request('POST', '/oauth/authorize', { form: { ...hidden(page.text), decision: 'approve' } });
        const loc = res.headers.get('location');
        if (loc) codes.push(new URL(loc).searchParams.get('code')!);
      }
      expect(codes.length).toBeGreaterThan(0);
      codes.forEach((x) => secrets.add(x));
      const t = JSON.parse(
        (await token({ grant_type: 'authorization_code', code: codes[0]!, redirect_uri: LOCALHOST, client_id: id, client_secret: secret }))
          .text,
      ) as { access_token: string; refresh_token: string };
      const collection = new URL(app.sandbox.postman.collection_url).pathname;
      expect((await new Client(base).request('GET', collection)).status).toBe(200);

      expect((await dev.request('DELETE', `/api/portal/apps/${app.id}`, { headers: h })).status).toBe(200);
      for (const x of codes.slice(1)) {
        const res = await token({
          grant_type: 'authorization_code',
          code: x,
          redirect_uri: LOCALHOST,
          client_id: id,
          client_secret: secret,
        });
        expect(res.status).toBe(401);
      }
      const info = await new Client(base).request('GET', '/oauth/token/info', { headers: { authorization: `Bearer ${t.access_token}` } });
      expect(info.status).toBe(401);
      expect((await new Client(base).request('GET', collection)).status).toBe(404);
      expect(await server.ctx.db.selectFrom('app_credentials').select('id').where('client_id', '=', id).execute()).toEqual([]);
    });

    it('B12: after all of the above, no secret, code, token, password or session id is stored in clear', async () => {
      // One more full life cycle: code → refresh → revoke, and client credentials.
      const { code } = await authorizeCode();
      const t1 = JSON.parse(
        (await token({ grant_type: 'authorization_code', code, redirect_uri: LOCALHOST, client_id: clientId, client_secret: clientSecret }))
          .text,
      ) as { refresh_token: string; access_token: string };
      const t2 = JSON.parse(
        (await token({ grant_type: 'refresh_token', refresh_token: t1.refresh_token, client_id: clientId, client_secret: clientSecret }))
          .text,
      ) as {
        access_token: string;
      };
      await new Client(base).request('POST', '/oauth/revoke', {
        form: { token: t2.access_token, client_id: clientId, client_secret: clientSecret },
      });
      await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      expect(secrets.size).toBeGreaterThan(10);

      // Dump every text-ish column of every table.
      const tables =
        engine.name === 'sqlite'
          ? (
              await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
                server.ctx.db,
              )
            ).rows.map((r) => r.name)
          : (
              await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(
                server.ctx.db,
              )
            ).rows.map((r) => r.name);
      let dump = '';
      for (const table of tables) {
        const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(server.ctx.db)).rows;
        dump += JSON.stringify(rows, (_k, v: unknown) =>
          Buffer.isBuffer(v) ? v.toString('latin1') : typeof v === 'bigint' ? String(v) : v,
        );
      }
      expect(dump.length).toBeGreaterThan(10_000);
      expect(dump).toContain(clientId); // the dump sees what is stored in clear (client ids are public)
      const found = [...secrets].filter((s) => s.length >= 8 && dump.includes(s));
      expect(found).toEqual([]);
    });
  });
}
