/**
 * A CodeMirror 6 editor as a controlled React field (`value` / `onChange`). Used for the URL
 * bar (single line, `{{variables}}` highlighted) and the JSON body. CodeMirror puts its theme
 * in a <style> element; the page's CSP (`style-src 'self' 'nonce-…'`, src/server/web.ts)
 * allows it through the per-response nonce the server writes into `<meta name="csp-nonce">`,
 * handed to CodeMirror with `EditorView.cspNonce`.
 */
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';

/** The nonce of this page's CSP for <style> elements (empty when the server sent none). */
export function cspNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
}

export function CodeField({
  value,
  onChange,
  extensions,
  label,
  className,
  testId,
  refreshKey,
  onView,
}: {
  value: string;
  onChange: (value: string) => void;
  extensions: Extension[];
  /** Accessible name of the editable area. */
  label: string;
  className?: string;
  testId?: string;
  /** Changing it re-runs decorations (e.g. after the environment changed). */
  refreshKey?: string;
  onView?: (view: EditorView | null) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          ...extensions,
          EditorView.cspNonce.of(cspNonce()),
          EditorView.contentAttributes.of({ 'aria-label': label, ...(testId ? { 'data-testid': testId } : {}) }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    onView?.(v);
    return () => {
      v.destroy();
      view.current = null;
      onView?.(null);
    };
    // The editor is created once; value changes are applied below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== value) v.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({});
  }, [refreshKey]);

  return <div ref={host} className={className} />;
}
