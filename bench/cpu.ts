/**
 * Server CPU per request for a few paths, the bare ceiling in the same run, on a database kept
 * by `BENCH_PREPARE_ONLY=1 npm run bench` (copy it first: the bench empties its scratch folder):
 * `node --import tsx bench/cpu.ts <dir-with-bench.db-and-server.key> '<tenant JSON>' [seconds]`.
 * Quicker than `npm run bench` for comparing two builds; CPU µs/request is load-independent
 * where req/s is not. Prints one line per path and the start-up CPU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuSecondsOf, load, pinned } from './load.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const [dir, tenantJson, secs] = process.argv.slice(2);
if (!dir || !tenantJson) throw new Error('usage: cpu.ts <dir> <tenant JSON> [seconds]');
const tenant = JSON.parse(tenantJson) as { token: string; companyId: number; projectId: number; rfiId: number };
const seconds = Number(secs ?? 3);
const only = process.env['BENCH_ONLY'];

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
const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const [bc, ba] = pinned(0, process.execPath, [join(root, 'bench', 'bare.mjs')]);
const bare = spawn(bc, ba, { stdio: ['pipe', 'pipe', 'inherit'] });
const line = await new Promise<string>((resolve) => createInterface({ input: bare.stdout! }).once('line', resolve));
const bareUrl = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/`;
const ceiling = await load({ url: bareUrl, seconds, connections: 50 }, dir, bare.pid);
await stop(bare);
process.stdout.write(`ceiling: ${ceiling.cpuUsPerReq} µs CPU/req, ${ceiling.reqPerSec} req/s\n`);

const port = await freePort();
const [cmd, args] = pinned(0, process.execPath, [
  ...(process.env['BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', join(root, 'artifacts', 'profiles')] : []),
  join(root, 'bin', 'procore-sandbox.mjs'),
  'start',
  '--db',
  join(dir, 'bench.db'),
  '--key-file',
  join(dir, 'server.key'),
  '--port',
  String(port),
  '--production-port',
  String(await freePort()),
  '--log-level',
  'silent',
  '--rate-limit-hourly',
  '1000000000',
  '--rate-limit-spike',
  '1000000000',
]);
const t0 = performance.now();
const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: dir });
const base = `http://127.0.0.1:${port}`;
const headers = { Authorization: `Bearer ${tenant.token}`, 'Procore-Company-Id': String(tenant.companyId) };
for (;;) {
  const status = await fetch(`${base}/rest/v1.0/me`, { headers })
    .then(async (r) => (await r.arrayBuffer(), r.status))
    .catch(() => 0);
  if (status === 200) break;
  if (status !== 0) throw new Error(`GET /me: ${status}`);
  await new Promise((r) => setTimeout(r, 2));
}
process.stdout.write(`start-up: ${Math.round(performance.now() - t0)} ms wall, ${Math.round(cpuSecondsOf(child.pid!)! * 1000)} ms CPU\n`);
const list = `${base}/rest/v1.0/projects/${tenant.projectId}/rfis`;
const paths: [string, string][] = [
  ['page 1', `${list}?page=1&per_page=10`],
  ['page 100', `${list}?page=100&per_page=10`],
  ['per_page=100', `${list}?page=1&per_page=100`],
  ['me', `${base}/rest/v1.0/me`],
  ['show', `${list}/${tenant.rfiId}`],
];
for (const [name, url] of paths) {
  if (only && !name.includes(only)) continue;
  const r = await load({ url, headers, seconds, connections: 50 }, dir, child.pid);
  const ratio = r.cpuUsPerReq && ceiling.cpuUsPerReq ? (ceiling.cpuUsPerReq / r.cpuUsPerReq).toFixed(3) : '?';
  process.stdout.write(
    `${name}: ${r.cpuUsPerReq} µs CPU/req (${ratio}× ceiling), ${r.reqPerSec} req/s${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}\n`,
  );
}
await stop(child);
