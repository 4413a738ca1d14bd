/** QueueFullError is a query refused because its workspace already has the most queued queries allowed. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor(
    readonly workspaceId: string,
    readonly limit: number,
  ) {
    super(`too many queued queries for workspace ${workspaceId} (limit ${limit}, query.maxQueuedPerWorkspace); retry later`);
  }
}

/** FairQueueOptions configure a FairQueue. */
export interface FairQueueOptions {
  /** maxQueuedPerWorkspace bounds each workspace's waiting queries. */
  readonly maxQueuedPerWorkspace: number;
  /** maxRunningPerWorkspace is the most workers one workspace gets while another waits (ceil(pool size / 2)). */
  readonly maxRunningPerWorkspace: number;
}

/**
 * FairQueue holds waiting queries per workspace and hands them out round-robin across
 * workspaces, so one workspace's backlog never delays another's first query by more than
 * one turn; a workspace at its running cap is passed over while another workspace waits.
 */
export class FairQueue<T> {
  /** queues in round-robin order (a served workspace moves to the end); empty queues are removed. */
  private readonly queues = new Map<string, T[]>();
  private readonly running = new Map<string, number>();

  constructor(private readonly opts: FairQueueOptions) {}

  /** push queues an item for a workspace; throws QueueFullError when the workspace's queue is full. */
  push(workspaceId: string, item: T): void {
    let q = this.queues.get(workspaceId);
    if (q === undefined) {
      q = [];
      this.queues.set(workspaceId, q);
    }
    if (q.length >= this.opts.maxQueuedPerWorkspace) throw new QueueFullError(workspaceId, this.opts.maxQueuedPerWorkspace);
    q.push(item);
  }

  /** remove drops a queued item (its client went away or its deadline passed); false when it was not queued. */
  remove(workspaceId: string, item: T): boolean {
    const q = this.queues.get(workspaceId);
    const i = q?.indexOf(item) ?? -1;
    if (q === undefined || i < 0) return false;
    q.splice(i, 1);
    if (q.length === 0) this.queues.delete(workspaceId);
    return true;
  }

  /**
   * next takes the item to run on a free worker: the first workspace in round-robin order that
   * is under its running cap, else (every waiting workspace is at its cap) the first one; the
   * workspace then counts one more running query until done() is called.
   */
  next(): { workspaceId: string; item: T } | null {
    let pick: string | null = null;
    for (const ws of this.queues.keys()) {
      if ((this.running.get(ws) ?? 0) < this.opts.maxRunningPerWorkspace) {
        pick = ws;
        break;
      }
      pick ??= ws;
    }
    if (pick === null) return null;
    const q = this.queues.get(pick)!;
    const item = q.shift()!;
    this.queues.delete(pick);
    if (q.length > 0) this.queues.set(pick, q);
    this.running.set(pick, (this.running.get(pick) ?? 0) + 1);
    return { workspaceId: pick, item };
  }

  /** done releases a running slot taken by next(). */
  done(workspaceId: string): void {
    const n = (this.running.get(workspaceId) ?? 0) - 1;
    if (n > 0) this.running.set(workspaceId, n);
    else this.running.delete(workspaceId);
  }

  /** depths lists the queued count of every workspace with queued items. */
  depths(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [ws, q] of this.queues) out.set(ws, q.length);
    return out;
  }

  /** size is the number of queued items. */
  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }
}
