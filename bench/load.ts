/**
 * One load run against a loopback URL: wrk when installed (pinned to its own core with
 * `taskset` when the machine has two), else autocannon in this process. Both report requests
 * per second, p50/p99 latency and non-2xx answers.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  seconds: number;
  connections: number;
}

export interface LoadResult {
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /**
   * Server CPU time (user + system) per request in microseconds, from /proc over the measured
   * run: steadier than req/s on a machine shared with other work.
   */
  cpuUsPerReq: number | null;
}

export const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p)) ?? null;
export const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p)) ?? null;
/** Cores: the server gets core 0, the load generator core 1 (when there are two). */
export const PINNED = TASKSET !== null && cpus().length >= 2;

/** `taskset -c <core>` prefix for a command, or nothing when pinning is unavailable. */
export function pinned(core: number, cmd: string, args: string[]): [string, string[]] {
  return PINNED ? [TASKSET!, ['-c', String(core), cmd, ...args]] : [cmd, args];
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: cannot read latency ${text}`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

/** Parses wrk's `--latency` report. */
export function parseWrk(out: string): LoadResult {
  const num = (re: RegExp) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : 0;
  };
  const p50 = /^\s+50%\s+(\S+)/m.exec(out);
  const p99 = /^\s+99%\s+(\S+)/m.exec(out);
  if (!p50 || !p99) throw new Error(`wrk: unexpected output\n${out}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    reqPerSec: Math.round(num(/Requests\/sec:\s+([\d.]+)/)),
    p50ms: +toMs(p50[1] as string).toFixed(3),
    p99ms: +toMs(p99[1] as string).toFixed(3),
    requests: num(/(\d+) requests in/),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    errors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    cpuUsPerReq: null,
  };
}

function luaString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

async function runWrk(spec: LoadSpec, scratch: string): Promise<LoadResult> {
  const script = join(scratch, 'wrk-request.lua');
  const lines = [`wrk.method = ${luaString(spec.method ?? 'GET')}`];
  for (const [k, v] of Object.entries(spec.headers ?? {})) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  if (spec.body !== undefined) lines.push(`wrk.body = ${luaString(spec.body)}`);
  writeFileSync(script, `${lines.join('\n')}\n`);
  const args = ['-t1', `-c${spec.connections}`, `-d${spec.seconds}s`, '--latency', '--timeout', '5s', '-s', script, spec.url];
  const [cmd, argv] = pinned(1, WRK!, args);
  const out = await new Promise<string>((resolve, reject) => {
    execFile(cmd, argv, { maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
  return parseWrk(out);
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const r = await autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: spec.seconds,
  });
  return {
    reqPerSec: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    cpuUsPerReq: null,
  };
}

/** CPU seconds (user + system) a process has used so far, or null off Linux. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A 1-second warm-up (JIT, caches) and then the measured run; `pid`: the server, for CPU/request. */
export async function load(spec: LoadSpec, scratch: string, pid?: number): Promise<LoadResult> {
  const once = (s: LoadSpec) => (WRK ? runWrk(s, scratch) : runAutocannon(s));
  await once({ ...spec, seconds: 1 });
  const before = pid === undefined ? null : cpuSecondsOf(pid);
  const result = await once(spec);
  const after = pid === undefined ? null : cpuSecondsOf(pid);
  if (before !== null && after !== null && result.requests > 0)
    result.cpuUsPerReq = +(((after - before) * 1e6) / result.requests).toFixed(1);
  return result;
}

export const LOAD_TOOL = WRK ? `wrk (1 thread${PINNED ? ', core 1' : ''})` : 'autocannon (in the bench process)';
