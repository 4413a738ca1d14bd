// OTLP/HTTP response bodies in the request's encoding: ExportMetricsServiceResponse (with
// partial_success) on success, google.rpc.Status on failure.
import { PbWriter } from '../remote/pb-writer.js';

/** OtlpEncoding is the encoding of a request and of its response. */
export type OtlpEncoding = 'protobuf' | 'json';

/** CONTENT_TYPES maps an encoding to its media type. */
export const CONTENT_TYPES: Record<OtlpEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** PartialSuccess is ExportMetricsPartialSuccess. */
export interface PartialSuccess {
  readonly rejectedDataPoints: number;
  readonly errorMessage: string;
}

/** encodeExportResponse encodes ExportMetricsServiceResponse; a null partial success is the empty (full success) response. */
export function encodeExportResponse(enc: OtlpEncoding, partial: PartialSuccess | null): Uint8Array {
  if (enc === 'json') {
    const body = partial === null ? {} : { partialSuccess: { rejectedDataPoints: String(partial.rejectedDataPoints), errorMessage: partial.errorMessage } };
    return Buffer.from(JSON.stringify(body));
  }
  const w = new PbWriter();
  if (partial !== null) {
    w.messageField(1, (p) => {
      if (partial.rejectedDataPoints > 0) p.uintField(1, partial.rejectedDataPoints);
      if (partial.errorMessage !== '') p.stringField(2, partial.errorMessage);
    });
  }
  return w.finish();
}

/** GRPC_INVALID_ARGUMENT, GRPC_RESOURCE_EXHAUSTED, GRPC_UNAVAILABLE and GRPC_INTERNAL are the google.rpc.Code values used in Status bodies. */
export const GRPC_INVALID_ARGUMENT = 3;
/** GRPC_RESOURCE_EXHAUSTED answers rate limits and oversized bodies. */
export const GRPC_RESOURCE_EXHAUSTED = 8;
/** GRPC_UNAVAILABLE answers retryable storage failures. */
export const GRPC_UNAVAILABLE = 14;
/** GRPC_INTERNAL answers unexpected failures. */
export const GRPC_INTERNAL = 13;

/** encodeStatus encodes a google.rpc.Status. */
export function encodeStatus(enc: OtlpEncoding, code: number, message: string): Uint8Array {
  if (enc === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return new PbWriter().uintField(1, code).stringField(2, message).finish();
}
