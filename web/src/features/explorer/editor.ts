/**
 * CodeMirror extensions of the explorer: the single-line URL bar with `{{variables}}`
 * highlighted (resolved value and source scope on hover), and the JSON body editor with
 * syntax highlighting, validation, and completion of Procore field names (from the OpenAPI
 * document) and of real ids (from the pickers endpoint).
 */
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorState, Prec, RangeSetBuilder, type Extension } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  hoverTooltip,
  keymap,
  lineNumbers,
  ViewPlugin,
  type DecorationSet,
  type ViewUpdate,
} from '@codemirror/view';
import { jsonContext, pickerKind } from './model/jsoncontext.js';
import type { FieldSuggestion } from './model/openapi.js';

export interface VariableInfo {
  value: string | null;
  scope: string | null;
}

const VAR_RE = /\{\{([^{}]+?)\}\}/g;

/**
 * Typing over a selection is applied by CodeMirror, not by the browser: Chromium's editing
 * would carry the style of the replaced text (a highlighted `{{variable}}`) over as an inline
 * `style` attribute, which the page's CSP (no `unsafe-inline`) blocks and reports.
 */
const typeOverSelection = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== 'insertText' || event.data === null || view.composing) return false;
    if (view.state.selection.ranges.every((r) => r.empty)) return false;
    event.preventDefault();
    view.dispatch(view.state.replaceSelection(event.data), { userEvent: 'input.type', scrollIntoView: true });
    return true;
  },
});

function variableDecorations(lookup: () => (name: string) => VariableInfo): Extension {
  const build = (view: EditorView): DecorationSet => {
    const find = lookup();
    const b = new RangeSetBuilder<Decoration>();
    const text = view.state.doc.toString();
    for (const m of text.matchAll(VAR_RE)) {
      const info = find(m[1]!);
      b.add(m.index, m.index + m[0].length, Decoration.mark({ class: info.value === null ? 'cm-var cm-var-missing' : 'cm-var' }));
    }
    return b.finish();
  };
  const plugin = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = build(view);
      }
      update(u: ViewUpdate) {
        // Any transaction (also the empty one CodeField dispatches on refresh) rebuilds: the doc is one line.
        if (u.docChanged || u.transactions.length > 0) this.decorations = build(u.view);
      }
    },
    { decorations: (p) => p.decorations },
  );
  const tooltip = hoverTooltip((view, pos) => {
    const text = view.state.doc.toString();
    for (const m of text.matchAll(VAR_RE)) {
      const start = m.index;
      const end = start + m[0].length;
      if (pos < start || pos > end) continue;
      const info = lookup()(m[1]!);
      return {
        pos: start,
        end,
        above: true,
        create: () => {
          const dom = document.createElement('div');
          dom.className = 'var-tooltip';
          const name = document.createElement('strong');
          name.textContent = m[0];
          const value = document.createElement('span');
          value.className = 'mono';
          value.textContent = info.value === null ? ' is not defined in any scope' : ` = ${info.value}`;
          const scope = document.createElement('span');
          scope.className = 'var-scope';
          scope.textContent = info.scope ? ` · from ${info.scope === 'global' ? 'globals' : info.scope}` : '';
          dom.append(name, value, scope);
          return { dom };
        },
      };
    }
    return null;
  });
  return [plugin, tooltip];
}

/** The URL bar: one line, Enter sends, variables highlighted. */
export function urlBarExtensions(opts: { lookup: () => (name: string) => VariableInfo; onSend: () => void }): Extension[] {
  return [
    EditorState.transactionFilter.of((tr) => (tr.newDoc.lines > 1 ? [] : tr)),
    Prec.highest(
      keymap.of([
        { key: 'Enter', run: () => (opts.onSend(), true) },
        { key: 'Mod-Enter', run: () => (opts.onSend(), true) },
      ]),
    ),
    history(),
    keymap.of([...defaultKeymap, ...historyKeymap]),
    variableDecorations(opts.lookup),
    typeOverSelection,
    EditorView.theme({ '&': { fontFamily: 'var(--mono)' } }),
  ];
}

export interface BodyHelpers {
  /** Writable fields of the operation's body at a key path (from /openapi.json). */
  fields: (path: readonly (string | number)[]) => FieldSuggestion[];
  /** Real objects for an id field (from the pickers endpoint), loaded on demand. */
  ids: (kind: string) => Promise<{ id: number | string; label: string }[]>;
}

function bodyCompletion(helpers: () => BodyHelpers) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const before = context.state.sliceDoc(0, context.pos);
    const ctx = jsonContext(before);
    if (ctx.kind === 'key') {
      const fields = helpers().fields(ctx.path);
      if (fields.length === 0) return null;
      return {
        from: ctx.from,
        options: fields.map((f) => ({
          label: `"${f.name}"`,
          displayLabel: f.name,
          detail: `${f.type}${f.required ? ', required' : ''}`,
          info: f.description,
          apply: `"${f.name}": `,
          type: 'property',
        })),
        validFor: /^"?[\w-]*$/,
      };
    }
    if (ctx.kind === 'value' && ctx.key) {
      const kind = pickerKind(ctx.key);
      if (!kind) return null;
      const items = await helpers().ids(kind);
      if (items.length === 0) return null;
      return {
        from: ctx.from,
        options: items.map((it) => ({
          label: String(it.id),
          detail: it.label,
          type: 'constant',
          apply: typeof it.id === 'number' ? String(it.id) : JSON.stringify(it.id),
        })),
        validFor: /^[\w"-]*$/,
      };
    }
    return null;
  };
}

/** The raw JSON body editor. */
export function jsonBodyExtensions(opts: { helpers: () => BodyHelpers; onSend: () => void }): Extension[] {
  return [
    Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (opts.onSend(), true) }])),
    lineNumbers(),
    history(),
    bracketMatching(),
    keymap.of([...defaultKeymap, ...historyKeymap]),
    json(),
    syntaxHighlighting(defaultHighlightStyle),
    linter((view) => (view.state.doc.toString().trim() === '' ? [] : jsonParseLinter()(view)), { delay: 300 }),
    lintGutter(),
    autocompletion({ override: [bodyCompletion(opts.helpers)], activateOnTyping: true }),
    EditorView.lineWrapping,
    typeOverSelection,
  ];
}
