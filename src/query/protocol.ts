import type { MessagePort } from 'node:worker_threads';
import type { QueryLogEntry } from '../http/prometheus/query.js';
import type { RemoteReadSpec } from '../remote/read/spec.js';

/**
 * The messages between the query frontend (main thread) and its query workers, as
 * discriminated unions. Three channels:
 * - main -> worker (`worker.postMessage`): RunMessage;
 * - worker -> main (`parentPort`): BodyMessage chunks then one DoneMessage per run;
 * - worker -> main head RPC (a dedicated MessagePort): HeadRequest, answered by HeadReply on the
 *   same port, after which the main thread stores the request's seq in SYNC_REPLY of the
 *   shared Int32Array and notifies (the worker blocks in Atomics.wait meanwhile).
 */

/** QueryKind is what a job evaluates: a PromQL query, an index listing or a remote read (src/remote/read). */
export type QueryKind = 'instant' | 'range' | 'series' | 'labels' | 'labelValues' | 'remoteRead';

/** BlockRef names one persistent block a worker may open (the list is the main thread's view at dispatch). */
export interface BlockRef {
  readonly ulid: string;
  readonly dir: string;
  readonly minTime: number;
  readonly maxTime: number;
}

/** JobLimits are the per-query limits the worker enforces. */
export interface JobLimits {
  /** maxSamples is the workspace's maxQuerySamples (engine's in-memory cap and the head select's load cap). */
  readonly maxSamples: number;
  /** maxQueryTimeRangeMs caps end - start of a range query. */
  readonly maxQueryTimeRangeMs: number;
  /** maxResultBytes caps the rendered response body. */
  readonly maxResultBytes: number;
}

/** EngineSettings are the engine options a worker builds its Engine from. */
export interface EngineSettings {
  readonly lookbackDelta: number;
  readonly defaultSubqueryStep: number;
}

/** QueryJob is one query or listing as the worker receives it. */
export interface QueryJob {
  readonly kind: QueryKind;
  readonly workspaceId: string;
  /** params are the request's form fields (name -> values, body values first). */
  readonly params: readonly (readonly [string, readonly string[]])[];
  /** labelName is the raw (still escaped) label name of a label-values request. */
  readonly labelName?: string;
  /** now is the default evaluation time (ms) of an instant query without `time`. */
  readonly now: number;
  /** deadline (epoch ms) is when the query must have ended; queue time already counts against it. */
  readonly deadline: number;
  /** queuedSeconds is the time the job waited for a worker (stats' execQueueTime). */
  readonly queuedSeconds: number;
  readonly limits: JobLimits;
  readonly engine: EngineSettings;
  readonly blocks: readonly BlockRef[];
  /** warnings to add to every select (for instance skipped corrupt blocks). */
  readonly storageWarnings: readonly string[];
  /** federation lists the workspaces of a cross-workspace query (src/query/federation-*.ts); head calls name one by its index (HeadRequest.ws). */
  readonly federation?: readonly FederatedPart[];
  /** read is the decoded request of a remoteRead job. */
  readonly read?: RemoteReadSpec;
}

/** FederatedPart is one workspace of a cross-workspace query: its id, block list and storage warnings. */
export interface FederatedPart {
  readonly workspaceId: string;
  readonly blocks: readonly BlockRef[];
  readonly storageWarnings: readonly string[];
}

/** RunMessage starts a job on a worker, with the head selects answered ahead (prefetch.ts; their buffers transferred). */
export interface RunMessage {
  readonly type: 'run';
  readonly id: number;
  readonly job: QueryJob;
  readonly prefetched?: readonly { readonly matchers: readonly WireMatcher[]; readonly mint: number; readonly maxt: number; readonly reply: HeadReply }[];
}

/** BodyMessage carries the next piece of a job's rendered response body (transferred). */
export interface BodyMessage {
  readonly type: 'body';
  readonly id: number;
  readonly chunk: Uint8Array;
}


/** JobOutcome is how a job ended: its body was sent in BodyMessages, or it failed with a Prometheus error. */
export type JobOutcome =
  | { readonly status: 'ok'; readonly log?: QueryLogEntry }
  | { readonly status: 'error'; readonly errorType: string; readonly message: string; readonly log?: QueryLogEntry };

/** DoneMessage ends a job. */
export interface DoneMessage {
  readonly type: 'done';
  readonly id: number;
  readonly outcome: JobOutcome;
}

/** WorkerMessage is anything a worker posts on its parentPort. */
export type WorkerMessage = BodyMessage | DoneMessage;

/** WireMatcher is a label matcher as sent over the head RPC. */
export interface WireMatcher {
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly name: string;
  readonly value: string;
}

/** HeadRequest is a worker's synchronous call to the thread that owns the head. */
export type HeadRequest = (
  | { readonly op: 'select'; readonly seq: number; readonly id: number; readonly matchers: readonly WireMatcher[]; readonly mint: number; readonly maxt: number }
  | { readonly op: 'labelNames'; readonly seq: number; readonly id: number; readonly matchers: readonly WireMatcher[]; readonly mint: number; readonly maxt: number }
  | { readonly op: 'labelValues'; readonly seq: number; readonly id: number; readonly name: string; readonly matchers: readonly WireMatcher[]; readonly mint: number; readonly maxt: number }
  | { readonly op: 'blocks'; readonly seq: number; readonly id: number }
) & {
  /** ws is the index in QueryJob.federation of the workspace asked (absent: the job's workspace). */
  readonly ws?: number;
};

/** HeadReply answers a HeadRequest: encoded series (see head-wire.ts), a string list, a block list or an error. */
export type HeadReply =
  | { readonly seq: number; readonly kind: 'series'; readonly buf: ArrayBuffer; /** mint is the effective start (the head hides data before its truncation point). */ readonly mint: number }
  | { readonly seq: number; readonly kind: 'strings'; readonly values: readonly string[] }
  | { readonly seq: number; readonly kind: 'blocks'; readonly blocks: readonly BlockRef[] }
  | { readonly seq: number; readonly kind: 'error'; readonly errorType: string; readonly message: string };

/** SYNC_REPLY is the index in the shared Int32Array holding the seq of the last head reply posted. */
export const SYNC_REPLY = 0;
/** SYNC_CANCEL is the index in the shared Int32Array holding the id of a job the main thread cancelled. */
export const SYNC_CANCEL = 1;
/** SYNC_SLOTS is the length of the shared Int32Array. */
export const SYNC_SLOTS = 2;

/** WorkerInit is the workerData a query worker starts with. */
export interface WorkerInit {
  /** sync is the SharedArrayBuffer behind the Int32Array of SYNC_SLOTS slots. */
  readonly sync: SharedArrayBuffer;
  /** head is the worker's end of the head RPC channel (transferred). */
  readonly head: MessagePort;
  /** warmUpMs is how long a fresh worker evaluates synthetic queries before taking jobs (0: none). */
  readonly warmUpMs: number;
}
