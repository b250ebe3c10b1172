/**
 * Procore REST error bodies (docs/api.md). Procore has no single v1 error schema; these
 * follow the documented generic `{code, message, fields}` and the per-status shapes its OAS
 * models show. Every error is JSON, because clients call `response.json()` on every answer.
 */
export interface RestErrorBody {
  code: number;
  message: string;
  [key: string]: unknown;
}

/** 401: `{code, message, error, reason}` (OAS 401 model adds `reason` and `error`). */
export function unauthorizedBody(message: string, reason = 'invalid_token'): RestErrorBody {
  return { code: 401, message, error: message, reason };
}

/** 400 with `errors` as a list (OAS 400 model). */
export function badRequestBody(message: string, fields?: string): RestErrorBody {
  return fields ? { code: 400, message, errors: [message], fields } : { code: 400, message, errors: [message] };
}

/** 403: `{errors: "<string>"}` (OAS 403 model). */
export function forbiddenBody(message: string): RestErrorBody {
  return { code: 403, message, errors: message };
}

/** 404: `{error: "<string>"}` (OAS 404 model). Identical for "not yours" and "never existed". */
export function notFoundBody(message = 'Not Found'): RestErrorBody {
  return { code: 404, message, error: message };
}

/** 422: Rails-style field map `{errors: {field: [messages]}}`. */
export function unprocessableBody(fieldErrors: Record<string, string[]>): RestErrorBody {
  const fields = Object.keys(fieldErrors);
  return { code: 422, message: `Invalid ${fields.join(', ')}`, errors: fieldErrors, fields: fields.join(',') };
}

/** 429: Procore's message for both windows. */
export function tooManyRequestsBody(): RestErrorBody {
  return {
    code: 429,
    message: 'You have surpassed the max number of requests for an hour. Please wait until your limit resets.',
    error: 'rate_limited',
  };
}

export const MESSAGES = {
  invalidToken: 'The access token is invalid',
  missingToken: 'Missing access token: send an Authorization: Bearer <token> header',
  expiredToken: 'Your access token has expired, please use your refresh token to obtain a fresh token.',
  missingCompanyHeader: 'Missing Procore-Company-Id header!',
} as const;

/**
 * A client mistake with its status and Procore-shaped body; thrown anywhere below a route and
 * turned into JSON by the API error handler.
 *
 * @example throw ApiError.notFound();
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: RestErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  /** 400, naming the parameter when there is one. */
  static badRequest(message: string, field?: string): ApiError {
    return new ApiError(400, badRequestBody(message, field));
  }

  static missingCompanyHeader(): ApiError {
    return new ApiError(400, badRequestBody(MESSAGES.missingCompanyHeader, 'Procore-Company-Id'));
  }

  /** Rails' ParameterMissing: the wrapped root key (`rfi`, `submittal`, …) is absent. */
  static missingParam(name: string): ApiError {
    return new ApiError(400, badRequestBody(`param is missing or the value is empty: ${name}`, name));
  }

  static forbidden(message: string): ApiError {
    return new ApiError(403, forbiddenBody(message));
  }

  /** The one 404 body: the same for "belongs to another sandbox" and "never existed". */
  static notFound(): ApiError {
    return new ApiError(404, notFoundBody());
  }

  static unprocessable(fieldErrors: Record<string, string[]>): ApiError {
    return new ApiError(422, unprocessableBody(fieldErrors));
  }

  static tooManyRequests(retryAfterSeconds: number): ApiError {
    return new ApiError(429, tooManyRequestsBody(), { 'Retry-After': String(retryAfterSeconds) });
  }
}

/** Collects per-field errors of a write, then throws one 422 naming all of them. */
export class FieldErrors {
  readonly errors: Record<string, string[]> = {};

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw ApiError.unprocessable(this.errors);
  }
}

export const COMPANY_FORBIDDEN_MESSAGE = 'App is not connected to this company';
