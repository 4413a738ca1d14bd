/** KeyCredentials are an access key pair (and session token for temporary credentials): every request is signed with SigV4. */
export interface KeyCredentials {
  readonly kind: 'key';
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region: string;
}

/** ServiceCredentials are an IAM service-specific credential: HTTP basic auth, data plane only, so the console works on one workspace. */
export interface ServiceCredentials {
  readonly kind: 'service';
  readonly username: string;
  readonly password: string;
  readonly workspaceId: string;
  readonly region: string;
}

/** Credentials are what the console authenticates its requests with. */
export type Credentials = KeyCredentials | ServiceCredentials;

const KEY = 'amphora.console.credentials';

function valid(c: Partial<KeyCredentials> | Partial<ServiceCredentials>): c is Credentials {
  if (typeof c.region !== 'string') return false;
  if (c.kind === 'key') return typeof c.accessKeyId === 'string' && typeof c.secretAccessKey === 'string';
  if (c.kind === 'service') return typeof c.username === 'string' && typeof c.password === 'string' && typeof c.workspaceId === 'string';
  return false;
}

/** loadCredentials reads the signed-in credentials from session storage (gone when the tab closes); null when signed out. */
export function loadCredentials(storage: Storage = sessionStorage): Credentials | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    const c = JSON.parse(raw) as Partial<KeyCredentials> | Partial<ServiceCredentials>;
    if (valid(c)) return c;
  } catch {
    // a damaged entry counts as signed out
  }
  storage.removeItem(KEY);
  return null;
}

/** saveCredentials keeps credentials in session storage only (never local storage or cookies). */
export function saveCredentials(c: Credentials, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify(c));
}

/** clearCredentials signs out. */
export function clearCredentials(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}
