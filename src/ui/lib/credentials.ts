/** Credentials are what the console signs requests with: an access key pair (and session token for temporary credentials) and the region. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region: string;
}

const KEY = 'amphora.console.credentials';

/** loadCredentials reads the signed-in credentials from session storage (gone when the tab closes); null when signed out. */
export function loadCredentials(storage: Storage = sessionStorage): Credentials | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    const c = JSON.parse(raw) as Partial<Credentials>;
    if (typeof c.accessKeyId === 'string' && typeof c.secretAccessKey === 'string' && typeof c.region === 'string') return c as Credentials;
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
