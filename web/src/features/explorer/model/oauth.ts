/**
 * OAuth 2.0 for the explorer: the "Get New Access Token" settings as Postman writes them in a
 * v2.1 `oauth2` array (docs/explorer.md lists the keys), PKCE, the authorize URL, the token and
 * refresh requests, and each step as a copyable curl command (the timeline).
 */
import { authBlock } from './request.js';
import type { PostmanAuth, TokenData } from './types.js';
import { authParam } from './variables.js';

export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
export const CODE_MESSAGE_TYPE = 'procore-sandbox:oauth-code';
/** The BroadcastChannel the callback page also posts on (when the popup lost its opener). */
export const CALLBACK_CHANNEL = 'procore-sandbox-oauth';

export type GrantType = 'authorization_code' | 'authorization_code_with_pkce' | 'client_credentials';

export const GRANT_LABELS: Record<GrantType, string> = {
  authorization_code: 'Authorization Code',
  authorization_code_with_pkce: 'Authorization Code (With PKCE)',
  client_credentials: 'Client Credentials',
};

export interface OAuthSettings {
  tokenName: string;
  grantType: GrantType;
  callbackUrl: string;
  authUrl: string;
  accessTokenUrl: string;
  refreshTokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  state: string;
  /** `header` = Send as Basic Auth header; `body` = Send client credentials in body. */
  clientAuthentication: 'header' | 'body';
  challengeAlgorithm: 'S256' | 'plain';
  codeVerifier: string;
  addTokenTo: 'header' | 'queryParams';
  headerPrefix: string;
}

const str = (v: unknown, fallback = ''): string => (v === undefined || v === null ? fallback : String(v));

/** The dialog's settings from an `oauth2` auth block (unknown keys ignored, defaults filled). */
export function settingsFromAuth(auth: PostmanAuth | null): OAuthSettings {
  const p = (k: string) => authParam(auth?.type === 'oauth2' ? auth : null, k);
  const grant = str(p('grant_type'), 'authorization_code');
  return {
    tokenName: str(p('tokenName'), 'Token'),
    grantType: grant === 'client_credentials' || grant === 'authorization_code_with_pkce' ? grant : 'authorization_code',
    callbackUrl: str(p('redirect_uri')),
    authUrl: str(p('authUrl')),
    accessTokenUrl: str(p('accessTokenUrl')),
    refreshTokenUrl: str(p('refreshTokenUrl')) || str(p('accessTokenUrl')),
    clientId: str(p('clientId')),
    clientSecret: str(p('clientSecret')),
    scope: str(p('scope')),
    state: str(p('state')),
    clientAuthentication: p('client_authentication') === 'body' ? 'body' : 'header',
    challengeAlgorithm: p('challengeAlgorithm') === 'plain' ? 'plain' : 'S256',
    codeVerifier: str(p('code_verifier')),
    addTokenTo: p('addTokenTo') === 'queryParams' ? 'queryParams' : 'header',
    headerPrefix: str(p('headerPrefix'), 'Bearer'),
  };
}

/** The settings back into an `oauth2` block, keeping `accessToken` and keys we do not edit. */
export function authFromSettings(s: OAuthSettings, previous: PostmanAuth | null): PostmanAuth {
  const keep =
    previous?.type === 'oauth2' && Array.isArray(previous['oauth2']) ? (previous['oauth2'] as { key: string; value: unknown }[]) : [];
  const edited: Record<string, unknown> = {
    grant_type: s.grantType,
    authUrl: s.authUrl,
    accessTokenUrl: s.accessTokenUrl,
    refreshTokenUrl: s.refreshTokenUrl,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    redirect_uri: s.callbackUrl,
    scope: s.scope,
    state: s.state,
    client_authentication: s.clientAuthentication,
    challengeAlgorithm: s.challengeAlgorithm,
    addTokenTo: s.addTokenTo,
    headerPrefix: s.headerPrefix,
    tokenName: s.tokenName,
  };
  if (s.codeVerifier) edited['code_verifier'] = s.codeVerifier;
  const merged: Record<string, unknown> = {};
  for (const p of keep) merged[p.key] = p.value;
  for (const [k, v] of Object.entries(edited)) if (v !== '' || k in merged) merged[k] = v;
  if (!('accessToken' in merged)) merged['accessToken'] = '';
  return authBlock('oauth2', merged);
}

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random PKCE verifier (64 characters of the RFC 7636 alphabet) or state. */
export function randomToken(bytes = 48): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return base64url(buf);
}

