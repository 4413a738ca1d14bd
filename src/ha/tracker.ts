/** Election is the replica a workspace accepts samples from for one HA cluster. */
export interface Election {
  readonly workspaceId: string;
  readonly cluster: string;
  readonly replica: string;
  /** receivedAt (ms) is when the elected replica was last recorded as sending (refreshed every updateTimeout). */
  readonly receivedAt: number;
}

/** ElectionStore persists elections so they survive a restart (the metadata database in production). */
export interface ElectionStore {
  /** loadAll returns every stored election. */
  loadAll(): Election[];
  /** put inserts or replaces one election. */
  put(e: Election): void;
  /** delete removes one cluster's election. */
  delete(workspaceId: string, cluster: string): void;
  /** deleteWorkspace removes a workspace's elections. */
  deleteWorkspace(workspaceId: string): void;
}

/** TrackerTimings are the HA tracker's timeouts (ms). */
export interface TrackerTimings {
  /** failoverTimeoutMs: a cluster fails over to another replica once the elected one has not been seen for this long (Mimir: 30 s). */
  readonly failoverTimeoutMs: number;
  /** updateTimeoutMs: the elected replica's receivedAt is written to the store at most this often (Mimir: 15 s); in memory it is always current. */
  readonly updateTimeoutMs: number;
  /** forgetAfterMs: a cluster not heard from for this long no longer counts against the clusters limit (Mimir: 30 min). */
  readonly forgetAfterMs: number;
}

/** Verdict is the tracker's answer for one request: accept (from the elected replica), dedupe (another replica), or over the clusters limit. */
export type Verdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'dedupe'; readonly elected: string }
  | { readonly kind: 'too_many_clusters'; readonly limit: number };

/** TrackerEvents tell the metrics what happened. */
export interface TrackerEvents {
  /** elected is called when a cluster's elected replica changes (including the first election). */
  elected?(e: Election, previous: string | null): void;
  /** forgotten is called when a stale cluster is dropped. */
  forgotten?(workspaceId: string, cluster: string): void;
}

const ACCEPT: Verdict = { kind: 'accept' };

function key(ws: string, cluster: string): string {
  return `${ws}\u0000${cluster}`;
}

/**
 * HATracker elects one replica per (workspace, cluster), as Mimir's HA tracker does: the first
 * replica seen is elected; samples from it are accepted and refresh its receivedAt every
 * updateTimeout in the store; samples from any other replica are deduplicated until the elected one has not
 * been seen for failoverTimeout, when the next replica to send is elected. Elections are kept
 * in memory and written through to an ElectionStore, and loaded from it on start.
 */
export class HATracker {
  private readonly byWorkspace = new Map<string, Map<string, Election>>();
  /** persisted holds, per election key, the receivedAt last written to the store. */
  private readonly persisted = new Map<string, number>();

  constructor(
    private readonly timings: TrackerTimings,
    private readonly store: ElectionStore,
    private readonly events: TrackerEvents = {},
  ) {
    if (timings.failoverTimeoutMs <= timings.updateTimeoutMs) {
      throw new RangeError(`ha.failoverTimeout (${timings.failoverTimeoutMs} ms) must be greater than ha.updateTimeout (${timings.updateTimeoutMs} ms)`);
    }
    for (const e of store.loadAll()) {
      this.clusters(e.workspaceId).set(e.cluster, e);
      this.persisted.set(key(e.workspaceId, e.cluster), e.receivedAt);
    }
  }

  private clusters(ws: string): Map<string, Election> {
    let m = this.byWorkspace.get(ws);
    if (m === undefined) {
      m = new Map();
      this.byWorkspace.set(ws, m);
    }
    return m;
  }

  /** check decides on a request from `replica` of `cluster` arriving at `now` (ms); maxClusters <= 0 means no limit. */
  check(workspaceId: string, cluster: string, replica: string, now: number, maxClusters: number): Verdict {
    const clusters = this.clusters(workspaceId);
    const cur = clusters.get(cluster);
    if (cur !== undefined) {
      const age = now - cur.receivedAt;
      if (cur.replica === replica) {
        if (now > cur.receivedAt) this.record(clusters, { workspaceId, cluster, replica, receivedAt: now }, null);
        return ACCEPT;
      }
      if (age < this.timings.failoverTimeoutMs) return { kind: 'dedupe', elected: cur.replica };
      this.record(clusters, { workspaceId, cluster, replica, receivedAt: now }, cur.replica);
      return ACCEPT;
    }
    if (maxClusters > 0 && clusters.size >= maxClusters) {
      this.forgetStale(workspaceId, clusters, now);
      if (clusters.size >= maxClusters) return { kind: 'too_many_clusters', limit: maxClusters };
    }
    this.record(clusters, { workspaceId, cluster, replica, receivedAt: now }, null, true);
    return ACCEPT;
  }

  private record(clusters: Map<string, Election>, e: Election, previous: string | null, isNew = false): void {
    clusters.set(e.cluster, e);
    const k = key(e.workspaceId, e.cluster);
    const changed = isNew || previous !== null;
    if (changed || e.receivedAt - (this.persisted.get(k) ?? -Infinity) >= this.timings.updateTimeoutMs) {
      this.store.put(e);
      this.persisted.set(k, e.receivedAt);
    }
    if (changed) this.events.elected?.(e, previous);
  }

  private forgetStale(ws: string, clusters: Map<string, Election>, now: number): void {
    for (const [name, e] of clusters) {
      if (now - e.receivedAt < this.timings.forgetAfterMs) continue;
      clusters.delete(name);
      this.persisted.delete(key(ws, name));
      this.store.delete(ws, name);
      this.events.forgotten?.(ws, name);
    }
  }

  /** elected returns the current election of a cluster, or null. */
  elected(workspaceId: string, cluster: string): Election | null {
    return this.byWorkspace.get(workspaceId)?.get(cluster) ?? null;
  }

  /** forgetWorkspace drops a deleted workspace's elections. */
  forgetWorkspace(workspaceId: string): void {
    for (const c of this.byWorkspace.get(workspaceId)?.keys() ?? []) this.persisted.delete(key(workspaceId, c));
    this.byWorkspace.delete(workspaceId);
    this.store.deleteWorkspace(workspaceId);
  }
}

/** memoryElectionStore keeps elections in memory only (tests). */
export function memoryElectionStore(initial: readonly Election[] = []): ElectionStore & { readonly rows: Map<string, Election> } {
  const rows = new Map<string, Election>(initial.map((e) => [key(e.workspaceId, e.cluster), e]));
  return {
    rows,
    loadAll: () => [...rows.values()],
    put: (e) => void rows.set(key(e.workspaceId, e.cluster), e),
    delete: (ws, c) => void rows.delete(key(ws, c)),
    deleteWorkspace: (ws) => {
      for (const [k, e] of rows) if (e.workspaceId === ws) rows.delete(k);
    },
  };
}
