import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, type AppDetail, type EnvironmentName } from '../../api/portal.js';
import { ConfirmButton } from '../../ui/ConfirmButton.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { CopyField } from '../../ui/CopyField.js';
import { Notice } from '../../ui/Notice.js';
import { pathTo } from '../../routes.js';
import { SecretField } from '../../ui/SecretField.js';

const GRANT_LABELS: Record<string, string> = {
  authorization_code: 'Authorization code',
  refresh_token: 'Refresh token',
  client_credentials: 'Client credentials (service account)',
  implicit: 'Implicit',
};

type Flash = { kind: 'success' | 'error'; text: string } | null;

function Credentials({ app, env, onFlash }: { app: AppDetail; env: EnvironmentName; onFlash: (f: Flash) => void }) {
  const cred = app.credentials[env];
  const [secret, setSecret] = useState<string | null>(null);
  if (!cred) return <p className="muted">No credentials.</p>;
  return (
    <>
      <div className="field-row">
        <span className="field-label">Client ID</span>
        <span className="field-value">
          <code className="mono" data-testid={`${env}-client-id`}>
            {cred.client_id}
          </code>
          <span className="field-actions">
            <CopyButton text={cred.client_id} testId={`${env}-client-id-copy`} />
          </span>
        </span>
      </div>
      <SecretField
        label="Client Secret"
        value={secret}
        onValue={setSecret}
        reveal={async () => (await api.revealSecret(app.id, env)).client_secret}
        testId={`${env}-client-secret`}
      />
      <div className="actions">
        <ConfirmButton
          testId={`${env}-reset-secret`}
          question="The old secret and every token issued with it stop working at once."
          confirmLabel="Reset client secret"
          danger
          onConfirm={async () => {
            try {
              const r = await api.resetSecret(app.id, env);
              setSecret(r.client_secret);
              onFlash({ kind: 'success', text: `New ${env} client secret generated. The old one no longer works.` });
            } catch (err) {
              onFlash({ kind: 'error', text: err instanceof Error ? err.message : 'Reset failed' });
            }
          }}
        >
          Reset client secret
        </ConfirmButton>
        {cred.rotated_at && <span className="muted small">Last reset {cred.rotated_at.replace('T', ' ').replace('Z', ' UTC')}</span>}
      </div>
    </>
  );
}

