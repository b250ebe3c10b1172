/**
 * The Request Builder: method, URL bar ({{variables}} highlighted, resolved on hover), Send
 * (also Enter in the URL bar and Ctrl/Cmd+Enter anywhere in the builder), Save, Code, and the
 * Params, Headers, Body and Auth tabs.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { CodeField } from '../../ui/CodeField.js';
import { KeyValueTable, type KvRow } from '../../ui/KeyValueTable.js';
import { Notice } from '../../ui/Notice.js';
import { Tabs } from '../../ui/Tabs.js';
import { AuthEditor } from './AuthEditor.js';
import { CodeDialog } from './CodeDialog.js';
import { appIdFor } from './context.js';
import { loadPickers, useOpenApi, usePickers } from './data.js';
import { jsonBodyExtensions, urlBarExtensions, type BodyHelpers, type VariableInfo } from './editor.js';
import { pickerKind } from './model/jsoncontext.js';
import { fieldsAt, findOperation, pathOf } from './model/openapi.js';
import { METHODS, type BodyMode } from './model/request.js';
import { syncParamsFromUrl, urlWithParams } from './model/url.js';
import { resolveString } from './model/variables.js';
import { PresetsDialog } from './PresetsDialog.js';
import { useExplorer } from './store.js';

type Tab = 'params' | 'headers' | 'body' | 'auth';

export function RequestBuilder() {
  const tab = useExplorer((s) => s.tab);
  const setDraft = useExplorer((s) => s.setDraft);
  const send = useExplorer((s) => s.send);
  const save = useExplorer((s) => s.save);
  const sending = useExplorer((s) => s.sending);
  const environmentId = useExplorer((s) => s.environmentId);
  const environments = useExplorer((s) => s.environments);
  const collections = useExplorer((s) => s.collections);
  const presets = useExplorer((s) => s.presets);
  const appId = useExplorer((s) => appIdFor(s, s.tab.collectionId));
  const [selected, setSelected] = useState<Tab>('params');
  const [codeOpen, setCodeOpen] = useState(false);
  const [presetsOpen, setPresetsOpen] = useState(false);
  const [saveNote, setSaveNote] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [saveName, setSaveName] = useState<string | null>(null);
  const draft = tab.draft;
  const doc = useOpenApi();

  // Latest values for the editors' callbacks (they are created once).
  const latest = useRef({ draft, doc, appId });
  latest.current = { draft, doc, appId };

  const lookup = useMemo(
    () => () => {
      const scopes = useExplorer.getState().scopes();
      return (name: string): VariableInfo => {
        const r = resolveString(`{{${name}}}`, scopes).refs[0];
        return { value: r?.value ?? null, scope: r?.scope ?? null };
      };
    },
    [],
  );
  const urlExtensions = useMemo(() => urlBarExtensions({ lookup, onSend: () => void useExplorer.getState().send() }), [lookup]);
  const bodyHelpers = useMemo(
    () => (): BodyHelpers => ({
      fields: (path) => {
        const { doc: d, draft: dr } = latest.current;
        if (!d) return [];
        const url = resolveString(urlWithParams(dr.url, dr.params), useExplorer.getState().scopes()).value;
        const op = findOperation(d, dr.method, pathOf(url));
        return op ? fieldsAt(d, op.operation, path) : [];
      },
      ids: (kind) => loadPickers(latest.current.appId, kind),
    }),
    [],
  );
  const bodyExtensions = useMemo(
    () => jsonBodyExtensions({ helpers: bodyHelpers, onSend: () => void useExplorer.getState().send() }),
    [bodyHelpers],
  );

  const pickerKinds = useMemo(() => {
    const kinds = new Set<string>();
    for (const r of draft.params) {
      const k = pickerKind(r.key);
      if (k) kinds.add(k);
    }
    return [...kinds];
  }, [draft.params]);
  const pickers = usePickers(appId, pickerKinds);
  const suggest = (key: string) => {
    const kind = pickerKind(key);
    return kind ? (pickers[kind] ?? []).map((p) => ({ value: String(p.id), label: p.label })) : null;
  };

  const setUrl = (url: string) => setDraft((d) => (d.url === url ? d : { ...d, url, params: syncParamsFromUrl(url, d.params) }));
  const setParams = (params: KvRow[]) => setDraft((d) => ({ ...d, params, url: urlWithParams(d.url, params) }));
  const setHeaders = (headers: KvRow[]) => setDraft((d) => ({ ...d, headers }));
  const setBodyMode = (mode: BodyMode) => setDraft((d) => ({ ...d, body: { ...d.body, mode } }));

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const canSave = collections.some((c) => c.id === tab.collectionId);
  const doSave = async (name?: string) => {
    try {
      await save(name);
      setSaveNote({ kind: 'success', text: 'Saved to the collection.' });
      setSaveName(null);
    } catch (err) {
      setSaveNote({ kind: 'error', text: err instanceof Error ? err.message : 'Save failed' });
    }
  };

  const enabledHeaders = draft.headers.filter((h) => h.enabled).length;
  const enabledParams = draft.params.filter((p) => p.enabled).length;

  return (
    <section className="builder" aria-label="Request Builder" onKeyDown={onKeyDown}>
      <div className="builder-title">
        <h2 className="request-name" data-testid="request-name">
          {tab.name}
          {tab.dirty && <span className="muted small"> · edited</span>}
        </h2>
        <span className="muted small">{collections.find((c) => c.id === tab.collectionId)?.name ?? 'No collection'}</span>
      </div>
      <div className="urlbar">
        <label className="sr-only" htmlFor="method-select">
          Method
        </label>
        <select
          id="method-select"
          className={`method method-${draft.method.toLowerCase()}`}
          value={draft.method}
          onChange={(e) => setDraft((d) => ({ ...d, method: e.target.value }))}
        >
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <CodeField
          value={draft.url}
          onChange={setUrl}
          extensions={urlExtensions}
          label="Request URL"
          className="url-editor"
          refreshKey={environmentId ?? ''}
        />
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void send()}
          disabled={sending}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          title="Send (Ctrl/Cmd+Enter)"
        >
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
      <div className="builder-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => (tab.itemId ? void doSave() : setSaveName(tab.name))}
          disabled={!canSave}
          title={canSave ? 'Save to the collection' : 'Open a collection to save into'}
        >
          Save
        </button>
        <button type="button" className="btn btn-small" onClick={() => setCodeOpen(true)}>
          Code
        </button>
        <span className="muted small env-note">{environments.find((e) => e.id === environmentId)?.name ?? 'No environment'}</span>
      </div>
      {saveName !== null && (
        <form
          className="inline-form save-form"
          onSubmit={(e) => {
            e.preventDefault();
            void doSave(saveName.trim() || 'Untitled request');
          }}
        >
          <label htmlFor="save-name">Request name</label>
          <input id="save-name" value={saveName} onChange={(e) => setSaveName(e.target.value)} autoFocus />
          <button type="submit" className="btn btn-primary btn-small">
            Save request
          </button>
          <button type="button" className="btn btn-small" onClick={() => setSaveName(null)}>
            Cancel
          </button>
        </form>
      )}
      {saveNote && (
        <Notice kind={saveNote.kind} testId="save-status">
          {saveNote.text}
        </Notice>
      )}
      <Tabs<Tab>
        label="Request"
        className="builder-tabs"
        selected={selected}
        onSelect={setSelected}
        tabs={[
          { key: 'params', label: 'Params', badge: enabledParams || undefined },
          { key: 'headers', label: 'Headers', badge: enabledHeaders || undefined },
          { key: 'body', label: 'Body' },
          { key: 'auth', label: 'Auth' },
        ]}
      >
        {selected === 'params' && (
          <>
            <KeyValueTable label="Query parameters" rows={draft.params} onChange={setParams} suggest={suggest} />
            {pickerKinds.length > 0 && <p className="hint">Id parameters offer the sandbox’s real objects as you type.</p>}
          </>
        )}
        {selected === 'headers' && (
          <>
            <div className="row-actions">
              <label htmlFor="apply-preset">Header Presets</label>
              <select
                id="apply-preset"
                value=""
                onChange={(e) => {
                  const preset = presets.find((p) => p.id === e.target.value);
                  if (!preset) return;
                  setHeaders(mergeHeaders(draft.headers, preset.data.headers));
                }}
              >
                <option value="">Apply a preset…</option>
                {presets.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <button type="button" className="btn btn-small" onClick={() => setPresetsOpen(true)}>
                Manage presets
              </button>
            </div>
            <KeyValueTable label="Headers" rows={draft.headers} onChange={setHeaders} />
          </>
        )}
        {selected === 'body' && (
          <>
            <fieldset className="body-modes">
              <legend className="sr-only">Body type</legend>
              {(
                [
                  ['none', 'none'],
                  ['raw', 'raw (JSON)'],
                  ['formdata', 'form-data'],
                  ['urlencoded', 'x-www-form-urlencoded'],
                ] as [BodyMode, string][]
              ).map(([mode, label]) => (
                <label key={mode} className="radio">
                  <input type="radio" name="body-mode" checked={draft.body.mode === mode} onChange={() => setBodyMode(mode)} /> {label}
                </label>
              ))}
            </fieldset>
            {draft.body.mode === 'raw' && (
              <>
                <CodeField
                  value={draft.body.raw}
                  onChange={(raw) => setDraft((d) => (d.body.raw === raw ? d : { ...d, body: { ...d.body, raw } }))}
                  extensions={bodyExtensions}
                  label="Request body (JSON)"
                  className="body-editor"
                />
                <p className="hint">Ctrl+Space completes Procore field names (from /openapi.json) and ids of the sandbox’s real objects.</p>
              </>
            )}
            {draft.body.mode === 'formdata' && (
              <KeyValueTable
                label="Form data"
                rows={draft.body.formdata}
                onChange={(formdata) => setDraft((d) => ({ ...d, body: { ...d.body, formdata } }))}
              />
            )}
            {draft.body.mode === 'urlencoded' && (
              <KeyValueTable
                label="Form fields"
                rows={draft.body.urlencoded}
                onChange={(urlencoded) => setDraft((d) => ({ ...d, body: { ...d.body, urlencoded } }))}
              />
            )}
            {draft.body.mode === 'none' && <p className="muted small">This request has no body.</p>}
          </>
        )}
        {selected === 'auth' && (
          <AuthEditor
            level="request"
            auth={draft.auth}
            onChange={(auth) => setDraft((d) => ({ ...d, auth }))}
            collectionId={tab.collectionId}
          />
        )}
      </Tabs>
      <CodeDialog open={codeOpen} onClose={() => setCodeOpen(false)} />
      <PresetsDialog open={presetsOpen} onClose={() => setPresetsOpen(false)} />
    </section>
  );
}

/** Applying a preset sets its headers (replacing same-named ones), keeping the others. */
export function mergeHeaders(current: readonly KvRow[], preset: readonly KvRow[]): KvRow[] {
  const names = new Set(preset.map((h) => h.key.toLowerCase()));
  return [...current.filter((h) => !names.has(h.key.toLowerCase())), ...preset.map((h) => ({ ...h }))];
}