export async function pkceChallenge(verifier: string, method: 'S256' | 'plain'): Promise<string> {
  if (method === 'plain') return verifier;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The authorization request URL (settings already resolved). */
export function authorizeUrl(s: OAuthSettings, state: string, challenge?: string): string {
  const params = new URLSearchParams({ response_type: 'code', client_id: s.clientId, redirect_uri: s.callbackUrl, state });
  if (s.scope) params.set('scope', s.scope);
  if (challenge) {
    params.set('code_challenge', challenge);
    params.set('code_challenge_method', s.challengeAlgorithm);
  }
  return `${s.authUrl}${s.authUrl.includes('?') ? '&' : '?'}${params.toString()}`;
}

export interface FormRequest {
  url: string;
  headers: [string, string][];
  form: [string, string][];
}

function basic(id: string, secret: string): string {
  // As Postman sends it (id:secret, not form-encoded first); the token endpoint accepts both.
  const bytes = new TextEncoder().encode(`${id}:${secret}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

function withClientAuth(s: OAuthSettings, url: string, form: [string, string][]): FormRequest {
  const headers: [string, string][] = [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Accept', 'application/json'],
  ];
  if (s.clientAuthentication === 'header' && s.clientSecret) headers.push(['Authorization', basic(s.clientId, s.clientSecret)]);
  else {
    form.push(['client_id', s.clientId]);
    if (s.clientSecret) form.push(['client_secret', s.clientSecret]);
  }
  return { url, headers, form };
}

export function codeExchange(s: OAuthSettings, code: string, verifier?: string): FormRequest {
  const form: [string, string][] = [
    ['grant_type', 'authorization_code'],
    ['code', code],
    ['redirect_uri', s.callbackUrl],
  ];
  if (verifier) form.push(['code_verifier', verifier]);
  return withClientAuth(s, s.accessTokenUrl, form);
}

export function clientCredentialsRequest(s: OAuthSettings): FormRequest {
  const form: [string, string][] = [['grant_type', 'client_credentials']];
  if (s.scope) form.push(['scope', s.scope]);
  return withClientAuth(s, s.accessTokenUrl, form);
}

export function refreshRequest(s: OAuthSettings, refreshToken: string): FormRequest {
  return withClientAuth(s, s.refreshTokenUrl || s.accessTokenUrl, [
    ['grant_type', 'refresh_token'],
    ['refresh_token', refreshToken],
  ]);
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A token request as a curl command. */
export function curlOf(req: FormRequest, mask = false): string {
  const hide = (k: string, v: string) => (mask && /^(client_secret|code|refresh_token|code_verifier)$/.test(k) ? `<${k}>` : v);
  const lines = [`curl -X POST ${shellQuote(req.url)}`];
  for (const [k, v] of req.headers)
    lines.push(`  -H ${shellQuote(`${k}: ${mask && k === 'Authorization' ? 'Basic <client_id:client_secret>' : v}`)}`);
  for (const [k, v] of req.form) lines.push(`  --data-urlencode ${shellQuote(`${k}=${hide(k, v)}`)}`);
  return lines.join(' \\\n');
}

/** The token endpoint's answer as a token record's data. */
export function tokenDataFrom(body: Record<string, unknown>, s: OAuthSettings, now: number, collectionId: string | null): TokenData {
  const expiresIn = Number(body['expires_in']);
  const { clientSecret: _secret, ...auth } = s;
  return {
    access_token: String(body['access_token'] ?? ''),
    refresh_token: typeof body['refresh_token'] === 'string' ? body['refresh_token'] : null,
    token_type: String(body['token_type'] ?? 'Bearer'),
    expires_at: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now + expiresIn * 1000).toISOString() : null,
    scope: typeof body['scope'] === 'string' ? body['scope'] : null,
    created_at: new Date(now).toISOString(),
    collection_id: collectionId,
    name: s.tokenName,
    auth: auth as unknown as Record<string, unknown>,
  };
}

/** True when the token expires within `marginMs` (default one minute): refresh first. */
export function expiresSoon(token: TokenData, now: number, marginMs = 60_000): boolean {
  if (!token.expires_at) return false;
  return Date.parse(token.expires_at) - now < marginMs;
}

/** `{code, state}` from a callback URL's query, or the OAuth error it carries. */
export function parseCallback(search: string): { code: string | null; state: string | null; error: string | null } {
  const q = new URLSearchParams(search);
  const error = q.get('error');
  return {
    code: q.get('code'),
    state: q.get('state'),
    error: error ? `${error}${q.get('error_description') ? `: ${q.get('error_description')}` : ''}` : null,
  };
}
