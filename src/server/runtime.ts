/**
 * Opens storage, runs migrations, ensures the default developer and app, and builds both
 * environments' apps. `startServer()` then listens; the Node library and the CLI share this.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { ensureAdminKey } from '../admin/key.js';
import { AdjustableClock } from '../core/clock.js';
import { SecretBox } from '../core/crypto.js';
import { describeDbTarget, openDatabase, parseDbTarget, type DbTarget } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { ensureDefaultSetup, type DefaultSetup } from '../services/developers.js';
import { buildApp } from './app.js';
import { registerLazyLocalApp } from '../explorer/local.js';
import type { AppContext } from '../context/context.js';
import { defaultSettings, type Settings } from '../context/settings.js';

export const DEFAULT_DATA_DIR = '.procore-sandbox';
export const DEFAULT_DB_FILE = join(DEFAULT_DATA_DIR, 'sandbox.db');

export interface RuntimeOptions {
  /** `--db`: file path, `:memory:` or `postgres://…`. */
  db: string;
  /**
   * Where the server key lives (32 random bytes, created on first use). Default: `server.key`
   * beside a SQLite file, or `.procore-sandbox/server.key`. `:memory:` databases use a fresh
   * key. The `PROCORE_SANDBOX_KEY` environment variable (64 hex chars) wins over the file.
   */
  keyFile?: string;
  settings?: Settings;
  clock?: AdjustableClock;
  logger?: FastifyServerOptions['logger'];
  /** Create the default developer and app on an empty database (default true). */
  bootstrap?: boolean;
  /** Admin API key (`--admin-key`); default: generated on first start and stored sealed. */
  adminKey?: string;
}

export interface Runtime {
  ctx: AppContext;
  target: DbTarget;
  databaseDescription: string;
  setup: DefaultSetup | null;
  /** Bearer key of the admin API (`/__admin/`). */
  adminKey: string;
  sandboxApp: FastifyInstance;
  productionApp: FastifyInstance;
  close(): Promise<void>;
}

export function loadServerKey(target: DbTarget, keyFile: string | undefined, env = process.env): Buffer {
  const fromEnv = env['PROCORE_SANDBOX_KEY'];
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'hex');
    if (key.length !== 32) throw new Error('PROCORE_SANDBOX_KEY must be 64 hex characters');
    return key;
  }
  if (!keyFile && target.engine === 'sqlite' && target.filename === ':memory:') return SecretBox.generateKey();
  const path = resolve(
    keyFile ?? (target.engine === 'sqlite' ? join(dirname(target.filename), 'server.key') : join(DEFAULT_DATA_DIR, 'server.key')),
  );
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length !== 32) throw new Error(`${path}: expected 64 hex characters`);
    return key;
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = SecretBox.generateKey();
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  return openRuntime(options, false);
}

/** `deferProduction`: leave `productionApp` to the caller (startServer builds it after the sandbox listens). */
async function openRuntime(options: RuntimeOptions, deferProduction: boolean): Promise<Runtime> {
  const target = parseDbTarget(options.db);
  const key = loadServerKey(target, options.keyFile);
  const opened = openDatabase(target);
  try {
    await migrateToLatest(opened.db);
    const ctx: AppContext = {
      db: opened.db,
      engine: target.engine,
      clock: options.clock ?? new AdjustableClock(),
      secrets: new SecretBox(key),
      settings: options.settings ?? defaultSettings(),
    };
    const setup = options.bootstrap === false ? null : await ensureDefaultSetup(ctx);
    const adminKey = await ensureAdminKey(ctx, options.adminKey);
    const sandboxApp = await buildApp({ ctx, environment: 'sandbox', logger: options.logger });
    const runtime: Runtime = {
      ctx,
      target,
      databaseDescription: describeDbTarget(target),
      setup,
      adminKey,
      sandboxApp,
      productionApp: undefined as unknown as FastifyInstance,
      async close() {
        await Promise.allSettled([sandboxApp.close(), runtime.productionApp?.close()]);
        await opened.close();
      },
    };
    if (!deferProduction) runtime.productionApp = await buildApp({ ctx, environment: 'production', logger: options.logger });
    return runtime;
  } catch (err) {
    await opened.close();
    throw err;
  }
}

