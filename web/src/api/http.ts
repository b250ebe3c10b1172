/**
 * The one fetch wrapper of the web app: JSON in and out, same-origin cookie, and the CSRF
 * header the portal and explorer APIs require on writes (`X-Requested-With`).
 */

/** The CSRF marker the server checks on every write (src/portal/index.ts `checkPortalWrite`). */
export const CSRF_HEADER = ['X-Requested-With', 'procore-sandbox-portal'] as const;

/** An error answer of an API: status plus `{message, field?, error?}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function callJson<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers[CSRF_HEADER[0]] = CSRF_HEADER[1];
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Is procore-sandbox still running?');
  }
  const data = (await response.json().catch(() => ({}))) as { message?: string; field?: string; error?: string };
  if (!response.ok) throw new ApiError(response.status, data.message ?? `Request failed (${response.status})`, data.field, data.error);
  return data as T;
}
