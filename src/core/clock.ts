/**
 * The server's one source of time. Token lifetimes, code expiry, rate-limit windows and seed
 * dates all read it, so tests (and the admin API) can move time instead of sleeping.
 *
 * `ctx.clock` is the server-wide clock; `ctx.clock.forSandbox(id)` is the view one sandbox
 * reads (the server clock unless that sandbox's clock was moved with `ctx.clock.sandbox(id)`).
 * Sandbox clocks live in the memory of one server process.
 */
export interface Clock {
  /** Current time in milliseconds since the epoch. */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/**
 * A clock that follows real time (or its base clock) plus an offset, or stands still when frozen.
 *
 * @example const clock = new AdjustableClock(); clock.advance(10 * 60_000);
 * @example ctx.clock.sandbox(5).advance(5401_000); ctx.clock.forSandbox(5).nowMs();
 */
export class AdjustableClock implements Clock {
  #offsetMs = 0;
  #frozenAt: number | null = null;
  readonly #sandboxes = new Map<number, AdjustableClock>();

  constructor(private readonly base: Clock = systemClock) {}

  nowMs(): number {
    return this.#frozenAt ?? this.base.nowMs() + this.#offsetMs;
  }

  /** Whether time stands still. */
  get frozen(): boolean {
    return this.#frozenAt !== null;
  }

  /** Move time forward (or back, with a negative value). */
  advance(ms: number): void {
    if (this.#frozenAt !== null) this.#frozenAt += ms;
    else this.#offsetMs += ms;
  }

  /** Jump to `atMs` (frozen clocks stay frozen there). */
  set(atMs: number): void {
    if (this.#frozenAt !== null) this.#frozenAt = atMs;
    else this.#offsetMs = atMs - this.base.nowMs();
  }

  /** Stop time at its current value (or at `atMs`). */
  freeze(atMs: number = this.nowMs()): void {
    this.#frozenAt = atMs;
  }

  /** Let time run again from where it stands. */
  unfreeze(): void {
    if (this.#frozenAt === null) return;
    this.#offsetMs = this.#frozenAt - this.base.nowMs();
    this.#frozenAt = null;
  }

  /** Back to the base clock's time, running. */
  reset(): void {
    this.#offsetMs = 0;
    this.#frozenAt = null;
  }

  /**
   * The clock sandbox `sandboxId` reads: this clock, unless the sandbox has its own. Read-only,
   * and allocation-free on the hot path.
   */
  forSandbox(sandboxId: number): Clock {
    return this.#sandboxes.get(sandboxId) ?? this;
  }

  /**
   * The sandbox's own clock, created on first use: it follows this clock plus its own offset
   * (or stands still), so moving one sandbox's time leaves every other sandbox alone.
   */
  sandbox(sandboxId: number): AdjustableClock {
    let clock = this.#sandboxes.get(sandboxId);
    if (!clock) this.#sandboxes.set(sandboxId, (clock = new AdjustableClock(this)));
    return clock;
  }

  /** Drops a sandbox's own clock: it reads this clock again. */
  releaseSandbox(sandboxId: number): void {
    this.#sandboxes.delete(sandboxId);
  }
}

/** `2026-11-27T10:00:00Z`: Procore's timestamp format (ISO 8601 UTC, whole seconds). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2026-11-27`: Procore's date format. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const DAY_MS = 86_400_000;
