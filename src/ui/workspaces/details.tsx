import { useState } from 'preact/hooks';
import { ConfirmButton } from '../components/confirm-button';
import { CopyBlock } from '../components/copy-block';
import { Notice } from '../components/notice';
import { StatusBadge } from '../components/status-badge';
import { ampCall, describeWorkspace, wsPath } from '../lib/amp';
import { errorMessage } from '../lib/errors';
import { lastWorkspace, rememberWorkspace } from '../lib/last-workspace';
import { navigate, routeHref } from '../lib/router';
import { useSession } from '../lib/session';
import { basicAuthSnippet, grafanaSettings, queryUrl, remoteWriteUrl, sigv4Snippet } from '../lib/snippets';
import { useAsync } from '../lib/use-async';
import { WorkspaceConfigurationEditor } from './configuration';
import { WorkspaceLogging } from './logging';

/** WorkspaceDetails describes one workspace: endpoints and snippets to copy, alias, configuration, logging and deletion. */
export function WorkspaceDetails({ id }: { id: string }) {
  const { creds } = useSession();
  const ws = useAsync(() => describeWorkspace(creds, id), [creds, id], { poll: (w) => (w.status.statusCode === 'ACTIVE' || w.status.statusCode === 'CREATION_FAILED' ? 10_000 : 1000) });
  const [alias, setAlias] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  if (!ws.data) return ws.error ? <Notice kind="error">{ws.error}</Notice> : <p>Loading…</p>;
  const w = ws.data;
  const s = { endpoint: w.prometheusEndpoint ?? `${window.location.origin}/workspaces/${w.workspaceId}/`, region: creds.region };
  const saveAlias = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await ampCall(creds, 'POST', wsPath(id, '/alias'), { alias: alias ?? '' });
      setMessage({ kind: 'success', text: 'Alias updated.' });
      setAlias(null);
      await ws.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  const remove = async (): Promise<void> => {
    try {
      await ampCall(creds, 'DELETE', wsPath(id));
      if (lastWorkspace() === id) rememberWorkspace(undefined);
      navigate(routeHref(['workspaces']));
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  return (
    <section>
      <p><a href={routeHref(['workspaces'])}>← Workspaces</a></p>
      <h1>
        {w.alias || w.workspaceId} <StatusBadge status={w.status.statusCode} />
      </h1>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <dl class="facts">
        <dt>Workspace ID</dt><dd><code>{w.workspaceId}</code></dd>
        <dt>ARN</dt><dd><code>{w.arn}</code></dd>
        <dt>Created</dt><dd>{new Date(w.createdAt * 1000).toLocaleString()}</dd>
        <dt>Tags</dt><dd>{Object.entries(w.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</dd>
      </dl>
      <p class="row">
        <a class="btn-link" href={routeHref(['explore'], { ws: id })}>Explore</a>
        <a class="btn-link" href={routeHref(['cardinality'], { ws: id })}>Cardinality</a>
      </p>
      <form class="inline-form" onSubmit={saveAlias}>
        <label>
          Alias
          <input value={alias ?? w.alias ?? ''} onInput={(e) => setAlias((e.target as HTMLInputElement).value)} maxLength={100} />
        </label>
        <button type="submit" disabled={alias === null}>Update alias</button>
      </form>
      <h2>Endpoints</h2>
      <CopyBlock label="Prometheus endpoint" text={s.endpoint} />
      <CopyBlock label="Remote write URL" text={remoteWriteUrl(s)} />
      <CopyBlock label="Query URL (Grafana, promtool)" text={queryUrl(s)} />
      <h2>Send metrics</h2>
      <CopyBlock label="prometheus.yml with SigV4" text={sigv4Snippet(s)} multiline />
      <CopyBlock label="prometheus.yml with a service-specific credential (IAM page)" text={basicAuthSnippet(s)} multiline />
      <CopyBlock label="Grafana data source" text={grafanaSettings(s)} multiline />
      <h2>Configuration</h2>
      <WorkspaceConfigurationEditor id={id} />
      <WorkspaceLogging id={id} />
      <h2>Delete</h2>
      <ConfirmButton label="Delete workspace" title="Delete this workspace?" message={`Workspace ${w.workspaceId} and all its data will be deleted. This cannot be undone.`} typeToConfirm={w.alias || w.workspaceId} onConfirm={remove} />
    </section>
  );
}
