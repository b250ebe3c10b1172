/**
 * Failed portal sign-ins per account and per IP in a sliding hour (in-process). Over the limit
 * (settings.loginAttemptsPerHour per account, 5× that per IP) sign-in answers 429 with
 * Retry-After, for right and wrong passwords alike.
 */
const HOUR_MS = 3_600_000;

export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly nowMs: () => number,
    private readonly perAccount: number,
  ) {}

  #recent(key: string): number[] {
    const now = this.nowMs();
    const list = (this.#failures.get(key) ?? []).filter((t) => t > now - HOUR_MS);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  /** Seconds to wait, or 0 when a sign-in attempt is allowed. */
  check(account: string, ip: string): number {
    const now = this.nowMs();
    for (const [key, limit] of [
      [`a:${account}`, this.perAccount],
      [`i:${ip}`, this.perAccount * 5],
    ] as const) {
      const list = this.#recent(key);
      if (list.length >= limit) return Math.max(1, Math.ceil((list[list.length - limit]! + HOUR_MS - now) / 1000));
    }
    return 0;
  }

  fail(account: string, ip: string): void {
    const now = this.nowMs();
    for (const key of [`a:${account}`, `i:${ip}`]) this.#failures.set(key, [...this.#recent(key), now]);
  }

  succeed(account: string): void {
    this.#failures.delete(`a:${account}`);
  }
}
