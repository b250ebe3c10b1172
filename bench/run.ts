/**
 * Benchmarks: start-up to ready, sandbox generation, and the authenticated, paginated RFI list
 * against a bare Node HTTP server on the same machine (autocannon, loopback only, bounded in
 * time: 5 runs of BENCH_SECONDS, about 40 s in all). The list is measured on the seeded project
 * (1 RFI), on a project of 2,000 RFIs at page 1 and page 20 (per_page=100), and again with 200
 * sandboxes present, so that a cost growing with the page number or the number of sandboxes
 * shows. Run with `npm run bench`; numbers go into closing notes, never into test assertions.
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { isoSeconds } from '../src/core/clock.js';
import { mintTokens, newGrantId } from '../src/core/tokens.js';
import { allocateIds, findSandboxByApp } from '../src/db/repos/sandboxes.js';
import { insertToken } from '../src/db/repos/tokens.js';
import { createApp } from '../src/services/apps.js';
import { startServer } from '../src/server/runtime.js';
import { defaultSettings } from '../src/server/settings.js';

const DURATION_S = Number(process.env['BENCH_SECONDS'] ?? 5);

/** One measured run after a 1-second warm-up (so the JIT state does not favour later runs). */
async function run(url: string, headers: Record<string, string> = {}): Promise<autocannon.Result> {
  await autocannon({ url, headers, connections: 10, duration: 1 });
  return autocannon({ url, headers, connections: 10, duration: DURATION_S });
}

const t0 = performance.now();
const server = await startServer({
  db: ':memory:',
  host: '127.0.0.1',
  port: 0,
  productionPort: 0,
  settings: defaultSettings({ rateLimit: { hourly: 1e9, spike: 1e9, enabled: false } }),
});
const readyMs = performance.now() - t0;
const { ctx } = server;
const app = server.setup!.app!;

const N = 20;
const t1 = performance.now();
for (let i = 0; i < N; i++) await createApp(ctx, { developerId: server.setup!.developer.id, name: `Bench ${i}` });
const sandboxMs = (performance.now() - t1) / N;

const sandbox = (await findSandboxByApp(ctx.db, app.id))!;
const user = await ctx.db
  .selectFrom('users')
  .select('id')
  .where('sandbox_id', '=', sandbox.id)
  .where('email', '=', 'sandbox+demo@example.com')
  .executeTakeFirstOrThrow();
const cred = await ctx.db
  .selectFrom('app_credentials')
  .select('id')
  .where('app_id', '=', app.id)
  .where('environment', '=', 'sandbox')
  .executeTakeFirstOrThrow();
const t = mintTokens(false);
await insertToken(ctx.db, {
  tokenHash: t.accessTokenHash,
  refreshTokenHash: null,
  credentialId: cred.id,
  environment: 'sandbox',
  sandboxId: sandbox.id,
  userId: user.id,
  authCodeId: null,
  grantId: newGrantId(),
  expiresAt: isoSeconds(ctx.clock.nowMs() + 3600_000),
  createdAt: isoSeconds(ctx.clock.nowMs()),
});

const bare = createServer((_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end('[{"id":1,"subject":"bare"}]');
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const barePort = (bare.address() as { port: number }).port;

const rfiUrl = `${server.sandboxUrl}/rest/v1.0/projects/${sandbox.project_id}/rfis?per_page=100`;
const auth = { Authorization: `Bearer ${t.accessToken}`, 'Procore-Company-Id': String(sandbox.company_id) };

const bareResult = await run(`http://127.0.0.1:${barePort}/`);
const rfiResult = await run(rfiUrl, auth);

// 2,000 more RFIs (each with its question) in the same project, written directly.
const BIG = 2000;
const template = await ctx.db.selectFrom('rfis').selectAll().where('project_id', '=', sandbox.project_id).executeTakeFirstOrThrow();
const question = await ctx.db.selectFrom('rfi_questions').selectAll().where('rfi_id', '=', template.id).executeTakeFirstOrThrow();
const firstId = await allocateIds(ctx.db, sandbox.id, 2 * BIG);
await ctx.db.transaction().execute(async (trx) => {
  for (let i = 0; i < BIG; i += 200) {
    const n = Math.min(200, BIG - i);
    const ids = Array.from({ length: n }, (_, k) => firstId + 2 * (i + k));
    await trx
      .insertInto('rfis')
      .values(ids.map((id, k) => ({ ...template, id, number: String(i + k + 2), subject: `${template.subject} #${i + k + 2}` })))
      .execute();
    await trx
      .insertInto('rfi_questions')
      .values(ids.map((id) => ({ ...question, id: id + 1, rfi_id: id })))
      .execute();
  }
});
const bigPage1 = await run(rfiUrl, auth);
const bigPage20 = await run(`${rfiUrl}&page=20`, auth);

// 200 sandboxes in all (the default one, the 20 above, and these).
const t2 = performance.now();
for (let i = N; i < 199; i++) await createApp(ctx, { developerId: server.setup!.developer.id, name: `Bench ${i}` });
const moreSandboxesMs = performance.now() - t2;
const sandboxCount = Number(
  (
    await ctx.db
      .selectFrom('sandboxes')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);
const manySandboxes = await run(rfiUrl, auth);

bare.close();
await server.close();

const summary = (r: autocannon.Result) => ({
  reqPerSec: Math.round(r.requests.average),
  p50ms: r.latency.p50,
  p99ms: r.latency.p99,
  non2xx: r.non2xx,
});
console.log(
  JSON.stringify(
    {
      startServerReadyMs: Math.round(readyMs),
      sandboxGenerationMsEach: +sandboxMs.toFixed(1),
      bareNodeHttp: summary(bareResult),
      rfiListAuthenticated: summary(rfiResult),
      rfiVsBare: +(rfiResult.requests.average / bareResult.requests.average).toFixed(3),
      rfiList2001Page1: summary(bigPage1),
      rfiList2001Page20: summary(bigPage20),
      page20VsPage1: +(bigPage20.requests.average / bigPage1.requests.average).toFixed(3),
      rfiList2001Page1With200Sandboxes: { ...summary(manySandboxes), sandboxes: sandboxCount },
      manySandboxesVsFew: +(manySandboxes.requests.average / bigPage1.requests.average).toFixed(3),
      moreSandboxesGenerationMs: Math.round(moreSandboxesMs),
    },
    null,
    2,
  ),
);
