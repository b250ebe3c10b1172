/** The grants the token endpoint knows: one module each; adding one is one line here. */
import * as authorizationCode from './authorization_code.js';
import * as clientCredentials from './client_credentials.js';
import * as refreshToken from './refresh_token.js';
import type { Grant } from './types.js';

export type { Grant, GrantRequest } from './types.js';

export const grants: ReadonlyMap<string, Grant> = new Map<string, Grant>(
  [authorizationCode, refreshToken, clientCredentials].map((g) => [g.grantType, g]),
);
