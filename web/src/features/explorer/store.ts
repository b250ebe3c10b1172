/**
 * The explorer's state (zustand): the developer's records as the server holds them, the open
 * request, the last response, and the actions that change them (each writes through to
 * `/api/explorer` first, then updates the state with the server's answer).
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import { explorerApi } from '../../api/explorer.js';
import { ApiError } from '../../api/http.js';
import { addItem, findItem, newId, replaceRequest, testScriptsFor } from './model/collection.js';
import { header } from './model/http.js';
import { expiresSoon, refreshRequest, settingsFromAuth, tokenDataFrom, type FormRequest, type OAuthSettings } from './model/oauth.js';
import {
  draftFromRequest,
  emptyDraft,
  requestFromDraft,
  resolveDraft,
  withAuthParam,
  type Draft,
  type ResolvedRequest,
} from './model/request.js';
import type {
  EnvironmentData,
  ExplorerApp,
  ExplorerRecord,
  HistoryData,
  PostmanAuth,
  PostmanCollection,
  PresetData,
  SendResponse,
  TokenData,
} from './model/types.js';
import { authParam, resolveAuth, resolveDeep, scopesFor, type Scope } from './model/variables.js';
import { upgradeWorkspace, WORKSPACE_VERSION, type Workspace } from './model/workspace.js';

type Rec<D> = ExplorerRecord<D>;

export interface OpenTab {
  draft: Draft;
  name: string;
  collectionId: string | null;
  itemId: string | null;
  dirty: boolean;
}

export interface ResponseView {
  response: SendResponse;
  resolved: ResolvedRequest;
  schema?: { operation_id: string | null; valid: boolean | null; errors: { path?: string; message: string }[] } | null;
  /** Set when the token was refreshed before sending or after a 401. */
  note?: string;
}

export interface ExplorerStore {
  loaded: boolean;
  loadError: string | null;
  collections: Rec<PostmanCollection>[];
  environments: Rec<EnvironmentData>[];
  globals: Rec<EnvironmentData> | null;
  presets: Rec<PresetData>[];
  tokens: Rec<TokenData>[];
  history: Rec<HistoryData>[];
  apps: ExplorerApp[];
  environmentId: string | null;
  collectionId: string | null;
  tab: OpenTab;
  response: ResponseView | null;
  sending: boolean;
  sendError: string | null;

  load: (preferAppId?: number | null) => Promise<void>;
  setEnvironment: (id: string | null) => void;
  selectCollection: (id: string | null) => void;
  setDraft: (fn: (d: Draft) => Draft) => void;
  openItem: (collectionId: string, itemId: string) => void;
  openHistory: (id: string) => void;
  newRequest: (collectionId: string | null) => void;
  send: () => Promise<void>;
  save: (name?: string) => Promise<void>;
  putCollection: (id: string, data: PostmanCollection, name?: string) => Promise<void>;
  putEnvironment: (rec: Rec<EnvironmentData>, data: EnvironmentData, name?: string) => Promise<void>;
  upsertRecord: <K extends 'collections' | 'environments' | 'presets' | 'tokens'>(kind: K, rec: Rec<never>) => void;
  removeRecord: (kind: 'collections' | 'environments' | 'presets' | 'tokens', id: string) => Promise<void>;
  clearHistory: () => Promise<void>;
  scopes: (collectionId?: string | null) => Scope[];
  inheritedAuth: () => { auth: PostmanAuth | null; source: string };
  useToken: (token: Rec<TokenData>, target: 'collection' | 'request', collectionId: string | null) => Promise<void>;
  exchange: (req: FormRequest) => Promise<{ status: number; body: Record<string, unknown>; text: string }>;
  refreshToken: (token: Rec<TokenData>, settings: OAuthSettings) => Promise<Rec<TokenData>>;
}

const WORKSPACE_KEY = 'procore-sandbox.explorer.workspace';

