/**
 * Access and refresh tokens: opaque random strings, stored only as SHA-256 hashes, so
 * verifying a bearer token is one indexed lookup (no slow hash on the API's hot path).
 */
import { randomUUID } from 'node:crypto';
import { randomCredential, randomHex64, sha256Hex } from './crypto.js';

export interface MintedTokens {
  accessToken: string;
  accessTokenHash: string;
  refreshToken: string | null;
  refreshTokenHash: string | null;
}

/** A new access token (43 URL-safe chars) and, unless `withRefresh` is false, a refresh token (64 hex). */
export function mintTokens(withRefresh: boolean): MintedTokens {
  const accessToken = randomCredential();
  const refreshToken = withRefresh ? randomHex64() : null;
  return {
    accessToken,
    accessTokenHash: sha256Hex(accessToken),
    refreshToken,
    refreshTokenHash: refreshToken === null ? null : sha256Hex(refreshToken),
  };
}

/** Identifies one authorization: every token of a refresh chain shares it. */
export function newGrantId(): string {
  return randomUUID();
}

/** A bearer token is at most this long; longer strings are rejected before hashing. */
export const MAX_TOKEN_LENGTH = 512;
