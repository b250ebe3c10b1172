/**
 * Throttling of guesses: sign-ins (login service and portal), client authentications at the
 * token and revoke endpoints, and unknown codes and refresh tokens. Counted in the database
 * (`auth_throttles`), so limits hold across server processes.
 *
 Two ways of counting, both with one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING` per key
 * (the row lock serializes racers on PostgreSQL; SQLite has one writer):
 * - passwords (`reserve`/`release`): every sign-in first reserves a slot (`… WHERE attempts <
 *   limit`); when a key is full it is refused with 429 before the password is hashed, so N
 *   concurrent guesses check at most `limit` passwords. Success gives the slots back.
 * - client secrets and unknown codes/refresh tokens (`checkThrottle`/`recordFailure`): cheap,
 *   256-bit checks where legitimate traffic is mostly concurrent successes, so only failures
 *   are counted, and a full key refuses further attempts with 429.
 * Windows are fixed: one hour from a key's first counted attempt, read from `ctx.clock`.
 *
 * Keys never let a stranger lock someone out from everywhere:
 * - login service: per sandbox user (`login:<sandbox>:<email>`; every sandbox has the same
 *   seeded emails) and per IP address;
 * - client authentication and guessed codes/refresh tokens: per client + IP address, and per IP
 *   (a client_id is public: a correct secret from another address still gets through);
 * - portal sign-in: per account + IP address, and per IP.
 * Per-IP budgets are `settings.loginAttemptsPerIpPerHour`, ×10 for loopback addresses (local
 * CI jobs share 127.0.0.1).
 */
import { sql } from 'kysely';
import type { AppContext } from '../context/context.js';
import { SlowDown } from './errors.js';

export const THROTTLE_WINDOW_MS = 3_600_000;
export const LOOPBACK_FACTOR = 10;

export interface ThrottleKey {
  key: string;
  /** Attempts allowed per window. */
  limit: number;
  /** A key of one sandbox (its user) counts its window on that sandbox's clock. */
  sandboxId?: number;
}

const clip = (text: string, n: number) => text.slice(0, n);

export function isLoopback(ip: string): boolean {
  return ip === '::1' || /^(::ffff:)?127\./.test(ip);
}

/** The per-IP budget of `ip`. */
export function ipLimit(ctx: AppContext, ip: string): number {
  const base = ctx.settings.loginAttemptsPerIpPerHour;
  return isLoopback(ip) ? base * LOOPBACK_FACTOR : base;
}

/** Sign-in on the login pages: per sandbox user, and per IP address. */
export function loginThrottleKeys(ctx: AppContext, ip: string, sandboxId: number, email: string): ThrottleKey[] {
  return [
    { key: `login:${sandboxId}:${clip(email.toLowerCase(), 320)}`, limit: ctx.settings.loginAttemptsPerHour, sandboxId },
    { key: `login-ip:${ip}`, limit: ipLimit(ctx, ip) },
  ];
}

/** Client authentication (token, revoke): per client + IP address, and per IP address. */
export function clientThrottleKeys(ctx: AppContext, ip: string, clientId: string): ThrottleKey[] {
  return [
    { key: `client:${clip(clientId, 256)}:${ip}`, limit: ctx.settings.loginAttemptsPerHour },
    { key: `client-ip:${ip}`, limit: ipLimit(ctx, ip) },
  ];
}

/** Unknown authorization codes and refresh tokens presented by a client: per client + IP. */
export function grantGuessThrottleKeys(ctx: AppContext, ip: string, clientId: string): ThrottleKey[] {
  return [
    { key: `grant:${clip(clientId, 256)}:${ip}`, limit: ctx.settings.loginAttemptsPerHour },
    { key: `grant-ip:${ip}`, limit: ipLimit(ctx, ip) },
  ];
}

/** Portal sign-in: per developer account + IP address, and per IP address. */
export function portalThrottleKeys(ctx: AppContext, ip: string, email: string): ThrottleKey[] {
  return [
    { key: `portal:${clip(email.toLowerCase(), 320)}:${ip}`, limit: ctx.settings.loginAttemptsPerHour },
    { key: `portal-ip:${ip}`, limit: ipLimit(ctx, ip) },
  ];
}

