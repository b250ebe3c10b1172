/**
 * `POST /oauth/token` (and `/oauth/token/`): a short list of named steps —
 * parse → check grant type → authenticate client → check the client may use the grant → issue.
 * Every answer is JSON with `Cache-Control: no-store` (RFC 6749 §5.1); errors are thrown as
 * `OAuthError`s and rendered by the plugin's error handler.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context/context.js';
import type { Environment } from '../db/schema.js';
import { authenticateRequestClient, type AuthenticatedClient } from './client_auth.js';
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType } from './errors.js';
import { grants, type Grant } from './grants/index.js';
import type { TokenResponse } from './issue.js';
import { requestParams, requireParam, type OAuthParams } from './params.js';

export function supportedGrant(params: OAuthParams): Grant {
  const grantType = requireParam(params, 'grant_type');
  const grant = grants.get(grantType);
  if (!grant) throw new UnsupportedGrantType();
  return grant;
}

export function allowedGrant(grant: Grant, client: AuthenticatedClient): void {
  if (!grant.isAllowed(client)) throw new UnauthorizedClient();
}

export async function tokenEndpoint(
  ctx: AppContext,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<TokenResponse> {
  reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
  const params = await requestParams(request);
  const grant = supportedGrant(params);
  const client = await authenticateRequestClient(ctx, environment, request, params);
  allowedGrant(grant, client);
  if (params.has('code_verifier') && grant.grantType !== 'authorization_code')
    throw new InvalidRequest('code_verifier is only valid with the authorization_code grant.');
  return grant.handle({ ctx, environment, client, params, ip: request.ip });
}
