/**
 * Cached answers of declared read operations — lists, shows, `/me` — (SQLite): the serialized
 * body and the headers the handler set (`Total`, `Per-Page`, `Link`), reused while nothing they
 * were built from can have changed. See docs/decisions/0003-fast-path.md ("Third pass").
 *
 * An answer is a function of the database, the request (URL with its query, origin, prefix),
 * who asks (sandbox, user, company, app, admin and service-account flags, environment) and the
 * clocks (ISO timestamps and dates, signed-URL expiries: second granularity at most). So an
 * entry is keyed by the request and the caller and is valid only while
 * - the database's change stamp (`changeStamp` in src/db/connect.ts) is the one the request
 *   read when its bearer was checked (before any of the handler's reads; `request.dbStamp`)
 *   and the one read again after the answer was built: any write by this process (any
 *   connection, committed or not) changes it at once, a commit by another process within
 *   STAMP_POLL_MS (1 ms), so a process reads its own writes and sees others' within that bound;
 * - the sandbox's clock and the server clock are in the same second as when it was built.
 * PostgreSQL has no such stamp without a round trip per request and a trigger on every table:
 * there nothing is cached. Bounded: MAX_ENTRIES entries and MAX_BYTES of bodies in all, least
 * recently used dropped first.
 */
import type { FastifyReply } from 'fastify';
import { changeStamp } from '../../db/connect.js';
import type { ApiContext } from '../resource.js';

const MAX_ENTRIES = 2_000;
const MAX_BYTES = 32 * 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

interface Entry {
  stamp: string;
  sandboxSecond: number;
  serverSecond: number;
  /** The UTF-8 bytes: a hit writes them as they are (a string would be encoded on every write). */
  body: Buffer;
  headers: [string, string][];
}

const caches = new WeakMap<object, { entries: Map<string, Entry>; bytes: number }>();
let enabled = true;

/** Tests: turn the cache off (and empty it) to compare answers with and without it. */
export function setPageCacheEnabled(on: boolean): void {
  enabled = on;
}

function keyOf(c: ApiContext): string {
  const a = c.auth;
  const who = `${a.environment}:${a.sandboxId}:${a.userId}:${a.companyId}:${a.appId}:${a.isCompanyAdmin ? 1 : 0}${a.isServiceAccount ? 1 : 0}`;
  return `${c.request.method} ${c.prefix} ${c.origin} ${c.request.url}\n${who}`;
}

function seconds(c: ApiContext): [number, number] {
  return [Math.floor(c.nowMs() / 1000), Math.floor(c.ctx.clock.nowMs() / 1000)];
}

/**
 * Answers from the cache or runs `handler` and keeps its answer; `status` is the operation's
 * success status. Returns the reply (sent) either way.
 */
export async function cachedAnswer(c: ApiContext, status: number, handler: () => Promise<unknown>): Promise<FastifyReply> {
  const reply = c.reply;
  // Read when the bearer was checked, before any of the handler's reads.
  const stamp = enabled ? c.request.dbStamp : null;
  if (stamp === null) return reply.code(status).send(await handler());
  let store = caches.get(c.db);
  if (!store) caches.set(c.db, (store = { entries: new Map(), bytes: 0 }));
  const cache = store.entries;
  const key = keyOf(c);
  const [sandboxSecond, serverSecond] = seconds(c);
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp && hit.sandboxSecond === sandboxSecond && hit.serverSecond === serverSecond) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    for (const [k, v] of hit.headers) reply.header(k, v);
    return reply.code(status).type(JSON_TYPE).send(hit.body);
  }
  const before = reply.getHeaders();
  const result = await handler();
  reply.code(status);
  // The route's own serializer (what `send(result)` would run), so the bytes are the same.
  const body = reply.serialize(result) as string;
  const after = seconds(c);
  const headers: [string, string][] = [];
  let plain = typeof body === 'string';
  const now = reply.getHeaders();
  for (const k of Object.keys(before)) if (!(k in now)) plain = false;
  for (const [k, v] of Object.entries(now)) {
    if (before[k] === v) continue;
    if (typeof v === 'string') headers.push([k, v]);
    else plain = false; // a header this cache would not replay as it was: keep nothing
  }
  if (plain && changeStamp(c.db) === stamp && after[0] === sandboxSecond && after[1] === serverSecond) {
    if (hit) {
      cache.delete(key);
      store.bytes -= hit.body.length;
    }
    const bytes = Buffer.from(body);
    cache.set(key, { stamp, sandboxSecond, serverSecond, body: bytes, headers });
    store.bytes += bytes.length;
    while ((cache.size > MAX_ENTRIES || store.bytes > MAX_BYTES) && cache.size) {
      const [oldest, entry] = cache.entries().next().value as [string, Entry];
      cache.delete(oldest);
      store.bytes -= entry.body.length;
    }
  }
  return reply.type(JSON_TYPE).send(body);
}
