import { CopyBlock } from '../components/copy-block';

/** SecretOnce shows a newly created secret (a secret key or a service password) that the API never returns again. */
export function SecretOnce({ title, pairs, onDismiss }: { title: string; pairs: readonly [string, string][]; onDismiss: () => void }) {
  return (
    <div class="secret-once" role="status">
      <h3>{title}</h3>
      <p>Copy it now: it is not shown again.</p>
      {pairs.map(([label, value]) => <CopyBlock label={label} text={value} />)}
      <button type="button" onClick={onDismiss}>I have copied it</button>
    </div>
  );
}
