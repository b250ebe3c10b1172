/**
 * Throttling of failed sign-ins and failed client authentications: at most
 * `settings.loginAttemptsPerHour` failures per account (or client id) and five times that per IP
 * address, in a sliding one-hour window read from `ctx.clock`. Counted in the database, so the
 * limit holds across server processes; rows older than the window are pruned as keys are used.
 */
import { isoSeconds } from '../core/clock.js';
import type { AppContext } from '../server/context.js';
import { SlowDown } from './errors.js';

const WINDOW_MS = 3_600_000;
const IP_FACTOR = 5;

export interface ThrottleKey {
  key: string;
  /** Failures allowed per window. */
  limit: number;
}

export function loginThrottleKeys(ctx: AppContext, ip: string, email: string): ThrottleKey[] {
  const limit = ctx.settings.loginAttemptsPerHour;
  return [
    { key: `account:${email.toLowerCase().slice(0, 320)}`, limit },
    { key: `login-ip:${ip}`, limit: limit * IP_FACTOR },
  ];
}

export function clientThrottleKeys(ip: string, clientId: string): (ctx: AppContext) => ThrottleKey[] {
  return (ctx) => {
    const limit = ctx.settings.loginAttemptsPerHour;
    return [
      { key: `client:${clientId.slice(0, 256)}`, limit },
      { key: `client-ip:${ip}`, limit: limit * IP_FACTOR },
    ];
  };
}

type Keys = ThrottleKey[] | ((ctx: AppContext) => ThrottleKey[]);
const resolve = (ctx: AppContext, keys: Keys) => (typeof keys === 'function' ? keys(ctx) : keys);

/** Throws `SlowDown` (429, with Retry-After seconds) when any key is over its limit. */
export async function checkThrottle(ctx: AppContext, keys: Keys): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const since = isoSeconds(nowMs - WINDOW_MS);
  for (const { key, limit } of resolve(ctx, keys)) {
    const rows = await ctx.db
      .selectFrom('oauth_login_attempts')
      .select('attempted_at')
      .where('throttle_key', '=', key)
      .where('attempted_at', '>', since)
      .orderBy('attempted_at', 'desc')
      .limit(limit)
      .execute();
    if (rows.length >= limit) {
      // The window frees a slot when the oldest of the last `limit` failures ages out.
      const oldest = Date.parse(rows[rows.length - 1]!.attempted_at);
      const retryAfter = Math.max(1, Math.ceil((oldest + WINDOW_MS - nowMs) / 1000));
      throw new SlowDown(retryAfter);
    }
  }
}

export async function recordFailure(ctx: AppContext, keys: Keys): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const list = resolve(ctx, keys);
  await ctx.db
    .insertInto('oauth_login_attempts')
    .values(list.map(({ key }) => ({ throttle_key: key, attempted_at: isoSeconds(nowMs) })))
    .execute();
  await ctx.db
    .deleteFrom('oauth_login_attempts')
    .where(
      'throttle_key',
      'in',
      list.map((k) => k.key),
    )
    .where('attempted_at', '<=', isoSeconds(nowMs - WINDOW_MS))
    .execute();
}

/** A successful sign-in clears the account's failures (not the IP's). */
export async function clearFailures(ctx: AppContext, key: string): Promise<void> {
  await ctx.db.deleteFrom('oauth_login_attempts').where('throttle_key', '=', key).execute();
}
