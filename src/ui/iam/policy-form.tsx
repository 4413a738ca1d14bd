import { useState } from 'preact/hooks';
import { JsonEditor } from '../components/json-editor';
import { validatePolicyDocument } from '../lib/policy-doc';

/** PolicyForm creates a named entity with a policy document (a managed policy, or a role and its trust policy), validating the JSON as it is typed. */
export function PolicyForm({ nameLabel, docLabel, kind, initial, submitLabel, busy, onSubmit }: { nameLabel: string; docLabel: string; kind: 'identity' | 'trust'; initial: string; submitLabel: string; busy: boolean; onSubmit: (name: string, doc: string) => Promise<boolean> }) {
  const [name, setName] = useState('');
  const [doc, setDoc] = useState(initial);
  const problems = validatePolicyDocument(doc, kind);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (await onSubmit(name.trim(), JSON.stringify(JSON.parse(doc)))) setName('');
  };
  return (
    <form class="stack" onSubmit={submit}>
      <label>
        {nameLabel}
        <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required pattern="[\w+=,.@\-]{1,128}" />
      </label>
      <JsonEditor label={docLabel} value={doc} onInput={setDoc} problems={problems} />
      <div>
        <button type="submit" class="btn-primary" disabled={busy || problems.length > 0 || !name.trim()}>{submitLabel}</button>
      </div>
    </form>
  );
}
