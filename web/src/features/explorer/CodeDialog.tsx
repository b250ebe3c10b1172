/**
 * Code: the open request as a snippet (curl and the postman-code-generators languages, through
 * the server's codegen endpoint) with variables and auth resolved; "Mask secrets" keeps secret
 * variables as {{name}} and the token out.
 */
import { useEffect, useState } from 'react';
import { explorerApi, type CodegenLanguage } from '../../api/explorer.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { Dialog } from '../../ui/Dialog.js';
import { Notice } from '../../ui/Notice.js';
import { secretNames } from './context.js';
import { resolveDraft } from './model/request.js';
import { useExplorer } from './store.js';

export function CodeDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [languages, setLanguages] = useState<CodegenLanguage[]>([]);
  const [language, setLanguage] = useState('curl');
  const [variant, setVariant] = useState('cURL');
  const [mask, setMask] = useState(true);
  const [snippet, setSnippet] = useState('');
  const [error, setError] = useState<string | null>(null);
  const draft = useExplorer((s) => s.tab.draft);
  const environmentId = useExplorer((s) => s.environmentId);

  useEffect(() => {
    if (!open || languages.length > 0) return;
    explorerApi.languages().then(
      (r) => setLanguages(Array.isArray(r) ? r : r.languages),
      (err: unknown) => setError(err instanceof Error ? err.message : 'Could not load the languages'),
    );
  }, [open, languages.length]);

  useEffect(() => {
    if (!open) return;
    const s = useExplorer.getState();
    const resolved = resolveDraft(draft, s.scopes(), draft.auth ? { auth: null, source: 'none' } : s.inheritedAuth(), {
      mask,
      secretNames: secretNames(s),
    });
    let live = true;
    explorerApi.codegen(language, variant, resolved.postman).then(
      (r) => {
        if (!live) return;
        setSnippet(r.snippet);
        setError(null);
      },
      (err: unknown) => live && setError(err instanceof Error ? err.message : 'Could not generate the snippet'),
    );
    return () => {
      live = false;
    };
  }, [open, language, variant, mask, draft, environmentId]);

  const current = languages.find((l) => l.key === language);
  return (
    <Dialog title="Code snippet" open={open} onClose={onClose} wide>
      <div className="row-actions">
        <label htmlFor="code-language">Language</label>
        <select
          id="code-language"
          value={language}
          onChange={(e) => {
            const l = languages.find((x) => x.key === e.target.value);
            setLanguage(e.target.value);
            setVariant(l?.variants[0] ?? '');
          }}
        >
          {(languages.length ? languages : [{ key: 'curl', label: 'cURL', variants: ['cURL'] }]).map((l) => (
            <option key={l.key} value={l.key}>
              {l.label}
            </option>
          ))}
        </select>
        {current && current.variants.length > 1 && (
          <>
            <label htmlFor="code-variant">Variant</label>
            <select id="code-variant" value={variant} onChange={(e) => setVariant(e.target.value)}>
              {current.variants.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={mask} onChange={(e) => setMask(e.target.checked)} /> Mask secrets
        </label>
        <CopyButton text={snippet} label="Copy snippet" />
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      <pre className="snippet code-snippet" aria-label="Snippet" data-testid="code-snippet">
        {snippet}
      </pre>
    </Dialog>
  );
}
