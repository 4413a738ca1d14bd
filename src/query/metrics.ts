import { Counter, Gauge, type Registry } from 'prom-client';
import type { RestartReason } from './pool.js';

/** QueryPoolStats is what the pool reports at scrape time. */
export interface QueryPoolStats {
  queueDepths(): Map<string, number>;
  inFlight(): number;
  readonly size: number;
}

/** QueryMetrics are the counters the pool feeds as events happen. */
export interface QueryMetrics {
  onRestart(reason: RestartReason): void;
  onReject(reason: 'queue_full'): void;
}

/**
 * registerQueryMetrics exports the query pool's figures: queue depth per workspace (only
 * workspaces with queued queries, which exist since they were resolved before queueing),
 * queries in flight, workers, rejected queries and worker restarts by reason.
 */
export function registerQueryMetrics(registry: Registry, stats: () => QueryPoolStats | null): QueryMetrics {
  new Gauge({
    name: 'amphora_query_queue_depth',
    help: 'Queries waiting for a query worker, per workspace.',
    labelNames: ['workspace'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [ws, n] of stats()?.queueDepths() ?? []) this.set({ workspace: ws }, n);
    },
  });
  new Gauge({
    name: 'amphora_queries_in_flight',
    help: 'Queries running on query workers.',
    registers: [registry],
    collect() {
      this.set(stats()?.inFlight() ?? 0);
    },
  });
  new Gauge({
    name: 'amphora_query_workers',
    help: 'Query worker threads.',
    registers: [registry],
    collect() {
      this.set(stats()?.size ?? 0);
    },
  });
  const rejected = new Counter({ name: 'amphora_query_rejected_total', help: 'Queries refused before running, by reason.', labelNames: ['reason'], registers: [registry] });
  const restarts = new Counter({ name: 'amphora_query_worker_restarts_total', help: 'Query workers replaced, by reason (timeout, oom, crash, cancel).', labelNames: ['reason'], registers: [registry] });
  for (const r of ['timeout', 'oom', 'crash', 'cancel'] as const) restarts.inc({ reason: r }, 0);
  rejected.inc({ reason: 'queue_full' }, 0);
  return { onRestart: (reason) => restarts.inc({ reason }), onReject: (reason) => rejected.inc({ reason }) };
}
