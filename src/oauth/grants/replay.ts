/**
 * Single use of codes and refresh tokens, and what a second use means.
 *
 * The first use wins by an atomic conditional update (`… WHERE consumed_at IS NULL`). A second
 * presentation is either the loser of a race (a client retrying a request that timed out, or
 * sending it twice at once) or a replay of a stolen token (RFC 9700 §4.14.2). They differ in
 * time: a second use within `REPLAY_GRACE_MS` of the first is a racer and gets `invalid_grant`
 * with the winner's pair left alive; a later one revokes the whole grant. So racing requests
 * leave exactly one live pair (security.md C4), and replay detection still works, as no
 * legitimate client presents the same token again seconds after it was exchanged.
 *
 * Grant-wide changes (rotation, revocation) hold a per-grant lock for their transaction
 * (`pg_advisory_xact_lock` on PostgreSQL; SQLite has one writer), so a revoke that races a
 * refresh waits for it and then sees — and revokes — the pair it issued (security.md C9).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { isoSeconds } from '../../core/clock.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../../context/context.js';

/** A code or refresh token presented again within this time of its use is a racer, not a replay. */
export const REPLAY_GRACE_MS = 5_000;

/** Whether a token used at `usedAt` (ISO, whole seconds) and presented again now is a race loser. */
export function isRaceLoser(usedAt: string | null, nowMs: number): boolean {
  if (usedAt === null) return true;
  return nowMs - Date.parse(usedAt) < REPLAY_GRACE_MS;
}

/** Holds the grants' locks until the end of `trx` (PostgreSQL; a no-op on SQLite's single writer). */
export async function lockGrants(trx: Transaction<Database>, ctx: AppContext, grantIds: readonly string[]): Promise<void> {
  if (ctx.engine !== 'postgres') return;
  for (const id of [...new Set(grantIds)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`oauth-grant:${id}`}, 0))`.execute(trx);
  }
}

/** Revokes every live token of the given grants, under their locks. */
export async function revokeGrants(db: Kysely<Database>, ctx: AppContext, grantIds: readonly string[]): Promise<void> {
  if (grantIds.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await lockGrants(trx, ctx, grantIds);
    await trx
      .updateTable('access_tokens')
      .set({ revoked_at: isoSeconds(ctx.clock.nowMs()) })
      .where('grant_id', 'in', [...grantIds])
      .where('revoked_at', 'is', null)
      .execute();
  });
}
