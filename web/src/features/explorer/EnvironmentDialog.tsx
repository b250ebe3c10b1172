/**
 * The environment editor: initial and current values (current values are this account's
 * working values and are never exported), secret variables masked, and the globals.
 */
import { useEffect, useState } from 'react';
import { explorerApi } from '../../api/explorer.js';
import { Dialog } from '../../ui/Dialog.js';
import { Notice } from '../../ui/Notice.js';
import type { EnvironmentData, EnvironmentValue, ExplorerRecord } from './model/types.js';
import { useExplorer } from './store.js';

interface Row extends EnvironmentValue {
  current: string;
}

export function EnvironmentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const environments = useExplorer((s) => s.environments);
  const globals = useExplorer((s) => s.globals);
  const activeId = useExplorer((s) => s.environmentId);
  const putEnvironment = useExplorer((s) => s.putEnvironment);
  const upsertRecord = useExplorer((s) => s.upsertRecord);
  const removeRecord = useExplorer((s) => s.removeRecord);
  const [editId, setEditId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [reveal, setReveal] = useState(false);
  const [note, setNote] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const all: ExplorerRecord<EnvironmentData>[] = [...environments, ...(globals ? [globals] : [])];
  const rec = all.find((e) => e.id === editId) ?? null;

  useEffect(() => {
    if (open) setEditId((id) => id ?? activeId ?? environments[0]?.id ?? globals?.id ?? null);
  }, [open, activeId, environments, globals]);
  useEffect(() => {
    if (!rec) return;
    setName(rec.name);
    setRows(rec.data.values.map((v) => ({ ...v, current: rec.data.current[v.key] ?? '' })));
    setNote(null);
  }, [rec?.id]);

  const update = (i: number, patch: Partial<Row>) => setRows((old) => old.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const save = async () => {
    if (!rec) return;
    try {
      const kept = rows.filter((r) => r.key.trim());
      const data: EnvironmentData = {
        ...rec.data,
        name,
        values: kept.map(({ current: _c, ...v }) => ({ ...v, key: v.key.trim() })),
        current: Object.fromEntries(kept.filter((r) => r.current !== '').map((r) => [r.key.trim(), r.current])),
      };
      await putEnvironment(rec, data, name);
      setNote({ kind: 'success', text: 'Environment saved.' });
    } catch (err) {
      setNote({ kind: 'error', text: err instanceof Error ? err.message : 'Save failed' });
    }
  };
  const create = async () => {
    try {
      const r = await explorerApi.create('environments', 'New Environment', { name: 'New Environment', values: [], current: {} });
      upsertRecord('environments', r as never);
      setEditId(r.id);
    } catch (err) {
      setNote({ kind: 'error', text: err instanceof Error ? err.message : 'Could not create' });
    }
  };

  return (
    <Dialog title="Environments" open={open} onClose={onClose} wide>
      <div className="row-actions">
        <label htmlFor="env-edit-select">Edit</label>
        <select id="env-edit-select" value={editId ?? ''} onChange={(e) => setEditId(e.target.value)}>
          {environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
          {globals && <option value={globals.id}>Globals</option>}
        </select>
        <button type="button" className="btn btn-small" onClick={() => void create()}>
          New environment
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={reveal} onChange={(e) => setReveal(e.target.checked)} /> Show secret values
        </label>
      </div>
      {rec && (
        <>
          {rec.id !== globals?.id && (
            <div className="field">
              <label htmlFor="env-name">Environment name</label>
              <input id="env-name" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
          )}
          <div className="table-wrap">
            <table className="kv env-table" aria-label="Variables">
              <thead>
                <tr>
                  <th scope="col">On</th>
                  <th scope="col">Variable</th>
                  <th scope="col">Type</th>
                  <th scope="col">Initial value</th>
                  <th scope="col">Current value</th>
                  <th scope="col">
                    <span className="sr-only">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => {
                  const hidden = r.type === 'secret' && !reveal;
                  return (
                    <tr key={i}>
                      <td>
                        <input
                          type="checkbox"
                          checked={r.enabled}
                          onChange={(e) => update(i, { enabled: e.target.checked })}
                          aria-label={`Enable ${r.key}`}
                        />
                      </td>
                      <td>
                        <input
                          value={r.key}
                          onChange={(e) => update(i, { key: e.target.value })}
                          aria-label={`Variable ${i + 1}`}
                          className="mono"
                        />
                      </td>
                      <td>
                        <select
                          value={r.type}
                          onChange={(e) => update(i, { type: e.target.value as 'default' | 'secret' })}
                          aria-label={`Type of ${r.key}`}
                        >
                          <option value="default">default</option>
                          <option value="secret">secret</option>
                        </select>
                      </td>
                      <td>
                        <input
                          type={hidden ? 'password' : 'text'}
                          value={r.value}
                          onChange={(e) => update(i, { value: e.target.value })}
                          aria-label={`Initial value of ${r.key}`}
                          className="mono"
                          autoComplete="off"
                        />
                      </td>
                      <td>
                        <input
                          type={hidden ? 'password' : 'text'}
                          value={r.current}
                          onChange={(e) => update(i, { current: e.target.value })}
                          aria-label={`Current value of ${r.key}`}
                          className="mono"
                          autoComplete="off"
                          placeholder={hidden ? '' : r.value}
                        />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="btn btn-small btn-ghost-dark"
                          onClick={() => setRows((old) => old.filter((_, j) => j !== i))}
                          aria-label={`Remove ${r.key}`}
                        >
                          ×
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setRows((old) => [...old, { key: '', value: '', type: 'default', enabled: true, current: '' }])}
            >
              Add variable
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void save()}>
              Save environment
            </button>
            {rec.id !== globals?.id && (
              <button
                type="button"
                className="btn btn-danger-outline"
                onClick={async () => {
                  await removeRecord('environments', rec.id);
                  setEditId(null);
                }}
              >
                Delete environment
              </button>
            )}
          </div>
          <p className="hint">
            The current value is used when set; the initial value is what an export carries (secrets are exported empty).
          </p>
        </>
      )}
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
    </Dialog>
  );
}
