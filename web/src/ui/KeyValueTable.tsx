import { useId } from 'react';

export interface KvRow {
  key: string;
  value: string;
  enabled: boolean;
}

/**
 * An editable key/value table (Params, Headers, form bodies): an enable toggle, key, value and
 * a remove button per row, and an always-empty last row to add one. `suggest(key)` may offer
 * values (a datalist: the pickers of real ids).
 */
export function KeyValueTable({
  label,
  rows,
  onChange,
  keyPlaceholder = 'Key',
  valuePlaceholder = 'Value',
  suggest,
  testId,
}: {
  label: string;
  rows: KvRow[];
  onChange: (rows: KvRow[]) => void;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  suggest?: (key: string) => { value: string; label: string }[] | null;
  testId?: string;
}) {
  const id = useId();
  const all = [...rows, { key: '', value: '', enabled: true }];
  const update = (i: number, patch: Partial<KvRow>) => {
    const next = all.map((r, j) => (j === i ? { ...r, ...patch } : r));
    onChange(next.filter((r, j) => j < rows.length || r.key !== '' || r.value !== ''));
  };
  return (
    <table className="kv" aria-label={label} data-testid={testId}>
      <thead>
        <tr>
          <th scope="col" className="kv-on">
            <span className="sr-only">Enabled</span>
          </th>
          <th scope="col">{keyPlaceholder}</th>
          <th scope="col">{valuePlaceholder}</th>
          <th scope="col" className="kv-del">
            <span className="sr-only">Remove</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {all.map((r, i) => {
          const isNew = i === rows.length;
          const options = !isNew && suggest ? suggest(r.key) : null;
          const listId = `${id}-list-${i}`;
          return (
            <tr key={i} className={r.enabled ? '' : 'kv-disabled'}>
              <td className="kv-on">
                {!isNew && (
                  <input
                    type="checkbox"
                    checked={r.enabled}
                    onChange={(e) => update(i, { enabled: e.target.checked })}
                    aria-label={`Enable ${r.key || 'row'}`}
                  />
                )}
              </td>
              <td>
                <input
                  value={r.key}
                  placeholder={keyPlaceholder}
                  onChange={(e) => update(i, { key: e.target.value })}
                  aria-label={`${label} key ${i + 1}`}
                  spellCheck={false}
                />
              </td>
              <td>
                <input
                  value={r.value}
                  placeholder={valuePlaceholder}
                  onChange={(e) => update(i, { value: e.target.value })}
                  aria-label={`${label} value ${r.key || i + 1}`}
                  list={options && options.length > 0 ? listId : undefined}
                  spellCheck={false}
                />
                {options && options.length > 0 && (
                  <datalist id={listId}>
                    {options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </datalist>
                )}
              </td>
              <td className="kv-del">
                {!isNew && (
                  <button
                    type="button"
                    className="btn btn-small btn-ghost-dark"
                    onClick={() => onChange(rows.filter((_, j) => j !== i))}
                    aria-label={`Remove ${r.key || 'row'}`}
                  >
                    ×
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
