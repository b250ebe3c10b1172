/**
 * `npm run bench`: the REST API against a bare `node:http` ceiling in one run, loopback only,
 * bounded in time (about three minutes with the defaults).
 *
 * 1. Prepares a SQLite database file in a scratch folder (in this process): the default app, a
 *    project of 10,000 RFIs, a second sandbox for writes, and timed sandbox creations.
 * 2. Starts the ceiling (bench/bare.mjs, a fixed 2.4 KB JSON) and then the real server
 *    (`bin/procore-sandbox.mjs start` on the existing database, rate limits ON but raised by
 *    flags) as child processes on core 0; wrk runs on core 1 (`taskset`, when there are two).
 * 3. Loads each scenario for BENCH_SECONDS (default 5) after a 1-second warm-up; records req/s,
 *    p50/p99, each row's ratio to the ceiling, the server's RSS and its start-up time to first
 *    answer.
 * 4. Grows the database to BENCH_SANDBOXES sandboxes (default 10,000) through the same
 *    `createApp` the portal uses, restarts the server and measures the list again.
 *
 * Writes artifacts/bench.md and artifacts/bench.json (git-ignored). Numbers go into notes, never
 * into test assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isoSeconds } from '../src/core/clock.js';
import { mintTokens, newGrantId } from '../src/core/tokens.js';
import { allocateIds, findSandboxByApp } from '../src/db/repos/sandboxes.js';
import { insertToken } from '../src/db/repos/tokens.js';
import type { Row } from '../src/db/schema.js';
import { createApp, revealCredentials } from '../src/services/apps.js';
import { createRuntime, type Runtime } from '../src/server/runtime.js';
import { defaultSettings } from '../src/context/settings.js';
import { ensureServerBuild, SERVER_BUNDLE } from '../scripts/build-server.mjs';
import { ensureWebBuild } from '../web/build-if-stale.mjs';
import { LOAD_TOOL, PINNED, cpuSecondsOf, load, pinned, type LoadResult, type LoadSpec } from './load.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const RFIS = Number(process.env['BENCH_RFIS'] ?? 10_000);
const SANDBOXES = Number(process.env['BENCH_SANDBOXES'] ?? 10_000);
const CREATIONS = 50;
/** BENCH_PROFILE=1: the server runs with `--cpu-prof` (artifacts/profiles; see bench/profile-top.ts). */
const PROFILE = Boolean(process.env['BENCH_PROFILE']);
/** BENCH_ONLY=<substring>: only the scenarios whose name contains it (profiling one path). */
const ONLY = process.env['BENCH_ONLY'];
/** BENCH_PREPARE_ONLY=1: prepare the database, print its tenant as JSON and keep it (profiling by hand). */
const PREPARE_ONLY = Boolean(process.env['BENCH_PREPARE_ONLY']);
const RAISED = 1_000_000_000;
const artifacts = join(root, 'artifacts');
const scratch = join(artifacts, 'bench-tmp');
const dbFile = join(scratch, 'bench.db');
const keyFile = join(scratch, 'server.key');

rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

// ---------------------------------------------------------------------------------------------
// Preparation (in this process, on the database file the server then opens)

const settings = defaultSettings({ rateLimit: { hourly: RAISED, spike: RAISED, enabled: true } });
const openRuntime = () => createRuntime({ db: dbFile, keyFile, settings });

interface Tenant {
  sandbox: Row<'sandboxes'>;
  userId: number;
  accessToken: string;
}

async function tenantOf(rt: Runtime, appId: number): Promise<Tenant> {
  const { ctx } = rt;
  const sandbox = (await findSandboxByApp(ctx.db, appId))!;
  const user = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('sandbox_id', '=', sandbox.id)
    .where('email', '=', 'sandbox+demo@example.com')
    .executeTakeFirstOrThrow();
  const cred = await ctx.db
    .selectFrom('app_credentials')
    .select('id')
    .where('app_id', '=', appId)
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
    expiresAt: isoSeconds(ctx.clock.nowMs() + 24 * 3600_000),
    createdAt: isoSeconds(ctx.clock.nowMs()),
  });
  return { sandbox, userId: user.id, accessToken: t.accessToken };
}

/** Copies of the seeded RFI (with its question) until the project holds `total` RFIs. */
async function growRfis(rt: Runtime, sandbox: Row<'sandboxes'>, total: number): Promise<void> {
  const db = rt.ctx.db;
  const template = await db.selectFrom('rfis').selectAll().where('project_id', '=', sandbox.project_id).executeTakeFirstOrThrow();
  const question = await db.selectFrom('rfi_questions').selectAll().where('rfi_id', '=', template.id).executeTakeFirstOrThrow();
  const extra = total - 1;
  const firstId = await allocateIds(db, sandbox.id, 2 * extra);
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < extra; i += 200) {
      const n = Math.min(200, extra - i);
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
}

