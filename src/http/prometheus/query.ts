import { Engine, type QueryResult } from '../../promql/engine/engine.js';
import { PromQLError } from '../../promql/engine/errors.js';
import { parseExpr } from '../../promql/parser/index.js';
import type { Queryable } from '../../storage/interface.js';
import { ApiError, invalidParam } from './api-error.js';
import type { PrometheusApiDeps } from './deps.js';
import type { Form } from './params.js';
import { parseDuration, parseTime, timeParam } from './params.js';
import { statsJSON, type QueryTimings } from './stats.js';
import { resultType, valueJSON } from './values.js';

/** MAX_POINTS_PER_SERIES is Prometheus's cap on (end - start) / step of a range query. */
export const MAX_POINTS_PER_SERIES = 11_000;

/** QueryResponse is a rendered query result: data JSON plus annotations. */
export interface QueryResponse {
  readonly data: string;
  readonly warnings: string[];
  readonly infos: string[];
}

/** QueryRequest is what the instant and range handlers share. */
export interface QueryRequest {
  readonly deps: PrometheusApiDeps;
  readonly workspaceId: string;
  readonly queryable: Queryable;
  readonly form: Form;
  readonly signal: AbortSignal;
}

function timeoutParam(form: Form, dflt: number): number {
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
  const { deps, form } = req;
  const limits = deps.workspaces.limits(req.workspaceId);
  const timeout = timeoutParam(form, deps.engine.opts.timeout);
  const warnAt = thresholdParam(form, 'max_samples_processed_warning_threshold');
  const failAt = thresholdParam(form, 'max_samples_processed_error_threshold');
  const engine = new Engine({ ...deps.engine.opts, maxSamples: limits.maxQuerySamples, timeout });
  if (req.signal.aborted) throw new ApiError('canceled', 'query was canceled in query execution');
  if (!(timeout > 0)) throw new ApiError('timeout', 'query timed out in query execution');
  const t0 = performance.now();
  const res = exec(engine);
  const evalSecs = (performance.now() - t0) / 1000;
  const processed = res.stats.totalSamples;
  deps.onQuery?.(req.workspaceId, { query: form.get('query') ?? '', samplesProcessed: processed, evalSeconds: evalSecs });
  if (failAt > 0 && processed > failAt) {
    throw new ApiError('execution', `query processed ${processed} samples, exceeding max_samples_processed_error_threshold (${failAt})`);
  }
  const warnings = [...res.warnings];
  if (warnAt > 0 && processed > warnAt) warnings.push(`query processed ${processed} samples, exceeding max_samples_processed_warning_threshold (${warnAt})`);
  let data = `{"resultType":"${resultType(res.value)}","result":${valueJSON(res.value)}`;
  if (form.get('stats') !== '') {
    const timings: QueryTimings = { evalTotalTime: evalSecs, resultSortTime: 0, queryPreparationTime: prep, innerEvalTime: evalSecs, execQueueTime: 0, execTotalTime: evalSecs + prep };
    const perStep = form.get('stats') === 'all' ? { ...grid, counts: res.stats.samplesPerStep } : undefined;
    data += `,"stats":${statsJSON(timings, res.stats, perStep)}`;
  }
  return { data: `${data}}`, warnings, infos: res.infos };
}

/** instantQuery serves /api/v1/query. */
export function instantQuery(req: QueryRequest): QueryResponse {
  const { form, deps } = req;
  const now = deps.now ?? Date.now;
  const ts = timeParam(form, 'time', now());
  const q = form.get('query');
  const t0 = performance.now();
  checkQuery(q, true);
  const prep = (performance.now() - t0) / 1000;
  return run(req, prep, { start: ts, step: 0 }, (engine) => engine.instantQuery(req.queryable, q, ts, { signal: req.signal }));
}

/** rangeQuery serves /api/v1/query_range. */
export function rangeQuery(req: QueryRequest): QueryResponse {
  const { form, deps } = req;
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
  const maxRange = deps.workspaces.limits(req.workspaceId).maxQueryTimeRangeMs;
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
