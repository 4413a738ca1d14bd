import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { StorageStatus, TSDBStats } from '../storage/workspaces.js';
import { routeAuth } from '../auth/actions.js';
import type { RoutePlugin } from './server.js';

/** newSelfMetricsRegistry creates the process's prom-client registry with Node's default metrics. */
export function newSelfMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'amphora_' });
  return registry;
}

const TSDB_GAUGES: [keyof TSDBStats, string, string][] = [
  ['headSeries', 'amphora_tsdb_head_series', 'Active series in the head, per workspace.'],
  ['headChunks', 'amphora_tsdb_head_chunks', 'Chunks in the head, per workspace.'],
  ['blocks', 'amphora_tsdb_blocks_loaded', 'Blocks loaded, per workspace.'],
  ['corruptBlocks', 'amphora_tsdb_corrupt_blocks', 'Blocks skipped because they failed verification, per workspace.'],
  ['headCuts', 'amphora_tsdb_head_cuts_total', 'Head ranges written as blocks, per workspace.'],
  ['compactions', 'amphora_tsdb_compactions_total', 'Block compactions, per workspace.'],
  ['compactionFailures', 'amphora_tsdb_compaction_failures_total', 'Failed background compaction rounds, per workspace.'],
  ['retentionDeletions', 'amphora_tsdb_retention_deletions_total', 'Blocks deleted beyond retention, per workspace.'],
  ['walRecords', 'amphora_tsdb_wal_records_total', 'WAL records logged, per workspace.'],
  ['walFsyncs', 'amphora_tsdb_wal_fsyncs_total', 'WAL fsyncs (group commits), per workspace.'],
  ['walBytes', 'amphora_tsdb_wal_bytes_total', 'Bytes written to the WAL, per workspace.'],
  ['walFailures', 'amphora_tsdb_wal_failures_total', 'Failed WAL writes, per workspace.'],
];

/** registerStorageMetrics exports every open workspace's TSDB figures, read at scrape time. */
export function registerStorageMetrics(registry: Registry, storage: Pick<StorageStatus, 'stats'>): void {
  let snapshot: Promise<Map<string, TSDBStats>> | null = null;
  for (const [key, name, help] of TSDB_GAUGES) {
    new Gauge({
      name,
      help,
      labelNames: ['workspace'],
      registers: [registry],
      async collect() {
        snapshot ??= storage.stats().finally(() => setImmediate(() => (snapshot = null)));
        this.reset();
        for (const [ws, stats] of await snapshot) this.set({ workspace: ws }, stats[key]);
      },
    });
  }
}

/** instrumentRequests records every request's latency by route and status code. */
export function instrumentRequests(app: FastifyInstance, registry: Registry): void {
  const latency = new Histogram({
    name: 'amphora_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status code.',
    labelNames: ['method', 'route', 'code'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    latency.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}

/** SelfMetricsRouteOptions configure GET /metrics. */
export interface SelfMetricsRouteOptions {
  /** requireAuth serves /metrics only to SigV4 callers allowed aps:AdminGetMetrics (default false: public, like Prometheus's own). */
  requireAuth?: boolean;
}

/** selfMetricsRoutes serves the registry at GET /metrics in the Prometheus text format (public, or SigV4 with aps:AdminGetMetrics) and instruments every request. */
export function selfMetricsRoutes(registry: Registry, opts: SelfMetricsRouteOptions = {}): RoutePlugin {
  return (app) => {
    instrumentRequests(app, registry);
    const auth = opts.requireAuth ? routeAuth('GET', '/metrics') : 'public';
    app.get('/metrics', { config: { auth } }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  };
}
