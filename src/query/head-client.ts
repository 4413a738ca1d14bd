import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { PromQLError, type PromQLErrorKind } from '../promql/engine/errors.js';
import { takePrefetched, type PrefetchedSelect } from './prefetch.js';
import { SYNC_CANCEL, SYNC_REPLY, type BlockRef, type HeadReply, type HeadRequest } from './protocol.js';

/** DistributiveOmit drops a key from every member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** HeadCall is a head request before the client numbers it. */
export type HeadCall = DistributiveOmit<HeadRequest, 'seq' | 'id'>;

/** HeadCaller makes synchronous head calls (HeadClient across threads; tests may answer in-thread). */
export interface HeadCaller {
  /** call sends a request and returns its reply; error replies throw PromQLError. */
  call(req: HeadCall): HeadReply;
}

const POLL_MS = 50;

/**
 * HeadClient makes synchronous calls from a query worker to the thread that owns the heads:
 * it posts the request on its port and blocks in Atomics.wait until the owner stores the
 * request's seq in the shared SYNC_REPLY slot, then takes the reply with receiveMessageOnPort.
 * It wakes every 50 ms to check the job's deadline and cancellation, so it never waits forever.
 */
export class HeadClient implements HeadCaller {
  private seq = 0;
  private jobId = 0;
  private deadline = Infinity;
  private prefetched: PrefetchedSelect[] = [];

  constructor(
    private readonly port: MessagePort,
    private readonly sync: Int32Array,
  ) {}

  /** begin sets the job the next calls belong to, its deadline (epoch ms) and the selects answered ahead (each used once). */
  begin(jobId: number, deadline: number, prefetched: readonly PrefetchedSelect[] = []): void {
    this.jobId = jobId;
    this.deadline = deadline;
    this.prefetched = [...prefetched];
  }

  /** cancelled reports whether the owner cancelled the current job. */
  cancelled(): boolean {
    return Atomics.load(this.sync, SYNC_CANCEL) === this.jobId;
  }

  /** call sends a request and waits for its reply; error replies, the deadline and cancellation throw PromQLError. */
  call(req: HeadCall): HeadReply {
    if (req.op === 'select' && this.prefetched.length > 0) {
      const got = takePrefetched(this.prefetched, req.matchers, req.mint, req.maxt);
      if (got !== undefined) return got;
    }
    const seq = ++this.seq;
    this.port.postMessage({ ...req, seq, id: this.jobId } as HeadRequest);
    for (;;) {
      const cur = Atomics.load(this.sync, SYNC_REPLY);
      if (cur === seq) break;
      if (this.cancelled()) throw new PromQLError('canceled', 'query was canceled in query execution');
      const left = this.deadline - Date.now();
      if (left <= 0) throw new PromQLError('timeout', 'query timed out in query execution');
      Atomics.wait(this.sync, SYNC_REPLY, cur, Math.min(left, POLL_MS));
    }
    for (;;) {
      const got = receiveMessageOnPort(this.port);
      if (got === undefined) throw new PromQLError('internal', `head call ${seq}: reply signalled but not received`);
      const reply = got.message as HeadReply;
      if (reply.seq !== seq) continue; // a late reply to an abandoned call
      if (reply.kind === 'error') throw new PromQLError(reply.errorType as PromQLErrorKind, reply.message);
      return reply;
    }
  }

  /** blocks asks for the workspace's current block list (after a listed block vanished). */
  blocks(): readonly BlockRef[] {
    const r = this.call({ op: 'blocks' });
    if (r.kind !== 'blocks') throw new PromQLError('internal', `head call: expected blocks, got ${r.kind}`);
    return r.blocks;
  }
}
