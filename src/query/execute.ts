import { ApiError } from '../http/prometheus/api-error.js';
import { Form } from '../http/prometheus/params.js';
import { checkThresholds, instantQuery, rangeQuery, writeQueryData, type QueryLogEntry, type QueryRequest } from '../http/prometheus/query.js';
import { writeSuccess } from '../http/prometheus/respond.js';
import { labelNames, labelValues, series, type Listing } from '../http/prometheus/series-labels.js';
import type { JSONSink } from '../http/prometheus/values.js';
import { assertNever } from '../promql/parser/index.js';
import type { Queryable } from '../storage/interface.js';
import type { QueryJob } from './protocol.js';

/** ExecuteResult is what an executed job leaves besides its body: the query-log entry of PromQL queries. */
export interface ExecuteResult {
  readonly log?: QueryLogEntry;
}

/**
 * executeJob evaluates a job over a Queryable and renders its success body into out; failures
 * throw (ApiError, PromQLError or anything else). A PromQL query over its error threshold
 * throws an ApiError carrying the query-log entry in `log` (the query was still evaluated).
 */
export function executeJob(job: QueryJob, queryable: Queryable, signal: AbortSignal, out: JSONSink): ExecuteResult {
  const form = new Form(new Map(job.params.map(([k, v]) => [k, [...v]])));
  switch (job.kind) {
    case 'instant':
    case 'range': {
      const req: QueryRequest = {
        queryable,
        form,
        signal,
        now: job.now,
        timeout: job.deadline - Date.now(),
        maxSamples: job.limits.maxSamples,
        maxQueryTimeRangeMs: job.limits.maxQueryTimeRangeMs,
        engine: job.engine,
        queuedSeconds: job.queuedSeconds,
      };
      const res = job.kind === 'instant' ? instantQuery(req) : rangeQuery(req);
      try {
        checkThresholds(form, res);
      } catch (err) {
        throw Object.assign(err as ApiError, { log: res.log });
      }
      writeSuccess(out, (o) => writeQueryData(res, o), res.warnings, res.infos);
      return { log: res.log };
    }
    case 'series':
    case 'labels':
    case 'labelValues': {
      if (signal.aborted) throw new ApiError('canceled', 'query was canceled in query execution');
      const listing: Listing = job.kind === 'series' ? series(queryable, form) : job.kind === 'labels' ? labelNames(queryable, form) : labelValues(queryable, job.labelName ?? '', form);
      writeSuccess(out, listing.write, listing.warnings);
      return {};
    }
    case 'remoteRead':
      throw new Error('remote read jobs run in executeRemoteRead (src/remote/read/execute.ts), not executeJob');
    default:
      return assertNever(job.kind);
  }
}
