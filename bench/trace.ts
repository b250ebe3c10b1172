/**
 * Which SQL one request runs, and how long each statement takes (SQLite, in this process):
 * `node --import tsx bench/trace.ts <db> <key-file> <token> <company-id> <url-path> [repeats]`
 * on a database kept by `BENCH_PREPARE_ONLY=1 npm run bench`.
 */
import SQLite from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { createRuntime } from '../src/server/runtime.js';
import { defaultSettings } from '../src/context/settings.js';

const [db, keyFile, token, companyId, path, repeats] = process.argv.slice(2);
if (!db || !keyFile || !token || !companyId || !path) throw new Error('usage: trace.ts <db> <key-file> <token> <company-id> <path> [n]');
const probe = new SQLite(':memory:');
const Statement = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
probe.close();
const log: { sql: string; us: number }[] = [];
let on = false;
for (const m of ['all', 'get', 'run', 'iterate'] as const) {
  const orig = Statement[m]!;
  Statement[m] = function (this: { source: string }, ...a: unknown[]) {
    const t = performance.now();
    const r = orig.apply(this, a);
    if (on) log.push({ sql: this.source, us: Math.round((performance.now() - t) * 1000) });
    return r;
  };
}
const rt = await createRuntime({
  db,
  keyFile,
  settings: defaultSettings({ rateLimit: { hourly: 1e9, spike: 1e9, enabled: true } }),
});
const headers = { authorization: `Bearer ${token}`, 'procore-company-id': companyId };
const n = Number(repeats ?? 200);
for (let i = 0; i < 50; i++) await rt.sandboxApp.inject({ url: path, headers });
const t = performance.now();
for (let i = 0; i < n; i++) await rt.sandboxApp.inject({ url: path, headers });
const perReq = ((performance.now() - t) * 1000) / n;
on = true;
const res = await rt.sandboxApp.inject({ url: path, headers });
on = false;
console.log(`status ${res.statusCode}, ${res.body.length} bytes, ${perReq.toFixed(0)} µs per inject (wall)`);
for (const q of log) console.log(`${String(q.us).padStart(6)} µs  ${q.sql.slice(0, 220)}`);
await rt.close();
