/**
 * A CodeMirror 6 editor as a controlled React field (`value` / `onChange`). Used for the URL
 * bar (single line, `{{variables}}` highlighted) and the JSON body. CodeMirror injects its
 * styles through constructable stylesheets (`adoptedStyleSheets`), which the page's
 * `style-src 'self'` CSP allows; where those are missing it falls back to a <style> element
 * carrying the nonce of `EditorView.cspNonce` (none here: every supported browser has them).
 */
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';

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
