import type { Querier, Queryable } from '../../storage/interface.js';
import type { Annotations } from './annotations.js';
import { PromQLError, TOO_MANY_SAMPLES } from './errors.js';

/** QueryContext is the state shared by every evaluator of one query: storage, limits, stats and annotations. */
export interface QueryContext {
  readonly queryable: Queryable;
  readonly lookbackDelta: number;
  readonly maxSamples: number;
  readonly defaultSubqueryStep: number;
  /** queryStart and queryEnd resolve `@ start()` and `@ end()`. */
  readonly queryStart: number;
  readonly queryEnd: number;
  /** queryStep is the range query's step in ms (0 for instant queries), for step(). */
  readonly queryStep: number;
  /** isRange is true for range queries (some annotations only apply to them). */
  readonly isRange: boolean;
  readonly annos: Annotations;
  readonly queriers: Querier[];
  readonly stats: { currentSamples: number; peakSamples: number };
  readonly deadline: number;
  readonly now: () => number;
  readonly signal?: AbortSignal;
  /**
   * statsDecoding is > 0 while evaluating the argument of histogram_count/sum/avg: as Prometheus's
   * HistogramStatsIterator, selections then mark histogram samples whose counts fell as CounterReset.
   */
  statsDecoding?: number;
}

/** checkAbort throws when the query timed out or was cancelled. */
export function checkAbort(ctx: QueryContext): void {
  if (ctx.signal?.aborted) throw new PromQLError('canceled', 'query was canceled in query execution');
  if (ctx.now() > ctx.deadline) throw new PromQLError('timeout', 'query timed out in query execution');
}

/** account adds n samples to the samples held in memory and enforces the max samples limit. */
export function account(ctx: QueryContext, n: number): void {
  const s = ctx.stats;
  s.currentSamples += n;
  if (s.currentSamples > s.peakSamples) s.peakSamples = s.currentSamples;
  if (s.currentSamples > ctx.maxSamples) throw new PromQLError('execution', TOO_MANY_SAMPLES);
}

/** release subtracts n samples from the samples held in memory. */
export function release(ctx: QueryContext, n: number): void {
  ctx.stats.currentSamples -= n;
}
