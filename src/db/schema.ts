/**
 * Kysely table types: the one description of what the database holds.
 *
 * Conventions shared by SQLite and PostgreSQL so one set of queries serves both:
 * - timestamps are ISO 8601 UTC strings (`2026-11-27T10:00:00Z`), dates `YYYY-MM-DD`;
 * - booleans are integers 0/1;
 * - lists and small objects are JSON text;
 * - ids inside a sandbox come from the sandbox's own id block (see `core/ids.ts`), so the same
 *   sandbox generated on a fresh database gets the same ids.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Bool = 0 | 1;

export interface DevelopersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

export interface AppsTable {
  id: Generated<number>;
  developer_id: number;
  name: string;
  /** JSON array of exact redirect URI strings. */
  redirect_uris: string;
  /** JSON array: `authorization_code`, `client_credentials`, `refresh_token`, `implicit`. */
  grant_types: string;
  created_at: string;
  updated_at: string;
}

export type Environment = 'sandbox' | 'production';

export interface AppCredentialsTable {
  id: Generated<number>;
  app_id: number;
  environment: Environment;
  client_id: string;
  /** AES-256-GCM ciphertext of the client secret, keyed outside the database. */
  secret_enc: string;
  /** HMAC-SHA256 of the secret with the server key (hex); used to verify. */
  secret_hash: string;
  created_at: string;
  rotated_at: string | null;
}

export interface SandboxesTable {
  /** Sandbox number: 1 for the first sandbox of a database. Decides the id block. */
  id: number;
  app_id: number | null;
  company_id: number;
  project_id: number;
  /** Next free id inside this sandbox's block. */
  next_id: number;
  /** The seeded users' shared password, encrypted (shown to the owner) and slow-hashed. */
  user_password_enc: string;
  user_password_hash: string;
  created_at: string;
  reset_at: string | null;
}

export interface CompaniesTable {
  id: number;
  sandbox_id: number;
  name: string;
  is_active: Bool;
  logo_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: number;
  sandbox_id: number;
  company_id: number;
  /** Sign-in email (`login` in Procore's user refs). */
  email: string;
  first_name: string;
  last_name: string;
  job_title: string | null;
  business_phone: string | null;
  mobile_phone: string | null;
  address: string | null;
  city: string | null;
  state_code: string | null;
  country_code: string | null;
  zip: string | null;
  is_employee: Bool;
  is_active: Bool;
  /** The developer this directory user stands for (their own account), if any. */
  developer_id: number | null;
  /** Company admins see every project of the company; others only their projects. */
  is_company_admin: Bool;
  /** 1 for the client-credentials service account of the company. */
  is_service_account: Bool;
  /** Own slow hash, or null to use the sandbox's shared user password. */
  password_hash: string | null;
  vendor_id: number | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  // Directory fields (migration 2026-12-02T01-directory).
  initials: string | null;
  notes: string | null;
  employee_id: string | null;
  fax_number: string | null;
  email_signature: string | null;
  origin_id: string | null;
  origin_data: string | null;
  avatar: string | null;
  business_phone_extension: number | null;
  work_classification_id: number | null;
  default_permission_template_id: number | null;
  company_permission_template_id: number | null;
}

export interface VendorsTable {
  id: number;
  sandbox_id: number;
  company_id: number;
  name: string;
  trade_name: string | null;
  is_active: Bool;
  created_at: string;
  updated_at: string;
  // Directory fields (migration 2026-12-02T01-directory); `bidding` is JSON text.
  abbreviated_name: string | null;
  address: string | null;
  city: string | null;
  zip: string | null;
  state_code: string | null;
  country_code: string | null;
  business_phone: string | null;
  mobile_phone: string | null;
  fax_number: string | null;
  email_address: string | null;
  website: string | null;
  license_number: string | null;
  labor_union: string | null;
  notes: string | null;
  origin_id: string | null;
  origin_data: string | null;
  origin_code: string | null;
  bidding: string | null;
  authorized_bidder: Generated<Bool>;
  prequalified: Generated<Bool>;
  union_member: Generated<Bool>;
  non_union_prevailing_wage: Generated<Bool>;
  primary_contact_id: number | null;
}

export interface ProjectsTable {
  id: number;
  sandbox_id: number;
  company_id: number;
  name: string;
  project_number: string;
  display_name: string;
  description: string | null;
  address: string | null;
  city: string | null;
  state_code: string | null;
  country_code: string | null;
  zip: string | null;
  county: string | null;
  time_zone: string;
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  fax: string | null;
  stage: string;
  active: Bool;
  square_feet: number | null;
  total_value: string | null;
  start_date: string | null;
  completion_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectUsersTable {
  project_id: number;
  user_id: number;
  sandbox_id: number;
  permission_template: string | null;
  created_at: string;
}

export interface TasksTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  name: string;
  task_name: string;
  wbs: string;
  row_number: number;
  parent_id: number | null;
  start_datetime: string;
  finish_datetime: string;
  percentage: number;
  color: string;
  milestone: Bool;
  critical_path: Bool;
  schedule_duration: number;
  resource_name: string | null;
  notes: string | null;
  created_by_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface BlobsTable {
  id: number;
  sandbox_id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_at: string;
}

export interface FoldersTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  parent_id: number | null;
  name: string;
  private: Bool;
  is_tracked: Bool;
  created_at: string;
  updated_at: string;
}

