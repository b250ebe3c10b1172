/**
 * Vitest global setup: makes a throwaway PostgreSQL cluster available to the storage suites.
 * `.ci/run` starts one and sets PROCORE_SANDBOX_TEST_PG; for a plain `npm test` this starts one
 * itself when PostgreSQL's binaries are installed (/usr/lib/postgresql/<v>/bin). Without them the
 * PostgreSQL suites report themselves skipped by name.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

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

export default async function setup(): Promise<(() => void) | undefined> {
  // Set by .ci/run (a cluster it started), or `off` to skip the PostgreSQL suites.
  if (process.env['PROCORE_SANDBOX_TEST_PG']) return undefined;
  const bin = findPgBin();
  if (!bin) return undefined;
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'procore-sandbox-pg-'));
  chmodSync(dir, 0o777);
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-w',
      'start',
    ]);
  } catch (err) {
    process.stderr.write(`PostgreSQL test cluster did not start; PostgreSQL suites will be skipped: ${String(err)}\n`);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  process.env['PROCORE_SANDBOX_TEST_PG'] = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
