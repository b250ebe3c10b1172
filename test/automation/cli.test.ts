/**
 * The commands for scripts, each spawned as a process (`bin/procore-sandbox.mjs`) on a SQLite
 * file and on PostgreSQL: exit codes, `--json` output, plain output without colours off a
 * terminal, the unknown-command error. Tokens are proven by calling a server started on the
 * same database.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuild } from '../../scripts/build-server.mjs';
import { startServer, type RunningServer } from '../../src/server/runtime.js';
import { ENGINES, databaseUrlFor } from '../helpers/runtime.js';

const BIN = resolve(import.meta.dirname, '../../bin/procore-sandbox.mjs');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Result> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { ...process.env, DATABASE_URL: '', ...options.env }, timeout: 120_000 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  await ensureServerBuild();
}, 120_000);

// Every test spawns several CLI processes (each opens the database and may seed a sandbox).
describe('procore-sandbox without a known command', { timeout: 180_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'procore-cli-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('names the unknown command and lists the commands', async () => {
    for (const args of [['tokn'], ['frobnicate', '--json']]) {
      const r = await cli(args, { cwd });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`unknown command '${args[0]}'`);
      expect(r.stderr).toMatch(/start, apps, sandbox, token, collection, environment, run/);
      expect(r.stdout).toBe('');
    }
    const sub = await cli(['apps', 'rename'], { cwd });
    expect(sub.code).toBe(1);
    expect(sub.stderr).toMatch(/unknown command 'rename'/);
  });

  it('documents every command with --help', async () => {
    for (const command of [
      ['apps', 'list'],
      ['apps', 'create'],
      ['apps', 'delete'],
      ['sandbox', 'reset'],
      ['token'],
      ['collection', 'export'],
      ['environment', 'export'],
      ['run'],
    ]) {
      const r = await cli([...command, '--help'], { cwd });
      expect(r.code, command.join(' ')).toBe(0);
      expect(r.stdout).toContain('--db <url>');
      expect(r.stdout).toContain('DATABASE_URL');
    }
    const start = await cli(['start', '--help'], { cwd });
    expect(start.stdout).toMatch(/--admin-key <key>[\s\S]*PROCORE_SANDBOX_ADMIN_KEY/);
    expect(start.stdout).toContain('--no-prefer');
    expect(start.stdout).toContain('--journal-size');
  });
});

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`commands for scripts on ${engine.name}`, { timeout: 240_000 }, () => {
    let cwd: string;
    let db: string;
    let env: Record<string, string>;
    let server: RunningServer;

    beforeAll(async () => {
      cwd = mkdtempSync(join(tmpdir(), 'procore-cli-'));
      db = engine.name === 'sqlite' ? join(cwd, 'sandbox.db') : await databaseUrlFor('postgres');
      env = { DATABASE_URL: db, PROCORE_SANDBOX_KEY_FILE: join(cwd, 'server.key') };
    });
    afterAll(async () => {
      await server?.close();
      rmSync(cwd, { recursive: true, force: true });
    });

    const run = (args: string[]) => cli(args, { cwd, env });

    async function api(path: string, token: string, companyId: number) {
      return fetch(`${server.sandboxUrl}${path}`, {
        headers: { Authorization: `Bearer ${token}`, 'Procore-Company-Id': String(companyId) },
      });
    }

    it('lists and creates apps (JSON and a plain table)', async () => {
      const list = await run(['apps', 'list', '--json']);
      expect(list.code, list.stderr).toBe(0);
      const apps = JSON.parse(list.stdout).apps;
      expect(apps).toEqual([expect.objectContaining({ name: 'My Sandbox App', default: true, company_id: expect.any(Number) })]);

      const created = await run(['apps', 'create', 'CI App', '--json']);
      expect(created.code, created.stderr).toBe(0);
      const view = JSON.parse(created.stdout);
      expect(view).toMatchObject({ app: { name: 'CI App', client_id: expect.any(String), client_secret: expect.any(String) } });
      expect(view.company_id).not.toBe(apps[0].company_id);

      const table = await run(['apps', 'list']);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^ID +NAME +CLIENT ID +COMPANY ID +PROJECT ID/);
      expect(table.stdout).toContain('CI App');
      expect(table.stdout).toContain(view.app.client_id);
      expect(table.stdout).not.toContain('\u001b[');

      expect((await run(['apps', 'create', '', '--json'])).code).toBe(1);
      expect((await run(['apps', 'create'])).code).toBe(1);
    });

    it('prints working tokens for the service account and for a user, no browser', async () => {
      server = await startServer({ db, keyFile: env['PROCORE_SANDBOX_KEY_FILE'], host: '127.0.0.1', port: 0, productionPort: 0 });
      const apps = JSON.parse((await run(['apps', 'list', '--json'])).stdout).apps as {
        name: string;
        client_id: string;
        company_id: number;
      }[];
      const ci = apps.find((a) => a.name === 'CI App')!;

      const plain = await run(['token']);
      expect(plain.code, plain.stderr).toBe(0);
      const token = plain.stdout.trim();
      expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect((await api(`/rest/v1.0/projects?company_id=${apps[0]!.company_id}`, token, apps[0]!.company_id)).status).toBe(200);

      const json = await run(['token', '--user', 'sandbox+demo@example.com', '--json', '--', ci.client_id]);
      expect(json.code, json.stderr).toBe(0);
      const body = JSON.parse(json.stdout);
      expect(body).toMatchObject({
        token_type: 'bearer',
        expires_in: 5400,
        refresh_token: expect.any(String),
        created_at: expect.any(Number),
      });
      const me = await api('/rest/v1.0/me', body.access_token, ci.company_id);
      expect(me.status).toBe(200);
      expect(((await me.json()) as { login: string }).login).toBe('sandbox+demo@example.com');

      const prod = await run(['token', 'CI App', '--environment', 'production']);
      expect(prod.code).toBe(0);
      const onProd = await fetch(`${server.productionUrl}/rest/v1.0/projects?company_id=${ci.company_id}`, {
        headers: { Authorization: `Bearer ${prod.stdout.trim()}`, 'Procore-Company-Id': String(ci.company_id) },
      });
      expect(onProd.status).toBe(200);

      const nobody = await run(['token', '--user', 'nobody@example.com']);
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toMatch(/no user nobody@example.com .*sandbox\+demo@example.com/);
      const both = await run(['token', '--user', 'sandbox+demo@example.com', '--client-credentials']);
      expect(both.code).toBe(1);
      expect(both.stderr).toMatch(/cannot be used with/);
      const unknownApp = await run(['token', 'No Such App']);
      expect(unknownApp.code).toBe(1);
      expect(unknownApp.stderr).toContain('no app named or with client id "No Such App"');
      expect((await run(['token', '--environment', 'staging'])).code).toBe(1);
    });

    it('resets a sandbox to its seed, ids as on first generation', async () => {
      const apps = JSON.parse((await run(['apps', 'list', '--json'])).stdout).apps as {
        name: string;
        company_id: number;
        project_id: number;
      }[];
      const ci = apps.find((a) => a.name === 'CI App')!;
      const token = JSON.parse((await run(['token', 'CI App', '--user', 'sandbox+demo@example.com', '--json'])).stdout).access_token;
      const rfis = `/rest/v1.0/projects/${ci.project_id}/rfis`;
      const ids = async () => ((await (await api(rfis, token, ci.company_id)).json()) as { id: number }[]).map((r) => r.id);
      const seeded = await ids();
      const users = (await (await api(`/rest/v1.0/projects/${ci.project_id}/users`, token, ci.company_id)).json()) as { id: number }[];
      const add = await fetch(`${server.sandboxUrl}${rfis}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Procore-Company-Id': String(ci.company_id), 'Content-Type': 'application/json' },
        body: JSON.stringify({ rfi: { subject: 'Gone after reset', question: { body: '?' }, rfi_manager_id: users[0]!.id } }),
      });
      expect(add.status, await add.clone().text()).toBe(201);
      expect(await ids()).toHaveLength(seeded.length + 1);

      const reset = await run(['sandbox', 'reset', 'CI App', '--json']);
      expect(reset.code, reset.stderr).toBe(0);
      expect(JSON.parse(reset.stdout)).toMatchObject({
        company_id: ci.company_id,
        project_id: ci.project_id,
        reset_at: expect.any(String),
      });
      expect(await ids()).toEqual(seeded);
      const plain = await run(['sandbox', 'reset']);
      expect(plain.stdout).toMatch(/^Reset the sandbox of "My Sandbox App"/);
    });

    it('exports the collection and the environment', async () => {
      const out = join(cwd, 'collection.json');
      const file = await run(['collection', 'export', 'CI App', '-o', out, '--base-url', 'http://127.0.0.1:4999']);
      expect(file.code, file.stderr).toBe(0);
      const collection = JSON.parse(readFileSync(out, 'utf8'));
      expect(collection.info).toMatchObject({ name: 'Procore Sandbox Test Project', schema: expect.stringContaining('v2.1.0') });
      expect(JSON.stringify(collection)).toContain('http://127.0.0.1:4999');
      const stdout = await run(['environment', 'export']);
      expect(stdout.code).toBe(0);
      const environment = JSON.parse(stdout.stdout);
      expect(environment.values.map((v: { key: string }) => v.key)).toEqual(
        expect.arrayContaining(['company_id', 'project_id', 'client_id']),
      );
      expect((await run(['collection', 'export', '--base-url', 'ftp://x'])).code).toBe(1);
    });

    it('runs the collection through Newman: a line per request; exit 1 when a request fails', async () => {
      const ok = await run(['run', '--folder', 'Legacy API (/vapid)']);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      const lines = ok.stdout.split('\n').filter((l) => l.startsWith('✓') || l.startsWith('✗'));
      expect(lines).toHaveLength(11);
      expect(lines.every((l) => /^✓ 200 GET +http:\/\/127\.0\.0\.1:\d+\/vapid\//.test(l))).toBe(true);
      expect(ok.stdout).toMatch(/11 requests, 0 failed/);

      // Against the running server, with a fault on one request: exit 1, the failure named.
      const key = server.adminKey;
      await fetch(`${server.sandboxUrl}/__admin/faults`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ path: '/rest/v1.0/me', status: 500 }),
      });
      const failed = await run(['run', '--url', server.sandboxUrl, '--folder', 'REST API v1.0 (/rest/v1.0)', '--json']);
      expect(failed.code, failed.stderr).toBe(1);
      const summary = JSON.parse(failed.stdout);
      expect(summary.requests).toHaveLength(11);
      expect(summary.failed).toBe(1);
      expect(summary.requests.find((r: { name: string }) => r.name === 'Get Me')).toMatchObject({
        status: 500,
        errors: [expect.stringContaining('status is 2xx')],
      });

      const noFolder = await run(['run', '--url', server.sandboxUrl, '--folder', 'Nope']);
      expect(noFolder.code).toBe(1);
    });

    it.skipIf(!existsSync('/usr/bin/script') || engine.name !== 'sqlite')('colours its output on a terminal, unless NO_COLOR', async () => {
      // util-linux `script` gives the command a pseudo-terminal.
      const onTty = (extra: Record<string, string>) =>
        new Promise<string>((done) => {
          // CI=true as in .ci/run: Node's own colour check turns colours off under CI.
          const base: Record<string, string | undefined> = { ...process.env, ...env, TERM: 'xterm', CI: 'true', ...extra };
          if (!('NO_COLOR' in extra)) delete base['NO_COLOR'];
          delete base['FORCE_COLOR'];
          execFile(
            '/usr/bin/script',
            ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} apps list`, '/dev/null'],
            { cwd, env: base, timeout: 120_000 },
            (_err, stdout) => done(stdout),
          );
        });
      expect(await onTty({})).toContain('\u001b[');
      expect(await onTty({ NO_COLOR: '1' })).not.toContain('\u001b[');
    });

    it('colours off a terminal only with FORCE_COLOR, and NO_COLOR still wins', async () => {
      const plain = await cli(['apps', 'list'], { cwd, env: { ...env, CI: 'true', FORCE_COLOR: '' } });
      expect(plain.stdout).not.toContain('\u001b[');
      const forced = await cli(['apps', 'list'], { cwd, env: { ...env, CI: 'true', FORCE_COLOR: '1' } });
      expect(forced.stdout).toContain('\u001b[');
      const both = await cli(['apps', 'list'], { cwd, env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' } });
      expect(both.stdout).not.toContain('\u001b[');
    });

    it('deletes an app', async () => {
      const del = await run(['apps', 'delete', 'CI App', '--json']);
      expect(del.code, del.stderr).toBe(0);
      expect(JSON.parse(del.stdout)).toMatchObject({ deleted: true, name: 'CI App' });
      expect(JSON.parse((await run(['apps', 'list', '--json'])).stdout).apps).toHaveLength(1);
      const again = await run(['apps', 'delete', 'CI App']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('no app named');
    });
  });
}
