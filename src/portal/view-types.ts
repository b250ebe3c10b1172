/**
 * The portal's view types: what `/api/portal` answers about apps, credentials and sandboxes.
 * Types only, no imports of server code, so the web app (web/src/api/portal.ts) shares them.
 */
import type { Environment } from '../db/schema.js';

export interface AppListEntry {
  id: number;
  name: string;
  created_at: string;
  sandbox_client_id: string | null;
  company_id: number | null;
  project_id: number | null;
}

export interface CredentialView {
  environment: Environment;
  client_id: string;
  created_at: string;
  rotated_at: string | null;
}

export interface SandboxUserView {
  id: number;
  name: string;
  email: string;
  job_title: string | null;
  is_company_admin: boolean;
  /** true for the developer's own directory user (signs in with the portal password). */
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
    production_url: string | null;
    created_at: string;
    reset_at: string | null;
    users: SandboxUserView[];
    postman: { collection_url: string; environment_url: string };
    explorer_url: string;
  } | null;
}
