/** Import a Postman collection (v2.0 or v2.1) or environment from a file, a link or pasted JSON. */
import { useState, type FormEvent } from 'react';
import { explorerApi } from '../../api/explorer.js';
import { Dialog } from '../../ui/Dialog.js';
import { Notice } from '../../ui/Notice.js';
import { Tabs } from '../../ui/Tabs.js';
import type { ExplorerRecord } from './model/types.js';
import { useExplorer } from './store.js';

type Source = 'file' | 'link' | 'paste';

export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [source, setSource] = useState<Source>('link');
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const upsertRecord = useExplorer((s) => s.upsertRecord);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setNote(null);
    try {
      let rec: ExplorerRecord<unknown>;
      if (source === 'link') rec = await explorerApi.importUrl(url.trim());
      else {
        const raw = source === 'file' ? await (file ?? new Blob([''])).text() : text;
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          throw new Error('That is not JSON.');
        }
        rec = await explorerApi.importJson(json);
      }
      const isEnv = rec.kind === 'environments' || (rec.data as { values?: unknown }).values !== undefined;
      upsertRecord(isEnv ? 'environments' : 'collections', rec as never);
      if (!isEnv) useExplorer.getState().selectCollection(rec.id);
      setNote({ kind: 'success', text: `Imported ${isEnv ? 'environment' : 'collection'} “${rec.name}”.` });
    } catch (err) {
      setNote({ kind: 'error', text: err instanceof Error ? err.message : 'Import failed' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Import" open={open} onClose={onClose}>
      <form onSubmit={submit}>
        <Tabs<Source>
          label="Import from"
          selected={source}
          onSelect={setSource}
          tabs={[
            { key: 'file', label: 'File' },
            { key: 'link', label: 'Link' },
            { key: 'paste', label: 'Paste JSON' },
          ]}
        >
          {source === 'file' && (
            <div className="field">
              <label htmlFor="import-file">Collection or environment file</label>
              <input id="import-file" type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </div>
          )}
          {source === 'link' && (
            <div className="field">
              <label htmlFor="import-url">Link</label>
              <input
                id="import-url"
                type="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="https://…/collection.json"
              />
              <span className="hint">Your app page’s collection link, or any allow-listed host.</span>
            </div>
          )}
          {source === 'paste' && (
            <div className="field">
              <label htmlFor="import-json">JSON</label>
              <textarea
                id="import-json"
                rows={8}
                value={text}
                onChange={(e) => setText(e.target.value)}
                spellCheck={false}
                className="mono"
              />
            </div>
          )}
        </Tabs>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
        {note && (
          <Notice kind={note.kind} testId="import-status">
            {note.text}
          </Notice>
        )}
      </form>
    </Dialog>
  );
}
