/**
 * `grant_type=client_credentials` (RFC 6749 §4.4): a token for the app's sandbox service account
 * (Procore's Developer Managed Service Account), without a refresh token. Only for apps that
 * registered the grant.
 */
import { newGrantId } from '../../core/tokens.js';
import { UnauthorizedClient } from '../errors.js';
import { findAppSandbox, issueTokens, type TokenResponse } from '../issue.js';
import type { GrantRequest } from './types.js';

export const grantType = 'client_credentials';
export const parameters: ReadonlySet<string> = new Set(['scope']);

export function isAllowed(client: { grantTypes: string[] }): boolean {
  return client.grantTypes.includes('client_credentials');
}

export async function handle({ ctx, client }: GrantRequest): Promise<TokenResponse> {
  const sandbox = await findAppSandbox(ctx.db, client.appId);
  const account = sandbox
    ? await ctx.db
        .selectFrom('users')
        .select('id')
        .where('sandbox_id', '=', sandbox.id)
        .where('company_id', '=', sandbox.company_id)
        .where('is_service_account', '=', 1)
        .orderBy('id')
        .executeTakeFirst()
    : undefined;
  if (!sandbox || !account) throw new UnauthorizedClient('The app has no service account in its sandbox.');
  return issueTokens(ctx.db, ctx, {
    credentialId: client.credentialId,
    environment: client.environment,
    sandboxId: sandbox.id,
    userId: account.id,
    grantId: newGrantId(),
    authCodeId: null,
    withRefresh: false,
  });
}
