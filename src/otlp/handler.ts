import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Counter, type Registry } from 'prom-client';
import type { WorkspaceLookup } from '../controlplane/limits.js';
import type { Logger } from '../model/logger.js';
import type { RemoteWriteHandler } from '../remote/handler.js';
import { DecodeError } from '../remote/pb.js';
import { Slicer } from '../remote/slicer.js';
import { decodeMetricsRequestJson } from './decode-json.js';
import { decodeMetricsRequest } from './decode-pb.js';
import type { MetricsRequest } from './model.js';
import { defaultOtlpOptions, type OtlpOptions } from './options.js';
import { CONTENT_TYPES, encodeExportResponse, encodeStatus, GRPC_INTERNAL, GRPC_INVALID_ARGUMENT, GRPC_RESOURCE_EXHAUSTED, GRPC_UNAVAILABLE, type OtlpEncoding, type PartialSuccess } from './response.js';
import { translateMetrics } from './translate.js';
import { workspaceNotFound } from '../remote/not-found.js';

const gunzipAsync = promisify(gunzip);

/** OtlpDeps are what the OTLP receiver needs: the remote-write ingest path it writes through. */
export interface OtlpDeps {
  readonly remoteWrite: Pick<RemoteWriteHandler, 'ingest'>;
  readonly workspaces: WorkspaceLookup;
  readonly logger: Logger;
  readonly registry?: Registry;
  readonly options?: Partial<OtlpOptions>;
  /** lookbackDeltaMs sets target_info's repeat interval (half of it; default 5 minutes). */
  readonly lookbackDeltaMs?: number;
  /** onRejected is told of refused or partially refused requests (the workspace's ingestion log). */
  readonly onRejected?: (workspaceId: string, entry: { status: number; message: string; version: string }) => void;
}

/** OtlpRequest is one OTLP/HTTP metrics export. */
export interface OtlpRequest {
  readonly workspaceId: string;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly body: Uint8Array;
}

/** OtlpResponse is the answer to an export. */
export interface OtlpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | string;
}

/** OtlpMetrics are the receiver's self-metrics. */
interface OtlpMetrics {
  readonly requests: Counter<'workspace' | 'code'>;
  readonly rejected: Counter<'workspace'>;
}

function otlpMetrics(registry: Registry | undefined): OtlpMetrics | null {
  if (registry === undefined) return null;
  const get = <T extends string>(name: string, help: string, labelNames: readonly T[]): Counter<T> =>
    (registry.getSingleMetric(name) as Counter<T> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
  return {
    requests: get('otlp_requests_total', 'OTLP metrics export requests by HTTP status.', ['workspace', 'code']),
    rejected: get('otlp_rejected_data_points_total', 'OTLP data points and samples rejected (reported as partial success).', ['workspace']),
  };
}

/** mediaEncoding maps a Content-Type to the OTLP encoding, or null. */
export function mediaEncoding(contentType: string | undefined): OtlpEncoding | null {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === CONTENT_TYPES.protobuf) return 'protobuf';
  if (media === CONTENT_TYPES.json) return 'json';
  return null;
}

/**
 * OtlpHandler receives OTLP/HTTP metrics for a workspace: content type (415), gzip (400/413),
 * decoding (400), translation as Prometheus 3 translates, then the remote-write 2.0 ingest path
 * (rate limit 429, validation, limits, durable commit). Points dropped anywhere come back as
 * an OTLP partial success (200 with rejected_data_points and error_message).
 */
export class OtlpHandler {
  private readonly opts: OtlpOptions;
  private readonly metrics: OtlpMetrics | null;

  constructor(private readonly deps: OtlpDeps) {
    this.opts = { ...defaultOtlpOptions(), ...deps.options };
    this.metrics = otlpMetrics(deps.registry);
  }

  /** handle answers one export; it never throws for bad input. */
  async handle(req: OtlpRequest): Promise<OtlpResponse> {
    const res = await this.process(req);
    this.metrics?.requests.inc({ workspace: req.workspaceId, code: String(res.status) });
    if (res.log !== undefined) this.deps.onRejected?.(req.workspaceId, { status: res.status, message: res.log, version: 'otlp' });
    return { status: res.status, headers: res.headers, body: res.body };
  }

