/**
 * The Auth tab of a request and of a collection: inherit (requests only), No Auth, Bearer
 * Token, OAuth 2.0. OAuth 2.0 shows the token in use, Get New Access Token (the dialog) and
 * Manage Access Tokens (list with expiry; Use Token, Refresh, Delete).
 */
import { useState } from 'react';
import { Notice } from '../../ui/Notice.js';
import { authBlock, withAuthParam } from './model/request.js';
import { settingsFromAuth } from './model/oauth.js';
import type { ExplorerRecord, PostmanAuth, TokenData } from './model/types.js';
import { authParam, resolveDeep, resolveString } from './model/variables.js';
import { useExplorer, useInheritedAuth, useScopes, variableName } from './store.js';
import { TokenDialog } from './TokenDialog.js';

const TYPE_LABELS: [string, string][] = [
  ['inherit', 'Inherit auth from parent'],
  ['noauth', 'No Auth'],
  ['bearer', 'Bearer Token'],
  ['oauth2', 'OAuth 2.0'],
];

export function AuthEditor({
  level,
  auth,
  onChange,
  collectionId,
}: {
  level: 'request' | 'collection';
  auth: PostmanAuth | null;
  onChange: (auth: PostmanAuth | null) => void;
  collectionId: string | null;
}) {
  const inherited = useInheritedAuth();
  const [dialogOpen, setDialogOpen] = useState(false);
  const type = auth?.type ?? (level === 'request' ? 'inherit' : 'noauth');
  const types = level === 'request' ? TYPE_LABELS : TYPE_LABELS.filter(([k]) => k !== 'inherit');
  const setType = (t: string) => {
    if (t === 'inherit') onChange(null);
    else if (t === 'noauth') onChange({ type: 'noauth' });
    else if (t === 'bearer') onChange(authBlock('bearer', { token: '' }));
    else
      onChange(
        auth?.type === 'oauth2'
          ? auth
          : authBlock('oauth2', { accessToken: '', addTokenTo: 'header', headerPrefix: 'Bearer', grant_type: 'authorization_code' }),
      );
  };
  const selectId = `auth-type-${level}`;
  return (
    <div className="auth-editor">
      <div className="field">
        <label htmlFor={selectId}>Auth type</label>
        <select id={selectId} value={type} onChange={(e) => setType(e.target.value)}>
          {types.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {type === 'inherit' && (
        <p className="muted small" data-testid="auth-inherited">
          {inherited.auth
            ? `Uses ${inherited.auth.type === 'oauth2' ? 'OAuth 2.0' : inherited.auth.type} from the ${inherited.source}.`
            : 'Nothing to inherit: no auth is set on the folder or the collection.'}
        </p>
      )}
      {type === 'noauth' && <p className="muted small">No Authorization header is sent.</p>}
      {type === 'bearer' && auth && (
        <div className="field">
          <label htmlFor={`${selectId}-token`}>Token</label>
          <input
            id={`${selectId}-token`}
            className="mono"
            value={String(authParam(auth as never, 'token') ?? '')}
            onChange={(e) => onChange(withAuthParam(auth, 'token', e.target.value))}
          />
        </div>
      )}
      {type === 'oauth2' && auth && (
        <>
          <OAuthCurrent auth={auth} onChange={onChange} idPrefix={selectId} collectionId={collectionId} />
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={() => setDialogOpen(true)}>
              Get New Access Token
            </button>
          </div>
          <TokenList auth={auth} level={level} collectionId={collectionId} />
          <TokenDialog open={dialogOpen} onClose={() => setDialogOpen(false)} auth={auth} level={level} collectionId={collectionId} />
        </>
      )}
    </div>
  );
}

function OAuthCurrent({
  auth,
  onChange,
  idPrefix,
  collectionId,
}: {
  auth: PostmanAuth;
  onChange: (a: PostmanAuth) => void;
  idPrefix: string;
  collectionId: string | null;
}) {
  const scopes = useScopes(collectionId);
  const raw = String(authParam(auth as never, 'accessToken') ?? '');
  const ref = variableName(raw);
  const resolved = resolveString(raw, scopes);
  const value = resolved.value;
  const tokenShown = value && !value.includes('{{') ? `${value.slice(0, 8)}…${value.slice(-4)}` : '(none)';
  return (
    <div className="oauth-current">
      <div className="field">
        <label htmlFor={`${idPrefix}-access-token`}>Access Token</label>
        <input
          id={`${idPrefix}-access-token`}
          className="mono"
          value={raw}
          onChange={(e) => onChange(withAuthParam(auth, 'accessToken', e.target.value))}
        />
        <span className="hint" data-testid="current-token">
          {ref ? `{{${ref}}} ` : ''}
          {resolved.refs[0]?.value === null
            ? 'is not set yet: get a token and Use Token.'
            : `in use: ${tokenShown}${resolved.refs[0]?.scope ? ` (from ${resolved.refs[0].scope})` : ''}`}
        </span>
      </div>
      <div className="field-pair">
        <div className="field">
          <label htmlFor={`${idPrefix}-prefix`}>Header Prefix</label>
          <input
            id={`${idPrefix}-prefix`}
            value={String(authParam(auth as never, 'headerPrefix') ?? 'Bearer')}
            onChange={(e) => onChange(withAuthParam(auth, 'headerPrefix', e.target.value))}
          />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-add-to`}>Add token to</label>
          <select
            id={`${idPrefix}-add-to`}
            value={String(authParam(auth as never, 'addTokenTo') ?? 'header')}
            onChange={(e) => onChange(withAuthParam(auth, 'addTokenTo', e.target.value))}
          >
            <option value="header">Request Headers</option>
            <option value="queryParams">Request URL</option>
          </select>
        </div>
      </div>
    </div>
  );
}

export function expiryText(token: TokenData, now = Date.now()): string {
  if (!token.expires_at) return 'no expiry';
  const ms = Date.parse(token.expires_at) - now;
  if (ms <= 0) return 'expired';
  const min = Math.round(ms / 60000);
  return min >= 60 ? `expires in ${Math.floor(min / 60)} h ${min % 60} min` : `expires in ${min} min`;
}

/** Manage Access Tokens. */
export function TokenList({
  auth,
  level,
  collectionId,
}: {
  auth: PostmanAuth;
  level: 'request' | 'collection';
  collectionId: string | null;
}) {
  const tokens = useExplorer((s) => s.tokens);
  const useToken = useExplorer((s) => s.useToken);
  const refreshToken = useExplorer((s) => s.refreshToken);
  const removeRecord = useExplorer((s) => s.removeRecord);
  const scopes = useScopes(collectionId);
  const [note, setNote] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const mine = tokens.filter((t) => !collectionId || !t.data.collection_id || t.data.collection_id === collectionId);
  const inUse = resolveString(String(authParam(auth as never, 'accessToken') ?? ''), scopes).value;
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      setNote({ kind: 'success', text: ok });
    } catch (err) {
      setNote({ kind: 'error', text: err instanceof Error ? err.message : 'Failed' });
    }
  };
  return (
    <section className="tokens" aria-label="Manage Access Tokens">
      <h3>Manage Access Tokens</h3>
      {mine.length === 0 && <p className="muted small">No tokens yet.</p>}
      {mine.length > 0 && (
        <ul className="token-list">
          {mine.map((t: ExplorerRecord<TokenData>) => (
            <li key={t.id} className={t.data.access_token === inUse ? 'token token-in-use' : 'token'}>
              <span className="token-name">{t.name}</span>
              <span className="muted small">
                {expiryText(t.data)}
                {t.data.refresh_token ? ' · refreshable' : ''}
                {t.data.access_token === inUse ? ' · in use' : ''}
              </span>
              <span className="token-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => act(() => useToken(t, level, collectionId), `Using “${t.name}”.`)}
                >
                  Use Token
                </button>
                {t.data.refresh_token && (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() =>
                      act(async () => {
                        const fresh = await refreshToken(t, resolveDeep(settingsFromAuth(auth), scopes));
                        if (t.data.access_token === inUse) await useToken(fresh, level, collectionId);
                      }, 'Token refreshed.')
                    }
                  >
                    Refresh
                  </button>
                )}
                <button
                  type="button"
                  className="btn btn-small btn-danger-outline"
                  onClick={() => act(() => removeRecord('tokens', t.id), 'Token deleted (it stays valid until it expires or is revoked).')}
                  aria-label={`Delete ${t.name}`}
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
    </section>
  );
}
