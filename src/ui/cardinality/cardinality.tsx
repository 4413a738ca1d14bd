import { useState } from 'preact/hooks';
import { Notice } from '../components/notice';
import { promCall } from '../lib/prom';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { BarTable, type Stat } from './bar-table';
import { MetadataBrowser } from './metadata';

interface TsdbStatus {
  headStats?: { numSeries?: number; numLabelPairs?: number; chunkCount?: number; minTime?: number; maxTime?: number };
  seriesCountByMetricName?: Stat[];
  labelValueCountByLabelName?: Stat[];
  memoryInBytesByLabelName?: Stat[];
  seriesCountByLabelValuePair?: Stat[];
}

/** Cardinality shows the workspace's `status/tsdb`: head statistics and the top metrics, labels and label pairs. */
export function Cardinality({ ws }: { ws: string }) {
  const { creds } = useSession();
  const [limit, setLimit] = useState(10);
  const status = useAsync(() => promCall<TsdbStatus>(creds, ws, 'status/tsdb', { limit: String(limit) }).then((r) => r.data), [creds, ws, limit]);
  const d = status.data;
  return (
    <section>
      <h1>Cardinality</h1>
      <div class="row">
        <label>
          Top
          <select value={String(limit)} onChange={(e) => setLimit(Number((e.target as HTMLSelectElement).value))}>
            {[10, 20, 50, 100].map((n) => <option value={String(n)}>{n}</option>)}
          </select>
        </label>
        <button type="button" class="btn-small" onClick={() => void status.reload()}>Refresh</button>
      </div>
      {status.error && <Notice kind="error">{status.error}</Notice>}
      {d && (
        <>
          <dl class="facts">
            <dt>Head series</dt><dd data-testid="head-series">{d.headStats?.numSeries?.toLocaleString() ?? '—'}</dd>
            <dt>Label pairs</dt><dd>{d.headStats?.numLabelPairs?.toLocaleString() ?? '—'}</dd>
            <dt>Chunks</dt><dd>{d.headStats?.chunkCount?.toLocaleString() ?? '—'}</dd>
            <dt>Time range</dt><dd>{d.headStats?.minTime && d.headStats.maxTime && d.headStats.maxTime > 0 ? `${new Date(d.headStats.minTime).toISOString()} – ${new Date(d.headStats.maxTime).toISOString()}` : '—'}</dd>
          </dl>
          <div class="grid2">
            <BarTable caption="Top metrics by series" nameTitle="Metric" valueTitle="Series" rows={d.seriesCountByMetricName ?? []} />
            <BarTable caption="Top label names by value count" nameTitle="Label" valueTitle="Values" rows={d.labelValueCountByLabelName ?? []} />
            <BarTable caption="Top label pairs by series" nameTitle="Label pair" valueTitle="Series" rows={d.seriesCountByLabelValuePair ?? []} />
            <BarTable caption="Label names by memory" nameTitle="Label" valueTitle="Bytes" rows={d.memoryInBytesByLabelName ?? []} />
          </div>
        </>
      )}
      <MetadataBrowser ws={ws} />
    </section>
  );
}
