/**
 * OAuth errors, one class per RFC 6749 / RFC 6750 / RFC 7009 error code, each carrying its HTTP
 * status and Doorkeeper's `error_description` (Procore runs Doorkeeper; procore-api.md §2.2).
 * Token, revoke and info endpoints send them as `{"error","error_description"}` JSON; the
 * authorize endpoint puts them in the redirect (or on its error page).
 *
 * @example throw new InvalidGrant();   // 400 {"error":"invalid_grant","error_description":"The provided …"}
 */
export abstract class OAuthError extends Error {
  abstract readonly error: string;
  readonly status: number = 400;
  constructor(readonly error_description: string) {
    super(error_description);
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.error_description };
  }
}

export class InvalidRequest extends OAuthError {
  readonly error = 'invalid_request';
  constructor(
    description = 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  ) {
    super(description);
  }
}

export class InvalidClient extends OAuthError {
  readonly error = 'invalid_client';
  override readonly status = 401;
  constructor(
    description = 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  ) {
    super(description);
  }
}

export class InvalidGrant extends OAuthError {
  readonly error = 'invalid_grant';
  constructor(
    description = 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  ) {
    super(description);
  }
}

export class UnauthorizedClient extends OAuthError {
  readonly error = 'unauthorized_client';
  constructor(description = 'The client is not authorized to perform this request using this method.') {
    super(description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  readonly error = 'unsupported_grant_type';
  constructor(description = 'The authorization grant type is not supported by the authorization server.') {
    super(description);
  }
}

export class UnsupportedResponseType extends OAuthError {
  readonly error = 'unsupported_response_type';
  constructor(description = 'The authorization server does not support this response type.') {
    super(description);
  }
}

export class AccessDenied extends OAuthError {
  readonly error = 'access_denied';
  override readonly status = 403;
  constructor(description = 'The resource owner or authorization server denied the request.') {
    super(description);
  }
}

/** Authorize endpoint only: shown on the error page, never redirected (RFC 6749 §4.1.2.1). */
export class InvalidRedirectUri extends OAuthError {
  readonly error = 'invalid_redirect_uri';
  constructor(description = "The requested redirect uri is malformed or doesn't match client redirect URI.") {
    super(description);
  }
}

/** RFC 6750 §3.1, for `/oauth/token/info`. */
export class InvalidToken extends OAuthError {
  readonly error = 'invalid_token';
  override readonly status = 401;
  constructor(description = 'The access token is invalid.') {
    super(description);
  }
}

/** 429: too many failed attempts (sign-in or client authentication). */
export class SlowDown extends OAuthError {
  readonly error = 'slow_down';
  override readonly status = 429;
  constructor(
    readonly retryAfterSeconds: number,
    description = 'Too many failed attempts. Please wait before trying again.',
  ) {
    super(description);
  }
}

/** 503: storage failed; never pretend success (RFC 7009 §2.2.1). */
export class TemporarilyUnavailable extends OAuthError {
  readonly error = 'temporarily_unavailable';
  override readonly status = 503;
  constructor(
    description = 'The authorization server is temporarily unable to handle the request due to a temporary overloading or maintenance of the server.',
  ) {
    super(description);
  }
}

export class ServerError extends OAuthError {
  readonly error = 'server_error';
  override readonly status = 500;
  constructor(
    description = 'The authorization server encountered an unexpected condition which prevented it from fulfilling the request.',
  ) {
    super(description);
  }
}
