import { uncompress } from 'snappy';
import type { WorkspaceLookup } from '../../controlplane/limits.js';
import { statusOf } from '../../http/prometheus/api-error.js';
import type { Logger } from '../../model/logger.js';
import { defaultEngineOptions } from '../../promql/engine/engine.js';
import type { QueryPool } from '../../query/pool.js';
import type { QueryJob } from '../../query/protocol.js';
import type { TSDB } from '../../tsdb/db.js';
import { snappyDecodedLength } from '../handler.js';
import { DecodeError } from '../pb.js';
import { decodeReadRequest, negotiateResponseType, ResponseTypeError, type DecodedReadRequest } from './decode-request.js';
import { RESPONSE_SAMPLES, STREAMED_CONTENT_TYPE, type ResponseType } from './spec.js';
import { workspaceNotFound } from '../not-found.js';

/** RemoteReadOptions tune the remote-read endpoint; every field has a default. */
export interface RemoteReadOptions {
  /** maxRequestBytes refuses requests that decompress to more (Prometheus's decodeReadLimit, 32 MiB). */
  readonly maxRequestBytes: number;
  /** maxBytesInFrame is the target frame size of streamed responses (Prometheus's --storage.remote.read-max-bytes-in-frame, 1 MiB). */
  readonly maxBytesInFrame: number;
  /** maxResultBytes caps a whole response (query.maxResultBytes). */
  readonly maxResultBytes: number;
  /** timeoutMs is the deadline of one remote-read request (the query timeout, 2 minutes). */
  readonly timeoutMs: number;
}

/** defaultRemoteReadOptions returns the defaults. */
export function defaultRemoteReadOptions(): RemoteReadOptions {
  return { maxRequestBytes: 32 * 1024 * 1024, maxBytesInFrame: 1024 * 1024, maxResultBytes: 256 * 1024 * 1024, timeoutMs: defaultEngineOptions().timeout };
}

/** RemoteReadDeps are the query worker pool the reads run on and the workspaces they read. */
export interface RemoteReadDeps {
  readonly pool: Pick<QueryPool, 'submit'>;
  readonly storage: { get(workspaceId: string): Promise<TSDB> };
  readonly workspaces: WorkspaceLookup;
  readonly logger: Logger;
  readonly options?: Partial<RemoteReadOptions>;
  readonly now?: () => number;
}

/** RemoteReadRequest is one POST /api/v1/read. */
export interface RemoteReadRequest {
  readonly workspaceId: string;
  readonly body: Uint8Array;
  readonly signal: AbortSignal;
}

/** RemoteReadResponse is the answer: a snappy ReadResponse, chunked frames, or a text error. */
export interface RemoteReadResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
}

/**
 * RemoteReadHandler serves Prometheus remote read for a workspace: it decodes the snappy
 * ReadRequest and negotiates the response type on the ingest thread (both bounded by the request
 * size), then the query workers select the series and render the response, so a large read never
 * holds the loop that accepts writes. Errors answer text/plain as Prometheus does.
 */
export class RemoteReadHandler {
  private readonly opts: RemoteReadOptions;

  constructor(private readonly deps: RemoteReadDeps) {
    this.opts = { ...defaultRemoteReadOptions(), ...deps.options };
  }

  /** handle answers one request; it never throws for bad input. */
  async handle(req: RemoteReadRequest): Promise<RemoteReadResponse> {
    const ws = req.workspaceId;
    const text = (status: number, msg: string): RemoteReadResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: msg + '\n' });
    if (this.deps.workspaces.get(ws) === null) {
      return { ...workspaceNotFound(ws) };
    }
    const declared = snappyDecodedLength(req.body);
    if (declared < 0) return text(400, 'snappy: corrupt input');
    if (declared > this.opts.maxRequestBytes) return text(400, `snappy: decoded length ${declared} exceeds limit ${this.opts.maxRequestBytes}`);
    let decoded: DecodedReadRequest;
    let type: ResponseType;
    try {
      const raw = (await uncompress(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.length), { asBuffer: true })) as Buffer;
      decoded = decodeReadRequest(raw);
      type = negotiateResponseType(decoded.accepted);
    } catch (err) {
      if (err instanceof DecodeError || err instanceof ResponseTypeError) return text(400, err.message);
      return text(400, `snappy: ${(err as Error).message}`);
    }
    const db = await this.deps.storage.get(ws);
    const limits = this.deps.workspaces.limits(ws);
    const engine = defaultEngineOptions();
    const now = (this.deps.now ?? Date.now)();
    const job: Omit<QueryJob, 'queuedSeconds'> = {
      kind: 'remoteRead',
      workspaceId: ws,
      params: [],
      now,
      deadline: Date.now() + this.opts.timeoutMs,
      limits: { maxSamples: limits.maxQuerySamples, maxQueryTimeRangeMs: limits.maxQueryTimeRangeMs, maxResultBytes: this.opts.maxResultBytes },
      engine: { lookbackDelta: engine.lookbackDelta, defaultSubqueryStep: engine.defaultSubqueryStep },
      blocks: db.blockRefs(),
      storageWarnings: db.corruptWarnings(),
      read: { queries: decoded.queries, responseType: type, sampleLimit: limits.maxQuerySamples, maxBytesInFrame: this.opts.maxBytesInFrame },
    };
    const answer = await this.deps.pool.submit({ job, view: { head: db.head, blocks: () => db.blockRefs() }, signal: req.signal });
    if (answer.status === 'error') {
      const status = statusOf(answer.error.type);
      if (status >= 500) this.deps.logger.warn({ workspace: ws, err: answer.error.message }, 'remote read failed');
      return text(status, answer.error.message);
    }
    const body = Buffer.concat(answer.chunks);
    return type === RESPONSE_SAMPLES
      ? { status: 200, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, body }
      : { status: 200, headers: { 'content-type': STREAMED_CONTENT_TYPE }, body };
  }
}
