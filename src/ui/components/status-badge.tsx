/** StatusBadge shows a resource status (ACTIVE, CREATING ...) with a colour that is not its only cue. */
export function StatusBadge({ status }: { status: string }) {
  const tone = /ACTIVE|Active/.test(status) ? 'ok' : /FAILED|Inactive/.test(status) ? 'bad' : 'busy';
  return <span class={`badge badge-${tone}`}>{status}</span>;
}
