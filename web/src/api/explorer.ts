/**
 * The explorer's server API (`/api/explorer`, docs/explorer.md): per-developer records, the
 * allow-listed proxy, code generation, pickers and schema validation. Typed with the model's
 * record shapes (web/src/features/explorer/model/types.ts).
 */
import type {
  EnvironmentData,
  ExplorerRecord,
  ExplorerState,
  HistoryData,
  PostmanCollection,
  PostmanRequest,
  PresetData,
  SendRequest,
  SendResponse,
  TokenData,
} from '../features/explorer/model/types.js';
import type { OpenApiDocument } from '../features/explorer/model/openapi.js';
import { callJson } from './http.js';

export type RecordKind = 'collections' | 'environments' | 'globals' | 'presets' | 'tokens';
export interface KindData {
  collections: PostmanCollection;
  environments: EnvironmentData;
  globals: EnvironmentData;
  presets: PresetData;
  tokens: TokenData;
}

const base = '/api/explorer';
const call = <T>(method: string, path: string, body?: unknown) => callJson<T>(method, `${base}${path}`, body);

export interface CodegenLanguage {
  key: string;
  label: string;
  variants: string[];
}

export const explorerApi = {
  state: () => call<ExplorerState>('GET', '/state'),
  create: <K extends RecordKind>(kind: K, name: string, data: KindData[K]) =>
    call<ExplorerRecord<KindData[K]>>('POST', `/${kind}`, { name, data }),
  replace: <K extends RecordKind>(kind: K, id: string, name: string, data: KindData[K]) =>
    call<ExplorerRecord<KindData[K]>>('PUT', `/${kind}/${id}`, { name, data }),
  patch: <K extends RecordKind>(kind: K, id: string, patch: { name?: string; position?: number }) =>
    call<ExplorerRecord<KindData[K]>>('PATCH', `/${kind}/${id}`, patch),
  remove: (kind: RecordKind, id: string) => call<unknown>('DELETE', `/${kind}/${id}`),
  duplicateCollection: (id: string) => call<ExplorerRecord<PostmanCollection>>('POST', `/collections/${id}/duplicate`, {}),
  restore: (appId: number) =>
    call<{ collection: ExplorerRecord<PostmanCollection>; environment: ExplorerRecord<EnvironmentData> }>('POST', '/collections/restore', {
      app_id: appId,
    }),
  importUrl: (url: string) => call<ExplorerRecord<PostmanCollection | EnvironmentData>>('POST', '/import', { url }),
  importJson: (json: unknown) => call<ExplorerRecord<PostmanCollection | EnvironmentData>>('POST', '/import', { json }),
  exportUrl: (id: string) => `${base}/export/collections/${encodeURIComponent(id)}`,
  addHistory: (entry: HistoryData) => call<ExplorerRecord<HistoryData>>('POST', '/history', entry),
  clearHistory: () => call<unknown>('DELETE', '/history'),
  send: (request: SendRequest) => call<SendResponse>('POST', '/send', request),
  languages: () => call<CodegenLanguage[] | { languages: CodegenLanguage[] }>('GET', '/codegen/languages'),
  codegen: (language: string, variant: string, request: PostmanRequest) =>
    call<{ snippet: string }>('POST', '/codegen', { language, variant, request }),
  pickers: (appId: number, kind: string) =>
    call<{ id: number | string; label: string }[] | { items: { id: number | string; label: string }[] }>(
      'GET',
      `/pickers?app_id=${appId}&kind=${encodeURIComponent(kind)}`,
    ),
  validate: (input: { method: string; path: string; status: number; body: unknown }) =>
    call<{ operation_id: string | null; valid: boolean | null; errors: { path?: string; message: string }[] }>('POST', '/validate', input),
  openapi: () => callJson<OpenApiDocument>('GET', '/openapi.json'),
};
