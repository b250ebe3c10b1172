/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6). A code is redeemed exactly
 * once, by an atomic conditional update; a second redemption fails with `invalid_grant` and,
 * after the race window, revokes every token issued from the code (§4.1.2); within it (the
 * loser of a race) the winner's tokens stay alive (replay.ts). A code presented by
 * another client is refused without touching it. After the code is consumed, any mismatch
 * (expired, redirect URI, PKCE) fails and the code stays burned.
 */
import { createHash } from 'node:crypto';
import { isoSeconds } from '../../core/clock.js';
import { constantTimeEqual, sha256Hex } from '../../core/crypto.js';
import { newGrantId } from '../../core/tokens.js';
import type { Row } from '../../db/schema.js';
import { InvalidGrant } from '../errors.js';
import { issueTokens, type TokenResponse } from '../issue.js';
import { param, requireParam, type OAuthParams } from '../params.js';
import { checkThrottle, grantGuessThrottleKeys, recordFailure } from '../throttle.js';
import { isRaceLoser, revokeGrants } from './replay.js';
import type { GrantRequest } from './types.js';

export const grantType = 'authorization_code';
export const parameters: ReadonlySet<string> = new Set(['code', 'redirect_uri', 'code_verifier']);

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isAllowed(client: { grantTypes: string[] }): boolean {
  return client.grantTypes.includes('authorization_code');
}

/** RFC 7636 §4.6, plus the downgrade rule: a verifier without a challenge is refused. */
export function pkceMatches(
  code: Pick<Row<'auth_codes'>, 'code_challenge' | 'code_challenge_method'>,
  verifier: string | undefined,
): boolean {
  if (code.code_challenge === null) return verifier === undefined;
  if (verifier === undefined || !VERIFIER.test(verifier)) return false;
  if (code.code_challenge_method === 'S256') {
    return constantTimeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), code.code_challenge);
  }
  return constantTimeEqual(verifier, code.code_challenge);
}

function redirectMatches(code: Row<'auth_codes'>, params: OAuthParams): boolean {
  const given = param(params, 'redirect_uri');
  if (code.redirect_uri_given === 1) return given === code.redirect_uri;
  return given === undefined || given === code.redirect_uri;
}

export async function handle({ ctx, client, params, ip }: GrantRequest): Promise<TokenResponse> {
  const code = requireParam(params, 'code');
  // Unknown codes are guesses: throttled per client + IP (security.md B13).
  const keys = grantGuessThrottleKeys(ctx, ip, client.clientId);
  await checkThrottle(ctx, keys);
  const guessed = async (): Promise<never> => {
    await recordFailure(ctx, keys);
    throw new InvalidGrant();
  };
  if (code.length > 256) return guessed();
  const row = await ctx.db.selectFrom('auth_codes').selectAll().where('code_hash', '=', sha256Hex(code)).executeTakeFirst();
  if (!row || row.credential_id !== client.credentialId) return guessed();

  const nowMs = ctx.clock.forSandbox(row.sandbox_id).nowMs();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const consumed = await trx
      .updateTable('auth_codes')
      .set({ consumed_at: isoSeconds(nowMs) })
      .where('id', '=', row.id)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    if (Number(consumed.numUpdatedRows) !== 1) {
      const seen = await trx.selectFrom('auth_codes').select('consumed_at').where('id', '=', row.id).executeTakeFirst();
      return { reused: seen?.consumed_at ?? null };
    }
    if (nowMs >= Date.parse(row.expires_at)) return 'invalid' as const;
    if (!redirectMatches(row, params)) return 'invalid' as const;
    if (!pkceMatches(row, param(params, 'code_verifier'))) return 'invalid' as const;
    return issueTokens(trx, ctx, {
      credentialId: client.credentialId,
      environment: client.environment,
      sandboxId: row.sandbox_id,
      userId: row.user_id,
      grantId: newGrantId(),
      authCodeId: row.id,
      withRefresh: true,
    });
  });
  if (outcome === 'invalid') throw new InvalidGrant();
  if ('reused' in outcome) {
    // The loser of a race leaves the winner's tokens alive; a later replay revokes them (replay.ts).
    if (!isRaceLoser(outcome.reused, nowMs)) {
      const issued = await ctx.db.selectFrom('access_tokens').select('grant_id').where('auth_code_id', '=', row.id).execute();
      await revokeGrants(ctx.db, ctx, [...new Set(issued.map((t) => t.grant_id))]);
    }
    throw new InvalidGrant();
  }
  return outcome;
}
