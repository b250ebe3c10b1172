#!/usr/bin/env node
// `npm run audit:prod` (a step of .ci/run): `npm audit --omit=dev` must report no high or
// critical advisory except those explained in test/helpers/audit-allow.json (and in
// docs/testing.md). When the registry's audit endpoint cannot be reached or answers an error,
// the step is reported as skipped, not failed — a registry outage must not fail CI — unless
// AUDIT_REQUIRED=1. Prints one line: `audit: passed|failed|skipped — …`; exit 1 only on failed.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const allow = JSON.parse(readFileSync(new URL('./audit-allow.json', import.meta.url), 'utf8'));
const allowed = new Map(allow.advisories.map((a) => [String(a.id), a.reason]));

// AUDIT_JSON=<file> reads a saved `npm audit --json` report instead (to check this script).
const out = process.env.AUDIT_JSON
  ? { stdout: readFileSync(process.env.AUDIT_JSON, 'utf8'), stderr: '', err: null }
  : await new Promise((resolve) => {
      execFile(
        'npm',
        ['audit', '--omit=dev', '--json'],
        { cwd: root, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ err, stdout, stderr }),
      );
    });

function finish(status, message) {
  process.stdout.write(`audit: ${status} — ${message}\n`);
  process.exit(status === 'failed' ? 1 : 0);
}
const unavailable = (why) => (process.env.AUDIT_REQUIRED === '1' ? finish('failed', `${why} (AUDIT_REQUIRED=1)`) : finish('skipped', why));

let report;
try {
  report = JSON.parse(out.stdout);
} catch {
  unavailable(`npm audit gave no report (${String(out.err?.message ?? out.stderr).split('\n')[0]})`);
}
if (report.error || !report.metadata)
  unavailable(
    `the registry's audit endpoint is unavailable: ${(out.stderr.match(/npm (?:warn|error) audit [^\n]*/) ?? [JSON.stringify(report.error)])[0]}`,
  );

const bad = [];
for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
  if (v.severity !== 'high' && v.severity !== 'critical') continue;
  const ids = (v.via ?? []).filter((x) => typeof x === 'object').map((x) => String(x.source ?? x.url ?? ''));
  const unexplained = ids.length ? ids.filter((id) => !allowed.has(id)) : [name];
  if (unexplained.length) bad.push(`${name} (${v.severity}; ${unexplained.join(', ')})`);
}
const m = report.metadata.vulnerabilities;
if (bad.length) finish('failed', `unexplained high/critical advisories: ${bad.join('; ')}`);
finish(
  'passed',
  `production dependencies: ${m.critical} critical, ${m.high} high (${allowed.size} explained), ${m.moderate} moderate, ${m.low} low`,
);
