import { useId } from 'preact/hooks';

/** JsonEditor is a labelled text area for a JSON document that shows the problems `validate` finds as it is typed. */
export function JsonEditor({ label, value, onInput, problems, rows = 12 }: { label: string; value: string; onInput: (v: string) => void; problems: readonly { path: string; message: string }[]; rows?: number }) {
  const id = useId();
  return (
    <div class="json-editor">
      <label for={id}>{label}</label>
      <textarea id={id} rows={rows} spellcheck={false} value={value} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} aria-invalid={problems.length > 0} aria-describedby={`${id}-problems`} />
      <ul id={`${id}-problems`} class="problems" aria-live="polite">
        {problems.length === 0 ? <li class="ok">Valid</li> : problems.map((p) => <li>{p.path ? <code>{p.path}</code> : null} {p.message}</li>)}
      </ul>
    </div>
  );
}

/** jsonProblems reports a JSON syntax error, or an object expected at the top. */
export function jsonProblems(source: string): { path: string; message: string }[] {
  try {
    const v = JSON.parse(source) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? [] : [{ path: '', message: 'expected a JSON object' }];
  } catch (e) {
    return [{ path: '', message: `not JSON: ${(e as Error).message}` }];
  }
}
