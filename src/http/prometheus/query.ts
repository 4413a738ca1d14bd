import { Engine, type EngineOptions, type QueryResult } from '../../promql/engine/engine.js';
import type { Value } from '../../promql/engine/value.js';
import { PromQLError } from '../../promql/engine/errors.js';
import { parseExpr } from '../../promql/parser/index.js';
import type { Queryable } from '../../storage/interface.js';
import { ApiError, invalidParam } from './api-error.js';
import type { Form } from './params.js';
import { parseDuration, parseTime, timeParam } from './params.js';
import { statsJSON, type QueryTimings } from './stats.js';
import { resultType, writeValueJSON, type JSONSink } from './values.js';

/** MAX_POINTS_PER_SERIES is Prometheus's cap on (end - start) / step of a range query. */
export const MAX_POINTS_PER_SERIES = 11_000;

/** QueryLogEntry is what query logging records of an evaluated query. */
export interface QueryLogEntry {
  readonly query: string;
  readonly samplesProcessed: number;
  readonly evalSeconds: number;
}

/** QueryResponse is an evaluated query: its value, annotations, rendered stats (when asked) and its query-log entry. */
export interface QueryResponse {
  readonly value: Value;
  readonly warnings: string[];
  readonly infos: string[];
  /** stats is the rendered stats block, or null without `stats`. */
  readonly stats: string | null;
  readonly log: QueryLogEntry;
}

/** QueryRequest is what the instant and range handlers share (plain data: it crosses into query workers). */
export interface QueryRequest {
  readonly queryable: Queryable;
  readonly form: Form;
  readonly signal: AbortSignal;
  /** now is the default evaluation time (ms) of an instant query. */
  readonly now: number;
  /** timeout (ms) is what is left of the query's deadline. */
  readonly timeout: number;
  /** maxSamples is the workspace's maxQuerySamples. */
  readonly maxSamples: number;
  /** maxQueryTimeRangeMs caps end - start of a range query (0 = none). */
  readonly maxQueryTimeRangeMs: number;
  readonly engine: Pick<EngineOptions, 'lookbackDelta' | 'defaultSubqueryStep'>;
  /** queuedSeconds is the time the query waited for a worker (stats' execQueueTime). */
  readonly queuedSeconds?: number;
}

/** timeoutParam reads `timeout` capped by dflt (ms), with Prometheus's error wording. */
export function timeoutParam(form: Form, dflt: number): number {
  const to = form.get('timeout');
  if (to === '') return dflt;
  let ms: number;
  try {
    ms = parseDuration(to);
  } catch (err) {
    throw invalidParam((err as Error).message, 'timeout');
  }
  return Math.min(dflt, ms);
}

function thresholdParam(form: Form, name: string): number {
  const s = form.get(name);
  if (s === '') return 0;
  if (!/^\d+$/.test(s)) throw invalidParam(`${JSON.stringify(s)} is not a non-negative integer`, name);
  return Number(s);
}

function checkQuery(q: string, param: boolean): void {
  try {
    parseExpr(q);
  } catch (err) {
    const msg = (err as Error).message;
    throw param ? invalidParam(msg, 'query') : new ApiError('bad_data', msg, { cause: err });
  }
}

/** toApiError maps engine failures to API errors (Prometheus's returnAPIError); anything else is internal. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof PromQLError) return new ApiError(err.kind, err.message, { cause: err });
  return new ApiError('internal', (err as Error)?.message ?? String(err), { cause: err });
}

function run(req: QueryRequest, prep: number, grid: { start: number; step: number }, exec: (engine: Engine) => QueryResult): QueryResponse {
  const { form } = req;
  thresholdParam(form, 'max_samples_processed_warning_threshold');
  thresholdParam(form, 'max_samples_processed_error_threshold');
  const engine = new Engine({ ...req.engine, maxSamples: req.maxSamples, timeout: req.timeout });
  if (req.signal.aborted) throw new ApiError('canceled', 'query was canceled in query execution');
  if (!(req.timeout > 0)) throw new ApiError('timeout', 'query timed out in query execution');
  const t0 = performance.now();
  const res = exec(engine);
  const evalSecs = (performance.now() - t0) / 1000;
  let stats: string | null = null;
  if (form.get('stats') !== '') {
    const queue = req.queuedSeconds ?? 0;
    const timings: QueryTimings = { evalTotalTime: evalSecs, resultSortTime: 0, queryPreparationTime: prep, innerEvalTime: evalSecs, execQueueTime: queue, execTotalTime: evalSecs + prep + queue };
    const perStep = form.get('stats') === 'all' ? { ...grid, counts: res.stats.samplesPerStep } : undefined;
    stats = statsJSON(timings, res.stats, perStep);
  }
  const log = { query: form.get('query') ?? '', samplesProcessed: res.stats.totalSamples, evalSeconds: evalSecs };
  return { value: res.value, warnings: [...res.warnings], infos: res.infos, stats, log };
}

/**
 * checkThresholds applies max_samples_processed_error_threshold (throws) and
 * max_samples_processed_warning_threshold (adds a warning) to an evaluated query.
 */
