import { METRIC_NAME } from '../../model/labels.js';
import type { WorkspaceTSDB } from '../../storage/workspaces.js';
import { toJSON, RawJSON } from './gojson.js';
import { ApiError } from './api-error.js';
import type { Form } from './params.js';
import { Slicer } from '../../remote/slicer.js';

/** TSDBStat is one cardinality entry. */
export interface TSDBStat {
  name: string;
  value: number;
}

/** before orders stats by value descending, then name ascending (the output order). */
function before(a: TSDBStat, b: TSDBStat): boolean {
  return a.value > b.value || (a.value === b.value && a.name < b.name);
}

/** TopN keeps the n first stats in output order, as a min-heap of the n kept (memory n, not one entry per label pair). */
export class TopN {
  private readonly heap: TSDBStat[] = [];
  constructor(private readonly n: number) {}
  /** push offers one stat. */
  push(name: string, value: number): void {
    const h = this.heap;
    if (h.length < this.n) {
      h.push({ name, value });
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!before(h[p]!, h[i]!)) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
      return;
    }
    const item = { name, value };
    if (!before(item, h[0]!)) return;
    h[0] = item;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[m]!, h[l]!)) m = l;
      if (r < h.length && before(h[m]!, h[r]!)) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
  /** wants says whether a stat of this value could be kept (so a caller builds its name only then). */
  wants(value: number): boolean {
    return this.heap.length < this.n || value >= this.heap[0]!.value;
  }
  /** get returns the kept stats in output order. */
  get(): TSDBStat[] {
    return [...this.heap].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }
}

const MAX_INT64 = new RawJSON('9223372036854775807');
const MIN_INT64 = new RawJSON('-9223372036854775808');

/**
 * tsdbStatus serves /api/v1/status/tsdb from the workspace's active-series index, as Prometheus
 * computes it (MemPostings.Stats): top-`limit` metric names by series, label names by
 * distinct values, label names by value bytes × series, and label pairs by series. The walk
 * over every label pair runs in slices and keeps only the top entries, so a workspace with
 * millions of pairs does not hold the ingest thread.
 */
export async function tsdbStatus(db: WorkspaceTSDB, form: Form, slicer = new Slicer()): Promise<string> {
  const ls = form.get('limit');
  let limit = 10;
  if (ls !== '') {
    limit = Number(ls);
    if (!/^\d+$/.test(ls) || limit <= 0 || limit > 10_000) throw new ApiError('bad_data', 'limit must be a positive number less than or equal to 10000');
  }
  const ix = db.seriesIndex();
  const metrics = new TopN(limit);
  const valueCounts = new TopN(limit);
  const valueBytes = new TopN(limit);
  const pairs = new TopN(limit);
  let numLabelPairs = 0;
  for (const name of ix.labelNames()) {
    let bytes = 0;
    let distinct = 0;
    for (const v of ix.unsortedLabelValues(name)) {
      distinct++;
      const n = ix.seriesCount(name, v);
      if (name === METRIC_NAME) metrics.push(v, n);
      if (pairs.wants(n)) pairs.push(`${name}=${v}`, n);
      bytes += Buffer.byteLength(v, 'utf8') * n;
      numLabelPairs++;
      if (slicer.due()) await slicer.pause();
    }
    valueCounts.push(name, distinct);
    valueBytes.push(name, bytes);
  }
  const st = db.headSummary();
  const empty = st.numSeries === 0 || !Number.isFinite(st.minTime);
  return toJSON({
    headStats: {
      numSeries: st.numSeries,
      numLabelPairs,
      chunkCount: st.numChunks,
      minTime: empty ? MAX_INT64 : st.minTime,
      maxTime: empty ? MIN_INT64 : st.maxTime,
    },
    seriesCountByMetricName: metrics.get(),
    labelValueCountByLabelName: valueCounts.get(),
    memoryInBytesByLabelName: valueBytes.get(),
    seriesCountByLabelValuePair: pairs.get(),
  });
}
