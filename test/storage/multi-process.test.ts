/**
 * Scale-out on PostgreSQL (product.md §3.9): several server processes share one database. Two
 * in-process runtimes (each with its own connection pool, as two processes look to the
 * database) plus one real second OS process over HTTP, all on the same fresh database and the
 * same server key. Black-box: everything goes through HTTP routes except the `createApp` race,
 * which is a service the portal and the CLI share.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TABLES, type Row } from '../../src/db/schema.js';
import { createApp, revealCredentials, revealUserPassword, type Credentials } from '../../src/services/apps.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { defaultSettings } from '../../src/context/settings.js';
import { CookieJar, runAuthorizeFlow } from '../../src/oauth/test/flow.js';
import { SESSION_COOKIE } from '../../src/portal/sessions.js';
import { httpNode, injectNode, spawnServer, type ChildServer, type Node, type NodeResponse } from '../helpers/multi.js';
import { ENGINES, freshPostgresDatabase } from '../helpers/runtime.js';

const PG = ENGINES.find((e) => e.name === 'postgres')!;
const REDIRECT = 'http://localhost';
const DEMO = 'sandbox+demo@example.com';
const ARCH = 'sandbox+arch@example.com';
const settings = defaultSettings({ rateLimit: { hourly: 1e9, spike: 1e9, enabled: false }, loginAttemptsPerHour: 10_000 });

const statuses = (rs: NodeResponse[]) => rs.map((r) => r.status);
/** The i-th of n racers, spread round-robin over the nodes (starting at `offset`). */
const spread = <T>(nodes: T[], i: number, offset = 0): T => nodes[(i + offset) % nodes.length]!;