export function checkThresholds(form: Form, res: QueryResponse): void {
  const processed = res.log.samplesProcessed;
  const failAt = thresholdParam(form, 'max_samples_processed_error_threshold');
  if (failAt > 0 && processed > failAt) {
    throw new ApiError('execution', `query processed ${processed} samples, exceeding max_samples_processed_error_threshold (${failAt})`);
  }
  const warnAt = thresholdParam(form, 'max_samples_processed_warning_threshold');
  if (warnAt > 0 && processed > warnAt) res.warnings.push(`query processed ${processed} samples, exceeding max_samples_processed_warning_threshold (${warnAt})`);
}

/** writeQueryData renders an evaluated query's `data` object into out. */
export function writeQueryData(res: QueryResponse, out: JSONSink): void {
  out(`{"resultType":"${resultType(res.value)}","result":`);
  writeValueJSON(res.value, out);
  out(res.stats === null ? '}' : `,"stats":${res.stats}}`);
}

/** instantQuery serves /api/v1/query. */
export function instantQuery(req: QueryRequest): QueryResponse {
  const { form } = req;
  const ts = timeParam(form, 'time', req.now);
  const q = form.get('query');
  const t0 = performance.now();
  checkQuery(q, true);
  const prep = (performance.now() - t0) / 1000;
  return run(req, prep, { start: ts, step: 0 }, (engine) => engine.instantQuery(req.queryable, q, ts, { signal: req.signal }));
}

/** rangeQuery serves /api/v1/query_range. */
export function rangeQuery(req: QueryRequest): QueryResponse {
  const { form } = req;
  const parse = (name: string): number => {
    try {
      return parseTime(form.get(name));
    } catch (err) {
      throw invalidParam((err as Error).message, name);
    }
  };
  const start = parse('start');
  const end = parse('end');
  if (end < start) throw invalidParam('end timestamp must not be before start time', 'end');
  let step: number;
  try {
    step = parseDuration(form.get('step'));
  } catch (err) {
    throw invalidParam((err as Error).message, 'step');
  }
  if (!(step > 0)) throw invalidParam('zero or negative query resolution step widths are not accepted. Try a positive integer', 'step');
  // Go divides durations in ns, truncating.
  if (Math.trunc(((end - start) * 1e6) / Math.round(step * 1e6)) > MAX_POINTS_PER_SERIES) {
    throw new ApiError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const stepMs = Math.trunc(step);
  if (stepMs < 1) throw invalidParam('zero or negative query resolution step widths are not accepted. Try a positive integer', 'step');
  const maxRange = req.maxQueryTimeRangeMs;
  if (maxRange > 0 && end - start > maxRange) {
    throw new ApiError('bad_data', `the query time range exceeds the limit (query length: ${fmtHours(end - start)}, limit: ${fmtHours(maxRange)}) (maxQueryTimeRangeMs)`);
  }
  const q = form.get('query');
  const t0 = performance.now();
  checkQuery(q, false);
  const prep = (performance.now() - t0) / 1000;
  return run(req, prep, { start, step: stepMs }, (engine) => engine.rangeQuery(req.queryable, q, start, end, stepMs, { signal: req.signal }));
}

/** fmtHours prints a duration like Go's time.Duration for whole seconds (e.g. 768h0m0s). */
function fmtHours(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
}
