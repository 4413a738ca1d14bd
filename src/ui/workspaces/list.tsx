import { useState } from 'preact/hooks';
import { Column, DataTable } from '../components/data-table';
import { Notice } from '../components/notice';
import { StatusBadge } from '../components/status-badge';
import { ampCall, listWorkspaces, type WorkspaceSummary } from '../lib/amp';
import { errorMessage } from '../lib/errors';
import { routeHref } from '../lib/router';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { parseTags } from './tags';

const BUSY = new Set(['CREATING', 'UPDATING', 'DELETING']);

const COLUMNS: Column<WorkspaceSummary>[] = [
  { title: 'Alias', cell: (w) => <a href={routeHref(['workspaces', w.workspaceId])}>{w.alias || '(no alias)'}</a>, sort: (w) => w.alias ?? '' },
  { title: 'Workspace ID', cell: (w) => <code>{w.workspaceId}</code>, sort: (w) => w.workspaceId },
  { title: 'Status', cell: (w) => <StatusBadge status={w.status.statusCode} />, sort: (w) => w.status.statusCode },
  { title: 'Created', cell: (w) => new Date(w.createdAt * 1000).toLocaleString(), sort: (w) => w.createdAt },
  { title: 'Tags', cell: (w) => Object.entries(w.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') },
  { title: 'Open', cell: (w) => <span class="row"><a href={routeHref(['explore'], { ws: w.workspaceId })}>Explore</a><a href={routeHref(['cardinality'], { ws: w.workspaceId })}>Cardinality</a></span> },
];

/** WorkspaceList lists the workspaces (statuses refresh while any is changing) and creates new ones. */
export function WorkspaceList() {
  const { creds } = useSession();
  const list = useAsync(() => listWorkspaces(creds), [creds], { poll: (ws) => (ws.some((w) => BUSY.has(w.status.statusCode)) ? 1000 : 5000) });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    setBusy(true);
    try {
      const alias = String(f.get('alias') ?? '').trim();
      const tags = parseTags(String(f.get('tags') ?? ''));
      await ampCall(creds, 'POST', '/workspaces', { ...(alias ? { alias } : {}), ...(Object.keys(tags).length ? { tags } : {}) });
      form.reset();
      setError(null);
      await list.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>Workspaces</h1>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      <DataTable caption="Workspaces in this account" rows={list.data ?? []} columns={COLUMNS} empty={list.loading ? 'Loading…' : 'No workspaces yet: create one below.'} />
      <h2>Create a workspace</h2>
      {error && <Notice kind="error">{error}</Notice>}
      <form class="inline-form" onSubmit={create}>
        <label>
          Alias
          <input name="alias" maxLength={100} placeholder="my-workspace" />
        </label>
        <label>
          Tags <span class="muted">(key=value, comma-separated)</span>
          <input name="tags" placeholder="team=infra, env=dev" />
        </label>
        <button type="submit" class="btn-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create workspace'}
        </button>
      </form>
    </section>
  );
}
