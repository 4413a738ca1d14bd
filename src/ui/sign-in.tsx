import { useState } from 'preact/hooks';
import { Notice } from './components/notice';
import type { Credentials } from './lib/credentials';
import { errorMessage } from './lib/errors';
import type { CallerIdentity } from './lib/iam';
import { identify } from './lib/identify';

/** credentialsFrom reads the sign-in form into credentials of the chosen kind. */
function credentialsFrom(f: FormData, kind: Credentials['kind']): Credentials {
  const get = (k: string): string => String(f.get(k) ?? '').trim();
  const region = get('region') || 'us-east-1';
  if (kind === 'service') return { kind, username: get('username'), password: get('password'), workspaceId: get('workspaceId'), region };
  return { kind, accessKeyId: get('accessKeyId'), secretAccessKey: get('secretAccessKey'), region, ...(get('sessionToken') ? { sessionToken: get('sessionToken') } : {}) };
}

/**
 * SignIn asks for an access key pair (or temporary credentials), checked with STS GetCallerIdentity, or for
 * a service-specific credential and its workspace (data plane only: Explore and Cardinality).
 */
export function SignIn({ onSignedIn, initialError }: { onSignedIn: (c: Credentials, id: CallerIdentity) => void; initialError?: string | null }) {
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState<Credentials['kind']>('key');
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const creds = credentialsFrom(new FormData(e.target as HTMLFormElement), kind);
    setBusy(true);
    try {
      onSignedIn(creds, await identify(creds));
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
        The credentials stay in this tab's session storage. With an access key (the root key is in <code>&lt;data-dir&gt;/credentials</code>) every request is signed
        with SigV4 in the browser.
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      <form onSubmit={submit} class="stack">
        <fieldset class="row">
          <legend>Sign in with</legend>
          <label class="check">
            <input type="radio" name="kind" checked={kind === 'key'} onChange={() => setKind('key')} /> Access key
          </label>
          <label class="check">
            <input type="radio" name="kind" checked={kind === 'service'} onChange={() => setKind('service')} /> Service-specific credential
          </label>
        </fieldset>
        {kind === 'key' ? (
          <>
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
          </>
        ) : (
          <>
            <p class="muted">A service-specific credential reaches the data plane only: Explore and Cardinality of one workspace.</p>
            <label>
              Service user name
              <input name="username" required autoComplete="username" spellcheck={false} />
            </label>
            <label>
              Service password
              <input name="password" type="password" required autoComplete="current-password" />
            </label>
            <label>
              Workspace ID
              <input name="workspaceId" required pattern="ws-[0-9a-zA-Z\-]+" spellcheck={false} />
            </label>
          </>
        )}
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
