/**
 * Which apps of this process serve which environment, so the explorer proxy sends requests to
 * this server in-process (`app.inject`) instead of over a socket: `buildApp()` registers every
 * environment's app here, and `selfTarget()` answers whether a URL is this server.
 *
 * "This server" is: the origin the browser used to reach the explorer, or a loopback host
 * (`localhost`, `127.0.0.0/8`, `::1`) or the same host name on a port one of this process's
 * environments listens on. Any other port on the same machine is not this server (PostgreSQL,
 * an admin port…) and is refused like any private address.
 */
import type { Server } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Environment } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import { isLocalhostName, isLoopbackAddress, unbracket } from './proxy/addresses.js';

const apps = new WeakMap<AppContext, Map<Environment, FastifyInstance>>();

/** Called by `buildApp()` for each environment. */
export function registerLocalApp(app: FastifyInstance): void {
  let byEnv = apps.get(app.ctx);
  if (!byEnv) apps.set(app.ctx, (byEnv = new Map()));
  byEnv.set(app.environment, app);
}

/** An environment that listens before its app is built (src/server/runtime.ts `lazyListener`). */
export interface LazyLocalApp {
  server: Server;
  app(): Promise<FastifyInstance>;
}
const lazies = new WeakMap<AppContext, Map<Environment, LazyLocalApp>>();

/** Called by `startServer()` for the production environment, built on first use. */
export function registerLazyLocalApp(ctx: AppContext, environment: Environment, lazy: LazyLocalApp): void {
  let byEnv = lazies.get(ctx);
  if (!byEnv) lazies.set(ctx, (byEnv = new Map()));
  byEnv.set(environment, lazy);
}

function listeningPort(app: { server?: Server }): number | null {
  const address = app.server?.listening ? app.server.address() : null;
  return address && typeof address === 'object' ? address.port : null;
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

const isLoopbackHost = (h: string) => isLocalhostName(h) || isLoopbackAddress(h);

/**
 * A resolver for the proxy: the in-process app for a URL of this server (a promise while an
 * environment's app is still to be built), else null.
 */
export function selfTarget(
  request: FastifyRequest,
  current: FastifyInstance,
): (url: URL) => FastifyInstance | Promise<FastifyInstance> | null {
  const byEnv = apps.get(current.ctx) ?? new Map<Environment, FastifyInstance>([[current.environment, current]]);
  const requestHost = unbracket(request.hostname).toLowerCase();
  const requestPort = request.port ?? (request.protocol === 'https' ? 443 : 80);
  return (url) => {
    const host = unbracket(url.hostname).toLowerCase().replace(/\.$/, '');
    if (host !== requestHost && !isLoopbackHost(host)) return null;
    const port = portOf(url);
    if (host === requestHost && port === requestPort && url.protocol === `${request.protocol}:`) return current;
    if (url.protocol !== 'http:') return null;
    for (const app of byEnv.values()) if (listeningPort(app) === port) return app;
    for (const lazy of lazies.get(current.ctx)?.values() ?? []) if (listeningPort(lazy) === port) return lazy.app();
    return null;
  };
}
