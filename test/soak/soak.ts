/**
 * Soak (docs/testing.md): the real CLI server on 127.0.0.1 (SQLite file) under mixed traffic
 * for SOAK_SECONDS (default 120; `npm run test:long -- --soak 600` for 10 minutes) from a few
 * concurrent clients: lists, shows, creates, token grants, portal API and pages, the login page,
 * /health. Every answer must be its route's success status or an intended 429. Memory, two ways:
 * - the live JS heap: the server runs with `--trace-gc` and each full collection (Mark-Compact)
 *   prints the heap left after it; the median of those in the last 40 s must stay within
 *   SOAK_HEAP_FACTOR (default 1.3) of the median in the 40 s after warm-up. This is the leak
 *   test: garbage is not counted.
 * - the RSS (from /proc, each second): the median of the last 10 s within SOAK_RSS_FACTOR
 *   (default 2) of the median of the 10 s after warm-up. Coarser, because V8 grows its heap
 *   ahead of need by its own heuristics (more on a busy machine), but it also sees native memory
 *   (SQLite, buffers) that the heap figure does not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { startCliServer } from '../helpers/cli-server.js';

export interface SoakReport {
  seconds: number;
  requests: number;
  byKind: Record<string, number>;
  rateLimited: number;
  errors: string[];
  errorCount: number;
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  /** Live heap after full collections (MB): medians after warm-up and at the end, and how many were seen. */
  heapStartMb: number;
  heapEndMb: number;
  fullGcs: number;
  warmupSeconds: number;
  /** Median latency (ms) of the first and last tenth of the run, for the record (not asserted). */
  p50FirstMs: number;
  p50LastMs: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] as number) : 0;
};

