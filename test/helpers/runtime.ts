/**
 * Test runtimes: a whole server (both environments, default developer and app) on a fresh
 * SQLite `:memory:` database or a fresh PostgreSQL database, driven with `app.inject()`.
 *
 * @example
 * for (const engine of ENGINES) describe.skipIf(!engine.available)(`${engine.name}: rfis`, () => { … });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { isoSeconds } from '../../src/core/clock.js';
import { mintTokens, newGrantId } from '../../src/core/tokens.js';
import { findSandboxByApp } from '../../src/db/repos/sandboxes.js';
import { insertToken } from '../../src/db/repos/tokens.js';
import type { Environment, Row } from '../../src/db/schema.js';
import { revealCredentials, revealUserPassword, type Credentials } from '../../src/services/apps.js';
import { createRuntime, startServer, type RunningServer, type Runtime } from '../../src/server/runtime.js';
import { defaultSettings, type Settings } from '../../src/context/settings.js';

export type EngineName = 'sqlite' | 'postgres';

/** Admin URL of the throwaway PostgreSQL cluster (set by .ci/run or the vitest global setup). */
export const PG_ADMIN_URL = process.env['PROCORE_SANDBOX_TEST_PG'] === 'off' ? '' : (process.env['PROCORE_SANDBOX_TEST_PG'] ?? '');

export const ENGINES: { name: EngineName; available: boolean }[] = [
  { name: 'sqlite', available: true },
  { name: 'postgres', available: PG_ADMIN_URL !== '' },
];

/** A fresh, empty PostgreSQL database on the test cluster; returns its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  if (!PG_ADMIN_URL) throw new Error('PostgreSQL is not available (PROCORE_SANDBOX_TEST_PG unset)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function databaseUrlFor(engine: EngineName): Promise<string> {
  return engine === 'sqlite' ? ':memory:' : freshPostgresDatabase();
}

export interface TestRuntime extends Runtime {
  /** Default app's sandbox credentials. */
  credentials: Credentials;
  productionCredentials: Credentials;
  app: Row<'apps'>;
  sandbox: Row<'sandboxes'>;
  /** Seeded users' shared password. */
  userPassword: string;
  developerPassword: string;
  /** Seeded users of the default sandbox by email. */
  users: Map<string, Row<'users'>>;
  /**
   * Inserts a live access token for a user of the default sandbox without the OAuth flow
   * (default: API Support, sandbox+demo@example.com).
   */
  mintToken(options?: { email?: string; environment?: Environment; sandboxId?: number; userId?: number }): Promise<string>;
}

export async function createTestRuntime(
  options: { engine?: EngineName; db?: string; settings?: Partial<Settings> } = {},
): Promise<TestRuntime> {
  const db = options.db ?? (await databaseUrlFor(options.engine ?? 'sqlite'));
  const runtime = await createRuntime({ db, settings: defaultSettings(options.settings) });
  const setup = runtime.setup;
  if (!setup?.app) throw new Error('default app missing');
  const app = setup.app;
  const sandbox = await findSandboxByApp(runtime.ctx.db, app.id);
  const credentials = await revealCredentials(runtime.ctx, app.id, 'sandbox');
  const productionCredentials = await revealCredentials(runtime.ctx, app.id, 'production');
  if (!sandbox || !credentials || !productionCredentials) throw new Error('default sandbox missing');
  const userRows = await runtime.ctx.db.selectFrom('users').selectAll().where('sandbox_id', '=', sandbox.id).execute();
  const users = new Map(userRows.map((u) => [u.email, u]));

  async function mintToken(o: { email?: string; environment?: Environment; sandboxId?: number; userId?: number } = {}): Promise<string> {
    const environment = o.environment ?? 'sandbox';
    const sandboxId = o.sandboxId ?? sandbox!.id;
    let userId = o.userId;
    if (userId === undefined) {
      const user = await runtime.ctx.db
        .selectFrom('users')
        .select('id')
        .where('sandbox_id', '=', sandboxId)
        .where('email', '=', o.email ?? 'sandbox+demo@example.com')
        .executeTakeFirstOrThrow();
      userId = user.id;
    }
    const sb = await runtime.ctx.db.selectFrom('sandboxes').selectAll().where('id', '=', sandboxId).executeTakeFirstOrThrow();
    const cred = await runtime.ctx.db
      .selectFrom('app_credentials')
      .select('id')
      .where('app_id', '=', sb.app_id ?? -1)
      .where('environment', '=', environment)
      .executeTakeFirstOrThrow();
    const now = runtime.ctx.clock.nowMs();
    const t = mintTokens(false);
    await insertToken(runtime.ctx.db, {
      tokenHash: t.accessTokenHash,
      refreshTokenHash: null,
      credentialId: cred.id,
      environment,
      sandboxId,
      userId,
      authCodeId: null,
      grantId: newGrantId(),
      expiresAt: isoSeconds(now + runtime.ctx.settings.tokenLifetimeSeconds * 1000),
      createdAt: isoSeconds(now),
    });
    return t.accessToken;
  }

  return {
    ...runtime,
    credentials,
    productionCredentials,
    app,
    sandbox,
    userPassword: revealUserPassword(runtime.ctx, sandbox),
    developerPassword: setup.developerPassword ?? '',
    users,
    mintToken,
  };
}

export interface ListeningTestServer {
  server: RunningServer;
  credentials: Credentials;
  /** Seeded users' shared password. */
  userPassword: string;
}

/** A real listening server (both environments on free ports) on a fresh in-memory database. */
export async function startTestServer(options: { settings?: Partial<Settings> } = {}): Promise<ListeningTestServer> {
  const server = await startServer({
    db: ':memory:',
    host: '127.0.0.1',
    port: 0,
    productionPort: 0,
    settings: defaultSettings(options.settings),
  });
  const app = server.setup!.app!;
  const credentials = (await revealCredentials(server.ctx, app.id, 'sandbox'))!;
  const userPassword = revealUserPassword(server.ctx, (await findSandboxByApp(server.ctx.db, app.id))!);
  return { server, credentials, userPassword };
}

/**
 * A scratch folder (for SQLite files) and a fresh server key for a test file's suites, both
 * undone after them; returns the folder's path (set once the suites start).
 */
export function useScratchDir(prefix: string): () => string {
  const savedKey = process.env['PROCORE_SANDBOX_KEY'];
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    process.env['PROCORE_SANDBOX_KEY'] = randomBytes(32).toString('hex');
  });
  afterAll(() => {
    if (savedKey === undefined) delete process.env['PROCORE_SANDBOX_KEY'];
    else process.env['PROCORE_SANDBOX_KEY'] = savedKey;
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}
