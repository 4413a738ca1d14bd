import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../model/logger.js';
import { DecodeError } from '../remote/pb.js';
import { haSettingsFor, type HAConfig } from './config.js';
import { HATracker, type ElectionStore } from './tracker.js';
import { countSamples, firstSeriesHALabels, stripLabel, type WireVersion } from './wire.js';

/** FORGET_AFTER_MS is how long a silent cluster keeps counting against the clusters limit (Mimir's 30 minutes). */
const FORGET_AFTER_MS = 30 * 60_000;

/**
 * HAOutcome is the deduplicator's answer for one decompressed request: `pass` with the body to
 * ingest (the replica label removed when the request came from the elected replica), or
 * `reply` with the status and text to answer instead of ingesting (202 for a deduplicated
 * request, so Prometheus does not retry it; 400 over the clusters limit or for a malformed body).
 */
export type HAOutcome = { readonly kind: 'pass'; readonly body: Uint8Array } | { readonly kind: 'reply'; readonly status: number; readonly message: string };

/** HADeduperDeps are the deduplicator's inputs. */
export interface HADeduperDeps {
  readonly config: HAConfig;
  readonly store: ElectionStore;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly now?: () => number;
}

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * HADeduper deduplicates Prometheus HA pairs per workspace on the remote-write path, as AMP
 * and Mimir do: the cluster and replica labels of a request's first series pick the cluster
 * and the replica; requests from the elected replica are stored without the replica label,
 * requests from the others are answered 202 and dropped, and a request whose first series
 * lacks either label is stored unchanged.
 */
export class HADeduper {
  private readonly tracker: HATracker;
  private readonly now: () => number;
  private readonly changes: Counter<'workspace' | 'cluster'>;
  private readonly electedAt: Gauge<'workspace' | 'cluster'>;
  private readonly deduped: Counter<'workspace' | 'cluster'>;
  private readonly discarded: Counter<'workspace' | 'reason'>;

  constructor(private readonly deps: HADeduperDeps) {
    const r = deps.registry;
    this.now = deps.now ?? Date.now;
    this.changes = metric(r, 'ha_tracker_elected_replica_changes_total', () => new Counter({ name: 'ha_tracker_elected_replica_changes_total', help: 'Times the elected replica of an HA cluster changed (first elections included).', labelNames: ['workspace', 'cluster'], registers: [r] }));
    this.electedAt = metric(r, 'ha_tracker_elected_replica_timestamp_seconds', () => new Gauge({ name: 'ha_tracker_elected_replica_timestamp_seconds', help: 'When the current elected replica of an HA cluster was elected.', labelNames: ['workspace', 'cluster'], registers: [r] }));
    this.deduped = metric(r, 'deduped_samples_total', () => new Counter({ name: 'deduped_samples_total', help: 'Samples from non-elected HA replicas, accepted (202) and dropped.', labelNames: ['workspace', 'cluster'], registers: [r] }));
    this.discarded = metric(r, 'discarded_samples_total', () => new Counter({ name: 'discarded_samples_total', help: 'Samples discarded, by reason (Cortex reason names).', labelNames: ['workspace', 'reason'], registers: [r] }));
    const t = deps.config;
    this.tracker = new HATracker({ failoverTimeoutMs: t.failoverTimeout, updateTimeoutMs: t.updateTimeout, forgetAfterMs: FORGET_AFTER_MS }, deps.store, {
      elected: (e, previous) => {
        this.changes.inc({ workspace: e.workspaceId, cluster: e.cluster });
        this.electedAt.set({ workspace: e.workspaceId, cluster: e.cluster }, e.receivedAt / 1000);
        deps.logger.info({ workspace: e.workspaceId, cluster: e.cluster, replica: e.replica, previous }, previous === null ? 'HA cluster: replica elected' : 'HA cluster: failed over to another replica');
      },
      forgotten: (ws, cluster) => {
        this.changes.remove({ workspace: ws, cluster });
        this.electedAt.remove({ workspace: ws, cluster });
      },
    });
  }

  /** admit decides on one decompressed request body of a workspace (which it may rewrite in place); malformed HA requests answer 400. */
  admit(workspaceId: string, body: Uint8Array, version: WireVersion): HAOutcome {
    const s = haSettingsFor(this.deps.config, workspaceId);
    if (!s.enabled) return { kind: 'pass', body };
    try {
      const { cluster, replica } = firstSeriesHALabels(body, version, s.clusterLabel, s.replicaLabel);
      if (cluster === '' || replica === '') return { kind: 'pass', body };
      const v = this.tracker.check(workspaceId, cluster, replica, this.now(), s.maxClusters);
      switch (v.kind) {
        case 'accept':
          return { kind: 'pass', body: stripLabel(body, version, s.replicaLabel) };
        case 'dedupe':
          this.deduped.inc({ workspace: workspaceId, cluster }, countSamples(body, version));
          return { kind: 'reply', status: 202, message: `replicas did not match, rejecting sample: replica=${replica}, elected=${v.elected}` };
        case 'too_many_clusters':
          this.discarded.inc({ workspace: workspaceId, reason: 'too_many_ha_clusters' }, countSamples(body, version));
          return {
            kind: 'reply',
            status: 400,
            message: `too many HA clusters (limit: ${v.limit}): cluster ${JSON.stringify(cluster)} is not tracked; the limit is the HA tracker clusters quota (ha.maxClusters, per workspace in ha.workspaces.<id>.maxClusters)`,
          };
      }
    } catch (err) {
      // The decoders would refuse the request too; stripLabel may have rewritten part of it in place.
      if (err instanceof DecodeError) return { kind: 'reply', status: 400, message: `failed to decode the remote-write request: ${err.message}` };
      throw err;
    }
  }

  /** forgetWorkspace drops a deleted workspace's elections and their metrics. */
  forgetWorkspace(workspaceId: string): void {
    this.tracker.forgetWorkspace(workspaceId);
  }

  /** elected returns the elected replica of a workspace's cluster, or null (status and tests). */
  elected(workspaceId: string, cluster: string): string | null {
    return this.tracker.elected(workspaceId, cluster)?.replica ?? null;
  }
}
