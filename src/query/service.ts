import type { Registry } from 'prom-client';
import type { WorkspaceLookup } from '../controlplane/limits.js';
import type { Logger } from '../model/logger.js';
import type { WorkspaceStorage } from '../tsdb/workspaces.js';
import { defaultEngineOptions } from '../promql/engine/engine.js';
import { QueryFrontend } from './frontend.js';
import { registerQueryMetrics } from './metrics.js';
import { QueryPool } from './pool.js';

/** QueryServiceConfig is the `query` section of the configuration. */
export interface QueryServiceConfig {
  readonly workers: number;
  readonly maxOldGenerationMb: number;
  readonly maxYoungGenerationMb: number;
  readonly maxResultBytes: number;
  readonly maxHeadSelectBytes: number;
  readonly maxQueuedPerWorkspace: number;
  readonly warmUpMs: number;
  /** maxTimeout caps a query's `timeout` (ms) unless the workspace's maxQueryTimeoutMs says otherwise (default 2m). */
  readonly maxTimeout?: number;
}

/** RunningQueryService is the started query frontend with its worker pool. */
export interface RunningQueryService {
  readonly frontend: QueryFrontend;
  readonly pool: QueryPool;
  close(): Promise<void>;
}

/** startQueryService starts the query worker pool and its frontend, with their self-metrics. */
export function startQueryService(opts: { config: QueryServiceConfig; workspaces: WorkspaceLookup; storage: WorkspaceStorage; registry?: Registry; logger?: Logger }): RunningQueryService {
  const { config } = opts;
  let pool: QueryPool | null = null;
  const metrics = opts.registry ? registerQueryMetrics(opts.registry, () => pool) : null;
  pool = new QueryPool({
    size: config.workers,
    maxOldGenerationMb: config.maxOldGenerationMb,
    maxYoungGenerationMb: config.maxYoungGenerationMb,
    maxQueuedPerWorkspace: config.maxQueuedPerWorkspace,
    maxHeadSelectBytes: config.maxHeadSelectBytes,
    warmUpMs: config.warmUpMs,
    ...(metrics ? { onRestart: metrics.onRestart, onReject: metrics.onReject } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const frontend = new QueryFrontend({ pool, workspaces: opts.workspaces, storage: opts.storage, engine: { ...defaultEngineOptions(), ...(config.maxTimeout !== undefined ? { timeout: config.maxTimeout } : {}) }, maxResultBytes: config.maxResultBytes });
  const running = pool;
  return { frontend, pool: running, close: () => running.close() };
}
