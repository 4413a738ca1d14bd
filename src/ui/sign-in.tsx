import { useState } from 'preact/hooks';
import { Notice } from './components/notice';
import type { Credentials } from './lib/credentials';
import { errorMessage } from './lib/errors';
import { getCallerIdentity, type CallerIdentity } from './lib/iam';

/** SignIn asks for an access key pair (or temporary credentials) and checks them with STS GetCallerIdentity. */
export function SignIn({ onSignedIn, initialError }: { onSignedIn: (c: Credentials, id: CallerIdentity) => void; initialError?: string | null }) {
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const get = (k: string): string => String(f.get(k) ?? '').trim();
    const creds: Credentials = { accessKeyId: get('accessKeyId'), secretAccessKey: get('secretAccessKey'), region: get('region') || 'us-east-1', ...(get('sessionToken') ? { sessionToken: get('sessionToken') } : {}) };
    setBusy(true);
    try {
      onSignedIn(creds, await getCallerIdentity(creds));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Sign in to Amphora</h1>
      <p class="muted">
        Use an access key of the root account or an IAM user (the root key is in <code>&lt;data-dir&gt;/credentials</code>), or temporary credentials from STS. They stay in this tab's
        session storage; every request is signed with SigV4 in the browser.
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      <form onSubmit={submit} class="stack">
        <label>
          Access key ID
          <input name="accessKeyId" required autoComplete="username" spellcheck={false} />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" required autoComplete="current-password" />
        </label>
        <label>
          Session token <span class="muted">(temporary credentials only)</span>
          <input name="sessionToken" type="password" autoComplete="off" />
        </label>
        <label>
          Region
          <input name="region" defaultValue="us-east-1" required spellcheck={false} />
        </label>
        <button type="submit" class="btn-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
