import { METRIC_NAME } from '../../model/labels.js';
import type { WorkspaceTSDB } from '../../storage/workspaces.js';
import { toJSON, RawJSON } from './gojson.js';
import { ApiError } from './api-error.js';
import type { Form } from './params.js';

/** TSDBStat is one cardinality entry. */
export interface TSDBStat {
  name: string;
  value: number;
}

class TopN {
  private readonly items: TSDBStat[] = [];
  constructor(private readonly n: number) {}
  push(name: string, value: number): void {
    this.items.push({ name, value });
  }
  get(): TSDBStat[] {
    return this.items.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, this.n);
  }
}

const MAX_INT64 = new RawJSON('9223372036854775807');
const MIN_INT64 = new RawJSON('-9223372036854775808');

/**
 * tsdbStatus serves /api/v1/status/tsdb from the workspace's active-series index, as Prometheus
 * computes it (MemPostings.Stats): top-`limit` metric names by series, label names by
 * distinct values, label names by value bytes × series, and label pairs by series.
 */
export function tsdbStatus(db: WorkspaceTSDB, form: Form): string {
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
    const values = ix.labelValues(name);
    valueCounts.push(name, values.length);
    let bytes = 0;
    for (const v of values) {
      const n = ix.seriesCount(name, v);
      if (name === METRIC_NAME) metrics.push(v, n);
      pairs.push(`${name}=${v}`, n);
      bytes += Buffer.byteLength(v, 'utf8') * n;
      numLabelPairs++;
    }
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