describe.skipIf(!PG.available)('scale-out on PostgreSQL: three server processes, one database', () => {
  let dir: string;
  let url: string;
  let a: Runtime;
  let b: Runtime;
  let child: ChildServer;
  let A: Node;
  let B: Node;
  let C: Node;
  let nodes: Node[];
  let creds: Credentials;
  let sandbox: Row<'sandboxes'>;
  let userPassword: string;
  /** Signed-in login sessions per (in-process app, user), so each code costs no scrypt. */
  const jars = new Map<string, CookieJar>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'procore-sandbox-multi-'));
    const keyFile = join(dir, 'server.key');
    url = await freshPostgresDatabase();
    // A bootstraps the empty database; B and the second OS process then join it.
    a = await createRuntime({ db: url, keyFile, settings });
    [b, child] = await Promise.all([createRuntime({ db: url, keyFile, settings }), spawnServer({ db: url, keyFile, settings })]);
    A = injectNode('A', a.sandboxApp);
    B = injectNode('B', b.sandboxApp);
    C = httpNode('C', child.sandboxUrl);
    nodes = [A, B, C];
    const app = a.setup!.app!;
    expect(b.setup?.app?.id).toBe(app.id); // B found A's default app, created nothing
    creds = (await revealCredentials(a.ctx, app.id, 'sandbox'))!;
    sandbox = await a.ctx.db.selectFrom('sandboxes').selectAll().where('app_id', '=', app.id).executeTakeFirstOrThrow();
    userPassword = revealUserPassword(a.ctx, sandbox);
  });

  afterAll(async () => {
    await Promise.allSettled([child?.stop(), a?.close(), b?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh authorization code for `email`, issued by in-process runtime `rt`. */
  async function issueCode(rt: Runtime, email = ARCH): Promise<string> {
    const key = `${rt === a ? 'A' : 'B'}:${email}`;
    let jar = jars.get(key);
    if (!jar) jars.set(key, (jar = new CookieJar()));
    const flow = await runAuthorizeFlow(rt.sandboxApp, {
      query: { response_type: 'code', client_id: creds.clientId, redirect_uri: REDIRECT, state: 'multi' },
      email,
      password: userPassword,
      jar,
    });
    expect(flow.code, flow.final.body).toMatch(/^[0-9a-f]{64}$/);
    return flow.code!;
  }

  const token = (node: Node, fields: Record<string, string>, client: Credentials = creds) =>
    node.request({
      method: 'POST',
      url: '/oauth/token',
      form: { ...fields, client_id: client.clientId, client_secret: client.clientSecret },
    });
  const redeem = (node: Node, code: string) => token(node, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  const refresh = (node: Node, refreshToken: string) => token(node, { grant_type: 'refresh_token', refresh_token: refreshToken });
  const me = (node: Node, accessToken: string) =>
    node.request({ method: 'GET', url: '/rest/v1.0/me', headers: { authorization: `Bearer ${accessToken}` } });

  async function tokensFor(email = ARCH): Promise<{ access_token: string; refresh_token: string }> {
    const res = await redeem(B, await issueCode(a, email));
    expect(res.status, res.body).toBe(200);
    return res.json();
  }

  it('serves one database from a second OS process', async () => {
    expect(child.pid).not.toBe(process.pid);
    const health = await Promise.all(nodes.map((n) => n.request({ method: 'GET', url: '/oauth/token/info' })));
    expect(statuses(health)).toEqual([401, 401, 401]);
  });

  it('redeems on one process a code issued by another; the token works on the third', async () => {
    const code = await issueCode(a);
    const res = await redeem(C, code);
    expect(res.status, res.body).toBe(200);
    const body = res.json<{ access_token: string }>();
    const who = await me(B, body.access_token);
    expect(who.status, who.body).toBe(200);
    expect(who.json()).toMatchObject({ login: ARCH });
  });

  it('redeems each of 20 codes exactly once under 8 racers spread over the processes', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) codes.push(await issueCode(i % 2 === 0 ? a : b));
    // All 160 requests at once: each code raced by 8 requests over A, B and C.
    const races = await Promise.all(
      codes.map((code, k) => Promise.all(Array.from({ length: 8 }, (_, i) => redeem(spread(nodes, i, k), code)))),
    );
    const winners: string[] = [];
    for (const [k, results] of races.entries()) {
      const s = statuses(results);
      expect(
        s.filter((x) => x >= 500),
        `code ${k}: ${s.join(',')}`,
      ).toEqual([]);
      expect(
        s.filter((x) => x === 200),
        `code ${k}: ${s.join(',')}`,
      ).toHaveLength(1);
      expect(
        s.filter((x) => x === 400),
        `code ${k}: ${s.join(',')}`,
      ).toHaveLength(7);
      for (const r of results.filter((x) => x.status === 400)) expect(r.json()).toMatchObject({ error: 'invalid_grant' });
      const win = results.find((x) => x.status === 200)!;
      winners.push(win.json<{ access_token: string }>().access_token);
    }
    // docs/oauth.md: racers within the race window lose without revoking the winner's pair, so
    // exactly one live token remains per code — on every process.
    const after = await Promise.all(winners.map((t, k) => me(spread(nodes, k), t)));
    expect(statuses(after)).toEqual(winners.map(() => 200));
  });

  it('rotates one refresh token exactly once under 10 parallel refreshes; the winner keeps a live pair', async () => {
    const t1 = await tokensFor();
    expect(statuses(await Promise.all(nodes.map((n) => me(n, t1.access_token))))).toEqual([200, 200, 200]);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => refresh(spread(nodes, i), t1.refresh_token)));
    const s = statuses(results);
    expect(
      s.filter((x) => x >= 500),
      s.join(','),
    ).toEqual([]);
    expect(
      s.filter((x) => x === 200),
      s.join(','),
    ).toHaveLength(1);
    expect(
      s.filter((x) => x === 400),
      s.join(','),
    ).toHaveLength(9);
    for (const r of results.filter((x) => x.status === 400)) expect(r.json()).toMatchObject({ error: 'invalid_grant' });
    const t2 = results.find((r) => r.status === 200)!.json<{ access_token: string; refresh_token: string }>();
    // docs/oauth.md: losers within the race window get invalid_grant and leave the winner's pair
    // live (security.md C4: exactly one live pair); the rotated token is dead everywhere.
    expect(statuses(await Promise.all(nodes.map((n) => me(n, t2.access_token))))).toEqual([200, 200, 200]);
    expect(statuses(await Promise.all(nodes.map((n) => me(n, t1.access_token))))).toEqual([401, 401, 401]);
    const again = await refresh(C, t2.refresh_token);
    expect(again.status, again.body).toBe(200);
  });

  it('refuses on every process, at once, a token revoked on one (no per-process cache)', async () => {
    const t = await tokensFor(DEMO);
    // Each process has just accepted the token (so a cache, if any, would hold it).
    expect(statuses(await Promise.all(nodes.map((n) => me(n, t.access_token))))).toEqual([200, 200, 200]);
    const revoked = await A.request({
      method: 'POST',
      url: '/oauth/revoke',
      form: { token: t.access_token, client_id: creds.clientId, client_secret: creds.clientSecret },
    });
    expect(revoked.status, revoked.body).toBe(200);
    const onB = await me(B, t.access_token);
    expect(onB.status, onB.body).toBe(401);
    expect((await me(C, t.access_token)).status).toBe(401);
    expect((await me(A, t.access_token)).status).toBe(401);
    // The refresh token went with it (docs/oauth.md), seen from the other process too.
    const r = await refresh(C, t.refresh_token);
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('creates 10 sandboxes concurrently from two processes without sharing an id', async () => {
    const developerId = a.setup!.developer.id;
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        createApp(i % 2 === 0 ? a.ctx : b.ctx, { developerId, name: `Racer ${i % 2 === 0 ? 'A' : 'B'}${i}` }),
      ),
    );
    const failures = settled.flatMap((s, i) =>
      s.status === 'rejected' ? [`#${i}: ${(s.reason as { code?: string }).code ?? ''} ${String((s.reason as Error).message)}`] : [],
    );
    expect(failures, 'createApp failed under concurrency').toEqual([]);
    const created = settled.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof createApp>>>).value);
    const sandboxIds = created.map((c) => c.sandbox.id);
    expect(new Set(sandboxIds).size).toBe(10);
    expect(new Set(created.map((c) => c.sandbox.company_id)).size).toBe(10);
    expect(new Set(created.map((c) => c.sandbox.project_id)).size).toBe(10);
    expect(sandboxIds).not.toContain(sandbox.id);

    const owner = new Map<number, number>(); // row id → sandbox id
    const counts: number[] = [];
    for (const id of [sandbox.id, ...sandboxIds]) {
      let n = 0;
      for (const table of SANDBOX_TABLES) {
        if (table === 'project_users') continue;
        const rows = await a.ctx.db.selectFrom(table).select('id').where('sandbox_id', '=', id).execute();
        for (const r of rows) {
          const prev = owner.get(Number(r.id));
          expect(prev, `${table} id ${r.id} of sandbox ${id} also used by sandbox ${prev}`).toBeUndefined();
          owner.set(Number(r.id), id);
          n++;
        }
      }
      if (id !== sandbox.id) counts.push(n);
    }
    // Every new sandbox holds the whole seed (nothing lost to a retried transaction).
    expect(counts[0]).toBeGreaterThan(20);
    expect(new Set(counts).size).toBe(1);
    // Each new app's credentials work on the other processes.
    const c = created[1]!; // made by B
    const cc = await token(C, { grant_type: 'client_credentials' }, c.sandboxCredentials);
    expect(cc.status, cc.body).toBe(200);
  });

  it('loses no RFI and repeats no number under 20 concurrent creates on three processes', async () => {
    const t = await tokensFor(DEMO);
    const demo = await a.ctx.db
      .selectFrom('users')
      .select('id')
      .where('sandbox_id', '=', sandbox.id)
      .where('email', '=', DEMO)
      .executeTakeFirstOrThrow();
    const countRfis = async () =>
      Number(
        (
          await a.ctx.db
            .selectFrom('rfis')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('project_id', '=', sandbox.project_id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countRfis();
    const headers = { authorization: `Bearer ${t.access_token}`, 'procore-company-id': String(sandbox.company_id) };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        spread(nodes, i).request({
          method: 'POST',
          url: `/rest/v1.0/projects/${sandbox.project_id}/rfis`,
          headers,
          json: { rfi: { subject: `Race ${i}`, rfi_manager_id: demo.id, question: { body: `Question ${i}?` } } },
        }),
      ),
    );
    const s = statuses(results);
    expect(s, results.find((r) => r.status !== 201)?.body).toEqual(s.map(() => 201));
    const made = results.map((r) => r.json<{ id: number; number: string; subject: string }>());
    expect(new Set(made.map((r) => r.id)).size).toBe(20);
    expect(new Set(made.map((r) => r.number)).size).toBe(20);
    expect(made.map((r) => r.subject).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `Race ${i}`).sort());
    expect(await countRfis()).toBe(before + 20);
    // Numbers are the next 20 in sequence (highest + 1 each), none skipped or repeated.
    const numbers = made.map((r) => Number(r.number)).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => numbers[0]! + i));
    // Every process lists them all.
    for (const n of nodes) {
      const list = await n.request({ method: 'GET', url: `/rest/v1.0/projects/${sandbox.project_id}/rfis?per_page=100`, headers });
      expect(list.status, list.body).toBe(200);
      const ids = new Set(list.json<{ id: number }[]>().map((r) => r.id));
      for (const r of made) expect(ids.has(r.id), `${n.name} lists RFI ${r.id}`).toBe(true);
    }
  });

  it('refuses an old client secret on every process as soon as one process resets it', async () => {
    // A developer signs up on A; the session works on C (sessions live in the database).
    const signup = await A.request({
      method: 'POST',
      url: '/api/portal/signup',
      headers: { 'x-requested-with': 'test' },
      json: { email: 'scale@example.com', password: 'scale-out-password', name: 'Scale' },
    });
    // Sign-up answers 202 alike for new and taken emails (no session); sign in on B.
    expect(signup.status, signup.body).toBe(202);
    const signin = await B.request({
      method: 'POST',
      url: '/api/portal/signin',
      headers: { 'x-requested-with': 'test' },
      json: { email: 'scale@example.com', password: 'scale-out-password' },
    });
    expect(signin.status, signin.body).toBe(200);
    const session = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(signin.headers['set-cookie'] ?? '');
    expect(session).not.toBeNull();
    const cookie = `${SESSION_COOKIE}=${session![1]!}`;
    const portal = { 'x-requested-with': 'test', cookie };
    const made = await C.request({ method: 'POST', url: '/api/portal/apps', headers: portal, json: { name: 'Rotating App' } });
    expect(made.status, made.body).toBe(201);
    const appId = made.json<{ app: { id: number } }>().app.id;
    const reveal = await B.request({ method: 'POST', url: `/api/portal/apps/${appId}/credentials/sandbox/reveal`, headers: portal });
    expect(reveal.status, reveal.body).toBe(200);
    const old: Credentials = { clientId: reveal.json().client_id as string, clientSecret: reveal.json().client_secret as string };
    const grant = { grant_type: 'client_credentials' };
    // Every process has just accepted the old secret.
    expect(statuses(await Promise.all(nodes.map((n) => token(n, grant, old))))).toEqual([200, 200, 200]);

    const reset = await A.request({ method: 'POST', url: `/api/portal/apps/${appId}/credentials/sandbox/reset`, headers: portal });
    expect(reset.status, reset.body).toBe(200);
    const fresh: Credentials = { clientId: old.clientId, clientSecret: reset.json().client_secret as string };
    expect(fresh.clientSecret).not.toBe(old.clientSecret);

    const onB = await token(B, grant, old);
    expect(onB.status, onB.body).toBe(401);
    expect(onB.json()).toMatchObject({ error: 'invalid_client' });
    const onC = await token(C, grant, old);
    expect(onC.status, onC.body).toBe(401);
    expect(onC.json()).toMatchObject({ error: 'invalid_client' });
    expect(statuses(await Promise.all(nodes.map((n) => token(n, grant, fresh))))).toEqual([200, 200, 200]);
  });
});

describe.skipIf(!PG.available)('first start of two processes at once on an empty PostgreSQL database', () => {
  it('creates one default developer and app, and both processes show it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procore-sandbox-first-'));
    const keyFile = join(dir, 'server.key');
    const url = await freshPostgresDatabase();
    const [x, y] = await Promise.all([createRuntime({ db: url, keyFile, settings }), createRuntime({ db: url, keyFile, settings })]);
    try {
      expect(x.setup?.app).toBeDefined();
      expect(y.setup?.app?.id).toBe(x.setup?.app?.id);
      expect(y.setup?.developer.id).toBe(x.setup?.developer.id);
      const apps = await x.ctx.db.selectFrom('apps').select('id').execute();
      expect(apps).toHaveLength(1);
      expect(await x.ctx.db.selectFrom('sandboxes').select('id').execute()).toHaveLength(1);
    } finally {
      await Promise.allSettled([x.close(), y.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
