import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Credentials } from './credentials';
import type { CallerIdentity } from './iam';

/** Session is the signed-in caller: the credentials every request is signed with and who they are. */
export interface Session {
  readonly creds: Credentials;
  readonly identity: CallerIdentity;
  readonly signOut: () => void;
}

/** SessionContext carries the session to every page. */
export const SessionContext = createContext<Session | null>(null);

/** useSession is the signed-in session (pages render only when signed in). */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}
