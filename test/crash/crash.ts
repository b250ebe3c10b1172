/**
 * Crash safety (docs/testing.md; the invariant of PostgreSQL's recovery/t/013_crash_restart.pl):
 * the real server process (`bin/procore-sandbox.mjs start`) takes concurrent RFI and submittal
 * creates; at a random moment it gets SIGKILL; it is restarted on the same database and every
 * write it had acknowledged (a 2xx received) must be there, whole, while writes in flight at the
 * kill are all-or-nothing (an RFI always with its question). SQLite also passes
 * `PRAGMA integrity_check` after each kill. Then the server must take writes again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { startCliServer, type CliServer } from '../helpers/cli-server.js';
import { freshPostgresDatabase, type EngineName } from '../helpers/runtime.js';

export interface CrashReport {
  engine: EngineName;
  rounds: number;
  acknowledged: number;
  /** Writes in flight at a kill that turned out committed (allowed: all-or-nothing). */
  inFlightCommitted: number;
  checked: number;
  failures: string[];
  durationMs: number;
}

interface Ack {
  kind: 'rfi' | 'submittal';
  id: number;
  marker: string;
}

/** A small seeded PRNG (mulberry32), so a failing round can be replayed with CRASH_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runCrashRounds(
  engine: EngineName,
  rounds: number,
  options: { writers?: number; seed?: number } = {},
): Promise<CrashReport> {
  const started = Date.now();
  const seed = options.seed ?? (Number(process.env['CRASH_SEED']) || Date.now() % 2 ** 31);
  const rand = prng(seed);
  const writers = options.writers ?? 8;
  const dir = mkdtempSync(join(tmpdir(), `procore-sandbox-crash-${engine}-`));
  const db = engine === 'sqlite' ? join(dir, 'sandbox.db') : await freshPostgresDatabase();
  const keyFile = join(dir, 'server.key');
  const report: CrashReport = { engine, rounds: 0, acknowledged: 0, inFlightCommitted: 0, checked: 0, failures: [], durationMs: 0 };
  const acked: Ack[] = [];
  const fail = (m: string) => report.failures.push(`[${engine} seed ${seed} round ${report.rounds}] ${m}`);

  let server: CliServer = await startCliServer({ db, keyFile, args: ['--no-rate-limit'] });
  const { clientId, clientSecret, companyId, projectId } = server;
  if (!clientId || !clientSecret || !companyId || !projectId) throw new Error(`banner without credentials:\n${server.banner}`);

  const tokenRes = await fetch(`${server.sandboxUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  if (tokenRes.status !== 200) throw new Error(`token: ${tokenRes.status} ${await tokenRes.text()}`);
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const headers = { authorization: `Bearer ${token}`, 'procore-company-id': String(companyId), 'content-type': 'application/json' };
  const api = (base: string) => `${base}/rest/v1.0/projects/${projectId}`;
  const usersRes = await fetch(`${api(server.sandboxUrl)}/users`, { headers });
  const users = (await usersRes.json()) as { id: number }[];
  const managerId = users[0]?.id;
  if (!managerId) throw new Error(`no project users: ${usersRes.status}`);

  const bodyOf = (kind: Ack['kind'], marker: string) =>
    kind === 'rfi'
      ? { rfi: { subject: marker, rfi_manager_id: managerId, question: { body: `${marker}:question` } } }
      : { submittal: { number: marker.slice(-40), title: marker, description: `${marker}:description` } };

  try {
    for (let round = 1; round <= rounds; round++) {
      report.rounds = round;
      const base = server.sandboxUrl;
      const inFlight = new Map<string, Ack['kind']>();
      let stop = false;
      let seq = 0;
      const writer = async (w: number) => {
        while (!stop) {
          const kind: Ack['kind'] = (seq + w) % 3 === 0 ? 'submittal' : 'rfi';
          const marker = `crash-${seed}-r${round}-w${w}-${seq++}`;
          inFlight.set(marker, kind);
          try {
            const res = await fetch(`${api(base)}/${kind}s`, { method: 'POST', headers, body: JSON.stringify(bodyOf(kind, marker)) });
            const text = await res.text();
            if (res.status === 201) {
              const id = (JSON.parse(text) as { id: number }).id;
              acked.push({ kind, id, marker });
              report.acknowledged++;
              inFlight.delete(marker);
            } else if (!stop) {
              fail(`${kind} create answered ${res.status}: ${text.slice(0, 200)}`);
              inFlight.delete(marker);
            }
          } catch {
            // Connection reset by the kill: the write is in flight, checked as all-or-nothing.
            if (!stop) await new Promise((r) => setTimeout(r, 5));
          }
        }
      };
      const loops = Array.from({ length: writers }, (_, w) => writer(w));
      await new Promise((r) => setTimeout(r, 150 + Math.floor(rand() * 1200)));
      const how = await server.kill('SIGKILL');
      stop = true;
      await Promise.all(loops);
      if (how !== 'SIGKILL') fail(`server exited with ${how}, not by SIGKILL`);

      if (engine === 'sqlite') {
        const raw = new SQLite(db);
        try {
          const result = raw.pragma('integrity_check', { simple: true });
          if (result !== 'ok') fail(`integrity_check: ${String(result)}`);
        } finally {
          raw.close();
        }
      }

      server = await startCliServer({ db, keyFile, args: ['--no-rate-limit'] });
      const after = server.sandboxUrl;
      // Every acknowledged write (of every round so far) is intact.
      const lists = { rfi: new Map<number, Record<string, unknown>>(), submittal: new Map<number, Record<string, unknown>>() };
      for (const kind of ['rfi', 'submittal'] as const) {
        for (let page = 1; ; page++) {
          const res = await fetch(`${api(after)}/${kind}s?per_page=1000&page=${page}`, { headers });
          if (res.status !== 200) {
            fail(`list ${kind}s after restart: ${res.status} ${(await res.text()).slice(0, 200)}`);
            break;
          }
          const rows = (await res.json()) as Record<string, unknown>[];
          for (const r of rows) lists[kind].set(Number(r['id']), r);
          if (rows.length < 1000) break;
        }
      }
      for (const a of acked) {
        report.checked++;
        const row = lists[a.kind].get(a.id);
        if (!row) {
          fail(`acknowledged ${a.kind} ${a.id} (${a.marker}) is gone`);
          continue;
        }
        checkWhole(a.kind, a.marker, row, fail);
      }
      // This round's submittals in full (the list leaves out the description).
      for (const a of acked.filter((x) => x.kind === 'submittal' && x.marker.includes(`-r${round}-`))) {
        const res = await fetch(`${api(after)}/submittals/${a.id}`, { headers });
        if (res.status !== 200) fail(`show submittal ${a.id}: ${res.status}`);
        else checkWhole('submittal', a.marker, (await res.json()) as Record<string, unknown>, fail);
      }
      // Writes in flight at the kill: absent, or whole.
      const byMarker = new Map<string, [Ack['kind'], Record<string, unknown>]>();
      for (const kind of ['rfi', 'submittal'] as const)
        for (const row of lists[kind].values()) {
          const marker = String(kind === 'rfi' ? row['subject'] : row['title']);
          if (marker.startsWith('crash-')) byMarker.set(marker, [kind, row]);
        }
      for (const [marker, kind] of inFlight) {
        const hit = byMarker.get(marker);
        if (!hit) continue;
        report.inFlightCommitted++;
        checkWhole(kind, marker, hit[1], fail);
        acked.push({ kind, id: Number(hit[1]['id']), marker });
      }
      // Nothing half-written anywhere: every marked row is whole.
      for (const [marker, [kind, row]] of byMarker) checkWhole(kind, marker, row, fail);
      if (report.failures.length > 20) break;
    }
    // Writes work after the last crash restart.
    const res = await fetch(`${api(server.sandboxUrl)}/rfis`, {
      method: 'POST',
      headers,
      body: JSON.stringify(bodyOf('rfi', `crash-${seed}-final`)),
    });
    if (res.status !== 201) fail(`write after the last restart answered ${res.status}`);
  } finally {
    await server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  report.durationMs = Date.now() - started;
  return report;
}

function checkWhole(kind: Ack['kind'], marker: string, row: Record<string, unknown>, fail: (m: string) => void): void {
  if (kind === 'rfi') {
    const questions = (row['questions'] ?? []) as { body?: string }[];
    if (row['subject'] !== marker) fail(`rfi ${String(row['id'])}: subject ${JSON.stringify(row['subject'])}, expected ${marker}`);
    if (questions.length !== 1 || questions[0]?.body !== `${marker}:question`)
      fail(`rfi ${String(row['id'])} (${marker}) is half-written: questions ${JSON.stringify(questions).slice(0, 200)}`);
  } else {
    // One row: the list's title is enough; the description is checked on the show (below).
    if (row['title'] !== marker || (row['description'] !== undefined && row['description'] !== `${marker}:description`))
      fail(`submittal ${String(row['id'])} (${marker}) is not whole: ${JSON.stringify(row).slice(0, 200)}`);
  }
}