export interface FilesTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  folder_id: number;
  name: string;
  description: string | null;
  private: Bool;
  created_by_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface FileVersionsTable {
  id: number;
  sandbox_id: number;
  file_id: number;
  number: number;
  notes: string | null;
  blob_id: number;
  created_by_id: number | null;
  created_at: string;
}

export interface ImageCategoriesTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  name: string;
  private: Bool;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface ImagesTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  image_category_id: number;
  blob_id: number;
  thumbnail_blob_id: number;
  filename: string;
  description: string | null;
  width: number;
  height: number;
  taken_at: string | null;
  private: Bool;
  starred: Bool;
  uploader_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface DrawingAreasTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface DrawingSetsTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  name: string;
  date: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface DrawingDisciplinesTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  name: string;
  position: number;
}

export interface DrawingsTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  drawing_area_id: number;
  discipline_id: number | null;
  number: string;
  title: string;
  obsolete: Bool;
  created_at: string;
  updated_at: string;
}

export interface DrawingRevisionsTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  drawing_id: number;
  drawing_set_id: number;
  revision_number: string;
  current: Bool;
  pdf_blob_id: number;
  png_blob_id: number;
  thumbnail_blob_id: number;
  drawing_date: string | null;
  received_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface RfisTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  number: string;
  subject: string;
  status: 'open' | 'closed' | 'draft' | 'recycled';
  private: Bool;
  draft: Bool;
  reference: string | null;
  due_date: string | null;
  initiated_at: string | null;
  rfi_manager_id: number | null;
  created_by_id: number | null;
  received_from_id: number | null;
  responsible_contractor_id: number | null;
  /** JSON arrays of user ids. */
  assignee_ids: string;
  distribution_ids: string;
  /** JSON `{status, value}` objects. */
  cost_impact: string;
  schedule_impact: string;
  location_id: number | null;
  drawing_number: string | null;
  time_resolved: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RfiQuestionsTable {
  id: number;
  sandbox_id: number;
  rfi_id: number;
  body: string;
  created_by_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface RfiRepliesTable {
  id: number;
  sandbox_id: number;
  rfi_id: number;
  question_id: number;
  body: string;
  official: Bool;
  created_by_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface SubmittalsTable {
  id: number;
  sandbox_id: number;
  project_id: number;
  number: string;
  revision: string;
  title: string;
  description: string | null;
  /** Procore status ids: 1 Draft, 2 Open, 3 Closed, ... (see api/submittals). */
  status_id: number;
  type_name: string | null;
  private: Bool;
  due_date: string | null;
  issue_date: string | null;
  received_date: string | null;
  submit_by: string | null;
  submittal_manager_id: number | null;
  received_from_id: number | null;
  responsible_contractor_id: number | null;
  created_by_id: number | null;
  /** JSON array of user ids. */
  distribution_member_ids: string;
  distributed_at: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Rows of resources on `records()` storage (migration 2026-12-01T01-records). */
export interface RecordsTable {
  id: number;
  sandbox_id: number;
  /** The declaring resource's name, e.g. `inspections`. */
  resource: string;
  project_id: number | null;
  parent_id: number | null;
  /** JSON object of the resource's stored fields. */
  data: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface AuthCodesTable {
  id: Generated<number>;
  /** SHA-256 (hex) of the code; the code itself is never stored. */
  code_hash: string;
  credential_id: number;
  user_id: number;
  sandbox_id: number;
  redirect_uri: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
  /** 1 if the authorization request named its redirect_uri (migration 2026-11-27T01-oauth). */
  redirect_uri_given: Generated<Bool>;
}

export interface AccessTokensTable {
  id: Generated<number>;
  /** SHA-256 (hex) of the access token. */
  token_hash: string;
  /** SHA-256 (hex) of the refresh token, or null (client credentials). */
  refresh_token_hash: string | null;
  credential_id: number;
  environment: Environment;
  sandbox_id: number;
  user_id: number;
  /** The code this token came from, so a reused code can revoke what it issued. */
  auth_code_id: number | null;
  /** Shared by every token of one authorization (refresh chain). */
  grant_id: string;
  expires_at: string;
  refresh_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** Server-wide values (e.g. the default developer's password, sealed with the server key). */
export interface ServerMetaTable {
  key: string;
  value: string;
}

// ---- Developer portal and Postman links (migration 2026-11-27T03-portal) ----

export interface PortalSessionsTable {
  id: Generated<number>;
  /** SHA-256 (hex) of the session id; the id itself lives only in the `psb_portal` cookie. */
  session_hash: string;
  developer_id: number;
  created_at: string;
  expires_at: string;
}

export interface PostmanLinksTable {
  /** One import-link token per app. */
  app_id: number;
  /** SHA-256 (hex) of the link token (lookup). */
  token_hash: string;
  /** The token sealed with the server key, so the portal can show the link again. */
  token_enc: string;
  created_at: string;
}

// ---- Login service: sessions, consents, sign-in throttling (migration 2026-11-27T01-oauth) ----

export interface OauthSessionsTable {
  id: Generated<number>;
  /** SHA-256 (hex) of the session id; the id itself lives only in the `psb_oauth_<environment>` cookie. */
  session_hash: string;
  environment: Environment;
  user_id: number;
  sandbox_id: number;
  /** SHA-256 (hex) of the approve form's one-time token, or null once used. */
  approve_nonce_hash: string | null;
  created_at: string;
  expires_at: string;
}

export interface OauthConsentsTable {
  user_id: number;
  app_id: number;
  created_at: string;
}

/** Throttle counters (migration 2026-12-01T00-auth-throttles; see src/oauth/throttle.ts). */
export interface AuthThrottlesTable {
  /** e.g. `login:<sandbox id>:<email>`, `login-ip:<address>`, `client:<client_id>:<address>`. */
  throttle_key: string;
  /** Start of the key's current one-hour window (ms since the epoch, server clock). */
  window_start_ms: number;
  /** Attempts counted in the window (reserved before checking, given back on success). */
  attempts: number;
}

/** Named counters (`sandbox`: the last sandbox number handed out). */
export interface CountersTable {
  name: string;
  value: number;
}

// ---- API explorer (migration 2026-12-02T00-explorer) ----

/** One explorer record of a developer (see src/explorer/records.ts for kinds and versions). */
export interface ExplorerRecordsTable {
  /** UUID. */
  id: string;
  developer_id: number;
  /** `collections`, `environments`, `globals`, `presets`, `tokens` or `history`. */
  kind: string;
  /** Schema version of `data` (upgraded on read). */
  v: number;
  name: string;
  /** The record's `data` as JSON, sealed with the server key (`SecretBox.encrypt`). */
  data_enc: string;
  /** Byte length of the JSON (quota). */
  size: number;
  position: number;
  /** The app whose sandbox collection/environment this pre-installed record is, else null. */
  app_id: number | null;
  created_at: string;
  updated_at: string;
}

/** Apps whose sandbox collection and environment were pre-installed for a developer. */
export interface ExplorerInstallsTable {
  developer_id: number;
  app_id: number;
  installed_at: string;
}

/** Live rows per project of a soft-deleted list table, kept by triggers (migration 2026-12-02T00). */
export interface ListCountsTable {
  table_name: string;
  project_id: number;
  n: number;
  /** Changes whenever the project's set of live rows does. */
  version: number;
}

/** Seed file bytes, stored once by SHA-256 (`blobs.data` is empty for these). */
export interface BlobContentsTable {
  sha256: string;
  data: Buffer;
}

/** Requests counted per app+user and rate-limit window, shared by processes on one database. */
export interface RateLimitHitsTable {
  key: string;
  window_ms: number;
  window_start: number;
  hits: number;
}

export interface Database {
  counters: CountersTable;
  list_counts: ListCountsTable;
  blob_contents: BlobContentsTable;
  rate_limit_hits: RateLimitHitsTable;
  server_meta: ServerMetaTable;
  developers: DevelopersTable;
  apps: AppsTable;
  app_credentials: AppCredentialsTable;
  sandboxes: SandboxesTable;
  companies: CompaniesTable;
  vendors: VendorsTable;
  users: UsersTable;
  projects: ProjectsTable;
  project_users: ProjectUsersTable;
  tasks: TasksTable;
  blobs: BlobsTable;
  folders: FoldersTable;
  files: FilesTable;
  file_versions: FileVersionsTable;
  image_categories: ImageCategoriesTable;
  images: ImagesTable;
  drawing_areas: DrawingAreasTable;
  drawing_sets: DrawingSetsTable;
  drawing_disciplines: DrawingDisciplinesTable;
  drawings: DrawingsTable;
  drawing_revisions: DrawingRevisionsTable;
  rfis: RfisTable;
  rfi_questions: RfiQuestionsTable;
  rfi_replies: RfiRepliesTable;
  submittals: SubmittalsTable;
  records: RecordsTable;
  auth_codes: AuthCodesTable;
  access_tokens: AccessTokensTable;
  oauth_sessions: OauthSessionsTable;
  oauth_consents: OauthConsentsTable;
  auth_throttles: AuthThrottlesTable;
  portal_sessions: PortalSessionsTable;
  postman_links: PostmanLinksTable;
  explorer_records: ExplorerRecordsTable;
  explorer_installs: ExplorerInstallsTable;
}

/** Tables whose rows belong to one sandbox (deleted and re-seeded on reset). */
export const SANDBOX_TABLES = [
  'records',
  'rfi_replies',
  'rfi_questions',
  'rfis',
  'submittals',
  'drawing_revisions',
  'drawings',
  'drawing_disciplines',
  'drawing_sets',
  'drawing_areas',
  'images',
  'image_categories',
  'file_versions',
  'files',
  'folders',
  'blobs',
  'tasks',
  'project_users',
  'projects',
  'users',
  'vendors',
  'companies',
] as const satisfies readonly (keyof Database)[];

export type SandboxTable = (typeof SANDBOX_TABLES)[number];

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;