export interface ListenOptions {
  host: string;
  port: number;
  productionPort: number;
}

export interface RunningServer extends Omit<Runtime, 'productionApp'> {
  /** The production environment's listener and its app, built on first use. */
  production: LazyApp;
  /** Base URL of the sandbox environment, e.g. `http://127.0.0.1:4000`. */
  sandboxUrl: string;
  productionUrl: string;
}

function urlOf(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `http://${h}:${port}`;
}

/**
 * The production environment's listener: it listens at once, and its app is built on the first
 * request to it (which waits for the build, ~150 ms), never before. Building it eagerly after
 * the sandbox listened held the sandbox's first answer back by as much, since a build does not
 * yield to the event loop (docs/decisions/0003-fast-path.md).
 */
export interface LazyApp {
  server: Server;
  /** The app, built now if no request has built it yet. */
  app(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export function lazyListener(build: (serverFactory: FastifyServerOptions['serverFactory']) => Promise<FastifyInstance>): LazyApp {
  const server = createServer();
  const queued: [IncomingMessage, ServerResponse][] = [];
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  let building: Promise<FastifyInstance> | null = null;
  const app = () =>
    (building ??= (async () => {
      let fastifyHandler: typeof handler = null;
      const instance = await build((h, options) => {
        fastifyHandler = h as typeof handler;
        const opts = options as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
        // What Fastify sets on a server it creates itself (fastify/lib/server.js).
        server.keepAliveTimeout = opts.keepAliveTimeout ?? 5_000;
        server.requestTimeout = opts.requestTimeout ?? 0;
        if (opts.connectionTimeout) server.setTimeout(opts.connectionTimeout);
        return server as never;
      });
      handler = fastifyHandler;
      for (const [req, res] of queued.splice(0)) handler!(req, res);
      return instance;
    })().catch((err: unknown) => {
      for (const [, res] of queued.splice(0)) {
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'The production environment could not start' }));
      }
      throw err;
    }));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (handler) return handler(req, res);
    queued.push([req, res]);
    app().catch(() => {});
  });
  return {
    server,
    app,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (building) await (await building.catch(() => null))?.close();
      await closed;
    },
  };
}

/**
 * Opens the runtime and listens: the sandbox environment as soon as it is built, the
 * production environment at once too, its app built on first use (`lazyListener`).
 */
export async function startServer(options: RuntimeOptions & ListenOptions): Promise<RunningServer> {
  const runtime = await openRuntime(options, true);
  const production = lazyListener((serverFactory) =>
    buildApp({ ctx: runtime.ctx, environment: 'production', logger: options.logger, serverFactory }),
  );
  registerLazyLocalApp(runtime.ctx, 'production', production);
  const close = runtime.close;
  runtime.close = async () => {
    await production.close();
    await close();
  };
  try {
    await runtime.sandboxApp.listen({ host: options.host, port: options.port });
    const sandboxPort = (runtime.sandboxApp.server.address() as { port: number }).port;
    // Port 0 for the sandbox means "any free port" for production too.
    const productionPort = options.port === 0 ? 0 : options.productionPort;
    await new Promise<void>((resolve, reject) => {
      production.server.once('error', reject);
      production.server.listen({ host: options.host, port: productionPort }, () => {
        production.server.off('error', reject);
        resolve();
      });
    });
    const prodPort = (production.server.address() as { port: number }).port;
    const { productionApp: _unbuilt, ...rest } = runtime;
    return { ...rest, production, sandboxUrl: urlOf(options.host, sandboxPort), productionUrl: urlOf(options.host, prodPort) };
  } catch (err) {
    await runtime.close();
    throw err;
  }
}
