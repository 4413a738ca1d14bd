// The native histogram message remote write 1.0 (prometheus.Histogram) and 2.0 (io.prometheus.write.v2.Histogram)
// share, field for field:
//   count_int = 1 (uint64) | count_float = 2 (double); sum = 3; schema = 4 (sint32); zero_threshold = 5;
//   zero_count_int = 6 | zero_count_float = 7; negative_spans = 8; negative_deltas = 9 (sint64, packed);
//   negative_counts = 10 (double, packed); positive_spans = 11; positive_deltas = 12; positive_counts = 13;
//   reset_hint = 14; timestamp = 15 (int64); custom_values = 16 (double, packed); 2.0 start_timestamp = 17.
//   BucketSpan: offset = 1 (sint32), length = 2 (uint32).
// A histogram whose count is count_float is a float histogram (absolute counts), else an integer one (deltas).
import type { CounterResetHintValue, FloatHistogram, Histogram, Span } from '../model/histogram/types.js';
import { DecodeError, WIRE_I64, WIRE_LEN, WIRE_VARINT, type PbReader } from './pb.js';

/** K_H_TIMESTAMP is the key of Histogram.timestamp (field 15, varint). */
export const K_H_TIMESTAMP = 0x78;

/** DecodedHistogram is one decoded histogram sample: h (integer) or fh (float), exactly one set. */
export interface DecodedHistogram {
  t: number;
  h: Histogram | undefined;
  fh: FloatHistogram | undefined;
}

/** histogramTimestamp reads only the timestamp of the Histogram message in [pos, e). */
export function histogramTimestamp(r: PbReader, e: number): number {
  let t = 0;
  while (r.pos < e) {
    const k = r.uint32();
    if (k === K_H_TIMESTAMP) t = r.int64();
    else r.skip(k & 7, e);
  }
  return t;
}

/** decodeHistogram decodes the Histogram message in [r.pos, e). */
export function decodeHistogram(r: PbReader, e: number): DecodedHistogram {
  let isFloat = false;
  let count = 0;
  let zeroCount = 0;
  let sum = 0;
  let schema = 0;
  let zeroThreshold = 0;
  let hint = 0;
  let t = 0;
  const negativeSpans: Span[] = [];
  const positiveSpans: Span[] = [];
  const negDeltas: number[] = [];
  const posDeltas: number[] = [];
  const negCounts: number[] = [];
  const posCounts: number[] = [];
  let customValues: number[] | undefined;
  while (r.pos < e) {
    const k = r.uint32();
    const field = k >>> 3;
    const wire = k & 7;
    switch (field) {
      case 1:
        count = expect(r, wire, WIRE_VARINT, field) ? r.int64() : 0;
        isFloat = false;
        break;
      case 2:
        count = expect(r, wire, WIRE_I64, field) ? r.double() : 0;
        isFloat = true;
        break;
      case 3:
        sum = expect(r, wire, WIRE_I64, field) ? r.double() : 0;
        break;
      case 4:
        schema = expect(r, wire, WIRE_VARINT, field) ? zigzag(r.int64()) : 0;
        break;
      case 5:
        zeroThreshold = expect(r, wire, WIRE_I64, field) ? r.double() : 0;
        break;
      case 6:
        zeroCount = expect(r, wire, WIRE_VARINT, field) ? r.int64() : 0;
        break;
      case 7:
        zeroCount = expect(r, wire, WIRE_I64, field) ? r.double() : 0;
        break;
      case 8:
      case 11:
        if (expect(r, wire, WIRE_LEN, field)) (field === 8 ? negativeSpans : positiveSpans).push(readSpan(r, r.lenEnd(e)));
        break;
      case 9:
      case 12:
        readSints(r, wire, e, field === 9 ? negDeltas : posDeltas);
        break;
      case 10:
      case 13:
        readDoubles(r, wire, e, field === 10 ? negCounts : posCounts);
        break;
      case 14:
        hint = expect(r, wire, WIRE_VARINT, field) ? r.uint32() : 0;
        break;
      case 15:
        t = expect(r, wire, WIRE_VARINT, field) ? r.int64() : 0;
        break;
      case 16:
        readDoubles(r, wire, e, (customValues ??= []));
        break;
      default:
        if (field === 0) throw new DecodeError('invalid protobuf field number 0');
        r.skip(wire, e);
    }
  }
  const counterResetHint = (hint <= 3 ? hint : 0) as CounterResetHintValue;
  if (isFloat) {
    const fh: FloatHistogram = { counterResetHint, schema, zeroThreshold, zeroCount, count, sum, positiveSpans, negativeSpans, positiveBuckets: posCounts, negativeBuckets: negCounts };
    if (customValues !== undefined) fh.customValues = customValues;
    return { t, h: undefined, fh };
  }
  const h: Histogram = { counterResetHint, schema, zeroThreshold, zeroCount, count, sum, positiveSpans, negativeSpans, positiveBuckets: posDeltas, negativeBuckets: negDeltas };
  if (customValues !== undefined) h.customValues = customValues;
  return { t, h, fh: undefined };
}

function expect(r: PbReader, wire: number, want: number, field: number): boolean {
  if (wire !== want) throw new DecodeError(`histogram field ${field}: wire type ${wire}, want ${want}`);
  return true;
}

function zigzag(u: number): number {
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

/** readSint64 reads a zig-zag varint (sint64), exact within ±2^53. */
function readSint64(r: PbReader): number {
  const v = r.int64();
  // int64() reads two's complement; a zig-zag value past 2^63 (a negative int64) cannot be exact anyway.
  return zigzag(v < 0 ? v + 18446744073709551616 : v);
}

function readSints(r: PbReader, wire: number, e: number, out: number[]): void {
  if (wire === WIRE_VARINT) {
    out.push(readSint64(r));
    return;
  }
  expect(r, wire, WIRE_LEN, 0);
  const pe = r.lenEnd(e);
  while (r.pos < pe) out.push(readSint64(r));
  if (r.pos !== pe) throw new DecodeError('packed sint64 field overruns its length');
}

function readDoubles(r: PbReader, wire: number, e: number, out: number[]): void {
  if (wire === WIRE_I64) {
    out.push(r.double());
    return;
  }
  expect(r, wire, WIRE_LEN, 0);
  const pe = r.lenEnd(e);
  if ((pe - r.pos) % 8 !== 0) throw new DecodeError('packed double field length is not a multiple of 8');
  while (r.pos < pe) out.push(r.double());
}

function readSpan(r: PbReader, se: number): Span {
  let offset = 0;
  let length = 0;
  while (r.pos < se) {
    const k = r.uint32();
    if (k === 0x08) offset = zigzag(r.int64());
    else if (k === 0x10) length = r.uint32();
    else r.skip(k & 7, se);
  }
  return { offset, length };
}
