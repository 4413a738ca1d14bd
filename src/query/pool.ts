import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { ApiError } from '../http/prometheus/api-error.js';
import type { QueryLogEntry } from '../http/prometheus/query.js';
import { nopLogger, type Logger } from '../model/logger.js';
import { FairQueue, QueueFullError } from './fair-queue.js';
import { viewFor } from './federation-view.js';
import { serveHeadRequest, type HeadServeContext, type WorkspaceReadView } from './head-server.js';
import { prefetchSelects } from './prefetch.js';
import { SYNC_CANCEL, SYNC_REPLY, SYNC_SLOTS, type HeadRequest, type QueryJob, type WorkerInit, type WorkerMessage } from './protocol.js';
import { workerEntryUrl } from './worker-url.js';

/** RestartReason says why a query worker was replaced. */
export type RestartReason = 'timeout' | 'oom' | 'crash' | 'cancel';

/** PoolOptions configure a QueryPool. */
export interface PoolOptions {
  /** size is the number of workers (at least 1). */
  readonly size: number;
  /** maxOldGenerationMb caps each worker's old-generation heap; a query past it fails alone. */
  readonly maxOldGenerationMb: number;
  /** maxYoungGenerationMb caps each worker's young generation. */
  readonly maxYoungGenerationMb: number;
  /** maxQueuedPerWorkspace bounds each workspace's waiting queries. */
  readonly maxQueuedPerWorkspace: number;
  /** maxHeadSelectBytes caps one head select's encoded reply. */
  readonly maxHeadSelectBytes: number;
  /** graceMs is how long past its deadline a query may run before its worker is stopped (default 250). */
  readonly graceMs?: number;
  /** cancelGraceMs is how long a cancelled query may take to notice before its worker is stopped (default 500). */
  readonly cancelGraceMs?: number;
  /** onRestart and onReject feed self-metrics. */
  readonly onRestart?: (reason: RestartReason) => void;
  readonly onReject?: (reason: 'queue_full') => void;
  readonly logger?: Logger;
  /** workerUrl overrides the worker entry (tests). */
  readonly workerUrl?: URL;
  /** warmUpMs is how long each fresh worker warms its JIT on synthetic queries before its first job (default 0). */
  readonly warmUpMs?: number;
}

/** Submission is one job with what the main thread needs to serve it. */
export interface Submission {
  /** job without its queue time, which the pool fills in. */
  readonly job: Omit<QueryJob, 'queuedSeconds'>;
  readonly view: WorkspaceReadView;
  /** signal aborts when the client goes away. */
  readonly signal: AbortSignal;
}

/** Answer is how a submission ended: its body pieces, or an error; log is set for evaluated PromQL queries. */
export type Answer =
  | { readonly status: 'ok'; readonly chunks: readonly Uint8Array[]; readonly log?: QueryLogEntry }
  | { readonly status: 'error'; readonly error: ApiError; readonly log?: QueryLogEntry };

interface Task {
  readonly id: number;
  readonly sub: Submission;
  readonly enqueuedAt: number;
  readonly chunks: Uint8Array[];
  state: 'queued' | 'running' | 'done';
  slot: Slot | null;
  timers: NodeJS.Timeout[];
  onAbort: () => void;
  resolve: (a: Answer) => void;
}

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly sync: Int32Array;
  task: Task | null;
  /** dead is set once the worker is being replaced; its events are ignored from then on. */
  dead: boolean;
}

/**
 * QueryPool runs query jobs on a fixed set of worker threads behind a per-workspace fair
 * queue. Deadlines are enforced from this side (a worker past its deadline is terminated
 * and replaced), a client that goes away cancels its job, a worker that runs out of memory
 * or crashes fails only its own job, and the workers' head reads are served here in slices.
 */
export class QueryPool {
  private readonly slots: Slot[] = [];
  private readonly queue: FairQueue<Task>;
  private readonly logger: Logger;
  private nextId = 1;
  private closed = false;
  /** earlyDeaths counts workers in a row that died before finishing any job (a broken build): respawns back off. */
  private earlyDeaths = 0;

