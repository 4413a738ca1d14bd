import { useEffect, useState } from 'preact/hooks';
import { clearCredentials, loadCredentials, saveCredentials, type Credentials } from './lib/credentials';
import { errorMessage } from './lib/errors';
import type { CallerIdentity } from './lib/iam';
import { identify } from './lib/identify';
import { lastWorkspace, rememberWorkspace } from './lib/last-workspace';
import { routeHref, useRoute } from './lib/router';
import { SessionContext, type Session } from './lib/session';
import { applyTheme, initialTheme, type Theme } from './lib/theme';
import { pageFor, pagesFor } from './pages/registry';
import { SignIn } from './sign-in';
import { WorkspacePicker } from './workspace-picker';

/** App is the console shell: sign-in, then the navigation and the page the URL names. */
export function App() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [session, setSession] = useState<{ creds: Credentials; identity: CallerIdentity } | null>(null);
  const [restoring, setRestoring] = useState(() => loadCredentials() !== null);
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const route = useRoute();
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    const saved = loadCredentials();
    if (!saved) return;
    identify(saved)
      .then((identity) => setSession({ creds: saved, identity }))
      .catch((e: unknown) => {
        clearCredentials();
        setRestoreError(errorMessage(e));
      })
      .finally(() => setRestoring(false));
  }, []);
  const signOut = (): void => {
    clearCredentials();
    rememberWorkspace(undefined);
    setSession(null);
  };
  const themeButton = (
    <button type="button" class="btn-small" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
  if (restoring) return <p class="loading">Loading…</p>;
  if (!session) {
    return (
      <>
        <header class="topbar"><span class="brand">Amphora</span><span class="spacer" />{themeButton}</header>
        <SignIn
          initialError={restoreError}
          onSignedIn={(creds, identity) => {
            saveCredentials(creds);
            setSession({ creds, identity });
          }}
        />
      </>
    );
  }
  const pages = pagesFor(session.creds.kind);
  const page = pageFor(route.segments[0], pages);
  const wsParam = session.creds.kind === 'service' ? session.creds.workspaceId : (route.params.get('ws') ?? undefined);
  if (wsParam) rememberWorkspace(wsParam);
  const ws = wsParam ?? lastWorkspace();
  const value: Session = { ...session, signOut };
  const Page = page.component;
  return (
    <SessionContext.Provider value={value}>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="topbar">
        <a class="brand" href={routeHref([])}>Amphora</a>
        <nav aria-label="Console">
          {pages.map((p) => (
            <a href={routeHref([p.id], p.workspaceScoped && ws ? { ws } : {})} aria-current={p === page ? 'page' : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        {page.workspaceScoped && session.creds.kind === 'key' && <WorkspacePicker route={route} current={ws} />}
        {session.creds.kind === 'service' && <span class="muted">Workspace <code>{ws}</code></span>}
        <span class="identity" title={session.identity.Arn}>
          <span class="sr-only">Signed in as </span>
          <span data-testid="identity">{session.identity.Arn}</span>
        </span>
        {themeButton}
        <button type="button" class="btn-small" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} workspaceId={ws} />
      </main>
    </SessionContext.Provider>
  );
}