async function countSandboxes(rt: Runtime): Promise<number> {
  const r = await rt.ctx.db
    .selectFrom('sandboxes')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Creates sandboxes (apps) through `createApp` until there are `target`; ms per creation. */
async function growSandboxes(rt: Runtime, developerId: number, target: number): Promise<{ n: number; msEach: number }> {
  const start = await countSandboxes(rt);
  const t = performance.now();
  for (let i = start; i < target; i++) await createApp(rt.ctx, { developerId, name: `Bench ${i}` });
  const n = Math.max(0, target - start);
  return { n, msEach: n ? +((performance.now() - t) / n).toFixed(2) : 0 };
}

log(`preparing ${dbFile}`);
const rt = await openRuntime();
const developerId = rt.setup!.developer.id;
const mainApp = rt.setup!.app!;
const main = await tenantOf(rt, mainApp.id);
const mainCreds = (await revealCredentials(rt.ctx, mainApp.id, 'sandbox'))!;
const writeApp = await createApp(rt.ctx, { developerId, name: 'Bench writes' });
const writer = await tenantOf(rt, writeApp.app.id);
await growRfis(rt, main.sandbox, RFIS);
const firstRfi = await rt.ctx.db
  .selectFrom('rfis')
  .select('id')
  .where('project_id', '=', main.sandbox.project_id)
  .orderBy('id')
  .executeTakeFirstOrThrow();
const creation = await growSandboxes(rt, developerId, CREATIONS + 2);
log(`sandbox creation: ${creation.msEach} ms each (${creation.n})`);
await rt.close();
if (PREPARE_ONLY) {
  process.stdout.write(
    `${JSON.stringify({ db: dbFile, keyFile, token: main.accessToken, companyId: main.sandbox.company_id, projectId: main.sandbox.project_id, rfiId: firstRfi.id })}\n`,
  );
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Child processes

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function startBare(): Promise<{ child: ChildProcess; url: string }> {
  const [cmd, args] = pinned(0, process.execPath, [join(root, 'bench', 'bare.mjs')]);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/` };
}

/** GET with a bearer token; resolves with the status (0 when the connection is refused). */
async function probe(url: string, headers: Record<string, string>): Promise<number> {
  try {
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

interface Started {
  child: ChildProcess;
  base: string;
  /** Spawn to first 200 of `GET /rest/v1.0/me`. */
  startupMs: number;
  /** CPU time the server process used until then (steadier than wall time on a busy machine). */
  startupCpuMs: number | null;
}

async function startServer(me: { accessToken: string }): Promise<Started> {
  const port = await freePort();
  const productionPort = await freePort();
  const [cmd, args] = pinned(0, process.execPath, [
    ...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(artifacts, 'profiles')] : []),
    join(root, 'bin', 'procore-sandbox.mjs'),
    'start',
    '--db',
    dbFile,
    '--key-file',
    keyFile,
    '--port',
    String(port),
    '--production-port',
    String(productionPort),
    '--log-level',
    'silent',
    '--rate-limit-hourly',
    String(RAISED),
    '--rate-limit-spike',
    String(RAISED),
  ]);
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: scratch });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) log(`server exited with ${code}:\n${stderr}`);
  });
  const headers = { Authorization: `Bearer ${me.accessToken}` };
  for (;;) {
    const status = await probe(`${base}/rest/v1.0/me`, headers);
    if (status === 200) break;
    if (status !== 0) throw new Error(`server answered ${status} to GET /me`);
    if (child.exitCode !== null) throw new Error('server exited during start-up');
    if (performance.now() - t0 > 30_000) throw new Error('server did not answer within 30 s');
    await new Promise((r) => setTimeout(r, 2));
  }
  const startupMs = Math.round(performance.now() - t0);
  const cpu = cpuSecondsOf(child.pid!);
  return { child, base, startupMs, startupCpuMs: cpu === null ? null : Math.round(cpu * 1000) };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Scenario {
  name: string;
  spec: Omit<LoadSpec, 'seconds' | 'connections'>;
  expect: number;
}

const auth = (t: Tenant) => ({ Authorization: `Bearer ${t.accessToken}`, 'Procore-Company-Id': String(t.sandbox.company_id) });
const lastPage = Math.ceil(RFIS / 10);

function scenarios(base: string): Scenario[] {
  const list = `${base}/rest/v1.0/projects/${main.sandbox.project_id}/rfis`;
  return [
    { name: `RFI list, per_page=10, page 1 (${RFIS} RFIs)`, spec: { url: `${list}?page=1&per_page=10`, headers: auth(main) }, expect: 200 },
    { name: 'RFI list, per_page=10, page 100', spec: { url: `${list}?page=100&per_page=10`, headers: auth(main) }, expect: 200 },
    {
      name: `RFI list, per_page=10, last page (${lastPage})`,
      spec: { url: `${list}?page=${lastPage}&per_page=10`, headers: auth(main) },
      expect: 200,
    },
    { name: 'RFI list, per_page=100, page 1', spec: { url: `${list}?page=1&per_page=100`, headers: auth(main) }, expect: 200 },
    { name: 'GET /me', spec: { url: `${base}/rest/v1.0/me`, headers: auth(main) }, expect: 200 },
    { name: 'RFI show', spec: { url: `${list}/${firstRfi.id}`, headers: auth(main) }, expect: 200 },
    {
      name: 'RFI create',
      spec: {
        url: `${base}/rest/v1.0/projects/${writer.sandbox.project_id}/rfis`,
        method: 'POST',
        headers: { ...auth(writer), 'Content-Type': 'application/json' },
        body: JSON.stringify({ rfi: { subject: 'Bench RFI', question: { body: 'Is this fast?' }, rfi_manager_id: writer.userId } }),
      },
      expect: 201,
    },
    {
      name: 'POST /oauth/token (client_credentials)',
      spec: {
        url: `${base}/oauth/token`,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: mainCreds.clientId,
          client_secret: mainCreds.clientSecret,
        }).toString(),
      },
      expect: 200,
    },
  ];
}

async function check(s: Scenario): Promise<void> {
  const res = await fetch(s.spec.url, { method: s.spec.method ?? 'GET', headers: s.spec.headers, body: s.spec.body });
  const text = await res.text();
  if (res.status !== s.expect) throw new Error(`${s.name}: expected ${s.expect}, got ${res.status}: ${text.slice(0, 300)}`);
}

interface Row_ extends LoadResult {
  name: string;
  ratio: number;
  p99VsCeiling: number;
  cpuVsCeiling: number | null;
}

const rows: Row_[] = [];
const record = (name: string, r: LoadResult, ceiling: LoadResult) => {
  const row = {
    name,
    ...r,
    ratio: +(r.reqPerSec / ceiling.reqPerSec).toFixed(3),
    p99VsCeiling: +(r.p99ms / ceiling.p99ms).toFixed(2),
    // The ceiling's CPU per request over ours: the req/s ratio a quiet machine would show.
    cpuVsCeiling: r.cpuUsPerReq && ceiling.cpuUsPerReq ? +(ceiling.cpuUsPerReq / r.cpuUsPerReq).toFixed(3) : null,
  };
  rows.push(row);
  log(
    `${name}: ${r.reqPerSec} req/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, ${row.ratio}× ceiling, ${r.cpuUsPerReq} µs CPU/req${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`,
  );
  return row;
};
let serverPid: number | undefined;
const run = (spec: Omit<LoadSpec, 'seconds' | 'connections'>) =>
  load({ ...spec, seconds: SECONDS, connections: CONNECTIONS }, scratch, serverPid);

await ensureServerBuild();
await ensureWebBuild({ log });

const bare = await startBare();
serverPid = bare.child.pid;
const ceiling = await run({ url: bare.url });
record('bare node:http, fixed 2.4 KB JSON (ceiling)', ceiling, ceiling);
await stop(bare.child);

// A start as a user's second one: the first start after a build writes V8's code cache of the
// bundle (scripts/load-bundle.mjs) a few seconds in.
if (!existsSync(`${SERVER_BUNDLE}.v8cache`) || statSync(`${SERVER_BUNDLE}.v8cache`).mtimeMs < statSync(SERVER_BUNDLE).mtimeMs) {
  const warm = await startServer(main);
  await new Promise((r) => setTimeout(r, 4000));
  await stop(warm.child);
  log(`warm-up start (writes the code cache): ${warm.startupMs} ms`);
}
let server = await startServer(main);
serverPid = server.child.pid;
const startupMs = server.startupMs;
const startupCpuMs = server.startupCpuMs;
log(`start-up to first answer: ${startupMs} ms (${startupCpuMs} ms CPU)`);
for (const s of scenarios(server.base)) {
  if (ONLY && !s.name.includes(ONLY)) continue;
  await check(s);
  record(s.name, await run(s.spec), ceiling);
}
const memory = memoryOf(server.child.pid!);
await stop(server.child);

// The same list and /me with many sandboxes in the database.
const rt2 = await openRuntime();
log(`growing the database to ${SANDBOXES} sandboxes`);
const grown = await growSandboxes(rt2, developerId, SANDBOXES);
const sandboxCount = await countSandboxes(rt2);
await rt2.close();
server = await startServer(main);
serverPid = server.child.pid;
const startupManyMs = server.startupMs;
const startupManyCpuMs = server.startupCpuMs;
const many = scenarios(server.base);
const pageOneMany = record(`RFI list, per_page=10, page 1, with ${sandboxCount} sandboxes`, await run(many[0]!.spec), ceiling);
const meMany = record(`GET /me, with ${sandboxCount} sandboxes`, await run(many[4]!.spec), ceiling);
await stop(server.child);

const rowOf = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
const ratio = (a: Row_ | undefined, b: Row_ | undefined, key: 'reqPerSec' | 'p50ms' = 'reqPerSec') =>
  a && b ? +(a[key] / b[key]).toFixed(3) : null;
const pageOne = rowOf('RFI list, per_page=10, page 1 (');
const summary = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, pinned: PINNED, load: LOAD_TOOL },
  settings: { seconds: SECONDS, connections: CONNECTIONS, rfis: RFIS, sandboxes: sandboxCount },
  startupMs,
  startupCpuMs,
  startupMsWithManySandboxes: startupManyMs,
  startupCpuMsWithManySandboxes: startupManyCpuMs,
  sandboxCreationMsEach: creation.msEach,
  sandboxCreationMsEachGrowing: grown.msEach,
  memory,
  derived: {
    page100VsPage1: ratio(rowOf('RFI list, per_page=10, page 100'), pageOne),
    lastPageVsPage1: ratio(rowOf('RFI list, per_page=10, last page'), pageOne),
    manySandboxesVsOne: ratio(pageOneMany, pageOne),
    manySandboxesP50VsOne: ratio(pageOneMany, pageOne, 'p50ms'),
    manySandboxesCpuVsOne:
      pageOneMany.cpuUsPerReq && pageOne?.cpuUsPerReq ? +(pageOneMany.cpuUsPerReq / pageOne.cpuUsPerReq).toFixed(3) : null,
    meManyVsOne: ratio(
      meMany,
      rows.find((r) => r.name === 'GET /me'),
    ),
  },
  rows,
};

const md = [
  '# procore-sandbox benchmark',
  '',
  `${summary.date} · ${summary.machine.cpus} × ${summary.machine.model} · Node ${summary.machine.node} · load: ${LOAD_TOOL}, ${CONNECTIONS} connections, ${SECONDS} s per row${PINNED ? ' · server on core 0' : ' · not pinned'}`,
  '',
  '| scenario | req/s | p50 ms | p99 ms | × ceiling | p99 × ceiling | CPU µs/req | CPU × ceiling |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.reqPerSec} | ${r.p50ms} | ${r.p99ms} | ${r.ratio} | ${r.p99VsCeiling} | ${r.cpuUsPerReq ?? '–'} | ${r.cpuVsCeiling ?? '–'} |${r.non2xx ? ` ${r.non2xx} non-2xx` : ''}`,
  ),
  '',
  '"CPU × ceiling" is the ceiling\'s server CPU time per request over the row\'s: the req/s ratio a machine with a quiet core would show (req/s here depends on what else runs).',
  '',
  `- start-up to first answer on an existing database: **${startupMs} ms**, ${startupCpuMs} ms of server CPU (${startupManyMs} ms, ${startupManyCpuMs} ms CPU with ${sandboxCount} sandboxes)`,
  `- sandbox creation: **${creation.msEach} ms** each (${creation.n} in a row); ${grown.msEach} ms each while growing to ${sandboxCount}`,
  `- page 100 / page 1: ${summary.derived.page100VsPage1}; last page / page 1: ${summary.derived.lastPageVsPage1}`,
  `- list with ${sandboxCount} sandboxes / with few: ${summary.derived.manySandboxesVsOne} (req/s), p50 ${summary.derived.manySandboxesP50VsOne}×, CPU per request ${summary.derived.manySandboxesCpuVsOne}×`,
  `- server RSS after the runs: ${memory.rssMb} MB (peak ${memory.peakRssMb} MB)`,
  '',
].join('\n');

mkdirSync(artifacts, { recursive: true });
writeFileSync(join(artifacts, 'bench.json'), `${JSON.stringify(summary, null, 2)}\n`);
writeFileSync(join(artifacts, 'bench.md'), md);
rmSync(scratch, { recursive: true, force: true });
process.stdout.write(md);
