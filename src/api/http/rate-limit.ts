/**
 * Procore's two rate-limit windows per app+user (docs/api.md, "Rate limits"): an hourly window
 * and a 10-second spike window, both fixed and aligned to the clock. Pure: no Fastify, and
 * storage only through the `RateLimitStore` it is given.
 *
 * - Without a store (SQLite: one process) the counts live in this process and are exact.
 * - With a store (PostgreSQL: several processes on one database) the windows are shared. Far
 *   from a limit a process counts locally and adds its hits to the shared rows in the background
 *   (every FLUSH_MS, or as soon as `batch` hits are pending); within one `batch` of a limit every
 *   request is added to the shared row before it is answered and the answer follows the shared
 *   total. `batch` = max(1, ⌊limit / 20⌋); a window with `batch` 1 (a limit under 40, such as the
 *   default spike window of 25) is counted in the store request by request, exactly. Error
 *   bound otherwise: with P processes a window lets through at most limit + (P − 1) × batch
 *   requests, plus those arriving during one flush round trip (docs/decisions/0003-fast-path.md).
 *   Once a process has seen a shared total at the limit it refuses locally until the window ends.
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

/** Shared counts of several processes (see `db/repos/rate-limits.ts`). */
export interface RateLimitStore {
  /**
   * Adds `hits[i]` to window `i` (`sizes[i]` ms long, starting at `starts[i]`) of `key`
   * atomically and returns every window's total after the addition.
   */
  add(key: string, sizes: readonly number[], starts: readonly number[], hits: readonly number[]): Promise<number[]>;
}

export const HOUR_MS = 3_600_000;
export const SPIKE_MS = 10_000;
/** Longest a far-from-the-limit hit stays unseen by other processes. */
export const FLUSH_MS = 100;

interface Bucket {
  key: string;
  starts: number[];
  /** Shared totals as of the last exchange with the store (this process's own hits included). */
  known: number[];
  /** Hits allowed here and not yet added to the store. */
  pending: number[];
  /** An exchange with the store in flight. */
  flushing: Promise<void> | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #batch: number[];
  readonly #sizes: number[];
  #lastSweep = 0;

  constructor(
    private readonly windows: RateLimitWindowConfig[],
    private readonly store: RateLimitStore | null = null,
  ) {
    this.#batch = windows.map((w) => Math.max(1, Math.floor(w.limit / 20)));
    this.#sizes = windows.map((w) => w.sizeMs);
  }

