/** A collection's settings: its Auth (inherited by requests that say "inherit") and its variables. */
import { useEffect, useState } from 'react';
import { Dialog } from '../../ui/Dialog.js';
import { KeyValueTable, type KvRow } from '../../ui/KeyValueTable.js';
import { Notice } from '../../ui/Notice.js';
import { Tabs } from '../../ui/Tabs.js';
import { AuthEditor } from './AuthEditor.js';
import type { ExplorerRecord, PostmanAuth, PostmanCollection } from './model/types.js';
import { useExplorer } from './store.js';

type Tab = 'auth' | 'variables';

export function CollectionSettingsDialog({
  open,
  onClose,
  record,
}: {
  open: boolean;
  onClose: () => void;
  record: ExplorerRecord<PostmanCollection>;
}) {
  const putCollection = useExplorer((s) => s.putCollection);
  const [tab, setTab] = useState<Tab>('auth');
  const [auth, setAuth] = useState<PostmanAuth | null>(record.data.auth ?? null);
  const [vars, setVars] = useState<KvRow[]>([]);
  const [note, setNote] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  useEffect(() => {
    if (!open) return;
    setAuth(record.data.auth ?? null);
    setVars((record.data.variable ?? []).map((v) => ({ key: v.key, value: String(v.value ?? ''), enabled: !v.disabled })));
    setNote(null);
  }, [open, record]);
  const save = async () => {
    try {
      const variable = vars
        .filter((v) => v.key)
        .map((v) => ({ key: v.key, value: v.value, type: 'string', ...(v.enabled ? {} : { disabled: true }) }));
      const data: PostmanCollection = { ...record.data, variable };
      if (auth) data.auth = auth;
      else delete data.auth;
      await putCollection(record.id, data);
      setNote({ kind: 'success', text: 'Collection saved.' });
    } catch (err) {
      setNote({ kind: 'error', text: err instanceof Error ? err.message : 'Save failed' });
    }
  };
  return (
    <Dialog
      title={`${record.name} settings`}
      open={open}
      onClose={onClose}
      wide
      footer={
        <>
          {note && <Notice kind={note.kind}>{note.text}</Notice>}
          <button type="button" className="btn btn-primary" onClick={() => void save()}>
            Save
          </button>
        </>
      }
    >
      <Tabs<Tab>
        label="Collection settings"
        selected={tab}
        onSelect={setTab}
        tabs={[
          { key: 'auth', label: 'Auth' },
          { key: 'variables', label: 'Variables' },
        ]}
      >
        {tab === 'auth' && <AuthEditor level="collection" auth={auth} onChange={setAuth} collectionId={record.id} />}
        {tab === 'variables' && (
          <>
            <p className="muted small">Collection variables: used when neither the environment nor a local value defines the name.</p>
            <KeyValueTable label="Collection variables" rows={vars} onChange={setVars} keyPlaceholder="Variable" valuePlaceholder="Value" />
          </>
        )}
      </Tabs>
    </Dialog>
  );
}
