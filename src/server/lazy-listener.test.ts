import Fastify, { type FastifyServerOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyListener, type LazyApp } from './runtime.js';

const listen = (lazy: LazyApp) =>
  new Promise<string>((resolve) =>
    lazy.server.listen({ host: '127.0.0.1', port: 0 }, () =>
      resolve(`http://127.0.0.1:${(lazy.server.address() as { port: number }).port}`),
    ),
  );

let open: LazyApp | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

describe('lazyListener (the production environment built on first use)', () => {
  it('listens before any build, builds once on the first requests and answers all of them through the app', async () => {
    let builds = 0;
    open = lazyListener(async (serverFactory: FastifyServerOptions['serverFactory']) => {
      builds++;
      const app = Fastify({ serverFactory, keepAliveTimeout: 1234 });
      app.get('/ping', async () => ({ pong: builds }));
      await app.ready();
      return app;
    });
    const base = await listen(open);
    expect(builds).toBe(0);
    const answers = await Promise.all([1, 2, 3].map(() => fetch(`${base}/ping`)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await Promise.all(answers.map((r) => r.json()))).toEqual([{ pong: 1 }, { pong: 1 }, { pong: 1 }]);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect(builds).toBe(1);
    // The server options Fastify would have set on a server of its own.
    expect(open.server.keepAliveTimeout).toBe(1234);
  });

  it('answers queued requests 503 JSON when the build fails', async () => {
    open = lazyListener(async () => {
      throw new Error('no');
    });
    const base = await listen(open);
    const res = await fetch(`${base}/ping`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'The production environment could not start' });
  });

  it('closes without ever building', async () => {
    let builds = 0;
    const lazy = lazyListener(async () => {
      builds++;
      return Fastify();
    });
    await listen(lazy);
    await lazy.close();
    expect(lazy.server.listening).toBe(false);
    expect(builds).toBe(0);
  });
});
