const KEY = 'amphora.console.workspace';

/** lastWorkspace is the workspace last chosen in this tab, which workspace-scoped pages open with. */
export function lastWorkspace(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** rememberWorkspace sets (or, with undefined, forgets) the workspace pages open with. */
export function rememberWorkspace(id: string | undefined): void {
  if (id) sessionStorage.setItem(KEY, id);
  else sessionStorage.removeItem(KEY);
}
