/** The portal JSON API, as the web app uses it. Writes carry X-Requested-With (CSRF defence). */

export interface Developer {
  id: number;
  email: string;
  name: string;
  created_at: string;
}

// The views are the server's own types (src/portal/views.ts): one definition for both sides.
import type { Environment as EnvironmentName } from '../../src/db/schema.js';
import type { AppDetail, AppListEntry, CredentialView, SandboxUserView as SandboxUser } from '../../src/portal/views.js';

export type { AppDetail, AppListEntry, CredentialView, EnvironmentName, SandboxUser };

/** An error answer of the API: status plus `{message, field?}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Requested-With'] = 'procore-sandbox-portal';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/portal${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Is procore-sandbox still running?');
  }
  const data = (await response.json().catch(() => ({}))) as { message?: string; field?: string };
  if (!response.ok) throw new ApiError(response.status, data.message ?? `Request failed (${response.status})`, data.field);
  return data as T;
}

export const api = {
  me: () => call<{ developer: Developer }>('GET', '/me'),
  signIn: (email: string, password: string) => call<{ developer: Developer }>('POST', '/signin', { email, password }),
  signUp: (input: { email: string; password: string; name?: string }) =>
    call<{ status: string; message: string }>('POST', '/signup', input),
  signOut: () => call<{ signed_out: boolean }>('POST', '/signout'),
  listApps: () => call<{ apps: AppListEntry[] }>('GET', '/apps'),
  createApp: (name: string) => call<{ app: AppDetail }>('POST', '/apps', { name }),
  getApp: (id: number) => call<{ app: AppDetail }>('GET', `/apps/${id}`),
  updateApp: (id: number, patch: { name?: string; redirect_uris?: string[] }) => call<{ app: AppDetail }>('PATCH', `/apps/${id}`, patch),
  deleteApp: (id: number) => call<{ deleted: boolean }>('DELETE', `/apps/${id}`),
  revealSecret: (id: number, env: EnvironmentName) =>
    call<{ client_id: string; client_secret: string }>('POST', `/apps/${id}/credentials/${env}/reveal`),
  resetSecret: (id: number, env: EnvironmentName) =>
    call<{ client_id: string; client_secret: string }>('POST', `/apps/${id}/credentials/${env}/reset`),
  revealUserPassword: (id: number) => call<{ password: string }>('POST', `/apps/${id}/sandbox/password`),
  resetSandbox: (id: number) => call<{ app: AppDetail }>('POST', `/apps/${id}/sandbox/reset`),
  regenerateLinks: (id: number) => call<{ app: AppDetail }>('POST', `/apps/${id}/postman-links/regenerate`),
};
