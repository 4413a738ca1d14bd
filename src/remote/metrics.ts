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

function counter<T extends string>(registry: Registry, name: string, help: string, labelNames: readonly T[]): Counter<T> {
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined) return existing as Counter<T>;
  return new Counter({ name, help, labelNames, registers: [registry] });
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
    requests: counter(registry, 'remote_write_requests_total', 'Remote-write requests by protocol version and HTTP status.', ['workspace', 'version', 'code']),
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
