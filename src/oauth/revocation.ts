/**
 * `POST /oauth/revoke` (RFC 7009, Procore: always 200 `{}`): an authenticated client revokes one
 * of its own tokens. Given an access or refresh token — also an already rotated one — every live
 * token of its grant dies (the current access and refresh token together). Unknown tokens and
 * tokens of other clients answer 200 `{}` and change nothing. Wrong or missing client
 * credentials → 401 `invalid_client`; a storage failure → 503, never a false 200.
 */
import type { FastifyRequest } from 'fastify';
import { sha256Hex } from '../core/crypto.js';
import type { Environment } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import { authenticateRequestClient } from './client_auth.js';
import { revokeGrants } from './grants/replay.js';
import { OAuthError, TemporarilyUnavailable } from './errors.js';
import { requestParams, requireParam } from './params.js';

export async function revocationEndpoint(
  ctx: AppContext,
  environment: Environment,
  request: FastifyRequest,
): Promise<Record<string, never>> {
  try {
    const params = await requestParams(request);
    const client = await authenticateRequestClient(ctx, environment, request, params);
    const token = requireParam(params, 'token');
    if (token.length > 512) return {};
    const hash = sha256Hex(token);
    // token_type_hint is only a hint (RFC 7009 §2.1): look in both places. Revoked or rotated
    // tokens count too: revoking any token of a grant revokes the grant's live pair, under the
    // grant's lock, so a refresh racing this revoke cannot leave a pair alive (replay.ts).
    const rows = await ctx.db
      .selectFrom('access_tokens')
      .select('grant_id')
      .where((eb) => eb.or([eb('token_hash', '=', hash), eb('refresh_token_hash', '=', hash)]))
      .where('credential_id', '=', client.credentialId)
      .execute();
    await revokeGrants(
      ctx.db,
      ctx,
      rows.map((r) => r.grant_id),
    );
    return {};
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (err instanceof OAuthError || (typeof status === 'number' && status < 500)) throw err;
    request.log.error({ err: { code: (err as { code?: unknown }).code } }, 'token revocation failed');
    throw new TemporarilyUnavailable();
  }
}
