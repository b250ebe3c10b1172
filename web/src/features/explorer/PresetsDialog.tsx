/** Header Presets: named, reusable sets of headers (create, edit, delete; applied from the Headers tab). */
import { useEffect, useState } from 'react';
import { explorerApi } from '../../api/explorer.js';
import { Dialog } from '../../ui/Dialog.js';
import { KeyValueTable, type KvRow } from '../../ui/KeyValueTable.js';
import { Notice } from '../../ui/Notice.js';
import { useExplorer } from './store.js';

const SUGGESTED: { name: string; headers: KvRow[] }[] = [
  { name: 'JSON', headers: [{ key: 'Content-Type', value: 'application/json', enabled: true }] },
  { name: 'Procore company', headers: [{ key: 'Procore-Company-Id', value: '{{company_id}}', enabled: true }] },
];

export function PresetsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const presets = useExplorer((s) => s.presets);
  const upsertRecord = useExplorer((s) => s.upsertRecord);
  const removeRecord = useExplorer((s) => s.removeRecord);
  const [editing, setEditing] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [headers, setHeaders] = useState<KvRow[]>([]);
  const [note, setNote] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  useEffect(() => {
    if (!open) return;
    setNote(null);
  }, [open]);

  const edit = (id: string | null, preset?: { name: string; headers: KvRow[] }) => {
    setEditing(id ?? 'new');
    setName(preset?.name ?? '');
    setHeaders(preset?.headers.map((h) => ({ ...h })) ?? []);
  };
  const save = async () => {
    try {
      if (!name.trim()) throw new Error('Give the preset a name.');
      const data = { headers: headers.filter((h) => h.key.trim()).map((h) => ({ key: h.key.trim(), value: h.value, enabled: h.enabled })) };
      const rec =
        editing && editing !== 'new'
          ? await explorerApi.replace('presets', editing, name.trim(), data)
          : await explorerApi.create('presets', name.trim(), data);
      upsertRecord('presets', rec as never);
      setEditing(rec.id);
      setNote({ kind: 'success', text: `Preset “${rec.name}” saved.` });
    } catch (err) {
      setNote({ kind: 'error', text: err instanceof Error ? err.message : 'Save failed' });
    }
  };

  return (
    <Dialog title="Header Presets" open={open} onClose={onClose} wide>
      <div className="presets">
        <ul className="preset-list" aria-label="Presets">
          {presets.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className={editing === p.id ? 'active' : ''}
                onClick={() => edit(p.id, { name: p.name, headers: p.data.headers })}
              >
                {p.name} <span className="muted small">({p.data.headers.length})</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => edit(null)}>
            New preset
          </button>
          {SUGGESTED.filter((s) => !presets.some((p) => p.name === s.name)).map((s) => (
            <button key={s.name} type="button" className="btn btn-small" onClick={() => edit(null, s)}>
              Start from “{s.name}”
            </button>
          ))}
        </div>
        {editing && (
          <div className="preset-editor">
            <div className="field">
              <label htmlFor="preset-name">Preset name</label>
              <input id="preset-name" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <KeyValueTable label="Preset headers" rows={headers} onChange={setHeaders} />
            <div className="actions">
              <button type="button" className="btn btn-primary" onClick={() => void save()}>
                Save preset
              </button>
              {editing !== 'new' && (
                <button
                  type="button"
                  className="btn btn-danger-outline"
                  onClick={async () => {
                    await removeRecord('presets', editing);
                    setEditing(null);
                  }}
                >
                  Delete preset
                </button>
              )}
            </div>
          </div>
        )}
        {note && (
          <Notice kind={note.kind} testId="preset-status">
            {note.text}
          </Notice>
        )}
      </div>
    </Dialog>
  );
}
