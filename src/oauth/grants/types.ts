import type { Environment } from '../../db/schema.js';
import type { AppContext } from '../../context/context.js';
import type { AuthenticatedClient } from '../client_auth.js';
import type { TokenResponse } from '../issue.js';
import type { OAuthParams } from '../params.js';

export interface GrantRequest {
  ctx: AppContext;
  environment: Environment;
  client: AuthenticatedClient;
  params: OAuthParams;
  /** The caller's address (guessed codes and refresh tokens are throttled per client + IP); unset for in-process callers. */
  ip?: string;
}

/** A grant is data plus a function: its name, the parameters it reads, who may use it, its handler. */
export interface Grant {
  grantType: string;
  parameters: ReadonlySet<string>;
  /** Whether the app registered this grant type (else `unauthorized_client`). */
  isAllowed(client: AuthenticatedClient): boolean;
  handle(request: GrantRequest): Promise<TokenResponse>;
}
