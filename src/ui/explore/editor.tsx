import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewline } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Credentials } from '../lib/credentials';
import { completionRemote } from './promql-client';

const highlight = HighlightStyle.define([
  { tag: tags.name, color: 'var(--hl-name)' },
  { tag: tags.number, color: 'var(--hl-number)' },
  { tag: tags.string, color: 'var(--hl-string)' },
  { tag: tags.keyword, color: 'var(--hl-keyword)', fontWeight: 'bold' },
  { tag: tags.function(tags.variableName), color: 'var(--hl-function)' },
  { tag: tags.labelName, color: 'var(--hl-label)' },
  { tag: tags.operator, color: 'var(--hl-operator)' },
  { tag: tags.modifier, color: 'var(--hl-keyword)' },
  { tag: tags.paren, color: 'var(--fg-muted)' },
  { tag: tags.lineComment, color: 'var(--fg-muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '14px', border: '1px solid var(--border)', borderRadius: '4px', background: 'var(--bg-input)', color: 'var(--fg)' },
  '&.cm-focused': { outline: '2px solid var(--focus)' },
  '.cm-content': { fontFamily: 'var(--mono)', padding: '6px 0', caretColor: 'var(--fg)' },
  '.cm-tooltip': { background: 'var(--bg-raised)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { background: 'var(--accent)', color: 'var(--accent-fg)' },
  '.cm-completionDetail': { color: 'var(--fg-muted)', marginLeft: '0.5em' },
});

/** EditorRun is what a run request carries: the query and the syntax errors the linter found in it (the query is not sent when there are any). */
export type EditorRun = (query: string, syntaxErrors: string[]) => void;

/** EditorApi lets the page drive the editor: lint and run what it holds, or replace its text (history, links). */
export interface EditorApi {
  readonly run: () => void;
  readonly setText: (q: string) => void;
}

/**
 * PromqlEditor is the PromQL input: highlighting, completion of metrics, labels, values and functions from
 * the workspace, linting; Enter (or `api.run()`) lints and runs, Shift+Enter breaks the line. The editor
 * owns its text (`initial` only starts it): the page reads it through onChange and replaces it with `api.setText`.
 */
export function PromqlEditor({ creds, workspaceId, initial, onChange, onRun, api }: { creds: Credentials; workspaceId: string; initial: string; onChange: (q: string) => void; onRun: EditorRun; api: RefObject<EditorApi | null> }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onRun });
  handlers.current = { onChange, onRun };
  useEffect(() => {
    const promql = new PromQLExtension().setComplete({ remote: completionRemote(creds, workspaceId), maxMetricsMetadata: 10_000 });
    const lintAndRun = async (ed: EditorView): Promise<void> => {
      const query = ed.state.doc.toString();
      const diagnostics = await promql.getLinter().promQL()(ed);
      const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.message} (at character ${d.from + 1})`);
      handlers.current.onRun(query, errors);
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: initial,
        extensions: [
          history(),
          closeBrackets(),
          bracketMatching(),
          autocompletion({ icons: false }),
          syntaxHighlighting(highlight),
          promql.asExtension(),
          theme,
          EditorView.lineWrapping,
          placeholder('Expression (press Enter to run, Shift+Enter for a new line)'),
          EditorView.contentAttributes.of({ 'aria-label': 'PromQL expression', 'data-testid': 'promql-editor' }),
          Prec.high(keymap.of([{ key: 'Enter', run: (ed) => (void lintAndRun(ed), true) }, { key: 'Shift-Enter', run: insertNewline }])),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) handlers.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    api.current = {
      run: () => void lintAndRun(v),
      setText: (q) => {
        if (v.state.doc.toString() !== q) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: q } });
      },
    };
    return () => {
      api.current = null;
      v.destroy();
      promql.destroy();
      view.current = null;
    };
  }, [creds, workspaceId]);
  return <div ref={host} class="promql-editor" />;
}
