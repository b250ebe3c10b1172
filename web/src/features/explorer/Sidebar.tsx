/**
 * The left pane: History (every request sent; click to reopen; clear) and Collections
 * (folders and requests; create, rename, duplicate, delete, reorder; Import; export v2.1;
 * collection Auth and variables; Run).
 */
import { useState } from 'react';
import { explorerApi } from '../../api/explorer.js';
import { Notice } from '../../ui/Notice.js';
import { Tabs } from '../../ui/Tabs.js';
import { CollectionSettingsDialog } from './CollectionSettingsDialog.js';
import { ImportDialog } from './ImportDialog.js';
import { deleteItem, duplicateItem, emptyCollection, isFolder, moveItem, renameItem } from './model/collection.js';
import { statusLine } from './model/http.js';
import type { ExplorerRecord, PostmanCollection, PostmanItem } from './model/types.js';
import { RunnerDialog } from './RunnerDialog.js';
import { useExplorer } from './store.js';

type Pane = 'history' | 'collections';

export function Sidebar() {
  const [pane, setPane] = useState<Pane>('collections');
  const history = useExplorer((s) => s.history);
  return (
    <aside className="sidebar" aria-label="History and collections">
      <Tabs<Pane>
        label="Left pane"
        selected={pane}
        onSelect={setPane}
        tabs={[
          { key: 'history', label: 'History', badge: history.length || undefined },
          { key: 'collections', label: 'Collections' },
        ]}
      >
        {pane === 'history' ? <HistoryPane /> : <CollectionsPane />}
      </Tabs>
    </aside>
  );
}