  constructor(private readonly opts: PoolOptions) {
    if (!(opts.size >= 1)) throw new Error(`query pool size must be at least 1, got ${opts.size}`);
    this.logger = opts.logger ?? nopLogger;
    this.queue = new FairQueue({ maxQueuedPerWorkspace: opts.maxQueuedPerWorkspace, maxRunningPerWorkspace: Math.ceil(opts.size / 2) });
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn(i));
  }

  /** submit queues a job and resolves with its answer (never rejects). */
  submit(sub: Submission): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      if (this.closed) return resolve({ status: 'error', error: new ApiError('unavailable', 'the query service is shutting down') });
      if (sub.signal.aborted) return resolve({ status: 'error', error: canceled() });
      const task: Task = { id: this.nextId++, sub, enqueuedAt: Date.now(), chunks: [], state: 'queued', slot: null, timers: [], onAbort: () => this.abort(task), resolve };
      try {
        this.queue.push(sub.job.workspaceId, task);
      } catch (err) {
        if (!(err instanceof QueueFullError)) throw err;
        this.opts.onReject?.('queue_full');
        return resolve({ status: 'error', error: new ApiError('too_many_requests', err.message) });
      }
      sub.signal.addEventListener('abort', task.onAbort, { once: true });
      task.timers.push(setTimeout(() => this.expire(task), Math.max(0, sub.job.deadline - Date.now()) + (this.opts.graceMs ?? 250)));
      this.pump();
    });
  }

  /** queueDepths lists queued jobs per workspace (only workspaces with queued jobs). */
  queueDepths(): Map<string, number> {
    return this.queue.depths();
  }

  /** inFlight is the number of jobs running on workers. */
  inFlight(): number {
    return this.slots.filter((s) => s.task !== null).length;
  }

  /** size is the number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** close fails queued jobs and stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (let next = this.queue.next(); next !== null; next = this.queue.next()) {
      this.queue.done(next.workspaceId);
      this.finish(next.item, { status: 'error', error: new ApiError('unavailable', 'the query service is shutting down') });
    }
    await Promise.all(
      this.slots.map(async (s) => {
        s.dead = true;
        if (s.task) this.finish(s.task, { status: 'error', error: new ApiError('unavailable', 'the query service is shutting down') });
        s.port.close();
        await terminateWithin(s.worker, TERMINATE_WAIT_MS);
      }),
    );
  }

  private spawn(index: number): Slot {
    const sab = new SharedArrayBuffer(SYNC_SLOTS * 4);
    const { port1, port2 } = new MessageChannel();
    const init: WorkerInit = { sync: sab, head: port2, warmUpMs: this.opts.warmUpMs ?? 0 };
    const worker = new Worker(this.opts.workerUrl ?? workerEntryUrl(), {
      workerData: init,
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxOldGenerationMb, maxYoungGenerationSizeMb: this.opts.maxYoungGenerationMb },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { index, worker, port: port1, sync: new Int32Array(sab), task: null, dead: false };
    worker.on('message', (m: WorkerMessage) => this.onWorkerMessage(slot, m));
    worker.on('error', (err: Error & { code?: string }) => this.onWorkerDied(slot, err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'crash', err));
    worker.on('exit', (code) => this.onWorkerDied(slot, 'crash', new Error(`query worker exited with code ${code}`)));
    worker.on('messageerror', (err) => this.onWorkerDied(slot, 'crash', err));
    port1.on('message', (req: HeadRequest) => void this.onHeadRequest(slot, req));
    worker.unref();
    port1.unref();
    return slot;
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.task !== null || slot.dead) continue;
      const next = this.queue.next();
      if (next === null) return;
      this.start(slot, next.item);
    }
  }

  /** start runs a task on a slot: its predicted head selects are answered first and travel with the job (no call back). */
  private start(slot: Slot, task: Task): void {
    task.state = 'running';
    task.slot = slot;
    slot.task = task;
    const job: QueryJob = { ...task.sub.job, queuedSeconds: (Date.now() - task.enqueuedAt) / 1000 };
    // A cross-workspace job's head calls name their workspace; they are not predicted.
    const ctx = job.federation === undefined ? this.headContext(slot, task, undefined) : null;
    void (ctx === null ? Promise.resolve({ selects: [], transfer: [] }) : prefetchSelects(job, task.id, ctx))
      .catch(() => ({ selects: [], transfer: [] }))
      .then(({ selects, transfer }) => {
        // The job may have ended (deadline, client gone) or its worker been replaced meanwhile.
        if (slot.dead || slot.task !== task) return;
        slot.worker.postMessage({ type: 'run', id: task.id, job, prefetched: selects }, transfer);
      });
  }

  /** headContext is how a head call of the task's job is served: over its workspace (ws: the index of a cross-workspace job's part), or null for a part it does not have. */
  private headContext(slot: Slot, task: Task, ws: number | undefined): HeadServeContext | null {
    const job = task.sub.job;
    const view = viewFor(task.sub.view, ws);
    if (view === null) return null;
    const cancelled = (): boolean => slot.dead || slot.task !== task || task.sub.signal.aborted || Date.now() > job.deadline;
    return { view, maxSamples: job.limits.maxSamples, maxBytes: this.opts.maxHeadSelectBytes, cancelled };
  }

  private onWorkerMessage(slot: Slot, m: WorkerMessage): void {
    const task = slot.task;
    if (slot.dead || task === null || task.id !== m.id) return;
    if (m.type === 'body') {
      task.chunks.push(m.chunk);
      return;
    }
    const o = m.outcome;
    const log = o.log ? { log: o.log } : {};
    this.earlyDeaths = 0;
    if (o.status === 'ok') this.finish(task, { status: 'ok', chunks: task.chunks, ...log });
    else this.finish(task, { status: 'error', error: new ApiError(o.errorType as ApiError['type'], o.message), ...log });
  }

  private async onHeadRequest(slot: Slot, req: HeadRequest): Promise<void> {
    const task = slot.task;
    const reply = (msg: Parameters<MessagePort['postMessage']>[0], transfer: ArrayBuffer[] = []): void => {
      // A reply for a job that already ended would only confuse the worker's next call.
      if (slot.dead || slot.task !== task) return;
      slot.port.postMessage(msg, transfer);
      Atomics.store(slot.sync, SYNC_REPLY, req.seq);
      Atomics.notify(slot.sync, SYNC_REPLY);
    };
    if (task === null || task.id !== req.id) return reply({ seq: req.seq, kind: 'error', errorType: 'internal', message: 'head call for a job that is not running' });
    const ctx = this.headContext(slot, task, req.ws);
    if (ctx === null) return reply({ seq: req.seq, kind: 'error', errorType: 'internal', message: `head call for workspace #${req.ws}, which the job does not query` });
    const { reply: msg, transfer } = await serveHeadRequest(req, ctx);
    reply(msg, transfer);
  }

  /** expire ends a job past its deadline: dropped from the queue, or its worker stopped. */
  private expire(task: Task): void {
    if (task.state === 'done') return;
    const error = new ApiError('timeout', 'query timed out in query execution');
    if (task.state === 'queued') {
      this.queue.remove(task.sub.job.workspaceId, task);
      return this.finish(task, { status: 'error', error });
    }
    this.replace(task.slot!, 'timeout', { status: 'error', error });
  }

  /** abort handles a client that went away: a queued job is dropped, a running one cancelled (then stopped if it does not notice). */
  private abort(task: Task): void {
    if (task.state === 'done') return;
    if (task.state === 'queued') {
      this.queue.remove(task.sub.job.workspaceId, task);
      return this.finish(task, { status: 'error', error: canceled() });
    }
    const slot = task.slot!;
    Atomics.store(slot.sync, SYNC_CANCEL, task.id);
    Atomics.notify(slot.sync, SYNC_REPLY);
    task.timers.push(setTimeout(() => task.state !== 'done' && this.replace(slot, 'cancel', { status: 'error', error: canceled() }), this.opts.cancelGraceMs ?? 500));
  }

  private onWorkerDied(slot: Slot, reason: 'oom' | 'crash', err: Error): void {
    if (slot.dead) return;
    const error =
      reason === 'oom'
        ? new ApiError('execution', `query ran out of memory: it needs more than the query worker heap limit of ${this.opts.maxOldGenerationMb} MiB (query.maxOldGenerationMb)`)
        : new ApiError('internal', `query worker failed: ${err.message}`);
    this.logger.error({ err: err.message, reason, workspaceId: slot.task?.sub.job.workspaceId }, 'query worker died; replacing it');
    this.replace(slot, reason, { status: 'error', error });
  }

  /** replace stops a slot's worker, fails its job with answer and starts a fresh worker in its place. */
  private replace(slot: Slot, reason: RestartReason, answer: Answer): void {
    if (slot.dead) return;
    slot.dead = true;
    this.opts.onRestart?.(reason);
    const task = slot.task;
    slot.task = null;
    slot.port.close();
    void slot.worker.terminate().catch(() => undefined);
    if (task !== null) this.finish(task, answer);
    if (this.closed) return;
    if (reason !== 'crash' || task !== null) {
      this.slots[slot.index] = this.spawn(slot.index);
      return this.pump();
    }
    // A worker that died idle is broken, not overloaded: respawn with backoff instead of in a loop.
    const delay = Math.min(30_000, 100 * 2 ** this.earlyDeaths++);
    this.logger.error({ delayMs: delay }, 'query worker died while idle; respawning after a delay');
    setTimeout(() => {
      if (this.closed || this.slots[slot.index] !== slot) return;
      this.slots[slot.index] = this.spawn(slot.index);
      this.pump();
    }, delay).unref();
  }

  private finish(task: Task, answer: Answer): void {
    if (task.state === 'done') return;
    const wasRunning = task.state === 'running';
    task.state = 'done';
    for (const t of task.timers) clearTimeout(t);
    task.sub.signal.removeEventListener('abort', task.onAbort);
    if (task.slot !== null && task.slot.task === task) task.slot.task = null;
    if (wasRunning) this.queue.done(task.sub.job.workspaceId);
    task.resolve(answer);
    this.pump();
  }
}

function canceled(): ApiError {
  return new ApiError('canceled', 'query was canceled in query execution');
}

/** TERMINATE_WAIT_MS bounds how long close waits for one worker to stop. */
const TERMINATE_WAIT_MS = 5000;

/**
 * terminateWithin asks a worker to stop and waits at most ms for it; a worker that has not stopped by
 * then (one still starting up, say) is unref'd so it cannot hold the process, and close goes on.
 */
async function terminateWithin(worker: Worker, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      worker.unref();
      resolve();
    }, ms);
  });
  try {
    await Promise.race([worker.terminate().then(() => undefined, () => undefined), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
