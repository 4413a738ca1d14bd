import type { Credentials } from '../lib/credentials';
import { autoStep, parseDuration } from '../lib/duration';
import { promCall, type QueryResult, type QueryStats } from '../lib/prom';
import { fetchExemplars, type Exemplar } from './exemplars';
import { alignMatrix, type GraphData } from './graph-data';
import type { ExploreState } from './url-state';

/** QueryOutcome is what one run of the Explore query produced, for the graph or the table. */
export interface QueryOutcome {
  readonly graph?: GraphData;
  readonly exemplars?: Exemplar[];
  readonly table?: QueryResult;
  readonly warnings: string[];
  readonly infos: string[];
  readonly stats?: QueryStats;
  readonly elapsedMs: number;
  readonly resultSeries: number;
  readonly stepMs: number;
}

/** runQuery runs the state's query: query_range over the range for the graph, an instant query at its end for the table (with stats=all). */
export async function runQuery(creds: Credentials, ws: string, s: ExploreState, signal: AbortSignal): Promise<QueryOutcome> {
  const endMs = s.end ?? Date.now();
  const rangeMs = parseDuration(s.range) ?? 3_600_000;
  const stepMs = parseDuration(s.step) ?? autoStep(rangeMs);
  const t0 = performance.now();
  if (s.tab === 'graph') {
    const startS = Math.floor((endMs - rangeMs) / stepMs) * (stepMs / 1000);
    const endS = Math.floor(endMs / stepMs) * (stepMs / 1000);
    const [r, exemplars] = await Promise.all([
      promCall<QueryResult & { stats?: QueryStats }>(creds, ws, 'query_range', { query: s.query, start: String(startS), end: String(endS), step: String(stepMs / 1000), stats: 'all' }, { method: 'POST', signal }),
      fetchExemplars(creds, ws, s.query, startS, endS, signal),
    ]);
    const elapsedMs = performance.now() - t0;
    if (r.data.resultType !== 'matrix') throw new Error(`a range query returned ${r.data.resultType}`);
    const graph = alignMatrix(r.data.result, startS, endS, stepMs / 1000);
    return { graph, exemplars, warnings: r.warnings, infos: r.infos, ...(r.data.stats ? { stats: r.data.stats } : {}), elapsedMs, resultSeries: r.data.result.length, stepMs };
  }
  const r = await promCall<QueryResult & { stats?: QueryStats }>(creds, ws, 'query', { query: s.query, time: String(endMs / 1000), stats: 'all' }, { method: 'POST', signal });
  const elapsedMs = performance.now() - t0;
  const resultSeries = r.data.resultType === 'vector' || r.data.resultType === 'matrix' ? r.data.result.length : 1;
  return { table: r.data, warnings: r.warnings, infos: r.infos, ...(r.data.stats ? { stats: r.data.stats } : {}), elapsedMs, resultSeries, stepMs };
}