function HistoryPane() {
  const history = useExplorer((s) => s.history);
  const openHistory = useExplorer((s) => s.openHistory);
  const clearHistory = useExplorer((s) => s.clearHistory);
  if (history.length === 0) return <p className="muted small">Requests you send appear here.</p>;
  return (
    <>
      <ul className="history" aria-label="Sent requests">
        {history.map((h) => (
          <li key={h.id}>
            <button type="button" className="history-entry" onClick={() => openHistory(h.id)}>
              <span className={`method-tag method-${h.data.method.toLowerCase()}`}>{h.data.method}</span>
              <span className="history-url mono">{h.data.url.replace(/^https?:\/\/[^/]+/, '')}</span>
              <span className={`small ${h.data.status !== null && h.data.status < 400 ? 'ok' : 'bad'}`}>
                {h.data.status === null ? 'error' : statusLine(h.data.status)}
              </span>
              <span className="muted small">{Math.round(h.data.time_ms)} ms</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-small" onClick={() => void clearHistory()}>
        Clear history
      </button>
    </>
  );
}

function CollectionsPane() {
  const collections = useExplorer((s) => s.collections);
  const upsertRecord = useExplorer((s) => s.upsertRecord);
  const [importOpen, setImportOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    try {
      const rec = await explorerApi.create('collections', 'New Collection', emptyCollection('New Collection'));
      upsertRecord('collections', rec as never);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not create');
    }
  };
  return (
    <>
      <div className="row-actions">
        <button type="button" className="btn btn-small" onClick={() => setImportOpen(true)}>
          Import
        </button>
        <button type="button" className="btn btn-small" onClick={() => void create()}>
          New collection
        </button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {collections.length === 0 && <p className="muted small">No collections. Import one, or restore your sandbox’s from its app page.</p>}
      <ul className="collections" aria-label="Collections">
        {collections.map((c, i) => (
          <CollectionNode key={c.id} record={c} index={i} count={collections.length} />
        ))}
      </ul>
      <ImportDialog open={importOpen} onClose={() => setImportOpen(false)} />
    </>
  );
}

function CollectionNode({ record, index, count }: { record: ExplorerRecord<PostmanCollection>; index: number; count: number }) {
  const selected = useExplorer((s) => s.collectionId === record.id);
  const selectCollection = useExplorer((s) => s.selectCollection);
  const putCollection = useExplorer((s) => s.putCollection);
  const removeRecord = useExplorer((s) => s.removeRecord);
  const upsertRecord = useExplorer((s) => s.upsertRecord);
  const newRequest = useExplorer((s) => s.newRequest);
  const collections = useExplorer((s) => s.collections);
  const [open, setOpen] = useState(selected);
  const [menu, setMenu] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [settings, setSettings] = useState(false);
  const [runner, setRunner] = useState<{ folderId: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = record.name;
  const act = async (fn: () => Promise<unknown>) => {
    setMenu(false);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Failed');
    }
  };
  const reorder = (delta: -1 | 1) =>
    act(async () => {
      const other = collections[index + delta];
      if (!other) return;
      await explorerApi.patch('collections', record.id, { position: other.position });
      await explorerApi.patch('collections', other.id, { position: record.position });
      const fresh = await explorerApi.state();
      useExplorer.setState({ collections: fresh.collections });
    });
  return (
    <li className={`collection${selected ? ' collection-selected' : ''}`}>
      <div className="node-row">
        <button
          type="button"
          className="node-toggle"
          aria-expanded={open}
          onClick={() => {
            setOpen(!open);
            selectCollection(record.id);
          }}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {name}
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost-dark"
          aria-haspopup="true"
          aria-expanded={menu}
          aria-label={`Actions for ${name}`}
          onClick={() => setMenu(!menu)}
        >
          ⋯
        </button>
      </div>
      {menu && (
        <div className="node-menu" role="group" aria-label={`${name} actions`}>
          <button type="button" onClick={() => (setMenu(false), setSettings(true))}>
            Auth
          </button>
          <button type="button" onClick={() => (setMenu(false), setRunner({ folderId: null }))}>
            Run
          </button>
          <button type="button" onClick={() => (setMenu(false), selectCollection(record.id), newRequest(record.id))}>
            New request
          </button>
          <button type="button" onClick={() => (setMenu(false), setRenaming(name))}>
            Rename
          </button>
          <button
            type="button"
            onClick={() => act(async () => upsertRecord('collections', (await explorerApi.duplicateCollection(record.id)) as never))}
          >
            Duplicate
          </button>
          <button type="button" disabled={index === 0} onClick={() => reorder(-1)}>
            Move up
          </button>
          <button type="button" disabled={index === count - 1} onClick={() => reorder(1)}>
            Move down
          </button>
          <a href={explorerApi.exportUrl(record.id)} download onClick={() => setMenu(false)}>
            Export v2.1
          </a>
          <button type="button" className="danger" onClick={() => act(() => removeRecord('collections', record.id))}>
            Delete
          </button>
        </div>
      )}
      {renaming !== null && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const n = renaming.trim();
            setRenaming(null);
            if (n) void act(() => putCollection(record.id, { ...record.data, info: { ...record.data.info, name: n } }, n));
          }}
        >
          <label htmlFor={`rename-${record.id}`} className="sr-only">
            New name
          </label>
          <input id={`rename-${record.id}`} value={renaming} onChange={(e) => setRenaming(e.target.value)} autoFocus />
          <button type="submit" className="btn btn-small">
            Rename
          </button>
        </form>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {open && <ItemTree items={record.data.item} record={record} onRun={(folderId) => setRunner({ folderId })} />}
      <CollectionSettingsDialog open={settings} onClose={() => setSettings(false)} record={record} />
      {runner && <RunnerDialog open onClose={() => setRunner(null)} record={record} folderId={runner.folderId} />}
    </li>
  );
}

function ItemTree({
  items,
  record,
  onRun,
}: {
  items: PostmanItem[];
  record: ExplorerRecord<PostmanCollection>;
  onRun: (folderId: string) => void;
}) {
  return (
    <ul className="items">
      {items.map((it) => (
        <ItemNode key={it.id ?? it.name} item={it} record={record} onRun={onRun} />
      ))}
    </ul>
  );
}

function ItemNode({
  item,
  record,
  onRun,
}: {
  item: PostmanItem;
  record: ExplorerRecord<PostmanCollection>;
  onRun: (folderId: string) => void;
}) {
  const openItem = useExplorer((s) => s.openItem);
  const putCollection = useExplorer((s) => s.putCollection);
  const active = useExplorer((s) => s.tab.itemId === item.id && s.tab.collectionId === record.id);
  const [open, setOpen] = useState(false);
  const [menu, setMenu] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const folder = isFolder(item);
  const id = item.id ?? '';
  const edit = (fn: (c: PostmanCollection) => PostmanCollection) => {
    setMenu(false);
    void putCollection(record.id, fn(record.data));
  };
  const method = typeof item.request === 'object' ? (item.request.method ?? 'GET') : 'GET';
  return (
    <li>
      <div className="node-row">
        {folder ? (
          <button type="button" className="node-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> {item.name}
          </button>
        ) : (
          <button
            type="button"
            className={`node-request${active ? ' active' : ''}`}
            onClick={() => openItem(record.id, id)}
            aria-current={active ? 'true' : undefined}
          >
            <span className={`method-tag method-${method.toLowerCase()}`}>{method}</span> {item.name}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small btn-ghost-dark"
          aria-label={`Actions for ${item.name}`}
          aria-expanded={menu}
          onClick={() => setMenu(!menu)}
        >
          ⋯
        </button>
      </div>
      {menu && (
        <div className="node-menu" role="group" aria-label={`${item.name} actions`}>
          {folder && (
            <button type="button" onClick={() => (setMenu(false), onRun(id))}>
              Run
            </button>
          )}
          <button type="button" onClick={() => (setMenu(false), setRenaming(item.name ?? ''))}>
            Rename
          </button>
          <button type="button" onClick={() => edit((c) => duplicateItem(c, id))}>
            Duplicate
          </button>
          <button type="button" onClick={() => edit((c) => moveItem(c, id, -1))}>
            Move up
          </button>
          <button type="button" onClick={() => edit((c) => moveItem(c, id, 1))}>
            Move down
          </button>
          <button type="button" className="danger" onClick={() => edit((c) => deleteItem(c, id))}>
            Delete
          </button>
        </div>
      )}
      {renaming !== null && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const n = renaming.trim();
            setRenaming(null);
            if (n) edit((c) => renameItem(c, id, n));
          }}
        >
          <label htmlFor={`rename-${id}`} className="sr-only">
            New name
          </label>
          <input id={`rename-${id}`} value={renaming} onChange={(e) => setRenaming(e.target.value)} autoFocus />
          <button type="submit" className="btn btn-small">
            Rename
          </button>
        </form>
      )}
      {folder && open && <ItemTree items={item.item ?? []} record={record} onRun={onRun} />}
    </li>
  );
}
