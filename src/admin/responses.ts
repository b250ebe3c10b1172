/**
 * The answers a fault rule or a `Prefer: status=…` header forces: Procore's error body for the
 * status on the REST API, an RFC 6749 error on `/oauth/*`; 429 with the rate-limit headers and
 * `Retry-After`, 503 with `Retry-After`.
 */
import { STATUS_CODES } from 'node:http';
import {
  MESSAGES,
  badRequestBody,
  forbiddenBody,
  notFoundBody,
  tooManyRequestsBody,
  unauthorizedBody,
  unprocessableBody,
  type RestErrorBody,
} from '../api/errors.js';
import type { Settings } from '../context/settings.js';

export interface ForcedResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_client',
  403: 'access_denied',
  429: 'slow_down',
  500: 'server_error',
  503: 'temporarily_unavailable',
};

function restBody(status: number): RestErrorBody {
  switch (status) {
    case 400:
      return badRequestBody('Bad Request');
    case 401:
      return unauthorizedBody(MESSAGES.invalidToken);
    case 403:
      return forbiddenBody('Forbidden');
    case 404:
      return notFoundBody();
    case 422:
      return unprocessableBody({ base: ['is invalid'] });
    case 429:
      return tooManyRequestsBody();
    default: {
      const message = STATUS_CODES[status] ?? 'Error';
      return { code: status, message, errors: [message] };
    }
  }
}

export function forcedResponse(
  status: number,
  options: { path: string; settings: Settings; nowMs: number; retryAfterSeconds?: number },
): ForcedResponse {
  const retryAfter = Math.max(0, Math.round(options.retryAfterSeconds ?? 1));
  const headers: Record<string, string> = {};
  if (status === 429) {
    headers['X-Rate-Limit-Limit'] = String(options.settings.rateLimit.hourly);
    headers['X-Rate-Limit-Remaining'] = '0';
    headers['X-Rate-Limit-Reset'] = String(Math.ceil(options.nowMs / 1000) + retryAfter);
  }
  if (status === 429 || status === 503) headers['Retry-After'] = String(retryAfter);
  if (status === 401) headers['WWW-Authenticate'] = `Bearer realm="Procore API", error="invalid_token"`;
  if (options.path.startsWith('/oauth/')) {
    const error = OAUTH_ERRORS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request');
    return { status, headers, body: { error, error_description: `${STATUS_CODES[status] ?? 'Error'} (forced by procore-sandbox)` } };
  }
  return { status, headers, body: restBody(status) };
}