export async function runSoak(seconds: number, options: { clients?: number } = {}): Promise<SoakReport> {
  const dir = mkdtempSync(join(tmpdir(), 'procore-sandbox-soak-'));
  // `--trace-gc` lines: "[pid:0x…]  12345 ms: Mark-Compact 95.3 (120.1) -> 60.2 (110.0) MB, …".
  const heap: { t: number; mb: number }[] = [];
  let started = Date.now();
  let partial = '';
  const server = await startCliServer({
    db: join(dir, 'sandbox.db'),
    keyFile: join(dir, 'server.key'),
    args: ['--rate-limit-hourly', '1000000000', '--rate-limit-spike', '2000'],
    nodeArgs: ['--trace-gc'],
    onStdout: (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(line);
        if (m) heap.push({ t: Date.now() - started, mb: Number(m[1]) });
      }
    },
  });
  const base = server.sandboxUrl;
  const dispatcher = new Agent({ connections: 16, keepAliveTimeout: 4_000 });
  const http = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    undiciFetch(`${base}${path}`, { ...init, dispatcher, redirect: 'manual' });
  const report: SoakReport = {
    seconds,
    requests: 0,
    byKind: {},
    rateLimited: 0,
    errors: [],
    errorCount: 0,
    rssStartMb: 0,
    rssEndMb: 0,
    rssMaxMb: 0,
    heapStartMb: 0,
    heapEndMb: 0,
    fullGcs: 0,
    warmupSeconds: 0,
    p50FirstMs: 0,
    p50LastMs: 0,
  };
  try {
    const { clientId, clientSecret, companyId, projectId } = server;
    const devPassword = /Developer password:\s+(\S+)/.exec(server.banner)?.[1];
    const devEmail = /Email:\s+(\S+)/.exec(server.banner)?.[1];
    if (!clientId || !clientSecret || !companyId || !projectId || !devPassword || !devEmail) throw new Error(`banner: ${server.banner}`);
    const grant = async () => {
      const r = await http('/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
      });
      return { status: r.status, token: r.status === 200 ? ((await r.json()) as { access_token: string }).access_token : '' };
    };
    const first = await grant();
    if (first.status !== 200) throw new Error(`token grant: ${first.status}`);
    let token = first.token;
    const signin = await http('/api/portal/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
      body: JSON.stringify({ email: devEmail, password: devPassword }),
    });
    if (signin.status !== 200) throw new Error(`portal sign-in: ${signin.status} ${await signin.text()}`);
    const cookie = (signin.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const api = () => ({ authorization: `Bearer ${token}`, 'procore-company-id': String(companyId) });
    const users = (await (await http(`/rest/v1.0/projects/${projectId}/users`, { headers: api() })).json()) as { id: number }[];
    const managerId = users[0]!.id;
    const rfiIds: number[] = [];
    let seq = 0;

    type Op = { kind: string; ok: number[]; run: () => Promise<Awaited<ReturnType<typeof http>>> };
    const ops: [number, Op][] = [
      [6, { kind: 'list rfis', ok: [200], run: () => http(`/rest/v1.0/projects/${projectId}/rfis?per_page=50`, { headers: api() }) }],
      [3, { kind: 'list submittals', ok: [200], run: () => http(`/rest/v1.0/projects/${projectId}/submittals`, { headers: api() }) }],
      [2, { kind: 'list projects', ok: [200], run: () => http(`/rest/v1.0/projects?company_id=${companyId}`, { headers: api() }) }],
      [2, { kind: 'list tasks', ok: [200], run: () => http(`/rest/v1.0/tasks?project_id=${projectId}`, { headers: api() }) }],
      [2, { kind: 'list folders', ok: [200], run: () => http(`/rest/v1.0/folders?project_id=${projectId}`, { headers: api() }) }],
      [2, { kind: 'me', ok: [200], run: () => http('/rest/v1.0/me', { headers: api() }) }],
      [
        5,
        {
          kind: 'show rfi',
          ok: [200],
          run: () =>
            http(`/rest/v1.0/projects/${projectId}/rfis/${rfiIds[Math.floor(Math.random() * rfiIds.length)] ?? 0}`, { headers: api() }),
        },
      ],
      [
        3,
        {
          kind: 'create rfi',
          ok: [201],
          run: () =>
            http(`/rest/v1.0/projects/${projectId}/rfis`, {
              method: 'POST',
              headers: { ...api(), 'content-type': 'application/json' },
              body: JSON.stringify({ rfi: { subject: `soak ${seq++}`, rfi_manager_id: managerId, question: { body: 'How deep?' } } }),
            }),
        },
      ],
      [
        1,
        {
          kind: 'token grant',
          ok: [200],
          run: async () =>
            http('/oauth/token', {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
            }),
        },
      ],
      [1, { kind: 'portal apps', ok: [200], run: () => http('/api/portal/apps', { headers: { cookie } }) }],
      [1, { kind: 'portal page', ok: [200], run: () => http('/signin') }],
      [
        1,
        {
          kind: 'login page',
          ok: [200],
          run: () => http(`/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=http://localhost`),
        },
      ],
      [1, { kind: 'health', ok: [200], run: () => http('/health') }],
    ];
    const total = ops.reduce((n, [w]) => n + w, 0);
    const pick = (): Op => {
      let x = Math.random() * total;
      for (const [w, op] of ops) if ((x -= w) < 0) return op;
      return ops[0]![1];
    };
    // Seed a few RFIs so shows have targets.
    for (let i = 0; i < 5; i++) {
      const r = await ops.find(([, o]) => o.kind === 'create rfi')![1].run();
      rfiIds.push(((await r.json()) as { id: number }).id);
    }

    started = Date.now();
    const deadline = started + seconds * 1000;
    report.warmupSeconds = Math.min(30, Math.max(10, Math.round(seconds * 0.2)));
    const rss: { t: number; mb: number }[] = [];
    const latencies: { t: number; ms: number }[] = [];
    const sampler = setInterval(() => {
      try {
        rss.push({ t: Date.now() - started, mb: rssMb(server.pid) });
      } catch {
        /* process gone: reported below */
      }
    }, 1000);
    const client = async () => {
      while (Date.now() < deadline) {
        const op = pick();
        const t0 = performance.now();
        try {
          const res = await op.run();
          const body = await res.text();
          latencies.push({ t: Date.now() - started, ms: performance.now() - t0 });
          report.requests++;
          report.byKind[op.kind] = (report.byKind[op.kind] ?? 0) + 1;
          if (res.status === 429) report.rateLimited++;
          else if (!op.ok.includes(res.status)) {
            report.errorCount++;
            if (report.errors.length < 20) report.errors.push(`${op.kind}: ${res.status} ${body.slice(0, 200)}`);
          } else if (op.kind === 'create rfi') rfiIds.push((JSON.parse(body) as { id: number }).id);
          else if (op.kind === 'token grant') token = (JSON.parse(body) as { access_token: string }).access_token;
        } catch (err) {
          report.errorCount++;
          if (report.errors.length < 20) report.errors.push(`${op.kind}: ${String(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.clients ?? 6 }, client));
    clearInterval(sampler);
    if (server.child.exitCode !== null || server.child.signalCode !== null) report.errors.push(`server exited: ${server.stderr()}`);
    const w = report.warmupSeconds * 1000;
    report.rssStartMb = median(rss.filter((s) => s.t >= w && s.t < w + 10_000).map((s) => s.mb));
    report.rssEndMb = median(rss.filter((s) => s.t >= seconds * 1000 - 10_000).map((s) => s.mb));
    report.rssMaxMb = Math.max(0, ...rss.map((s) => s.mb));
    // Full collections come every 10–20 s under this load: 40 s windows, else the nearest one.
    const after = heap.filter((s) => s.t >= w);
    const early = after.filter((s) => s.t < w + 40_000);
    const last = after.filter((s) => s.t >= seconds * 1000 - 40_000);
    report.fullGcs = after.length;
    report.heapStartMb = median((early.length ? early : after.slice(0, 1)).map((s) => s.mb));
    report.heapEndMb = median((last.length ? last : after.slice(-1)).map((s) => s.mb));
    const tenth = seconds * 100;
    report.p50FirstMs = median(latencies.filter((l) => l.t >= w && l.t < w + tenth).map((l) => l.ms));
    report.p50LastMs = median(latencies.filter((l) => l.t >= seconds * 1000 - tenth).map((l) => l.ms));
  } finally {
    await dispatcher.close();
    await server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
