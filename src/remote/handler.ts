import { uncompress, uncompressSync } from 'snappy';
import type { Registry } from 'prom-client';
import type { WorkspaceLookup } from '../controlplane/limits.js';
import type { Logger } from '../model/logger.js';
import type { ExemplarAppender } from '../storage/exemplars.js';
import type { MetadataAppender, MetricType } from '../storage/metadata.js';
import type { SeriesIndex } from '../storage/series-index.js';
import type { WorkspaceStore, WorkspaceTSDB } from '../storage/workspaces.js';
import { isStorageError } from '../storage/errors.js';
import { checkContentEncoding, ContentTypeError, parseContentType, type ProtoMessage } from './content-type.js';
import { ingestV1, scanV1, type RequestCounts } from './decode-v1.js';
import { ingestV2, scanV2, type ScanV2 } from './decode-v2.js';
import { Ingester } from './ingest.js';
import { LabelPairCache } from './label-cache.js';
import { RequestLimitError, requestCaps } from './request-limits.js';
import { Slicer } from './slicer.js';
import { remoteWriteMetrics, type RemoteWriteMetrics } from './metrics.js';
import { DecodeError } from './pb.js';
import { IngestionRateLimiter, rateLimitMessage } from './rate-limiter.js';
import type { DiscardReason } from './validate.js';
import type { HAOutcome } from '../ha/dedupe.js';
import { workspaceNotFound } from './not-found.js';

/** RemoteWriteOptions tune the receiver; every field has a default. */
export interface RemoteWriteOptions {
  /** maxDecompressedBytes refuses bodies that decompress to more (413; Cortex's max_recv_msg_size, 100 MiB). */
  maxDecompressedBytes: number;
  /** creationGracePeriodMs refuses samples further in the future (10 minutes). */
  creationGracePeriodMs: number;
  /** rejectOlderThanRetention refuses samples older than the workspace's retention (true). */
  rejectOlderThanRetention: boolean;
  /** maxMetadataLength caps metadata strings (1024). */
  maxMetadataLength: number;
  /** ingestCreatedTimestamps appends 2.0 created timestamps as zero samples (true). */
  ingestCreatedTimestamps: boolean;
  now: () => number;
}

/** defaultRemoteWriteOptions returns the defaults. */
export function defaultRemoteWriteOptions(): RemoteWriteOptions {
  return {
    maxDecompressedBytes: 100 * 1024 * 1024,
    creationGracePeriodMs: 10 * 60_000,
    rejectOlderThanRetention: true,
    maxMetadataLength: 1024,
    ingestCreatedTimestamps: true,
    now: Date.now,
  };
}

/** RemoteWriteDeps are the modules the receiver writes to. */
export interface RemoteWriteDeps {
  storage: WorkspaceStore;
  workspaces: WorkspaceLookup;
  metadata: MetadataAppender;
  exemplars: ExemplarAppender;
  registry: Registry;
  logger: Logger;
  options?: Partial<RemoteWriteOptions>;
  /** ha deduplicates Prometheus HA pairs (src/ha): it may answer a request itself or hand back the body without the replica label. */
  ha?: { admit(workspaceId: string, body: Uint8Array, version: '1.0' | '2.0'): HAOutcome };
  /** onRejected is told of every refused request of an existing workspace (the workspace's ingestion log). */
  onRejected?: (workspaceId: string, entry: { status: number; message: string; version: string }) => void;
}

/** RemoteWriteRequest is the transport-independent input of one remote-write call. */
export interface RemoteWriteRequest {
  workspaceId: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Uint8Array;
}

/** RemoteWriteResponse is the answer: status, headers and a text (or AWS JSON) body. */
export interface RemoteWriteResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** DecodedWrite is a decompressed remote-write request ready for ingestion. */
export interface DecodedWrite {
  workspaceId: string;
  raw: Uint8Array;
  /** format is the protobuf message: 1.0 WriteRequest or 2.0 Request. */
  format: '1.0' | '2.0';
  /** label is the `version` label of the decode-time metric ('1.0', '2.0', 'otlp'). */
  label: string;
  /** metadata are metric-family metadata to record with the write (OTLP carries them per metric). */
  metadata?: readonly { family: string; type: MetricType; help: string; unit: string }[];
  /** slicer continues the caller's slices (a fresh one when absent). */
  slicer?: Slicer;
}

