import { useEffect, useState } from 'preact/hooks';
import { JsonEditor, jsonProblems } from '../components/json-editor';
import { Notice } from '../components/notice';
import { StatusBadge } from '../components/status-badge';
import { ampCall, wsPath } from '../lib/amp';
import { errorMessage } from '../lib/errors';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';

interface WorkspaceConfiguration {
  status: { statusCode: string };
  retentionPeriodInDays?: number;
  limitsPerLabelSet?: unknown[];
  amphoraLimits?: Record<string, number>;
}

/** WorkspaceConfigurationEditor shows and updates retention, per-label-set limits and Amphora's limits (out-of-order window, rates ...). */
export function WorkspaceConfigurationEditor({ id }: { id: string }) {
  const { creds } = useSession();
  const conf = useAsync(() => ampCall<{ workspaceConfiguration: WorkspaceConfiguration }>(creds, 'GET', wsPath(id, '/configuration')).then((r) => r.workspaceConfiguration), [creds, id], {
    poll: (c) => (c.status.statusCode === 'UPDATING' ? 1000 : null),
  });
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  useEffect(() => {
    if (!conf.data) return;
    const { status: _s, ...editable } = conf.data;
    setText(JSON.stringify(editable, null, 2));
  }, [conf.data === undefined]);
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await ampCall(creds, 'PATCH', wsPath(id, '/configuration'), JSON.parse(text));
      setMessage({ kind: 'success', text: 'Configuration update accepted.' });
      await conf.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  const problems = jsonProblems(text);
  return (
    <form onSubmit={save} class="stack">
      <p>
        Status: {conf.data ? <StatusBadge status={conf.data.status.statusCode} /> : '…'} — <code>retentionPeriodInDays</code>, AMP's <code>limitsPerLabelSet</code> and Amphora's{' '}
        <code>amphoraLimits</code> (<code>outOfOrderWindowMs</code>, <code>ingestionRate</code>, <code>maxActiveSeries</code>, …).
      </p>
      {conf.error && <Notice kind="error">{conf.error}</Notice>}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <JsonEditor label="Workspace configuration (JSON)" value={text} onInput={setText} problems={problems} />
      <div>
        <button type="submit" class="btn-primary" disabled={problems.length > 0 || !conf.data}>
          Update configuration
        </button>
      </div>
    </form>
  );
}