function readWorkspace(): Workspace {
  try {
    return upgradeWorkspace(JSON.parse(localStorage.getItem(WORKSPACE_KEY) ?? 'null'));
  } catch {
    return upgradeWorkspace(null);
  }
}

function writeWorkspace(s: ExplorerStore): void {
  const w: Workspace = {
    v: WORKSPACE_VERSION,
    environmentId: s.environmentId,
    collectionId: s.collectionId,
    open: { draft: s.tab.draft, name: s.tab.name, collectionId: s.tab.collectionId, itemId: s.tab.itemId },
  };
  try {
    localStorage.setItem(WORKSPACE_KEY, JSON.stringify(w));
  } catch {
    /* storage full or disabled: the workspace is a convenience */
  }
}

const blankTab = (collectionId: string | null = null): OpenTab => ({
  draft: emptyDraft(),
  name: 'Untitled request',
  collectionId,
  itemId: null,
  dirty: false,
});

/** `{{name}}` → name, when the whole value is one variable reference. */
export function variableName(value: unknown): string | null {
  const m = typeof value === 'string' ? /^\s*\{\{([^{}]+)\}\}\s*$/.exec(value) : null;
  return m ? m[1]! : null;
}

export const useExplorer = create<ExplorerStore>((set, get) => ({
  loaded: false,
  loadError: null,
  collections: [],
  environments: [],
  globals: null,
  presets: [],
  tokens: [],
  history: [],
  apps: [],
  environmentId: null,
  collectionId: null,
  tab: blankTab(),
  response: null,
  sending: false,
  sendError: null,

  load: async (preferAppId) => {
    try {
      const state = await explorerApi.state();
      const w = readWorkspace();
      const preferred = preferAppId ? state.apps.find((a) => a.id === preferAppId) : undefined;
      const first = state.apps.find((a) => a.collection_id) ?? null;
      const pick = preferred ?? first;
      const has = <T extends { id: string }>(list: T[], id: string | null | undefined) => (id && list.some((r) => r.id === id) ? id : null);
      const collectionId =
        has(state.collections, preferred?.collection_id) ??
        has(state.collections, w.collectionId) ??
        has(state.collections, pick?.collection_id) ??
        state.collections[0]?.id ??
        null;
      const environmentId =
        has(state.environments, preferred?.environment_id) ??
        has(state.environments, w.environmentId) ??
        has(state.environments, pick?.environment_id) ??
        state.environments[0]?.id ??
        null;
      const tab = w.open && !preferred ? { ...w.open, dirty: false } : blankTab(collectionId);
      set({
        loaded: true,
        loadError: null,
        collections: state.collections,
        environments: state.environments,
        globals: state.globals ?? null,
        presets: state.presets,
        tokens: state.tokens,
        history: state.history,
        apps: state.apps ?? [],
        collectionId,
        environmentId,
        tab,
      });
    } catch (err) {
      set({ loaded: true, loadError: err instanceof Error ? err.message : 'Could not load the explorer' });
    }
  },

  setEnvironment: (id) => {
    set({ environmentId: id });
    writeWorkspace(get());
  },
  selectCollection: (id) => {
    set({ collectionId: id });
    writeWorkspace(get());
  },
  setDraft: (fn) => {
    set((s) => ({ tab: { ...s.tab, draft: fn(s.tab.draft), dirty: true } }));
    writeWorkspace(get());
  },
  openItem: (collectionId, itemId) => {
    const c = get().collections.find((r) => r.id === collectionId);
    const item = c ? findItem(c.data.item, itemId) : null;
    if (!item) return;
    set({
      tab: { draft: draftFromRequest(item.request), name: item.name ?? 'Request', collectionId, itemId, dirty: false },
      collectionId,
      response: null,
      sendError: null,
    });
    writeWorkspace(get());
  },
  openHistory: (id) => {
    const h = get().history.find((r) => r.id === id);
    if (!h) return;
    const collectionId = h.data.collection_id ?? null;
    const collection = get().collections.find((c) => c.id === collectionId);
    const item = collection && h.data.item_id ? findItem(collection.data.item, h.data.item_id) : null;
    set({
      tab: {
        draft: draftFromRequest(h.data.request),
        name: item?.name ?? `${h.data.method} ${h.data.url}`,
        collectionId: collection ? collectionId : null,
        itemId: item ? (h.data.item_id ?? null) : null,
        dirty: false,
      },
      response: null,
      sendError: null,
    });
    writeWorkspace(get());
  },
  newRequest: (collectionId) => {
    set({ tab: blankTab(collectionId), response: null, sendError: null });
    writeWorkspace(get());
  },

  scopes: (collectionId) => {
    const s = get();
    const cid = collectionId === undefined ? s.tab.collectionId : collectionId;
    const collection = s.collections.find((c) => c.id === cid)?.data ?? null;
    const environment = s.environments.find((e) => e.id === s.environmentId)?.data ?? null;
    return scopesFor({ globals: s.globals?.data ?? null, collection, environment });
  },
  inheritedAuth: () => {
    const s = get();
    const c = s.collections.find((r) => r.id === s.tab.collectionId);
    if (!c) return { auth: null, source: 'none' };
    const r = resolveAuth(c.data as never, s.tab.itemId ?? undefined);
    return { auth: r.auth as PostmanAuth | null, source: r.sourceName ? `${r.source} ${r.sourceName}` : r.source };
  },

  exchange: async (req) => {
    const form = new URLSearchParams(req.form);
    const sameOrigin = (() => {
      try {
        return new URL(req.url, location.href).origin === location.origin;
      } catch {
        return false;
      }
    })();
    if (sameOrigin) {
      const res = await fetch(req.url, {
        method: 'POST',
        headers: Object.fromEntries(req.headers),
        body: form.toString(),
        credentials: 'omit',
      });
      const text = await res.text();
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body, text };
    }
    const res = await explorerApi.send({
      method: 'POST',
      url: req.url,
      headers: req.headers,
      body: { mode: 'urlencoded', urlencoded: req.form },
    });
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, text: res.body };
  },

  refreshToken: async (token, settings) => {
    if (!token.data.refresh_token) throw new Error('This token has no refresh token');
    const out = await get().exchange(refreshRequest(settings, token.data.refresh_token));
    if (out.status !== 200 || typeof out.body['access_token'] !== 'string')
      throw new Error(
        `Refresh failed (${out.status}): ${String(out.body['error_description'] ?? out.body['error'] ?? out.text.slice(0, 200))}`,
      );
    const data = {
      ...tokenDataFrom(out.body, settings, Date.now(), token.data.collection_id ?? null),
      name: token.data.name ?? token.name,
    };
    const rec = await explorerApi.replace('tokens', token.id, token.name, data);
    set((s) => ({ tokens: s.tokens.map((t) => (t.id === rec.id ? rec : t)) }));
    return rec;
  },

  useToken: async (token, target, collectionId) => {
    const s = get();
    if (target === 'request') {
      const auth = s.tab.draft.auth?.type === 'oauth2' ? s.tab.draft.auth : { type: 'oauth2', oauth2: [] };
      get().setDraft((d) => ({ ...d, auth: withAuthParam(auth, 'accessToken', token.data.access_token) }));
      return;
    }
    const c = s.collections.find((r) => r.id === collectionId);
    if (!c) return;
    const auth = c.data.auth?.type === 'oauth2' ? c.data.auth : null;
    const ref = variableName(authParam(auth as never, 'accessToken'));
    if (auth && ref) {
      // The collection signs with {{access_token}}: set that variable's current value (never exported).
      const env = s.environments.find((e) => e.id === s.environmentId);
      const target = env ?? s.globals;
      if (target) {
        await get().putEnvironment(target, { ...target.data, current: { ...target.data.current, [ref]: token.data.access_token } });
        return;
      }
    }
    const next = withAuthParam(auth ?? { type: 'oauth2', oauth2: [] }, 'accessToken', token.data.access_token);
    await get().putCollection(c.id, { ...c.data, auth: next });
  },

  send: async () => {
    const s = get();
    set({ sending: true, sendError: null });
    let note: string | undefined;
    try {
      const inherited = get().inheritedAuth();
      const auth = s.tab.draft.auth ?? inherited.auth;
      const collectionId = s.tab.collectionId;
      // The token in use, if it is one of ours: refresh before it expires.
      const findToken = (): Rec<TokenData> | null => {
        if (auth?.type !== 'oauth2') return null;
        const resolved = resolveDeep(String(authParam(auth as never, 'accessToken') ?? ''), get().scopes());
        return get().tokens.find((t) => t.data.access_token === resolved) ?? null;
      };
      const settings = () => resolveDeep(settingsFromAuth(auth), get().scopes());
      const refreshAndUse = async (token: Rec<TokenData>) => {
        const fresh = await get().refreshToken(token, settings());
        await get().useToken(fresh, s.tab.draft.auth ? 'request' : 'collection', collectionId);
      };
      let token = findToken();
      if (token && token.data.refresh_token && expiresSoon(token.data, Date.now())) {
        await refreshAndUse(token);
        note = 'The access token was about to expire and was refreshed first.';
      }
      let resolved = resolveDraft(
        get().tab.draft,
        get().scopes(),
        s.tab.draft.auth ? { auth: null, source: 'none' } : get().inheritedAuth(),
      );
      let response = await explorerApi.send(resolved.send);
      token = findToken();
      if (response.status === 401 && token?.data.refresh_token) {
        try {
          await refreshAndUse(token);
          resolved = resolveDraft(
            get().tab.draft,
            get().scopes(),
            s.tab.draft.auth ? { auth: null, source: 'none' } : get().inheritedAuth(),
          );
          response = await explorerApi.send(resolved.send);
          note = 'The API answered 401: the token was refreshed and the request sent again.';
        } catch (err) {
          note = `The API answered 401 and the refresh failed: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      set({ response: { response, resolved, schema: null, ...(note ? { note } : {}) }, sending: false });
      const tab = get().tab;
      const entry: HistoryData = {
        method: resolved.send.method,
        url: resolved.send.url,
        status: response.status,
        time_ms: response.time_ms,
        size: response.size,
        // History keeps the request as written ({{vars}}, auth inherited), so reopening it re-resolves.
        request: requestFromDraft(tab.draft),
        response_headers: response.headers,
        collection_id: tab.collectionId,
        item_id: tab.itemId,
      };
      explorerApi.addHistory(entry).then(
        (rec) => set((st) => ({ history: [rec, ...st.history.filter((h) => h.id !== rec.id)].slice(0, 100) })),
        () => undefined,
      );
      // The response-schema badge.
      if ((header(response.headers, 'content-type') ?? '').includes('json')) {
        let body: unknown = null;
        try {
          body = JSON.parse(response.body);
        } catch {
          body = response.body;
        }
        let path = resolved.send.url;
        try {
          path = new URL(resolved.send.url).pathname;
        } catch {
          /* keep */
        }
        explorerApi.validate({ method: resolved.send.method, path, status: response.status, body }).then(
          (schema) => set((st) => (st.response?.response === response ? { response: { ...st.response, schema } } : {})),
          () => undefined,
        );
      }
    } catch (err) {
      set({ sending: false, sendError: err instanceof ApiError || err instanceof Error ? err.message : 'Send failed' });
    }
  },

  save: async (name) => {
    const s = get();
    const c = s.collections.find((r) => r.id === s.tab.collectionId);
    if (!c) throw new Error('Pick a collection to save into (open one from the Collections tab).');
    const item = s.tab.itemId ? findItem(c.data.item, s.tab.itemId) : null;
    const request = requestFromDraft(s.tab.draft, typeof item?.request === 'object' ? item.request : {});
    let data: PostmanCollection;
    let itemId = s.tab.itemId;
    if (item && itemId) data = replaceRequest(c.data, itemId, request, name);
    else {
      itemId = newId();
      data = addItem(c.data, null, { id: itemId, name: name ?? s.tab.name, request, response: [] });
    }
    await get().putCollection(c.id, data);
    set((st) => ({ tab: { ...st.tab, itemId, name: name ?? st.tab.name, dirty: false } }));
    writeWorkspace(get());
  },

  putCollection: async (id, data, name) => {
    const c = get().collections.find((r) => r.id === id);
    const rec = await explorerApi.replace('collections', id, name ?? c?.name ?? data.info.name, data);
    set((s) => ({ collections: s.collections.map((r) => (r.id === id ? rec : r)) }));
  },
  putEnvironment: async (rec, data, name) => {
    const kind = get().globals?.id === rec.id ? 'globals' : 'environments';
    const out = await explorerApi.replace(kind, rec.id, name ?? rec.name, data);
    if (kind === 'globals') set({ globals: out });
    else set((s) => ({ environments: s.environments.map((r) => (r.id === out.id ? out : r)) }));
  },
  upsertRecord: (kind, rec) =>
    set((s) => {
      const list = s[kind] as Rec<unknown>[];
      const next = list.some((r) => r.id === rec.id) ? list.map((r) => (r.id === rec.id ? rec : r)) : [...list, rec];
      return { [kind]: next } as Partial<ExplorerStore>;
    }),
  removeRecord: async (kind, id) => {
    await explorerApi.remove(kind, id);
    set((s) => ({ [kind]: (s[kind] as Rec<unknown>[]).filter((r) => r.id !== id) }) as Partial<ExplorerStore>);
    if (kind === 'collections' && get().collectionId === id) set({ collectionId: get().collections[0]?.id ?? null });
  },
  clearHistory: async () => {
    await explorerApi.clearHistory();
    set({ history: [] });
  },
}));

/** Test scripts of the open request (for the Runner and the response's Tests line). */
export function scriptsForTab(s: ExplorerStore): string[] {
  const c = s.collections.find((r) => r.id === s.tab.collectionId);
  return c && s.tab.itemId ? testScriptsFor(c.data, s.tab.itemId) : [];
}

// Hooks for derived values: selectors must return stable values (zustand compares with
// Object.is), so derived objects are memoized over the raw state they read.

/** The variable scopes of the open request (or of `collectionId`). */
export function useScopes(collectionId?: string | null): Scope[] {
  const collections = useExplorer((s) => s.collections);
  const environments = useExplorer((s) => s.environments);
  const globals = useExplorer((s) => s.globals);
  const environmentId = useExplorer((s) => s.environmentId);
  const tabCollectionId = useExplorer((s) => s.tab.collectionId);
  return useMemo(
    () => useExplorer.getState().scopes(collectionId),
    [collections, environments, globals, environmentId, tabCollectionId, collectionId],
  );
}

/** The auth the open request inherits from its folder or collection. */
export function useInheritedAuth(): { auth: PostmanAuth | null; source: string } {
  const collections = useExplorer((s) => s.collections);
  const collectionId = useExplorer((s) => s.tab.collectionId);
  const itemId = useExplorer((s) => s.tab.itemId);
  return useMemo(() => useExplorer.getState().inheritedAuth(), [collections, collectionId, itemId]);
}

/** Test scripts of the open request. */
export function useTabScripts(): string[] {
  const collections = useExplorer((s) => s.collections);
  const collectionId = useExplorer((s) => s.tab.collectionId);
  const itemId = useExplorer((s) => s.tab.itemId);
  return useMemo(() => scriptsForTab(useExplorer.getState()), [collections, collectionId, itemId]);
}
