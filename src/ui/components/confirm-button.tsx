import { useRef, useState } from 'preact/hooks';

/** ConfirmButton asks in a modal dialog before a destructive action; with `typeToConfirm` the user must type that word. */
export function ConfirmButton(props: { label: string; title: string; message: string; typeToConfirm?: string; onConfirm: () => Promise<void> | void; class?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const ok = props.typeToConfirm === undefined || typed === props.typeToConfirm;
  const confirm = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!ok) return;
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      dialog.current?.close();
    }
  };
  return (
    <>
      <button type="button" class={props.class ?? 'btn-danger'} onClick={() => { setTyped(''); dialog.current?.showModal(); }}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={props.title}>
        <form method="dialog" onSubmit={confirm}>
          <h2>{props.title}</h2>
          <p>{props.message}</p>
          {props.typeToConfirm !== undefined && (
            <label>
              Type <code>{props.typeToConfirm}</code> to confirm
              <input value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} autoComplete="off" />
            </label>
          )}
          <div class="row">
            <button type="submit" class="btn-danger" disabled={!ok || busy}>
              {busy ? 'Working…' : props.label}
            </button>
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
