import { useState } from 'preact/hooks';
import { errorMessage } from '../lib/errors';

/** ActionMessage is the outcome of the last action a form ran. */
export type ActionMessage = { kind: 'error' | 'success'; text: string } | null;

/** useAction runs form actions one at a time and keeps their outcome to show. */
export function useAction(): { message: ActionMessage; busy: boolean; run: (f: () => Promise<string | void>) => Promise<boolean>; setMessage: (m: ActionMessage) => void } {
  const [message, setMessage] = useState<ActionMessage>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<string | void>): Promise<boolean> => {
    setBusy(true);
    try {
      const text = await f();
      setMessage(text ? { kind: 'success', text } : null);
      return true;
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { message, busy, run, setMessage };
}
