import { Counter, Histogram, type Registry } from 'prom-client';

/** RemoteWriteMetrics are the ingestion self-metrics, per workspace (Cortex's names without the cortex_ prefix). */
export interface RemoteWriteMetrics {
  readonly receivedSamples: Counter<'workspace'>;
  readonly receivedExemplars: Counter<'workspace'>;
  readonly receivedMetadata: Counter<'workspace'>;
  readonly discardedSamples: Counter<'workspace' | 'reason'>;
  readonly discardedExemplars: Counter<'workspace' | 'reason'>;
  readonly discardedMetadata: Counter<'workspace' | 'reason'>;
  readonly requests: Counter<'workspace' | 'version' | 'code'>;
  /** discardedRequests counts requests refused whole by a per-request limit. */
  readonly discardedRequests: Counter<'workspace' | 'limit'>;
  readonly requestBytes: Counter<'workspace' | 'version'>;
  readonly decodeSeconds: Histogram<'version'>;
}

/** UNKNOWN_WORKSPACE is the workspace label every id that names no existing workspace counts under. */
export const UNKNOWN_WORKSPACE = 'unknown';

/** knownWorkspaces holds, per registry, which workspace ids may become label values (all when unset). */
const knownWorkspaces = new WeakMap<Registry, (workspaceId: string) => boolean>();
/** perWorkspace holds, per registry, the counters labelled by workspace, for forgetWorkspaceSeries. */
const perWorkspace = new WeakMap<Registry, Set<Counter<string>>>();

/**
 * labelOnlyKnownWorkspaces makes the registry's per-workspace counters label only ids for which
 * `known` is true; every other id counts under workspace="unknown", so requests naming made-up
 * workspaces cannot grow the metric cardinality.
 */
export function labelOnlyKnownWorkspaces(registry: Registry, known: (workspaceId: string) => boolean): void {
  knownWorkspaces.set(registry, known);
}

/** forgetWorkspaceSeries removes every per-workspace series of a (deleted) workspace from the registry's counters. */
export async function forgetWorkspaceSeries(registry: Registry, workspaceId: string): Promise<void> {
  for (const c of perWorkspace.get(registry) ?? []) {
    for (const v of (await c.get()).values) if (v.labels['workspace'] === workspaceId) c.remove(v.labels as Record<string, string>);
  }
}

function counter<T extends string>(registry: Registry, name: string, help: string, labelNames: readonly T[]): Counter<T> {
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined) return existing as Counter<T>;
  const c = new Counter({ name, help, labelNames, registers: [registry] });
  const inc = c.inc.bind(c) as (labels?: unknown, value?: number) => void;
  c.inc = ((labels?: unknown, value?: number): void => {
    const known = knownWorkspaces.get(registry);
    if (known !== undefined && typeof labels === 'object' && labels !== null) {
      const ws = (labels as Record<string, string>)['workspace'];
      if (ws !== undefined && !known(ws)) return inc({ ...labels, workspace: UNKNOWN_WORKSPACE }, value);
    }
    inc(labels, value);
  }) as Counter<T>['inc'];
  let set = perWorkspace.get(registry);
  if (!set) perWorkspace.set(registry, (set = new Set()));
  set.add(c as unknown as Counter<string>);
  return c;
}

/** remoteWriteMetrics registers (or reuses) the ingestion metrics on a registry. */
export function remoteWriteMetrics(registry: Registry): RemoteWriteMetrics {
  const decode = registry.getSingleMetric('remote_write_decode_append_seconds');
  return {
    receivedSamples: counter(registry, 'received_samples_total', 'Samples received by remote write (before validation and limits).', ['workspace']),
    receivedExemplars: counter(registry, 'received_exemplars_total', 'Exemplars received by remote write.', ['workspace']),
    receivedMetadata: counter(registry, 'received_metadata_total', 'Metric metadata entries received by remote write.', ['workspace']),
    discardedSamples: counter(registry, 'discarded_samples_total', 'Samples discarded, by reason (Cortex reason names).', ['workspace', 'reason']),
    discardedExemplars: counter(registry, 'discarded_exemplars_total', 'Exemplars discarded, by reason.', ['workspace', 'reason']),
    discardedMetadata: counter(registry, 'discarded_metadata_total', 'Metadata entries discarded, by reason.', ['workspace', 'reason']),
    requests: counter(registry, 'remote_write_requests_total', 'Remote-write requests by protocol version and HTTP status (workspace="unknown" for ids that name no workspace).', ['workspace', 'version', 'code']),
    discardedRequests: counter(registry, 'remote_write_requests_over_limit_total', 'Remote-write requests refused whole by a per-request limit (maxSeriesPerRequest, maxSamplesPerRequest).', ['workspace', 'limit']),
    requestBytes: counter(registry, 'remote_write_request_bytes_total', 'Compressed remote-write body bytes received.', ['workspace', 'version']),
    decodeSeconds:
      (decode as Histogram<'version'> | undefined) ??
      new Histogram({
        name: 'remote_write_decode_append_seconds',
        help: 'Time to decode a remote-write request and queue its samples (before the WAL commit).',
        labelNames: ['version'],
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
        registers: [registry],
      }),
  };
}
