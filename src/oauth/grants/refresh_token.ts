/**
 * `grant_type=refresh_token` (RFC 6749 §6) with Procore's rotation: every refresh call — also a
 * failed one — invalidates the refresh token it presented, by an atomic conditional update.
 * A used refresh token presented again fails; after the race window it also revokes the whole
 * grant (RFC 9700 §4.14.2), within it (the loser of a race) it leaves the winner's pair alive
 * (replay.ts). A refresh token presented by another client is refused without
 * being burned, so a foreign client cannot log the owner out.
 * On success the previous access token is revoked and a new pair is issued in the same grant.
 */
import { isoSeconds } from '../../core/clock.js';
import { sha256Hex } from '../../core/crypto.js';
import { InvalidGrant } from '../errors.js';
import { issueTokens, type TokenResponse } from '../issue.js';
import { param, requireParam } from '../params.js';
import { checkThrottle, grantGuessThrottleKeys, recordFailure } from '../throttle.js';
import { isRaceLoser, lockGrants, revokeGrants } from './replay.js';
import type { GrantRequest } from './types.js';

export const grantType = 'refresh_token';
export const parameters: ReadonlySet<string> = new Set(['refresh_token', 'redirect_uri', 'scope']);

export function isAllowed(client: { grantTypes: string[] }): boolean {
  return client.grantTypes.includes('refresh_token') || client.grantTypes.includes('authorization_code');
}

export async function handle({ ctx, client, params, ip }: GrantRequest): Promise<TokenResponse> {
  const refreshToken = requireParam(params, 'refresh_token');
  // Unknown refresh tokens are guesses: throttled per client + IP (security.md B13).
  const keys = grantGuessThrottleKeys(ctx, ip, client.clientId);
  await checkThrottle(ctx, keys);
  const guessed = async (): Promise<never> => {
    await recordFailure(ctx, keys);
    throw new InvalidGrant();
  };
  if (refreshToken.length > 256) return guessed();
  const row = await ctx.db
    .selectFrom('access_tokens')
    .selectAll()
    .where('refresh_token_hash', '=', sha256Hex(refreshToken))
    .executeTakeFirst();
  if (!row || row.credential_id !== client.credentialId) return guessed();

  const nowMs = ctx.clock.forSandbox(row.sandbox_id).nowMs();
  const now = isoSeconds(nowMs);
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    // A revoke of this grant waits for the rotation, or the rotation sees the revocation.
    await lockGrants(trx, ctx, [row.grant_id]);
    const used = await trx
      .updateTable('access_tokens')
      .set({ refresh_used_at: now })
      .where('id', '=', row.id)
      .where('refresh_used_at', 'is', null)
      .returning(['revoked_at'])
      .executeTakeFirst();
    if (!used) {
      const seen = await trx.selectFrom('access_tokens').select('refresh_used_at').where('id', '=', row.id).executeTakeFirst();
      return { reused: seen?.refresh_used_at ?? null };
    }
    if (used.revoked_at !== null) return 'invalid' as const;
    // Procore's docs send redirect_uri on refresh; when present it must be one the app registered.
    const redirectUri = param(params, 'redirect_uri');
    if (redirectUri !== undefined && !client.redirectUris.includes(redirectUri)) return 'invalid' as const;
    await trx.updateTable('access_tokens').set({ revoked_at: now }).where('id', '=', row.id).where('revoked_at', 'is', null).execute();
    return issueTokens(trx, ctx, {
      credentialId: client.credentialId,
      environment: client.environment,
      sandboxId: row.sandbox_id,
      userId: row.user_id,
      grantId: row.grant_id,
      authCodeId: row.auth_code_id,
      withRefresh: true,
    });
  });
  if (outcome === 'invalid') throw new InvalidGrant();
  if ('reused' in outcome) {
    // The loser of a race leaves the winner's pair alive; a later replay revokes the grant.
    if (!isRaceLoser(outcome.reused, nowMs)) await revokeGrants(ctx.db, ctx, [row.grant_id]);
    throw new InvalidGrant();
  }
  return outcome;
}