/** IngestOutcome is how an ingest ended: refused whole (decode, rate, storage) or ingested with the Ingester's accounting. */
export type IngestOutcome =
  | { readonly kind: 'decode_error'; readonly message: string }
  | { readonly kind: 'rate_limited'; readonly message: string }
  | { readonly kind: 'over_request_limit'; readonly message: string }
  | { readonly kind: 'storage_failure'; readonly message: string }
  | { readonly kind: 'ingested'; readonly counts: RequestCounts; readonly ingester: Ingester };

/** ASYNC_SNAPPY_BYTES is the compressed size from which a body is decompressed off the event loop. */
const ASYNC_SNAPPY_BYTES = 256 * 1024;

const V2_HEADERS = {
  samples: 'X-Prometheus-Remote-Write-Samples-Written',
  histograms: 'X-Prometheus-Remote-Write-Histograms-Written',
  exemplars: 'X-Prometheus-Remote-Write-Exemplars-Written',
} as const;

/**
 * RemoteWriteHandler receives remote write 1.0 and 2.0 for a workspace: negotiation (415),
 * snappy (400/413), structure scan (400), ingestion rate (429), then decoding straight into
 * the workspace TSDB's raw appender with per-series validation and limits (partial 400).
 */
export class RemoteWriteHandler {
  private readonly opts: RemoteWriteOptions;
  private readonly metrics: RemoteWriteMetrics;
  private readonly limiter: IngestionRateLimiter;
  private readonly indexes = new WeakMap<WorkspaceTSDB, SeriesIndex>();
  private readonly labelCache = new LabelPairCache();

  constructor(private readonly deps: RemoteWriteDeps) {
    this.opts = { ...defaultRemoteWriteOptions(), ...deps.options };
    this.metrics = remoteWriteMetrics(deps.registry);
    this.limiter = new IngestionRateLimiter({ now: this.opts.now });
  }

  /** handle processes one request; it never throws for bad input, and answers a failed commit (disk full, I/O) with a retryable 500. */
  async handle(req: RemoteWriteRequest): Promise<RemoteWriteResponse> {
    const res = await this.process(req);
    this.metrics.requests.inc({ workspace: req.workspaceId, version: res.version, code: String(res.status) });
    if (res.status >= 400 && res.status !== 404) this.deps.onRejected?.(req.workspaceId, { status: res.status, message: res.body.trim(), version: res.version });
    return { status: res.status, headers: res.headers, body: res.body };
  }

