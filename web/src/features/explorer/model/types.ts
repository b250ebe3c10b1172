/**
 * The shapes the explorer works with: Postman Collection v2.1 (loosely typed: imported files
 * carry more than we model, and every unknown field is kept as-is) and the server's explorer
 * records (`/api/explorer`, docs/explorer.md).
 */

export interface KeyValue {
  key: string;
  value: string;
  disabled?: boolean;
  description?: string;
  type?: string;
  src?: unknown;
}

export interface AuthAttribute {
  key: string;
  value: unknown;
  type?: string;
}

export interface PostmanAuth {
  type: string;
  [params: string]: unknown;
}

export interface PostmanUrlObject {
  raw?: string;
  protocol?: string;
  host?: string | string[];
  path?: string | string[];
  port?: string;
  query?: KeyValue[];
  variable?: KeyValue[];
  hash?: string;
}

export interface PostmanBody {
  mode?: 'raw' | 'urlencoded' | 'formdata' | 'file' | 'graphql' | string;
  raw?: string;
  urlencoded?: KeyValue[];
  formdata?: KeyValue[];
  options?: { raw?: { language?: string } } & Record<string, unknown>;
  [k: string]: unknown;
}

export interface PostmanRequest {
  method?: string;
  url?: string | PostmanUrlObject;
  header?: KeyValue[];
  body?: PostmanBody | null;
  auth?: PostmanAuth | null;
  description?: unknown;
  [k: string]: unknown;
}

export interface PostmanEvent {
  listen: 'prerequest' | 'test' | string;
  script?: { type?: string; exec?: string | string[] };
  disabled?: boolean;
}

export interface PostmanItem {
  id?: string;
  name?: string;
  description?: unknown;
  request?: PostmanRequest | string;
  response?: unknown[];
  event?: PostmanEvent[];
  variable?: KeyValue[];
  /** A folder (item-group) has `item` and no `request`. */
  item?: PostmanItem[];
  auth?: PostmanAuth | null;
  [k: string]: unknown;
}

export interface PostmanCollection {
  info: { _postman_id?: string; name: string; schema: string; description?: unknown; [k: string]: unknown };
  item: PostmanItem[];
  auth?: PostmanAuth | null;
  event?: PostmanEvent[];
  variable?: KeyValue[];
  /** Set by the server on the pre-installed sandbox collection. */
  _sandbox?: { app_id: number; company_id: number };
  [k: string]: unknown;
}

export interface EnvironmentValue {
  key: string;
  value: string;
  type: 'default' | 'secret';
  enabled: boolean;
}

export interface EnvironmentData {
  name: string;
  values: EnvironmentValue[];
  /** Current values (not exported), by key; win over `value`. */
  current: Record<string, string>;
  _sandbox?: { app_id: number; company_id: number };
  [k: string]: unknown;
}

export interface PresetData {
  headers: { key: string; value: string; enabled: boolean }[];
}

export interface TokenData {
  access_token: string;
  refresh_token?: string | null;
  token_type: string;
  expires_at: string | null;
  scope?: string | null;
  created_at?: string;
  collection_id?: string | null;
  /** The oauth2 settings used to get it (without the client secret). */
  auth?: Record<string, unknown>;
  /** Token Name of the dialog. */
  name?: string;
  [k: string]: unknown;
}

export interface HistoryData {
  method: string;
  url: string;
  status: number | null;
  time_ms: number;
  size: number;
  request: PostmanRequest;
  response_headers?: [string, string][];
  collection_id?: string | null;
  item_id?: string | null;
}

export interface ExplorerRecord<D> {
  id: string;
  kind: string;
  v: number;
  name: string;
  data: D;
  position: number;
  created_at: string;
  updated_at: string;
  builtin?: boolean;
}

export interface ExplorerApp {
  id: number;
  name: string;
  company_id: number | null;
  project_id: number | null;
  collection_id: string | null;
  environment_id: string | null;
}

export interface ExplorerState {
  collections: ExplorerRecord<PostmanCollection>[];
  environments: ExplorerRecord<EnvironmentData>[];
  globals: ExplorerRecord<EnvironmentData> | null;
  presets: ExplorerRecord<PresetData>[];
  tokens: ExplorerRecord<TokenData>[];
  history: ExplorerRecord<HistoryData>[];
  apps: ExplorerApp[];
}

/** What `/api/explorer/send` takes: everything resolved. */
export interface SendRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?:
    | { mode: 'raw'; raw: string }
    | { mode: 'urlencoded'; urlencoded: [string, string][] }
    | { mode: 'formdata'; formdata: [string, string][] };
  timeout_ms?: number;
}

export interface SendResponse {
  status: number;
  status_text: string;
  headers: [string, string][];
  body: string;
  body_encoding: 'utf8' | 'base64';
  size: number;
  time_ms: number;
  url: string;
}

export const COLLECTION_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
