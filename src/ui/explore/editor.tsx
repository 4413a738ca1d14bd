import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewline } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
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

/** PromqlEditor is the PromQL input: highlighting, completion of metrics, labels, values and functions from the workspace, linting; Enter runs, Shift+Enter breaks the line. */
export function PromqlEditor({ creds, workspaceId, value, onChange, onRun }: { creds: Credentials; workspaceId: string; value: string; onChange: (q: string) => void; onRun: (q: string) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onRun });
  handlers.current = { onChange, onRun };
  useEffect(() => {
    const promql = new PromQLExtension().setComplete({ remote: completionRemote(creds, workspaceId), maxMetricsMetadata: 10_000 });
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
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
          Prec.high(keymap.of([{ key: 'Enter', run: (ed) => (handlers.current.onRun(ed.state.doc.toString()), true) }, { key: 'Shift-Enter', run: insertNewline }])),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) handlers.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      promql.destroy();
      view.current = null;
    };
  }, [creds, workspaceId]);
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);
  return <div ref={host} class="promql-editor" />;
}