  private async process(req: RemoteWriteRequest): Promise<RemoteWriteResponse & { version: string }> {
    const ws = req.workspaceId;
    let version = 'unknown';
    const text = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: body + '\n', version });
    if (this.deps.workspaces.get(ws) === null) {
      return { ...workspaceNotFound(ws), version };
    }
    let proto: ProtoMessage;
    try {
      proto = parseContentType(req.contentType);
      checkContentEncoding(req.contentEncoding);
    } catch (err) {
      if (err instanceof ContentTypeError) return text(415, err.message);
      throw err;
    }
    version = proto === 'prometheus.WriteRequest' ? '1.0' : '2.0';
    this.metrics.requestBytes.inc({ workspace: ws, version }, req.body.length);
    const declared = snappyDecodedLength(req.body);
    if (declared > this.opts.maxDecompressedBytes) {
      return text(413, decompressedLimitMessage(declared, this.opts.maxDecompressedBytes));
    }
    if (declared > snappyMaxDecodedLength(req.body.length)) {
      // Refused before snappy allocates the declared size: a 7-byte body could otherwise claim 100 MiB on the event loop.
      return text(400, `snappy decode error: the block declares ${declared} decompressed bytes, more than ${req.body.length} compressed bytes can hold`);
    }
    let raw: Buffer;
    try {
      const body = Buffer.from(req.body.buffer, req.body.byteOffset, req.body.length);
      // A large body is decompressed on libuv's thread pool, not on the loop that serves other workspaces.
      raw = (body.length >= ASYNC_SNAPPY_BYTES ? await uncompress(body, { asBuffer: true }) : uncompressSync(body, { asBuffer: true })) as Buffer;
    } catch (err) {
      return text(400, `snappy decode error: ${(err as Error).message}`);
    }
    const ha = this.deps.ha?.admit(ws, raw, version === '1.0' ? '1.0' : '2.0');
    if (ha?.kind === 'reply') return text(ha.status, ha.message);
    if (ha !== undefined && ha.body !== raw) raw = Buffer.from(ha.body.buffer, ha.body.byteOffset, ha.body.length);
    const out = await this.ingest({ workspaceId: ws, raw, format: version as '1.0' | '2.0', label: version });
    switch (out.kind) {
      case 'decode_error':
        return text(400, `failed to decode ${proto}: ${out.message}`);
      case 'rate_limited':
        return text(429, out.message);
      case 'over_request_limit':
        return text(400, out.message);
      case 'storage_failure':
        return text(500, out.message);
      case 'ingested':
        break;
    }
    const ing = out.ingester;
    const headers: Record<string, string> = {};
    if (version === '2.0') {
      headers[V2_HEADERS.samples] = String(ing.samplesWritten);
      headers[V2_HEADERS.histograms] = String(ing.histogramsWritten);
      headers[V2_HEADERS.exemplars] = String(ing.exemplarsWritten);
    }
    if (ing.errorCount > 0) {
      const msg = ing.errorMessage(out.counts.samples + out.counts.histograms);
      this.deps.logger.debug({ workspace: ws, errors: ing.errorCount, first: ing.firstError }, 'remote write partially rejected');
      // AMP answers a write that passes the active series limits 429 (its troubleshooting guide), other refusals 400.
      return text(ing.throttled !== null ? 429 : 400, msg, headers);
    }
    return { status: 204, headers, body: '', version };
  }

  /**
   * ingest writes a decompressed remote-write request (1.0 or 2.0; OTLP arrives translated to 2.0)
   * into its workspace: structure scan, ingestion rate, per-series validation and limits, one
   * durable commit. It never throws for bad input; the Ingester in the result holds what was refused.
   */
  async ingest(w: DecodedWrite): Promise<IngestOutcome> {
    const ws = w.workspaceId;
    const raw = w.raw;
    const extraMetadata = w.metadata ?? [];
    const limits = this.deps.workspaces.limits(ws);
    const m = this.metrics;
    let counts: RequestCounts;
    let scan2: ScanV2 | null = null;
    // Large writes are scanned and decoded in slices so other requests get the loop in between; the batch stays one commit.
    const slicer = w.slicer ?? new Slicer();
    try {
      // The per-request caps stop the scan as soon as they are passed, before any series is created.
      const caps = requestCaps(limits);
      if (w.format === '1.0') counts = await scanV1(raw, slicer, caps);
      else {
        scan2 = await scanV2(raw, slicer, caps);
        counts = scan2.counts;
      }
    } catch (err) {
      if (err instanceof DecodeError) return { kind: 'decode_error', message: err.message };
      if (err instanceof RequestLimitError) {
        m.discardedRequests.inc({ workspace: ws, limit: err.limit });
        return { kind: 'over_request_limit', message: err.message };
      }
      throw err;
    }
    counts = { ...counts, metadata: counts.metadata + extraMetadata.length };
    m.receivedSamples.inc({ workspace: ws }, counts.samples + counts.histograms);
    m.receivedExemplars.inc({ workspace: ws }, counts.exemplars);
    m.receivedMetadata.inc({ workspace: ws }, counts.metadata);
    const n = counts.samples + counts.histograms + counts.exemplars + counts.metadata;
    if (n > 0 && !this.limiter.allow(ws, n, limits.ingestionRate, limits.ingestionBurstSize)) {
      m.discardedSamples.inc({ workspace: ws, reason: 'rate_limited' }, counts.samples + counts.histograms);
      if (counts.exemplars > 0) m.discardedExemplars.inc({ workspace: ws, reason: 'rate_limited' }, counts.exemplars);
      if (counts.metadata > 0) m.discardedMetadata.inc({ workspace: ws, reason: 'rate_limited' }, counts.metadata);
      return { kind: 'rate_limited', message: rateLimitMessage(limits.ingestionRate, counts.samples + counts.histograms + counts.exemplars, counts.metadata) };
    }
    const db = await this.deps.storage.get(ws);
    let index = this.indexes.get(db);
    if (index === undefined) {
      index = db.seriesIndex();
      this.indexes.set(db, index);
    }
    const app = db.appender();
    const arn = this.deps.workspaces.get(ws)?.arn ?? '';
    const ing = new Ingester({
      workspace: ws,
      tenant: `${arn.split(':')[4] ?? ''}_${ws}`,
      app,
      index,
      limits,
      metadata: this.deps.metadata,
      exemplars: this.deps.exemplars,
      now: this.opts.now(),
      creationGracePeriodMs: this.opts.creationGracePeriodMs,
      rejectOlderThanRetention: this.opts.rejectOlderThanRetention,
      maxMetadataLength: this.opts.maxMetadataLength,
      ingestCreatedTimestamps: this.opts.ingestCreatedTimestamps,
      labelCache: this.labelCache,
    });
    const stop = m.decodeSeconds.startTimer({ version: w.label });
    try {
      if (scan2 === null) await ingestV1(raw, ing, slicer);
      else await ingestV2(raw, scan2, ing, slicer);
      for (const md of extraMetadata) ing.metadata(md.family, md.type, md.help, md.unit);
    } catch (err) {
      app.rollback();
      if (err instanceof DecodeError) return { kind: 'decode_error', message: err.message };
      throw err;
    } finally {
      this.labelCache.release();
      stop();
    }
    try {
      await app.commit();
    } catch (err) {
      // Nothing of the batch is visible or logged: a 5xx makes Prometheus retry it, and the retry is accepted.
      if (!isStorageError(err)) throw err;
      this.deps.logger.error({ workspace: ws, code: err.code, err: err.message }, 'remote write commit failed');
      return { kind: 'storage_failure', message: `storage failure, the request can be retried: ${err.message}` };
    }
    countDiscarded(m.discardedSamples, ws, ing.discardedSamples);
    countDiscarded(m.discardedExemplars, ws, ing.discardedExemplars);
    countDiscarded(m.discardedMetadata, ws, ing.discardedMetadata);
    return { kind: 'ingested', counts, ingester: ing };
  }

  /** forgetWorkspace drops a deleted workspace's rate-limiter state. */
  forgetWorkspace(ws: string): void {
    this.limiter.forget(ws);
  }
}

function countDiscarded(c: RemoteWriteMetrics['discardedSamples'], ws: string, m: Map<DiscardReason, number>): void {
  for (const [reason, n] of m) c.inc({ workspace: ws, reason }, n);
}

/** decompressedLimitMessage names the request size limit (maxDecompressedBytes) and how a Prometheus sender stays under it. */
export function decompressedLimitMessage(size: number, limit: number): string {
  return `decompressed message size ${size} bytes exceeds the limit of ${limit} bytes (maxDecompressedBytes, the remote write request size limit); send smaller requests, for instance with a lower queue_config.max_samples_per_send`;
}

/** snappyDecodedLength reads the uncompressed length a snappy block declares (-1 when unreadable). */
export function snappyDecodedLength(buf: Uint8Array): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < buf.length; i++) {
    const b = buf[i]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) return v;
    mul *= 128;
  }
  return -1;
}

/** snappyMaxDecodedLength bounds what n snappy block bytes can decode to: a 3-byte copy yields at most 64 bytes. */
export function snappyMaxDecodedLength(n: number): number {
  return Math.floor((n * 64) / 3);
}
