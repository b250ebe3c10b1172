/**
 * Benchmarks: start-up to ready, sandbox generation, and the authenticated, paginated RFI list
 * against a bare Node HTTP server on the same machine (autocannon, loopback only, bounded in
 * time). Run with `npm run bench`; numbers go into closing notes, never into test assertions.
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { isoSeconds } from '../src/core/clock.js';
import { mintTokens, newGrantId } from '../src/core/tokens.js';
import { findSandboxByApp } from '../src/db/repos/sandboxes.js';
import { insertToken } from '../src/db/repos/tokens.js';
import { createApp } from '../src/services/apps.js';
import { startServer } from '../src/server/runtime.js';
import { defaultSettings } from '../src/server/settings.js';

const DURATION_S = Number(process.env['BENCH_SECONDS'] ?? 5);

function run(url: string, headers: Record<string, string> = {}): Promise<autocannon.Result> {
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

const bareResult = await run(`http://127.0.0.1:${barePort}/`);
const rfiResult = await run(`${server.sandboxUrl}/rest/v1.0/projects/${sandbox.project_id}/rfis?per_page=100`, {
  Authorization: `Bearer ${t.accessToken}`,
  'Procore-Company-Id': String(sandbox.company_id),
});

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
    },
    null,
    2,
  ),
);
