/**
 * `/explorer`: the API Explorer. Left pane (History, Collections), the Request Builder and
 * the Response, with the Environment selector on top. `?app=<id>` selects that app's
 * pre-installed collection and environment (the portal's "Open in explorer").
 */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Notice } from '../../ui/Notice.js';
import { EnvironmentDialog } from './EnvironmentDialog.js';
import { PresetsDialog } from './PresetsDialog.js';
import { RequestBuilder } from './RequestBuilder.js';
import { ResponsePanel } from './ResponsePanel.js';
import { Sidebar } from './Sidebar.js';
import { useExplorer } from './store.js';
import './explorer.css';

export function ExplorerPage() {
  const [params] = useSearchParams();
  const appParam = Number(params.get('app')) || null;
  const load = useExplorer((s) => s.load);
  const loaded = useExplorer((s) => s.loaded);
  const loadError = useExplorer((s) => s.loadError);
  const environments = useExplorer((s) => s.environments);
  const environmentId = useExplorer((s) => s.environmentId);
  const setEnvironment = useExplorer((s) => s.setEnvironment);
  const [envOpen, setEnvOpen] = useState(false);
  const [presetsOpen, setPresetsOpen] = useState(false);

  useEffect(() => {
    void load(appParam);
  }, [load, appParam]);

  if (!loaded)
    return (
      <main className="page" id="main">
        <p className="muted">Loading the explorer…</p>
      </main>
    );
  if (loadError)
    return (
      <main className="page" id="main">
        <Notice kind="error" testId="explorer-error">
          {loadError}
        </Notice>
        <p>
          <Link to="/">Back to My Apps</Link>
        </p>
      </main>
    );
  return (
    <main className="explorer" id="main">
      <div className="explorer-bar">
        <h1 className="explorer-title">API Explorer</h1>
        <div className="env-picker">
          <label htmlFor="environment-select">Environment</label>
          <select id="environment-select" value={environmentId ?? ''} onChange={(e) => setEnvironment(e.target.value || null)}>
            <option value="">No environment</option>
            {environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-small" onClick={() => setEnvOpen(true)}>
            Environments
          </button>
          <button type="button" className="btn btn-small" onClick={() => setPresetsOpen(true)}>
            Header Presets
          </button>
        </div>
      </div>
      <div className="explorer-grid">
        <Sidebar />
        <div className="explorer-main">
          <RequestBuilder />
          <ResponsePanel />
        </div>
      </div>
      <EnvironmentDialog open={envOpen} onClose={() => setEnvOpen(false)} />
      <PresetsDialog open={presetsOpen} onClose={() => setPresetsOpen(false)} />
    </main>
  );
}
