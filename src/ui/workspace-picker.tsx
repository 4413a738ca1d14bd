import { listWorkspaces } from './lib/amp';
import { navigate, routeHref, type Route } from './lib/router';
import { useSession } from './lib/session';
import { useAsync } from './lib/use-async';

/** WorkspacePicker chooses the workspace of workspace-scoped pages; the choice lives in the URL (`ws`). */
export function WorkspacePicker({ route, current }: { route: Route; current: string | undefined }) {
  const { creds } = useSession();
  const list = useAsync(() => listWorkspaces(creds), [creds]);
  const choose = (id: string): void => {
    const params = Object.fromEntries(route.params);
    navigate(routeHref(route.segments, { ...params, ws: id }));
  };
  return (
    <label class="ws-picker">
      Workspace
      <select value={current ?? ''} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
        <option value="" disabled>
          {list.loading && !list.data ? 'Loading…' : 'Choose a workspace'}
        </option>
        {(list.data ?? []).map((w) => (
          <option value={w.workspaceId}>
            {w.alias ? `${w.alias} (${w.workspaceId})` : w.workspaceId}
          </option>
        ))}
      </select>
    </label>
  );
}
