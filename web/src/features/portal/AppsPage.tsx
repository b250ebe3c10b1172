import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, type AppListEntry } from '../../api/portal.js';
import { pathTo } from '../../routes.js';
import { Notice } from '../../ui/Notice.js';

export function AppsPage() {
  const navigate = useNavigate();
  const [apps, setApps] = useState<AppListEntry[] | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.listApps().then(
      (r) => setApps(r.apps),
      (err: unknown) => setError(err instanceof Error ? err.message : 'Could not load apps'),
    );
  }, []);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError('Give the app a name.');
    setBusy(true);
    setError(null);
    try {
      const { app } = await api.createApp(name.trim());
      navigate(pathTo('app', { appId: app.id }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not create the app');
      setBusy(false);
    }
  };

  return (
    <main className="page" id="main">
      <div className="page-head">
        <h1>My Apps</h1>
        <p className="muted">Each app gets its own Developer Sandbox: a company with the seeded “1234 - Sandbox Test Project”.</p>
      </div>

      <section className="card" aria-labelledby="create-title">
        <h2 id="create-title">Create a new app</h2>
        <form className="inline-form" onSubmit={create}>
          <label htmlFor="app-name">App name</label>
          <input
            id="app-name"
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. RFI Sync"
            data-testid="create-app-name"
          />
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-app-submit">
            {busy ? 'Creating sandbox…' : 'Create app'}
          </button>
        </form>
        {error && (
          <Notice kind="error" testId="apps-error">
            {error}
          </Notice>
        )}
      </section>

      {apps === null && !error && <p className="muted">Loading…</p>}
      {apps !== null && apps.length === 0 && (
        <p className="muted" data-testid="apps-empty">
          No apps yet. Create one to get a sandbox.
        </p>
      )}
      {apps !== null && apps.length > 0 && (
        <ul className="app-list" data-testid="app-list">
          {apps.map((app) => (
            <li key={app.id} className="card app-card" data-testid="app-list-item">
              <Link to={pathTo('app', { appId: app.id })} className="app-card-link">
                <span className="app-card-name">{app.name}</span>
              </Link>
              <dl className="facts facts-compact">
                <div>
                  <dt>Company ID</dt>
                  <dd className="mono">{app.company_id ?? '—'}</dd>
                </div>
                <div>
                  <dt>Project ID</dt>
                  <dd className="mono">{app.project_id ?? '—'}</dd>
                </div>
                <div>
                  <dt>Sandbox Client ID</dt>
                  <dd className="mono truncate">{app.sandbox_client_id ?? '—'}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
