/**
 * Procore's two rate-limit windows per app+user (procore-api.md §3.2): an hourly window and a
 * 10-second spike window, both fixed and aligned to the clock. Pure: no Fastify, no storage.
 *
 * State lives in memory per server process (one limiter per Fastify app). Several processes
 * sharing a PostgreSQL database each count separately — documented, as Procore's own limits
 * are approximate too.
 */

export interface RateLimitWindowConfig {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in milliseconds. */
  sizeMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** The window nearest exhaustion (the one that refused, when refused). */
  limit: number;
  remaining: number;
  /** Unix seconds when that window resets. */
  resetSeconds: number;
  /** Seconds until a refused caller may retry. */
  retryAfterSeconds: number;
}

interface Bucket {
  starts: number[];
  counts: number[];
}

export const HOUR_MS = 3_600_000;
export const SPIKE_MS = 10_000;

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  #lastSweep = 0;

  constructor(private readonly windows: RateLimitWindowConfig[]) {}

  /** Counts one request for `key` at `nowMs` (when allowed) and says whether it may proceed. */
  hit(key: string, nowMs: number): RateDecision {
    this.#sweep(nowMs);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { starts: this.windows.map(() => -1), counts: this.windows.map(() => 0) };
      this.#buckets.set(key, bucket);
    }
    const state = this.windows.map((w, i) => {
      const start = Math.floor(nowMs / w.sizeMs) * w.sizeMs;
      if (bucket.starts[i] !== start) {
        bucket.starts[i] = start;
        bucket.counts[i] = 0;
      }
      return { w, i, start, count: bucket.counts[i] as number };
    });
    const refused = state.filter((s) => s.count >= s.w.limit);
    if (refused.length > 0) {
      // Retry when every exhausted window has reset.
      const until = Math.max(...refused.map((s) => s.start + s.w.sizeMs));
      const worst = refused.reduce((a, b) => (a.start + a.w.sizeMs >= b.start + b.w.sizeMs ? a : b));
      return {
        allowed: false,
        limit: worst.w.limit,
        remaining: 0,
        resetSeconds: Math.ceil((worst.start + worst.w.sizeMs) / 1000),
        retryAfterSeconds: Math.max(1, Math.ceil((until - nowMs) / 1000)),
      };
    }
    for (const s of state) bucket.counts[s.i] = s.count + 1;
    // Report the window nearest exhaustion: the smallest fraction left.
    const nearest = state.reduce((a, b) => ((a.w.limit - a.count - 1) / a.w.limit <= (b.w.limit - b.count - 1) / b.w.limit ? a : b));
    return {
      allowed: true,
      limit: nearest.w.limit,
      remaining: nearest.w.limit - nearest.count - 1,
      resetSeconds: Math.ceil((nearest.start + nearest.w.sizeMs) / 1000),
      retryAfterSeconds: 0,
    };
  }

  /** Drops buckets whose every window has ended (at most once a minute). */
  #sweep(nowMs: number): void {
    if (nowMs - this.#lastSweep < 60_000) return;
    this.#lastSweep = nowMs;
    for (const [key, b] of this.#buckets) {
      if (this.windows.every((w, i) => (b.starts[i] as number) + w.sizeMs <= nowMs)) this.#buckets.delete(key);
    }
  }
}