  private async process(req: OtlpRequest): Promise<OtlpResponse & { log?: string }> {
    const ws = req.workspaceId;
    if (this.deps.workspaces.get(ws) === null) {
      return { ...workspaceNotFound(ws) };
    }
    const enc = mediaEncoding(req.contentType);
    if (enc === null) {
      const msg = `unsupported content type: ${req.contentType ?? '(none)'}, supported: [${CONTENT_TYPES.json}, ${CONTENT_TYPES.protobuf}]`;
      return { status: 415, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: msg + '\n', log: msg };
    }
    const fail = (status: number, code: number, message: string, extra: Record<string, string> = {}): OtlpResponse & { log: string } => ({
      status,
      headers: { 'content-type': CONTENT_TYPES[enc], ...extra },
      body: encodeStatus(enc, code, message),
      log: message,
    });
    const max = this.opts.maxDecompressedBytes;
    const encoding = (req.contentEncoding ?? '').trim().toLowerCase();
    let raw: Uint8Array;
    if (encoding === '' || encoding === 'identity') raw = req.body;
    else if (encoding === 'gzip') {
      try {
        raw = await gunzipAsync(req.body, { maxOutputLength: max });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return fail(413, GRPC_RESOURCE_EXHAUSTED, sizeMessage(max));
        return fail(400, GRPC_INVALID_ARGUMENT, `gzip decode error: ${(err as Error).message}`);
      }
    } else {
      const msg = `unsupported compression: ${req.contentEncoding}; only "gzip" or no compression is supported`;
      return { status: 415, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: msg + '\n', log: msg };
    }
    if (raw.length > max) return fail(413, GRPC_RESOURCE_EXHAUSTED, sizeMessage(max));
    let decoded: MetricsRequest;
    try {
      decoded = enc === 'protobuf' ? decodeMetricsRequest(raw) : decodeMetricsRequestJson(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8'));
    } catch (err) {
      if (err instanceof DecodeError) return fail(400, GRPC_INVALID_ARGUMENT, `failed to decode OTLP metrics request (${CONTENT_TYPES[enc]}): ${err.message}`);
      throw err;
    }
    const slicer = new Slicer();
    const tr = await translateMetrics(decoded, { ...this.opts, lookbackDeltaMs: this.deps.lookbackDeltaMs ?? 300_000 }, slicer);
    let rejected = tr.rejectedPoints;
    const messages = [...tr.errors];
    if (tr.samples > 0 || tr.metadata.length > 0) {
      const out = await this.deps.remoteWrite.ingest({ workspaceId: ws, raw: tr.request, format: '2.0', label: 'otlp', metadata: tr.metadata, slicer });
      switch (out.kind) {
        case 'decode_error':
          this.deps.logger.error({ workspace: ws, err: out.message }, 'OTLP translation produced an undecodable remote-write request');
          return fail(500, GRPC_INTERNAL, `internal error: ${out.message}`);
        case 'rate_limited':
          return fail(429, GRPC_RESOURCE_EXHAUSTED, out.message, { 'retry-after': '1' });
        case 'over_request_limit':
          return fail(400, GRPC_INVALID_ARGUMENT, out.message);
        case 'storage_failure':
          return fail(503, GRPC_UNAVAILABLE, out.message, { 'retry-after': '1' });
        case 'ingested': {
          const ing = out.ingester;
          let refused = 0;
          for (const n of ing.discardedSamples.values()) refused += n;
          rejected += refused;
          if (ing.errorCount > 0) messages.push(`storage refused ${refused} of ${tr.samples} samples: ${ing.errorMessage(tr.samples)}`);
          break;
        }
      }
    }
    let partial: PartialSuccess | null = null;
    if (rejected > 0 || messages.length > 0) {
      partial = { rejectedDataPoints: rejected, errorMessage: messages.join('; ') };
      this.metrics?.rejected.inc({ workspace: ws }, rejected);
      this.deps.logger.debug({ workspace: ws, rejected, first: messages[0] }, 'OTLP export partially rejected');
    }
    return { status: 200, headers: { 'content-type': CONTENT_TYPES[enc] }, body: encodeExportResponse(enc, partial), ...(partial ? { log: partial.errorMessage } : {}) };
  }
}

function sizeMessage(max: number): string {
  return `OTLP request body exceeds the limit of ${max} bytes once decompressed (otlp.maxDecompressedBytes); export smaller batches`;
}
