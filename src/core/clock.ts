/**
 * The server's one source of time. Token lifetimes, code expiry, rate-limit windows and seed
 * dates all read it, so tests (and the admin API) can move time instead of sleeping.
 */
export interface Clock {
  /** Current time in milliseconds since the epoch. */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/**
 * A clock that follows real time plus an offset, or stands still when frozen.
 *
 * @example const clock = new AdjustableClock(); clock.advance(10 * 60_000);
 */
export class AdjustableClock implements Clock {
  #offsetMs = 0;
  #frozenAt: number | null = null;

  constructor(private readonly base: Clock = systemClock) {}

  nowMs(): number {
    return this.#frozenAt ?? this.base.nowMs() + this.#offsetMs;
  }

  /** Move time forward (or back, with a negative value). */
  advance(ms: number): void {
    if (this.#frozenAt !== null) this.#frozenAt += ms;
    else this.#offsetMs += ms;
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
