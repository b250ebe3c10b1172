/** The portal JSON API (`/api/portal`), typed with the server's own view types. */
import type { Environment as EnvironmentName } from '../../../src/db/schema.js';
import type { AppDetail, AppListEntry, CredentialView, SandboxUserView as SandboxUser } from '../../../src/portal/view-types.js';
import { ApiError, callJson } from './http.js';

export interface Developer {
  id: number;
  email: string;
  name: string;
  created_at: string;
}

// The views are the server's own types (src/portal/views.ts): one definition for both sides.

export type { AppDetail, AppListEntry, CredentialView, EnvironmentName, SandboxUser };

export { ApiError };

const call = <T>(method: string, path: string, body?: unknown) => callJson<T>(method, `/api/portal${path}`, body);

export const api = {
  me: () => call<{ developer: Developer }>('GET', '/me'),
  signIn: (email: string, password: string) => call<{ developer: Developer }>('POST', '/signin', { email, password }),
  signUp: (input: { email: string; password: string; name?: string }) =>
    call<{ status: string; message: string }>('POST', '/signup', input),
  signOut: () => call<{ signed_out: boolean }>('POST', '/signout'),
  listApps: () => call<{ apps: AppListEntry[] }>('GET', '/apps'),
  createApp: (name: string) => call<{ app: AppDetail }>('POST', '/apps', { name }),
  getApp: (id: number) => call<{ app: AppDetail }>('GET', `/apps/${id}`),
  updateApp: (id: number, patch: { name?: string; redirect_uris?: string[]; grant_types?: string[] }) =>
    call<{ app: AppDetail }>('PATCH', `/apps/${id}`, patch),
  deleteApp: (id: number) => call<{ deleted: boolean }>('DELETE', `/apps/${id}`),
  revealSecret: (id: number, env: EnvironmentName) =>
    call<{ client_id: string; client_secret: string }>('POST', `/apps/${id}/credentials/${env}/reveal`),
  resetSecret: (id: number, env: EnvironmentName) =>
    call<{ client_id: string; client_secret: string }>('POST', `/apps/${id}/credentials/${env}/reset`),
  revealUserPassword: (id: number) => call<{ password: string }>('POST', `/apps/${id}/sandbox/password`),
  resetSandbox: (id: number) => call<{ app: AppDetail }>('POST', `/apps/${id}/sandbox/reset`),
  regenerateLinks: (id: number) => call<{ app: AppDetail }>('POST', `/apps/${id}/postman-links/regenerate`),
};
