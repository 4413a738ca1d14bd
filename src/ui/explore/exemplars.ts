import type { Credentials } from '../lib/credentials';
import { promCall, type Metric } from '../lib/prom';

/** Exemplar is one exemplar of a series, with the series it belongs to. */
export interface Exemplar {
  readonly series: Metric;
  readonly labels: Metric;
  readonly value: number;
  /** timestamp is in seconds, as the API sends it. */
  readonly timestamp: number;
}

/** fetchExemplars asks the workspace for the query's exemplars in a range; none when it has none or the query has no selector (204). */
export async function fetchExemplars(creds: Credentials, ws: string, query: string, startS: number, endS: number, signal: AbortSignal): Promise<Exemplar[]> {
  try {
    const r = await promCall<{ seriesLabels: Metric; exemplars: { labels: Metric; value: string; timestamp: number }[] }[] | null>(creds, ws, 'query_exemplars', { query, start: String(startS), end: String(endS) }, { method: 'POST', signal });
    return (r.data ?? []).flatMap((s) => s.exemplars.map((e) => ({ series: s.seriesLabels, labels: e.labels, value: Number(e.value), timestamp: e.timestamp })));
  } catch {
    return []; // exemplars decorate the graph; the range query reports errors
  }
}
