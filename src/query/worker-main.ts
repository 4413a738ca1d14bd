import { parentPort, workerData } from 'node:worker_threads';
import { toApiError } from '../http/prometheus/query.js';
import type { Queryable } from '../storage/interface.js';
import { executeRemoteRead } from '../remote/read/execute.js';
import { blocksAndHeadQuerier } from '../tsdb/db.js';
import { BlockCache } from './block-cache.js';
import { BodyWriter } from './body-writer.js';
import { executeJob } from './execute.js';
import { federatedWorkerQueryable } from './federation-worker.js';
import { HeadClient } from './head-client.js';
import type { DoneMessage, JobOutcome, QueryJob, RunMessage, WorkerInit } from './protocol.js';
import { RemoteHeadQuerier } from './remote-head.js';
import { warmUp } from './warm-up.js';

/**
 * The query worker's entry: it runs one job at a time over the workspace's blocks (opened
 * here, cached between jobs) merged with the head, read through synchronous calls to the
 * main thread; it streams the rendered body back in pieces and ends every job with a
 * DoneMessage.
 */
const init = workerData as WorkerInit;
const port = parentPort!;
const sync = new Int32Array(init.sync);
const client = new HeadClient(init.head, sync);
const cache = new BlockCache();

/** abortSignalOf reads the main thread's cancel slot: the engine polls `aborted` while it runs synchronously. */
function abortSignalOf(c: HeadClient): AbortSignal {
  return { get aborted() { return c.cancelled(); } } as AbortSignal;
}

function queryableFor(job: QueryJob): Queryable {
  if (job.federation !== undefined) return federatedWorkerQueryable(job.federation, cache, client);
  const blocks = cache.acquire(job.workspaceId, job.blocks, () => client.blocks());
  const head: Queryable = { querier: (mint, maxt) => new RemoteHeadQuerier(client, mint, maxt) };
  return { querier: (mint, maxt) => blocksAndHeadQuerier(blocks, head, mint, maxt, job.storageWarnings) };
}

function run(msg: RunMessage): void {
  const { id, job } = msg;
  client.begin(id, job.deadline, msg.prefetched);
  let outcome: JobOutcome;
  try {
    const emit = (chunk: Uint8Array): void => port.postMessage({ type: 'body', id, chunk }, [chunk.buffer as ArrayBuffer]);
    if (job.kind === 'remoteRead') {
      executeRemoteRead(job.read!, queryableFor(job), abortSignalOf(client), { emit, maxBytes: job.limits.maxResultBytes });
      outcome = { status: 'ok' };
    } else {
      const body = new BodyWriter({ maxBytes: job.limits.maxResultBytes, emit });
      const res = executeJob(job, queryableFor(job), abortSignalOf(client), body.write);
      body.flush();
      outcome = { status: 'ok', ...(res.log ? { log: res.log } : {}) };
    }
  } catch (err) {
    const ae = toApiError(err);
    const log = (err as { log?: JobOutcome['log'] }).log;
    outcome = { status: 'error', errorType: ae.type, message: ae.message, ...(log ? { log } : {}) };
  }
  port.postMessage({ type: 'done', id, outcome } satisfies DoneMessage);
}

// Compile the engine before the first real query: jobs posted meanwhile wait in the port's queue (their deadline runs).
if (init.warmUpMs > 0) await warmUp(init.warmUpMs);
port.on('message', (msg: RunMessage) => run(msg));
