/** The rate limiter alone: exact local windows, and windows shared by several "processes". */
import { describe, expect, it } from 'vitest';
import { HOUR_MS, RateLimiter, SPIKE_MS, type RateDecision, type RateLimitStore } from './rate-limit.js';

/** An in-memory stand-in for `rate_limit_hits` (atomic per call, like the upsert). */
function memoryStore(): RateLimitStore & { totals: Map<string, number>; calls: number } {
  const totals = new Map<string, number>();
  const store = {
    totals,
    calls: 0,
    async add(key: string, sizes: readonly number[], starts: readonly number[], hits: readonly number[]) {
      store.calls++;
      await Promise.resolve();
      return sizes.map((size, i) => {
        const k = `${key}/${size}/${starts[i]}`;
        const t = (totals.get(k) ?? 0) + hits[i]!;
        totals.set(k, t);
        return t;
      });
    },
  };
  return store;
}

const windows = (hourly: number, spike: number) => [
  { limit: hourly, sizeMs: HOUR_MS },
  { limit: spike, sizeMs: SPIKE_MS },
];
const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);

describe('RateLimiter, one process', () => {
  it('allows the spike limit, refuses the next with Retry-After, and recovers at the reset', () => {
    const limiter = new RateLimiter(windows(100, 3));
    const d = [1, 2, 3, 4].map(() => limiter.hit('app:user', T0 + 1000) as RateDecision);
    expect(d.map((x) => x.allowed)).toEqual([true, true, true, false]);
    expect(d.map((x) => x.remaining)).toEqual([2, 1, 0, 0]);
    expect(d[3]).toMatchObject({ limit: 3, resetSeconds: (T0 + SPIKE_MS) / 1000, retryAfterSeconds: 9 });
    expect((limiter.hit('app:user', T0 + SPIKE_MS) as RateDecision).allowed).toBe(true);
    expect((limiter.hit('other:user', T0 + 1000) as RateDecision).allowed).toBe(true);
  });

  it('reports the window nearest exhaustion', () => {
    const limiter = new RateLimiter(windows(5, 100));
    expect(limiter.hit('k', T0)).toMatchObject({ limit: 5, remaining: 4, resetSeconds: (T0 + HOUR_MS) / 1000 });
  });
});

describe('RateLimiter, windows shared through a store', () => {
  it('small limits are exact across processes: 40 interleaved requests, 25 allowed', async () => {
    const store = memoryStore();
    const processes = [0, 1, 2].map(() => new RateLimiter(windows(3600, 25), store));
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 40; i++) decisions.push(await processes[i % 3]!.hit('app:user', T0 + i));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
    expect(decisions.slice(25).every((d) => !d.allowed && d.retryAfterSeconds >= 1)).toBe(true);
    // Refused requests use nothing up: the shared spike total is the limit.
    await new Promise((r) => setTimeout(r, 10));
    expect(store.totals.get(`app:user/${SPIKE_MS}/${T0}`)).toBe(25);
  });

  it('large limits count locally and stay within the documented bound', async () => {
    const store = memoryStore();
    const limit = 1000;
    const batch = limit / 20;
    const processes = [0, 1, 2].map(() => new RateLimiter(windows(limit, 1e9), store));
    let allowed = 0;
    for (let i = 0; i < 1500; i++) {
      const d = await processes[i % 3]!.hit('app:user', T0 + 1);
      if (d.allowed) allowed++;
    }
    expect(allowed).toBeGreaterThanOrEqual(limit - 2 * batch);
    expect(allowed).toBeLessThanOrEqual(limit + 2 * batch);
    // Far from the limit, far fewer store calls than requests.
    expect(store.calls).toBeLessThan(700);
  });

  it('pending hits reach the store within FLUSH_MS', async () => {
    const store = memoryStore();
    const limiter = new RateLimiter(windows(1e6, 1e6), store);
    for (let i = 0; i < 10; i++) limiter.hit('k', T0);
    expect(store.calls).toBe(0);
    await new Promise((r) => setTimeout(r, 150));
    expect(store.totals.get(`k/${HOUR_MS}/${T0}`)).toBe(10);
  });
});
