// prometheus.ReadRequest (prompb/remote.proto): queries = 1, accepted_response_types = 2 (packed
// or not); Query: start_timestamp_ms = 1, end_timestamp_ms = 2, matchers = 3, hints = 4;
// LabelMatcher: type = 1 (EQ, NEQ, RE, NRE), name = 2, value = 3; ReadHints: step_ms = 1,
// func = 2, start_ms = 3, end_ms = 4, grouping = 5, by = 6, range_ms = 7.
import type { WireMatcher } from '../../query/protocol.js';
import { DecodeError, PbReader, WIRE_LEN } from '../pb.js';
import { decodeUtf8, INVALID_UTF8 } from '../validate.js';
import { RESPONSE_SAMPLES, RESPONSE_STREAMED_XOR_CHUNKS, type ReadHints, type ReadQuery, type ResponseType } from './spec.js';

/** DecodedReadRequest is a decoded ReadRequest. */
export interface DecodedReadRequest {
  readonly queries: ReadQuery[];
  readonly accepted: number[];
}

const MATCH_TYPES: readonly WireMatcher['type'][] = ['=', '!=', '=~', '!~'];

function str(r: PbReader, end: number): string {
  const e = r.lenEnd(end);
  const s = decodeUtf8(r.buf, r.pos, e);
  r.pos = e;
  if (s === INVALID_UTF8) throw new DecodeError('string field is not valid UTF-8');
  return s;
}

/** decodeReadRequest decodes an uncompressed ReadRequest; malformed input throws DecodeError. */
export function decodeReadRequest(buf: Uint8Array): DecodedReadRequest {
  const r = new PbReader(buf);
  const queries: ReadQuery[] = [];
  const accepted: number[] = [];
  const end = buf.length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 0x0a) queries.push(query(r, r.lenEnd(end)));
    else if (tag === 0x10) accepted.push(r.uint32());
    else if (tag === 0x12) {
      const e = r.lenEnd(end);
      while (r.pos < e) accepted.push(r.uint32());
    } else {
      if (tag >>> 3 === 0) throw new DecodeError('invalid protobuf field number 0');
      r.skip(tag & 7, end);
    }
  }
  return { queries, accepted };
}

function query(r: PbReader, end: number): ReadQuery {
  let startMs = 0;
  let endMs = 0;
  const matchers: WireMatcher[] = [];
  let hints: ReadHints | null = null;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 0x08) startMs = r.int64();
    else if (tag === 0x10) endMs = r.int64();
    else if (tag === 0x1a) matchers.push(matcher(r, r.lenEnd(end)));
    else if (tag === 0x22) hints = readHints(r, r.lenEnd(end));
    else r.skip(tag & 7, end);
  }
  return { startMs, endMs, matchers, hints };
}

function matcher(r: PbReader, end: number): WireMatcher {
  let type = 0;
  let name = '';
  let value = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 0x08) type = r.uint32();
    else if (tag === 0x12) name = str(r, end);
    else if (tag === 0x1a) value = str(r, end);
    else r.skip(tag & 7, end);
  }
  const t = MATCH_TYPES[type];
  if (t === undefined) throw new DecodeError(`invalid matcher type ${type}`);
  return { type: t, name, value };
}

function readHints(r: PbReader, end: number): ReadHints {
  const h = { stepMs: 0, func: '', startMs: 0, endMs: 0, rangeMs: 0 };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 0x08) h.stepMs = r.int64();
    else if (tag === (2 << 3 | WIRE_LEN)) h.func = str(r, end);
    else if (tag === 0x18) h.startMs = r.int64();
    else if (tag === 0x20) h.endMs = r.int64();
    else if (tag === 0x38) h.rangeMs = r.int64();
    else r.skip(tag & 7, end);
  }
  return h;
}

/** ResponseTypeError says none of the accepted response types is supported (400). */
export class ResponseTypeError extends Error {
  override name = 'ResponseTypeError';
}

/** negotiateResponseType picks the first accepted type the server supports (none listed: SAMPLES), as Prometheus does. */
export function negotiateResponseType(accepted: readonly number[]): ResponseType {
  const list = accepted.length === 0 ? [RESPONSE_SAMPLES] : accepted;
  for (const t of list) if (t === RESPONSE_SAMPLES || t === RESPONSE_STREAMED_XOR_CHUNKS) return t;
  throw new ResponseTypeError(`server does not support any of the requested response types: [${accepted.join(' ')}]; supported: [SAMPLES STREAMED_XOR_CHUNKS]`);
}
