import type { ComponentChildren } from 'preact';

/** Notice shows an error, warning or info message; errors are announced to screen readers. */
export function Notice({ kind, children }: { kind: 'error' | 'warning' | 'info' | 'success'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <strong>{kind === 'error' ? 'Error' : kind === 'warning' ? 'Warning' : kind === 'info' ? 'Info' : 'Done'}:</strong> {children}
    </div>
  );
}
