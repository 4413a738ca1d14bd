import { useState } from 'preact/hooks';
import { DataTable } from '../components/data-table';
import { Notice } from '../components/notice';
import { promCall } from '../lib/prom';
import { routeHref } from '../lib/router';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';

interface MetadataRow {
  readonly metric: string;
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** MetadataBrowser lists the workspace's metric metadata (type, help, unit), filterable by name or help. */
export function MetadataBrowser({ ws }: { ws: string }) {
  const { creds } = useSession();
  const [filter, setFilter] = useState('');
  const meta = useAsync(
    () => promCall<Record<string, { type: string; help: string; unit: string }[]>>(creds, ws, 'metadata').then((r) => Object.entries(r.data).flatMap(([metric, list]) => list.map((m) => ({ metric, ...m })))),
    [creds, ws],
  );
  const f = filter.toLowerCase();
  const rows = (meta.data ?? []).filter((r) => !f || r.metric.toLowerCase().includes(f) || r.help.toLowerCase().includes(f));
  return (
    <section>
      <h2>Metric metadata</h2>
      <label>
        Filter
        <input type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} placeholder="name or help text" />
      </label>
      {meta.error && <Notice kind="error">{meta.error}</Notice>}
      <DataTable<MetadataRow>
        caption={`${rows.length} metric${rows.length === 1 ? '' : 's'} with metadata`}
        rows={rows}
        initialSort={{ col: 0, desc: false }}
        empty={meta.loading ? 'Loading…' : 'No metadata: senders include it in remote write (Prometheus does by default).'}
        columns={[
          { title: 'Metric', cell: (r) => <a href={routeHref(['explore'], { ws, q: r.metric })}><code>{r.metric}</code></a>, sort: (r) => r.metric },
          { title: 'Type', cell: (r) => r.type, sort: (r) => r.type },
          { title: 'Unit', cell: (r) => r.unit, sort: (r) => r.unit },
          { title: 'Help', cell: (r) => r.help },
        ]}
      />
    </section>
  );
}
