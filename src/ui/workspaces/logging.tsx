import { useState } from 'preact/hooks';
import { Notice } from '../components/notice';
import { ampCall, wsPath } from '../lib/amp';
import { ApiError, errorMessage } from '../lib/errors';
import { useSession } from '../lib/session';

interface LoggingConfiguration {
  status: { statusCode: string };
  logGroupArn: string;
}

/**
 * WorkspaceLogging shows and sets the workspace's logging destination (Amphora writes the log lines under
 * `<data-dir>/logs/<workspace>/`). It loads when opened: a workspace without logging answers 404.
 */
export function WorkspaceLogging({ id }: { id: string }) {
  const { creds } = useSession();
  const [conf, setConf] = useState<LoggingConfiguration | null | undefined>(undefined);
  const [arn, setArn] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const load = async (): Promise<void> => {
    try {
      const c = (await ampCall<{ loggingConfiguration: LoggingConfiguration }>(creds, 'GET', wsPath(id, '/logging'))).loggingConfiguration;
      setConf(c);
      setArn(c.logGroupArn);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setConf(null);
      else setMessage({ kind: 'error', text: errorMessage(e) });
    }
  };
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await ampCall(creds, conf ? 'PUT' : 'POST', wsPath(id, '/logging'), { logGroupArn: arn });
      setMessage({ kind: 'success', text: 'Logging configuration saved.' });
      await load();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  const remove = async (): Promise<void> => {
    try {
      await ampCall(creds, 'DELETE', wsPath(id, '/logging'));
      setMessage({ kind: 'success', text: 'Logging configuration deleted.' });
      setConf(null);
      setArn('');
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  return (
    <details onToggle={(e) => { if ((e.target as HTMLDetailsElement).open && conf === undefined) void load(); }}>
      <summary>Logging</summary>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {conf === undefined ? (
        <p>Loading…</p>
      ) : (
        <form class="inline-form" onSubmit={save}>
          <p>{conf ? `Status: ${conf.status.statusCode}` : 'Logging is off for this workspace.'}</p>
          <label>
            Log group ARN
            <input value={arn} onInput={(e) => setArn((e.target as HTMLInputElement).value)} placeholder="arn:aws:logs:us-east-1:000000000000:log-group:/amp/ws:*" required />
          </label>
          <button type="submit" class="btn-primary">{conf ? 'Update logging' : 'Turn logging on'}</button>
          {conf && <button type="button" onClick={remove}>Turn logging off</button>}
        </form>
      )}
    </details>
  );
}
