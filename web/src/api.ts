/** The portal JSON API, as the web app uses it. Writes carry X-Requested-With (CSRF defence). */

export interface Developer {
  id: number;
  email: string;
  name: string;
  created_at: string;
}

export interface AppListEntry {
  id: number;
  name: string;
  created_at: string;
  sandbox_client_id: string | null;
  company_id: number | null;
  project_id: number | null;
}

export type EnvironmentName = 'sandbox' | 'production';

export interface CredentialView {
  environment: EnvironmentName;
  client_id: string;
  created_at: string;
  rotated_at: string | null;
}

export interface SandboxUser {
  id: number;
  name: string;
  email: string;
  job_title: string | null;
  is_company_admin: boolean;
  is_you: boolean;
}

export interface AppDetail {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  redirect_uris: string[];
  grant_types: string[];
  credentials: { sandbox: CredentialView | null; production: CredentialView | null };
  sandbox: {
    id: number;
    company_id: number;
    project_id: number;
    sandbox_url: string;
    created_at: string;
    reset_at: string | null;
    users: SandboxUser[];
    postman: { collection_url: string; environment_url: string };
    explorer_url: string;
  } | null;
}

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
  signUp: (input: { email: string; password: string; name?: string }) => call<{ developer: Developer }>('POST', '/signup', input),
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