  /**
   * Counts one request for `key` at `nowMs` (when allowed) and says whether it may proceed.
   * Synchronous unless a shared store must be asked first (near a limit).
   */
  hit(key: string, nowMs: number): RateDecision | Promise<RateDecision> {
    this.#sweep(nowMs);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      const zeros = () => this.windows.map(() => 0);
      bucket = { key, starts: this.windows.map(() => -1), known: zeros(), pending: zeros(), flushing: null, timer: null };
      this.#buckets.set(key, bucket);
    }
    const b = bucket;
    let near = false;
    for (let i = 0; i < this.windows.length; i++) {
      const w = this.windows[i]!;
      const start = Math.floor(nowMs / w.sizeMs) * w.sizeMs;
      if (b.starts[i] !== start) {
        b.starts[i] = start;
        b.known[i] = 0;
        b.pending[i] = 0;
      }
      if (this.store && (this.#batch[i] === 1 || w.limit - (b.known[i]! + b.pending[i]!) <= this.#batch[i]!)) near = true;
    }
    if (!this.store) return this.#decideLocally(b, nowMs);
    // A shared total seen at the limit stays there until the window ends (allowed hits are
    // never taken back): refuse without asking again.
    const spent = this.#refused(b, (i) => b.known[i]! + 1);
    if (spent) return spent(nowMs);
    if (near) return this.#decideShared(b, nowMs);
    for (let i = 0; i < this.windows.length; i++) b.pending[i]! += 1;
    if (b.pending.some((p, i) => p >= this.#batch[i]!)) void this.#flush(b);
    else b.timer ??= setTimeout(() => void this.#flush(b), FLUSH_MS).unref();
    return this.#allowed(b);
  }

  /** One process: exact counts here. */
  #decideLocally(b: Bucket, nowMs: number): RateDecision {
    const refused = this.#refused(b, (i) => b.known[i]! + 1);
    if (refused) return refused(nowMs);
    for (let i = 0; i < this.windows.length; i++) b.known[i]! += 1;
    return this.#allowed(b);
  }

  /** Near a limit: this hit (and any pending ones) go to the store, which decides. */
  async #decideShared(b: Bucket, nowMs: number): Promise<RateDecision> {
    if (b.flushing) await b.flushing;
    const hits = b.pending.map((p) => p + 1);
    b.pending = b.pending.map(() => 0);
    const totals = await this.store!.add(b.key, this.#sizes, b.starts, hits);
    b.known = totals;
    const refused = this.#refused(b, (i) => totals[i]!);
    if (!refused) return this.#allowed(b);
    // A refused request does not use up any window: take it back (in the background).
    b.known = totals.map((t) => t - 1);
    void this.store!.add(
      b.key,
      this.#sizes,
      b.starts,
      this.windows.map(() => -1),
    ).catch(() => {});
    return refused(nowMs);
  }

  /** Adds the pending hits to the store and learns the shared totals. */
  #flush(b: Bucket): Promise<void> {
    if (b.timer) {
      clearTimeout(b.timer);
      b.timer = null;
    }
    if (b.flushing || b.pending.every((p) => p === 0)) return b.flushing ?? Promise.resolve();
    const hits = b.pending;
    const starts = [...b.starts];
    b.pending = b.pending.map(() => 0);
    b.flushing = this.store!.add(b.key, this.#sizes, starts, hits)
      .then((totals) => {
        // Only if the windows have not moved on meanwhile; pending hits stay on top.
        totals.forEach((t, i) => {
          if (b.starts[i] === starts[i]) b.known[i] = t;
        });
      })
      .catch(() => {
        // The store is unreachable: keep the hits pending, to be added on the next exchange.
        hits.forEach((h, i) => {
          if (b.starts[i] === starts[i]) b.pending[i]! += h;
        });
      })
      .finally(() => {
        b.flushing = null;
        if (b.pending.some((p) => p > 0)) b.timer ??= setTimeout(() => void this.#flush(b), FLUSH_MS).unref();
      });
    return b.flushing;
  }

  /** A refusal builder when some window's `count(i)` exceeds its limit, else null. */
  #refused(b: Bucket, count: (i: number) => number): ((nowMs: number) => RateDecision) | null {
    let until = 0;
    let worst = -1;
    for (let i = 0; i < this.windows.length; i++) {
      if (count(i) <= this.windows[i]!.limit) continue;
      const end = b.starts[i]! + this.windows[i]!.sizeMs;
      if (worst < 0 || end > until) worst = i;
      until = Math.max(until, end);
    }
    if (worst < 0) return null;
    return (nowMs) => ({
      allowed: false,
      limit: this.windows[worst]!.limit,
      remaining: 0,
      resetSeconds: Math.ceil((b.starts[worst]! + this.windows[worst]!.sizeMs) / 1000),
      // Retry when every exhausted window has reset.
      retryAfterSeconds: Math.max(1, Math.ceil((until - nowMs) / 1000)),
    });
  }

  /** An allowed answer: the window nearest exhaustion (smallest fraction left). */
  #allowed(b: Bucket): RateDecision {
    let best = 0;
    let bestFraction = Infinity;
    for (let i = 0; i < this.windows.length; i++) {
      const w = this.windows[i]!;
      const fraction = Math.max(0, w.limit - b.known[i]! - b.pending[i]!) / w.limit;
      if (fraction < bestFraction) {
        best = i;
        bestFraction = fraction;
      }
    }
    const w = this.windows[best]!;
    return {
      allowed: true,
      limit: w.limit,
      remaining: Math.max(0, w.limit - b.known[best]! - b.pending[best]!),
      resetSeconds: Math.ceil((b.starts[best]! + w.sizeMs) / 1000),
      retryAfterSeconds: 0,
    };
  }

  /** Drops buckets whose every window has ended (at most once a minute). */
  #sweep(nowMs: number): void {
    if (nowMs - this.#lastSweep < 60_000) return;
    this.#lastSweep = nowMs;
    for (const [key, b] of this.#buckets) {
      if (b.flushing || b.pending.some((p) => p > 0)) continue;
      if (this.windows.every((w, i) => b.starts[i]! + w.sizeMs <= nowMs)) this.#buckets.delete(key);
    }
  }
}
