import type { WorkspaceLookup } from '../controlplane/limits.js';
import type { QueryService, QueryServiceRequest } from '../http/prometheus/deps.js';
import { timeoutParam } from '../http/prometheus/query.js';
import type { EngineOptions } from '../promql/engine/engine.js';
import type { TSDB } from '../tsdb/db.js';
import type { Answer, QueryPool } from './pool.js';
import { federatedParts, strictestLimits } from './federation-job.js';
import { federatedReadView } from './federation-view.js';
import type { QueryJob } from './protocol.js';

/** QueryFrontendOptions configure a QueryFrontend. */
export interface QueryFrontendOptions {
  readonly pool: QueryPool;
  readonly workspaces: WorkspaceLookup;
  /** storage opens a workspace's TSDB: its block list and head are what workers read. */
  readonly storage: { get(workspaceId: string): Promise<TSDB> };
  /** engine gives the lookback, default subquery step and the server's default (maximum) timeout, which a workspace's maxQueryTimeoutMs overrides. */
  readonly engine: Pick<EngineOptions, 'lookbackDelta' | 'defaultSubqueryStep' | 'timeout'>;
  /** maxResultBytes caps a response body. */
  readonly maxResultBytes: number;
}

/**
 * QueryFrontend is the query service of the query API: on the ingest thread it only reads
 * the deadline (`timeout`, capped by the engine's default) and the workspace's limits, then
 * hands the job with the workspace's block list and head to the worker pool.
 */
export class QueryFrontend implements QueryService {
  constructor(private readonly opts: QueryFrontendOptions) {}

  /** run dispatches one request; a bad `timeout` throws ApiError('bad_data'). */
  async run(req: QueryServiceRequest): Promise<Answer> {
    // A cross-workspace query (req.workspaces) runs over every named workspace under the strictest of their limits.
    const ids = req.workspaces !== undefined && req.workspaces.length > 1 ? req.workspaces : null;
    const dbs = ids === null ? [await this.opts.storage.get(req.workspaceId)] : await Promise.all(ids.map((id) => this.opts.storage.get(id)));
    const db = dbs[0]!;
    const limits = ids === null ? this.opts.workspaces.limits(req.workspaceId) : strictestLimits(ids.map((id) => this.opts.workspaces.limits(id)));
    const timeout = timeoutParam(req.form, limits.maxQueryTimeoutMs > 0 ? limits.maxQueryTimeoutMs : this.opts.engine.timeout);
    const job: Omit<QueryJob, 'queuedSeconds'> = {
      kind: req.kind,
      workspaceId: req.workspaceId,
      params: req.form.entries(),
      ...(req.labelName !== undefined ? { labelName: req.labelName } : {}),
      now: req.now,
      deadline: Date.now() + timeout,
      limits: { maxSamples: limits.maxQuerySamples, maxQueryTimeRangeMs: limits.maxQueryTimeRangeMs, maxResultBytes: this.opts.maxResultBytes },
      engine: { lookbackDelta: this.opts.engine.lookbackDelta, defaultSubqueryStep: this.opts.engine.defaultSubqueryStep },
      blocks: db.blockRefs(),
      storageWarnings: db.corruptWarnings(),
      ...(ids === null ? {} : { federation: federatedParts(ids, dbs) }),
    };
    const view = ids === null ? { head: db.head, blocks: () => db.blockRefs() } : federatedReadView(dbs.map((d) => ({ head: d.head, blocks: () => d.blockRefs() })));
    return this.opts.pool.submit({ job, view, signal: req.signal });
  }
}
