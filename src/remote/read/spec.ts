import type { WireMatcher } from '../../query/protocol.js';

/** RESPONSE_SAMPLES and RESPONSE_STREAMED_XOR_CHUNKS are prometheus.ReadRequest.ResponseType values. */
export const RESPONSE_SAMPLES = 0;
/** RESPONSE_STREAMED_XOR_CHUNKS streams ChunkedReadResponse frames of XOR chunks. */
export const RESPONSE_STREAMED_XOR_CHUNKS = 1;

/** ResponseType is a supported response type. */
export type ResponseType = typeof RESPONSE_SAMPLES | typeof RESPONSE_STREAMED_XOR_CHUNKS;

/** ReadHints are prometheus.ReadHints (the query engine's hints to the remote storage). */
export interface ReadHints {
  readonly stepMs: number;
  readonly func: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly rangeMs: number;
}

/** ReadQuery is one prometheus.Query of a ReadRequest. */
export interface ReadQuery {
  readonly startMs: number;
  readonly endMs: number;
  readonly matchers: readonly WireMatcher[];
  readonly hints: ReadHints | null;
}

/** RemoteReadSpec is a remote-read job as a query worker receives it. */
export interface RemoteReadSpec {
  readonly queries: readonly ReadQuery[];
  readonly responseType: ResponseType;
  /** sampleLimit caps the samples of one query of a SAMPLES response (0: none). */
  readonly sampleLimit: number;
  /** maxBytesInFrame is the target size of a ChunkedReadResponse frame. */
  readonly maxBytesInFrame: number;
}

/** STREAMED_CONTENT_TYPE is the Content-Type of a streamed chunked response. */
export const STREAMED_CONTENT_TYPE = 'application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse';