/** Takes one slot of `key`, or answers the seconds until its window frees one. */
async function reserveOne(ctx: AppContext, { key, limit }: ThrottleKey, nowMs: number): Promise<number> {
  const expired = nowMs - THROTTLE_WINDOW_MS;
  const row = await ctx.db
    .insertInto('auth_throttles')
    .values({ throttle_key: key, window_start_ms: nowMs, attempts: 1 })
    .onConflict((oc) =>
      oc
        .column('throttle_key')
        .doUpdateSet({
          attempts: sql<number>`case when auth_throttles.window_start_ms <= ${expired} then 1 else auth_throttles.attempts + 1 end`,
          window_start_ms: sql<number>`case when auth_throttles.window_start_ms <= ${expired} then ${nowMs} else auth_throttles.window_start_ms end`,
        })
        .where((eb) => eb.or([eb('auth_throttles.window_start_ms', '<=', expired), eb('auth_throttles.attempts', '<', limit)])),
    )
    .returning('attempts')
    .executeTakeFirst();
  if (row) return 0;
  const full = await ctx.db.selectFrom('auth_throttles').select('window_start_ms').where('throttle_key', '=', key).executeTakeFirst();
  const start = full ? Number(full.window_start_ms) : nowMs;
  return Math.max(1, Math.ceil((start + THROTTLE_WINDOW_MS - nowMs) / 1000));
}

/** Gives one slot of each key back (a successful attempt, or a reservation that was not used). */
export async function release(ctx: AppContext, keys: readonly ThrottleKey[]): Promise<void> {
  if (keys.length === 0) return;
  await ctx.db
    .updateTable('auth_throttles')
    .set({ attempts: sql<number>`case when attempts > 0 then attempts - 1 else 0 end` })
    .where(
      'throttle_key',
      'in',
      keys.map((k) => k.key),
    )
    .execute();
}

/** Forgets a key's count (a successful sign-in clears the account's failures). */
export async function clearThrottle(ctx: AppContext, key: ThrottleKey): Promise<void> {
  await ctx.db.deleteFrom('auth_throttles').where('throttle_key', '=', key.key).execute();
}

/**
 * Reserves one attempt on every key, or throws `SlowDown` (429 + Retry-After) and reserves
 * nothing. Old windows are pruned now and then.
 */
export async function reserve(ctx: AppContext, keys: readonly ThrottleKey[]): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const taken: ThrottleKey[] = [];
  for (const key of keys) {
    const retryAfter = await reserveOne(ctx, key, key.sandboxId === undefined ? nowMs : ctx.clock.forSandbox(key.sandboxId).nowMs());
    if (retryAfter > 0) {
      await release(ctx, taken);
      throw new SlowDown(retryAfter);
    }
    taken.push(key);
  }
  if (Math.random() < 0.01) {
    await ctx.db
      .deleteFrom('auth_throttles')
      .where('window_start_ms', '<=', nowMs - THROTTLE_WINDOW_MS)
      .execute();
  }
}

/** Throws `SlowDown` when any key already counts `limit` failures in its window. */
export async function checkThrottle(ctx: AppContext, keys: readonly ThrottleKey[]): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const rows = await ctx.db
    .selectFrom('auth_throttles')
    .selectAll()
    .where(
      'throttle_key',
      'in',
      keys.map((k) => k.key),
    )
    .where('window_start_ms', '>', nowMs - THROTTLE_WINDOW_MS)
    .execute();
  for (const row of rows) {
    const limit = keys.find((k) => k.key === row.throttle_key)?.limit ?? Infinity;
    if (row.attempts >= limit) {
      throw new SlowDown(Math.max(1, Math.ceil((Number(row.window_start_ms) + THROTTLE_WINDOW_MS - nowMs) / 1000)));
    }
  }
}

/** Counts one failure on every key (atomically; a new window starts when the old one is over). */
export async function recordFailure(ctx: AppContext, keys: readonly ThrottleKey[]): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const expired = nowMs - THROTTLE_WINDOW_MS;
  for (const { key } of keys) {
    await ctx.db
      .insertInto('auth_throttles')
      .values({ throttle_key: key, window_start_ms: nowMs, attempts: 1 })
      .onConflict((oc) =>
        oc.column('throttle_key').doUpdateSet({
          attempts: sql<number>`case when auth_throttles.window_start_ms <= ${expired} then 1 else auth_throttles.attempts + 1 end`,
          window_start_ms: sql<number>`case when auth_throttles.window_start_ms <= ${expired} then ${nowMs} else auth_throttles.window_start_ms end`,
        }),
      )
      .execute();
  }
}
