/**
 * Client authentication for the token and revoke endpoints (RFC 6749 §2.3): HTTP Basic (Postman's
 * "Send as Basic Auth header"; raw or form-urlencoded credentials inside, per Appendix B) or
 * `client_id`/`client_secret` in the parameters. Base64 is decoded strictly — junk is refused,
 * never loosely decoded. One client per request: Basic for A plus `client_id=B` is refused.
 * Credentials of the other environment are an unknown client (Procore: sandbox credentials on
 * the production host fail with `invalid_client`).
 */
import type { FastifyRequest } from 'fastify';
import type { Environment } from '../db/schema.js';
import { authenticateClient, findClientCredential, parseJsonList } from '../services/apps.js';
import type { AppContext } from '../context/context.js';
import { authorizationHeader } from '../http/authorization.js';
import { InvalidClient, InvalidRequest } from './errors.js';
import { param, type OAuthParams } from './params.js';
import { checkThrottle, clientThrottleKeys, recordFailure } from './throttle.js';

export interface AuthenticatedClient {
  credentialId: number;
  appId: number;
  appName: string;
  clientId: string;
  environment: Environment;
  redirectUris: string[];
  grantTypes: string[];
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `application/x-www-form-urlencoded` decoding of one credential (RFC 6749 Appendix B). */
function formDecode(value: string): string {
  if (!/[%+]/.test(value)) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidClient();
  }
}

/**
 * Credentials from an `Authorization: Basic …` header; null when no Basic header was sent.
 * Throws `invalid_client` for a malformed one.
 */
export function parseBasicAuthorization(header: string | string[] | undefined): { clientId: string; clientSecret: string } | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw new InvalidRequest('Only one Authorization header is allowed.');
  const m = /^Basic (.*)$/i.exec(header);
  if (!m) return null; // another scheme (e.g. Bearer): not client authentication
  const encoded = m[1] ?? '';
  if (encoded === '' || !STRICT_BASE64.test(encoded)) throw new InvalidClient();
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw new InvalidClient();
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClient();
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

/** Authenticates the calling client or throws `invalid_client` (401) / `invalid_request`. */
export async function authenticateRequestClient(
  ctx: AppContext,
  environment: Environment,
  request: FastifyRequest,
  params: OAuthParams,
): Promise<AuthenticatedClient> {
  const basic = parseBasicAuthorization(authorizationHeader(request));
  const bodyId = param(params, 'client_id');
  const bodySecret = param(params, 'client_secret');
  let clientId: string | undefined;
  let clientSecret: string | undefined;
  if (basic) {
    // RFC 6749 §2.3: one authentication method; a different client in the body is a conflict.
    if ((bodyId !== undefined && bodyId !== basic.clientId) || (bodySecret !== undefined && bodySecret !== basic.clientSecret)) {
      throw new InvalidRequest('Client credentials were sent both in the Authorization header and in the request, and they differ.');
    }
    ({ clientId, clientSecret } = basic);
  } else {
    clientId = bodyId;
    clientSecret = bodySecret;
  }
  if (clientId === undefined || clientSecret === undefined || clientId === '' || clientSecret === '') throw new InvalidClient();
  if (clientId.length > 256 || clientSecret.length > 1024) throw new InvalidClient();

  // Failures per client + IP and per IP: a client_id is public, so failures from one address
  // must not lock the app out everywhere; a correct secret from another address gets through.
  const keys = clientThrottleKeys(ctx, request.ip, clientId);
  await checkThrottle(ctx, keys);
  const row = await authenticateClient(ctx, clientId, clientSecret);
  if (!row || row.environment !== environment) {
    await recordFailure(ctx, keys);
    throw new InvalidClient();
  }
  return toClient(row);
}

/** The client registered under `clientId` in this environment (authorize endpoint: no secret). */
export async function findClient(ctx: AppContext, environment: Environment, clientId: string): Promise<AuthenticatedClient | undefined> {
  if (clientId.length > 256) return undefined;
  const row = await findClientCredential(ctx, clientId);
  return row && row.environment === environment ? toClient(row) : undefined;
}

type ClientRow = NonNullable<Awaited<ReturnType<typeof findClientCredential>>>;

function toClient(row: ClientRow): AuthenticatedClient {
  return {
    credentialId: row.credential_id,
    appId: row.app_id,
    appName: row.app_name,
    clientId: row.client_id,
    environment: row.environment,
    redirectUris: parseJsonList(row.redirect_uris),
    grantTypes: parseJsonList(row.grant_types),
  };
}
