/**
 * Several server processes on one database, driven alike: a `Node` is one environment of one
 * server, reached by `app.inject()` (an in-process runtime with its own connection pool) or by
 * HTTP (a real second OS process started with `spawnServer`).
 *
 * Run directly (`node --import tsx test/helpers/multi.ts`) this file is that second process: it
 * reads `{db, keyFile, settings}` from PROCORE_SANDBOX_MULTI, listens on free ports, prints one
 * JSON line `{"sandboxUrl","productionUrl"}` and exits when its stdin closes or on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Settings } from '../../src/context/settings.js';

export interface NodeResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface NodeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (sets Content-Type) … */
  json?: unknown;
  /** … or an urlencoded form. */
  form?: Record<string, string>;
}

export interface Node {
  name: string;
  request(req: NodeRequest): Promise<NodeResponse>;
}

function encodeBody(req: NodeRequest): { headers: Record<string, string>; body: string | undefined } {
  const headers = { ...req.headers };
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    return { headers, body: JSON.stringify(req.json) };
  }
  if (req.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return { headers, body: new URLSearchParams(req.form).toString() };
  }
  return { headers, body: undefined };
}

function response(status: number, headers: Record<string, string | undefined>, body: string): NodeResponse {
  return {
    status,
    headers,
    body,
    json<T>() {
      return JSON.parse(body) as T;
    },
  };
}

/** An in-process server environment, reached with `inject()`. */
export function injectNode(name: string, app: FastifyInstance): Node {
  return {
    name,
    async request(req) {
      const { headers, body } = encodeBody(req);
      const res = await app.inject({ method: req.method, url: req.url, headers, ...(body === undefined ? {} : { payload: body }) });
      const flat: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v);
      return response(res.statusCode, flat, res.body);
    },
  };
}

/** A server environment in another process, reached over HTTP. */
export function httpNode(name: string, baseUrl: string): Node {
  return {
    name,
    async request(req) {
      const { headers, body } = encodeBody(req);
      const res = await fetch(new URL(req.url, baseUrl), { method: req.method, headers, body, redirect: 'manual' });
      const flat: Record<string, string | undefined> = {};
      res.headers.forEach((v, k) => (flat[k] = v));
      return response(res.status, flat, await res.text());
    },
  };
}

export interface ChildConfig {
  db: string;
  keyFile: string;
  settings?: Settings;
}

export interface ChildServer {
  pid: number;
  sandboxUrl: string;
  productionUrl: string;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

/** Starts a second server process (`node --import tsx`) on the given database and key. */
export async function spawnServer(config: ChildConfig, timeoutMs = 20_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], {
    env: { ...process.env, PROCORE_SANDBOX_MULTI: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = await new Promise<{ sandboxUrl: string; productionUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process not ready after ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as { sandboxUrl: string; productionUrl: string });
      } catch {
        reject(new Error(`unexpected output from server process: ${line} ${stderr}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited with ${code}: ${stderr}`));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGTERM');
    await exited;
    throw err;
  });

  return {
    pid: child.pid!,
    ...ready,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function main(): Promise<void> {
  const raw = process.env['PROCORE_SANDBOX_MULTI'];
  if (!raw) throw new Error('PROCORE_SANDBOX_MULTI is not set');
  const config = JSON.parse(raw) as ChildConfig;
  const { startServer } = await import('../../src/server/runtime.js');
  const server = await startServer({
    db: config.db,
    keyFile: config.keyFile,
    ...(config.settings ? { settings: config.settings } : {}),
    host: '127.0.0.1',
    port: 0,
    productionPort: 0,
  });
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.stdin.on('end', shutdown).resume();
  process.stdout.write(`${JSON.stringify({ sandboxUrl: server.sandboxUrl, productionUrl: server.productionUrl })}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