/** Opt-in to the implicit grant (off by default: a token in the URL fragment). */
function ImplicitGrant({ app, onSaved }: { app: AppDetail; onSaved: (a: AppDetail) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Shown at once, confirmed (or undone) by the server's answer.
  const [pending, setPending] = useState<boolean | null>(null);
  const on = pending ?? app.grant_types.includes('implicit');
  const toggle = async (enable: boolean) => {
    setPending(enable);
    setBusy(true);
    setError(null);
    try {
      const grant_types = enable
        ? [...app.grant_types.filter((g) => g !== 'implicit'), 'implicit']
        : app.grant_types.filter((g) => g !== 'implicit');
      const { app: updated } = await api.updateApp(app.id, { grant_types });
      onSaved(updated);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not change the grant types');
    } finally {
      setPending(null);
      setBusy(false);
    }
  };
  return (
    <div className="field-row">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={on}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
          data-testid="implicit-grant"
          aria-describedby="implicit-grant-hint"
        />{' '}
        Implicit grant
      </label>
      <span id="implicit-grant-hint" className="hint">
        Lets browser apps get a token straight from <code>/oauth/authorize</code> (<code>response_type=token</code>). Off unless you need
        it.
      </span>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function RedirectUris({ app, onSaved }: { app: AppDetail; onSaved: (a: AppDetail) => void }) {
  const [text, setText] = useState(app.redirect_uris.join('\n'));
  const [status, setStatus] = useState<Flash>(null);
  const [busy, setBusy] = useState(false);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const uris = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    setBusy(true);
    setStatus(null);
    try {
      const { app: updated } = await api.updateApp(app.id, { redirect_uris: uris });
      setText(updated.redirect_uris.join('\n'));
      onSaved(updated);
      setStatus({ kind: 'success', text: 'Redirect URIs saved.' });
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof ApiError ? err.message : 'Could not save' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} className="redirect-form">
      <label htmlFor="redirect-uris">Redirect URIs</label>
      <textarea
        id="redirect-uris"
        rows={Math.min(8, Math.max(3, text.split('\n').length + 1))}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        aria-describedby="redirect-uris-hint"
        data-testid="redirect-uris-input"
      />
      <span id="redirect-uris-hint" className="hint">
        One per line. https URLs, <code>http://localhost</code> (any port or path) and <code>urn:ietf:wg:oauth:2.0:oob</code> are allowed;
        matched exactly.
      </span>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="redirect-uris-save">
          {busy ? 'Saving…' : 'Save redirect URIs'}
        </button>
      </div>
      {status && (
        <Notice kind={status.kind} testId="redirect-uris-status">
          {status.text}
        </Notice>
      )}
    </form>
  );
}

/** `/apps/:appId`, keyed by the id so a change of app starts afresh. */
export function AppDetailRoute() {
  const { appId } = useParams();
  return <AppDetailPage key={appId} appId={Number(appId)} />;
}

export function AppDetailPage({ appId }: { appId: number }) {
  const navigate = useNavigate();
  const [app, setApp] = useState<AppDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [flash, setFlash] = useState<Flash>(null);
  const [password, setPassword] = useState<string | null>(null);

  const load = useCallback(() => {
    api.getApp(appId).then(
      (r) => setApp(r.app),
      (err: unknown) =>
        setLoadError(
          err instanceof ApiError && err.status === 404 ? 'This app does not exist or is not yours.' : 'Could not load the app.',
        ),
    );
  }, [appId]);
  useEffect(load, [load]);

  if (loadError) {
    return (
      <main className="page" id="main">
        <Notice kind="error" testId="app-error">
          {loadError}
        </Notice>
        <p>
          <Link to="/">Back to My Apps</Link>
        </p>
      </main>
    );
  }
  if (!app)
    return (
      <main className="page" id="main">
        <p className="muted">Loading…</p>
      </main>
    );
  const sb = app.sandbox;
  const download = (url: string) => `${url}?download=1`;

  return (
    <main className="page" id="main">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/">My Apps</Link> <span aria-hidden="true">/</span> <span>{app.name}</span>
      </nav>
      <div className="page-head page-head-row">
        <div>
          <h1 data-testid="app-name">{app.name}</h1>
          <p className="muted small">Created {app.created_at.replace('T', ' ').replace('Z', ' UTC')}</p>
        </div>
        <ConfirmButton
          testId="delete-app"
          question="Delete this app, its sandbox, credentials and tokens?"
          confirmLabel="Delete app"
          danger
          onConfirm={async () => {
            try {
              await api.deleteApp(app.id);
              navigate('/', { replace: true });
            } catch (err) {
              setFlash({ kind: 'error', text: err instanceof Error ? err.message : 'Delete failed' });
            }
          }}
        >
          Delete app
        </ConfirmButton>
      </div>

      {flash && (
        <Notice kind={flash.kind} testId="flash">
          {flash.text}
        </Notice>
      )}

      <div className="grid">
        <section className="card" aria-labelledby="sandbox-creds-title" data-testid="sandbox-credentials">
          <h2 id="sandbox-creds-title">Sandbox OAuth Credentials</h2>
          <p className="muted small">For the Developer Sandbox on this server: OAuth, REST API, portal and explorer share one origin.</p>
          <Credentials app={app} env="sandbox" onFlash={setFlash} />
          {sb && (
            <div className="field-row">
              <span className="field-label">Sandbox URL</span>
              <span className="field-value">
                <code className="mono" data-testid="sandbox-url">
                  {sb.sandbox_url}
                </code>
              </span>
            </div>
          )}
          <div className="field-row">
            <span className="field-label">Grant types</span>
            <ul className="chips" data-testid="grant-types">
              {app.grant_types.map((g) => (
                <li key={g} className="chip">
                  {GRANT_LABELS[g] ?? g}
                </li>
              ))}
            </ul>
          </div>
          <ImplicitGrant app={app} onSaved={setApp} />
          <RedirectUris app={app} onSaved={setApp} />
        </section>

        <section className="card" aria-labelledby="prod-creds-title" data-testid="production-credentials">
          <h2 id="prod-creds-title">Production OAuth Credentials</h2>
          <p className="muted small">
            A separate pair for the production environment (its own port, by default the sandbox port + 1). Sandbox and production
            credentials and tokens are never interchangeable.
          </p>
          <Credentials app={app} env="production" onFlash={setFlash} />
        </section>
      </div>

      {sb && (
        <section className="card" aria-labelledby="sandbox-title" data-testid="sandbox-panel">
          <h2 id="sandbox-title">Developer Sandbox</h2>
          <dl className="facts">
            <div>
              <dt>Company ID</dt>
              <dd className="mono" data-testid="company-id">
                {sb.company_id}
              </dd>
            </div>
            <div>
              <dt>Project</dt>
              <dd>1234 - Sandbox Test Project</dd>
            </div>
            <div>
              <dt>Project ID</dt>
              <dd className="mono" data-testid="project-id">
                {sb.project_id}
              </dd>
            </div>
            <div>
              <dt>Last reset</dt>
              <dd data-testid="sandbox-reset-at">{sb.reset_at ? sb.reset_at.replace('T', ' ').replace('Z', ' UTC') : 'never'}</dd>
            </div>
          </dl>

          <h3>Sandbox users</h3>
          <div className="table-wrap">
            <table className="users" data-testid="sandbox-users">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Sign-in email</th>
                  <th scope="col">Role</th>
                </tr>
              </thead>
              <tbody>
                {sb.users.map((u) => (
                  <tr key={u.id}>
                    <td>{u.name}</td>
                    <td className="mono">{u.email}</td>
                    <td>{u.is_you ? 'You (portal password)' : u.is_company_admin ? 'Company admin' : (u.job_title ?? 'Project user')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <SecretField
            label="Password (seeded users)"
            value={password}
            onValue={setPassword}
            reveal={async () => (await api.revealUserPassword(app.id)).password}
            testId="user-password"
          />
          <div className="actions">
            <ConfirmButton
              testId="reset-sandbox"
              question="Delete everything created in this sandbox and restore the seed (same IDs)?"
              confirmLabel="Reset sandbox"
              danger
              onConfirm={async () => {
                try {
                  const r = await api.resetSandbox(app.id);
                  setApp(r.app);
                  setFlash({ kind: 'success', text: 'Sandbox reset to seed.' });
                } catch (err) {
                  setFlash({ kind: 'error', text: err instanceof Error ? err.message : 'Reset failed' });
                }
              }}
            >
              Reset sandbox to seed
            </ConfirmButton>
            <Link className="btn" to={`${pathTo('explorer')}?app=${app.id}`} data-testid="open-explorer">
              Open in explorer
            </Link>
          </div>
        </section>
      )}

      {sb && (
        <section className="card" aria-labelledby="postman-title" data-testid="postman-panel">
          <h2 id="postman-title">Postman collection and environment</h2>
          <p className="muted small">
            “Procore Sandbox Test Project” (Collection v2.1) with this sandbox’s IDs and credentials filled in. Import by link in Postman
            (Import → Link) or run with Newman. The links contain a secret token: treat them like the client secret.
          </p>
          <div className="actions">
            <a className="btn btn-primary" href={download(sb.postman.collection_url)} download data-testid="download-collection">
              Download collection
            </a>
            <a className="btn btn-primary" href={download(sb.postman.environment_url)} download data-testid="download-environment">
              Download environment
            </a>
          </div>
          <CopyField id="collection-link" label="Collection link" value={sb.postman.collection_url} testId="collection-link" />
          <CopyField id="environment-link" label="Environment link" value={sb.postman.environment_url} testId="environment-link" />
          <div className="link-row">
            <span className="field-label">Newman</span>
            <pre
              className="snippet"
              data-testid="newman-command"
            >{`npx newman run "${sb.postman.collection_url}" \\\n  -e "${sb.postman.environment_url}"`}</pre>
          </div>
          <div className="actions">
            <ConfirmButton
              testId="regenerate-links"
              question="The current links stop working."
              confirmLabel="Regenerate links"
              onConfirm={async () => {
                try {
                  const r = await api.regenerateLinks(app.id);
                  setApp(r.app);
                  setFlash({ kind: 'success', text: 'New import links generated; the old ones no longer work.' });
                } catch (err) {
                  setFlash({ kind: 'error', text: err instanceof Error ? err.message : 'Could not regenerate' });
                }
              }}
            >
              Regenerate links
            </ConfirmButton>
          </div>
        </section>
      )}
    </main>
  );
}
