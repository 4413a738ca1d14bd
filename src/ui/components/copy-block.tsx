import { useState } from 'preact/hooks';

/** CopyBlock shows text (an endpoint, a config snippet) with a button that copies it. */
export function CopyBlock({ label, text, multiline = false }: { label: string; text: string; multiline?: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div class="copy-block">
      <div class="copy-head">
        <span class="copy-label">{label}</span>
        <button type="button" class="btn-small" onClick={copy} aria-label={`Copy ${label}`}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      {multiline ? <pre tabIndex={0}>{text}</pre> : <code class="copy-line">{text}</code>}
    </div>
  );
}
