/**
 * Get New Access Token: the guide's fields, pre-filled from the auth block (the sandbox
 * collection's own settings) with the explorer's callback when the app registers it, else the
 * oob redirect. Authorization Code (optionally with PKCE) logs in in a popup; the code comes
 * back from `/explorer/oauth/callback` or from the oob page (both `postMessage` it to this
 * window), or is pasted, and is exchanged at once. Client Credentials exchanges directly.
 * A timeline shows authorize → code → token, each step copyable as curl.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { explorerApi } from '../../api/explorer.js';
import { api as portalApi, type AppDetail } from '../../api/portal.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { Dialog } from '../../ui/Dialog.js';
import { Notice } from '../../ui/Notice.js';
import { appIdFor } from './context.js';
import { expiryText } from './AuthEditor.js';
import {
  authorizeUrl,
  CALLBACK_CHANNEL,
  clientCredentialsRequest,
  codeExchange,
  CODE_MESSAGE_TYPE,
  curlOf,
  GRANT_LABELS,
  OOB_REDIRECT_URI,
  pkceChallenge,
  randomToken,
  settingsFromAuth,
  tokenDataFrom,
  type FormRequest,
  type GrantType,
  type OAuthSettings,
} from './model/oauth.js';
import type { ExplorerRecord, PostmanAuth, TokenData } from './model/types.js';
import { resolveDeep } from './model/variables.js';
import { useExplorer } from './store.js';

export const CALLBACK_PATH = '/explorer/oauth/callback';
export { CALLBACK_CHANNEL };
export const explorerCallbackUrl = () => `${location.origin}${CALLBACK_PATH}`;

interface Step {
  label: string;
  detail: string;
  curl?: string;
  ok: boolean | null;
}

interface Pending {
  state: string;
  verifier?: string;
  settings: OAuthSettings;
  popup: Window | null;
}

export function TokenDialog({
  open,
  onClose,
  auth,
  level,
  collectionId,
}: {
  open: boolean;
  onClose: () => void;
  auth: PostmanAuth;
  level: 'request' | 'collection';
  collectionId: string | null;
}) {
  const appId = useExplorer((s) => appIdFor(s, collectionId));
  const exchange = useExplorer((s) => s.exchange);
  const upsertRecord = useExplorer((s) => s.upsertRecord);
  const useToken = useExplorer((s) => s.useToken);
  const [settings, setSettings] = useState<OAuthSettings>(() => settingsFromAuth(auth));
  const [app, setApp] = useState<AppDetail | null>(null);
  const [steps, setSteps] = useState<Step[]>([]);
  const [status, setStatus] = useState<'idle' | 'waiting' | 'exchanging' | 'done' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [pasted, setPasted] = useState('');
  const [token, setToken] = useState<ExplorerRecord<TokenData> | null>(null);
  const [used, setUsed] = useState(false);
  const pending = useRef<Pending | null>(null);
  const authRef = useRef(auth);
  authRef.current = auth;

  // Fresh settings each time the dialog opens; the callback the app registers wins.
  useEffect(() => {
    if (!open) return;
    const base = settingsFromAuth(authRef.current);
    setSettings(base);
    setSteps([]);
    setStatus('idle');
    setError(null);
    setToken(null);
    setUsed(false);
    setPasted('');
    pending.current = null;
    if (!appId) return;
    portalApi.getApp(appId).then(
      ({ app: a }) => {
        setApp(a);
        const own = explorerCallbackUrl();
        const callbackUrl = a.redirect_uris.includes(own)
          ? own
          : a.redirect_uris.includes(OOB_REDIRECT_URI)
            ? OOB_REDIRECT_URI
            : base.callbackUrl;
        setSettings((s) => ({ ...s, callbackUrl }));
      },
      () => setApp(null),
    );
  }, [open, appId]);

  const addStep = (step: Step) => setSteps((old) => [...old, step]);

  const finish = async (req: FormRequest, s: OAuthSettings) => {
    setStatus('exchanging');
    try {
      const out = await exchange(req);
      const ok = out.status === 200 && typeof out.body['access_token'] === 'string';
      addStep({
        label: 'Token',
        detail: ok
          ? `${out.status}: ${String(out.body['token_type'] ?? 'Bearer')} token, expires in ${String(out.body['expires_in'] ?? '?')} s`
          : `${out.status}: ${out.text.slice(0, 300)}`,
        curl: curlOf(req),
        ok,
      });
      if (!ok) {
        setStatus('error');
        setError(
          `The token endpoint answered ${out.status}: ${String(out.body['error_description'] ?? out.body['error'] ?? 'see the timeline')}`,
        );
        return;
      }
      const data = tokenDataFrom(out.body, s, Date.now(), collectionId);
      const rec = await explorerApi.create('tokens', s.tokenName || 'Token', data);
      upsertRecord('tokens', rec as never);
      setToken(rec);
      setStatus('done');
    } catch (err) {
      setStatus('error');
      setError(err instanceof Error ? err.message : 'The token request failed');
    }
  };

  const onCode = (code: string, state: string | null) => {
    const p = pending.current;
    if (!p || (state !== null && state !== p.state)) return;
    pending.current = null;
    try {
      p.popup?.close();
    } catch {
      /* closed already */
    }
    addStep({ label: 'Code', detail: `Authorization code received (${code.slice(0, 6)}…)`, ok: true });
    void finish(codeExchange(p.settings, code, p.verifier), p.settings);
  };
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  // The callback page and the oob page post {type, code, state} to this window.
  useEffect(() => {
    if (!open) return;
    const onMessage = (e: MessageEvent) => {
      if (e.origin !== location.origin) return;
      const d = e.data as { type?: string; code?: string; state?: string | null; error?: string } | null;
      if (!d || d.type !== CODE_MESSAGE_TYPE) return;
      if (d.error) {
        setStatus('error');
        setError(`The authorization server answered: ${d.error}`);
        addStep({ label: 'Code', detail: d.error, ok: false });
        return;
      }
      if (typeof d.code === 'string') onCodeRef.current(d.code, d.state ?? null);
    };
    window.addEventListener('message', onMessage);
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CALLBACK_CHANNEL) : null;
    if (channel) channel.onmessage = (e) => onMessage(new MessageEvent('message', { data: e.data, origin: location.origin }));
    return () => {
      window.removeEventListener('message', onMessage);
      channel?.close();
    };
  }, [open]);

  const start = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSteps([]);
    setToken(null);
    const s = resolveDeep(settings, useExplorer.getState().scopes());
    if (s.grantType === 'client_credentials') {
      void finish(clientCredentialsRequest(s), s);
      return;
    }
    // Open the popup in the click itself (popup blockers), then point it at the login.
    const popup = window.open('', 'procore-sandbox-oauth', 'popup,width=520,height=720');
    void (async () => {
      const state = s.state || randomToken(16);
      const verifier = s.grantType === 'authorization_code_with_pkce' ? s.codeVerifier || randomToken() : undefined;
      const challenge = verifier ? await pkceChallenge(verifier, s.challengeAlgorithm) : undefined;
      const url = authorizeUrl(s, state, challenge);
      pending.current = { state, verifier, settings: s, popup };
      addStep({
        label: 'Authorize',
        detail: `Log in and approve in the popup (redirect ${s.callbackUrl === OOB_REDIRECT_URI ? 'oob' : s.callbackUrl})`,
        curl: `curl -i '${url.replace(/'/g, `'\\''`)}'`,
        ok: null,
      });
      setStatus('waiting');
      if (popup) popup.location.href = url;
      else
        setError(
          'The popup was blocked. Allow popups for this site, or open the authorize URL from the timeline and paste the code below.',
        );
    })();
  };

  const registerCallback = async () => {
    if (!app) return;
    try {
      const { app: a } = await portalApi.updateApp(app.id, { redirect_uris: [...app.redirect_uris, explorerCallbackUrl()] });
      setApp(a);
      setSettings((s) => ({ ...s, callbackUrl: explorerCallbackUrl() }));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not register the callback');
    }
  };

  const set =
    <K extends keyof OAuthSettings>(key: K) =>
    (value: OAuthSettings[K]) =>
      setSettings((s) => ({ ...s, [key]: value }));
  const field = (key: keyof OAuthSettings, label: string, opts: { type?: string; list?: string } = {}) => (
    <div className="field">
      <label htmlFor={`oauth-${key}`}>{label}</label>
      <input
        id={`oauth-${key}`}
        type={opts.type ?? 'text'}
        value={String(settings[key])}
        onChange={(e) => set(key)(e.target.value as never)}
        spellCheck={false}
        list={opts.list}
        autoComplete="off"
      />
    </div>
  );
  const registered = app?.redirect_uris ?? [];
  const isAuthCode = settings.grantType !== 'client_credentials';

  return (
    <Dialog title="Get New Access Token" open={open} onClose={onClose} wide>
      <form onSubmit={start} className="token-form">
        {field('tokenName', 'Token Name')}
        <div className="field">
          <label htmlFor="oauth-grantType">Grant Type</label>
          <select id="oauth-grantType" value={settings.grantType} onChange={(e) => set('grantType')(e.target.value as GrantType)}>
            {(Object.keys(GRANT_LABELS) as GrantType[]).map((g) => (
              <option key={g} value={g}>
                {GRANT_LABELS[g]}
              </option>
            ))}
          </select>
        </div>
        {isAuthCode && (
          <>
            {field('callbackUrl', 'Callback URL', { list: 'oauth-callbacks' })}
            <datalist id="oauth-callbacks">
              {[explorerCallbackUrl(), OOB_REDIRECT_URI, ...registered]
                .filter((v, i, a) => a.indexOf(v) === i)
                .map((u) => (
                  <option key={u} value={u} />
                ))}
            </datalist>
            {app && !registered.includes(settings.callbackUrl) && (
              <p className="hint" data-testid="callback-unregistered">
                {settings.callbackUrl || 'This callback'} is not registered for {app.name}; the login will refuse it.{' '}
                {!registered.includes(explorerCallbackUrl()) && (
                  <button type="button" className="btn btn-small" onClick={() => void registerCallback()}>
                    Register {CALLBACK_PATH} for this app
                  </button>
                )}
              </p>
            )}
            {settings.callbackUrl === OOB_REDIRECT_URI && (
              <p className="hint">
                With the oob redirect the login page hands the code back to the explorer, which exchanges it at once: nothing to copy.
              </p>
            )}
            {field('authUrl', 'Auth URL')}
          </>
        )}
        {field('accessTokenUrl', 'Access Token URL')}
        {field('clientId', 'Client ID')}
        {field('clientSecret', 'Client Secret', { type: 'password' })}
        {field('scope', 'Scope')}
        {isAuthCode && field('state', 'State')}
        {settings.grantType === 'authorization_code_with_pkce' && (
          <div className="field-pair">
            <div className="field">
              <label htmlFor="oauth-challengeAlgorithm">Code Challenge Method</label>
              <select
                id="oauth-challengeAlgorithm"
                value={settings.challengeAlgorithm}
                onChange={(e) => set('challengeAlgorithm')(e.target.value as 'S256' | 'plain')}
              >
                <option value="S256">SHA-256</option>
                <option value="plain">Plain</option>
              </select>
            </div>
            {field('codeVerifier', 'Code Verifier')}
          </div>
        )}
        <div className="field">
          <label htmlFor="oauth-clientAuthentication">Client Authentication</label>
          <select
            id="oauth-clientAuthentication"
            value={settings.clientAuthentication}
            onChange={(e) => set('clientAuthentication')(e.target.value as 'header' | 'body')}
          >
            <option value="header">Send as Basic Auth header</option>
            <option value="body">Send client credentials in body</option>
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={status === 'waiting' || status === 'exchanging'}>
            {status === 'waiting' ? 'Waiting for the login…' : status === 'exchanging' ? 'Exchanging…' : 'Request Token'}
          </button>
        </div>
      </form>
      {status === 'waiting' && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (pasted.trim()) onCode(pasted.trim(), null);
          }}
        >
          <label htmlFor="oauth-paste">Authorization code</label>
          <input
            id="oauth-paste"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            placeholder="Paste the code shown by the login page"
            className="mono"
          />
          <button type="submit" className="btn btn-small">
            Exchange code
          </button>
        </form>
      )}
      {steps.length > 0 && (
        <ol className="timeline" aria-label="Token timeline">
          {steps.map((st, i) => (
            <li key={i} className={st.ok === false ? 'step step-failed' : st.ok ? 'step step-ok' : 'step'}>
              <strong>{st.label}</strong> <span className="small">{st.detail}</span>
              {st.curl && <CopyButton text={st.curl} label={`Copy ${st.label.toLowerCase()} step as curl`} />}
            </li>
          ))}
        </ol>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {token && (
        <div className="token-result" data-testid="token-result">
          <Notice kind="success">
            Token “{token.name}” received, {expiryText(token.data)}
            {token.data.refresh_token ? ', with a refresh token' : ''}.
          </Notice>
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={used}
              onClick={async () => {
                await useToken(token, level, collectionId);
                setUsed(true);
                onClose();
              }}
            >
              Use Token
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
