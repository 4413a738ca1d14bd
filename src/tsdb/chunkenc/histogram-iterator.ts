// Decoder for integer histogram chunks (see histogram.ts for the format).

import { CounterResetHint, type FloatHistogram, type Histogram, type Span } from '../../model/histogram/types.js';
import { isStaleNaN } from '../../model/sample.js';
import type { SampleIterator } from '../../storage/series.js';
import { EncodingError } from '../encoding/buffers.js';
import { BitReader } from './bstream.js';
import { HISTOGRAM_HEADER_BITS, readCounterResetHeader, sampleHint, type CounterResetHeaderValue } from './histogram-header.js';
import { countSpans, readHistogramLayout } from './histogram-layout.js';
import { checkReadEnd, readVarbitInt, readVarbitUint } from './varbit.js';
import { newXorField, readRawFloat, setXorValue, xorRead, type XorField } from './xor-value.js';
import { validateSchema } from './histogram-schema.js';

const WHAT = 'histogram chunk';
const EMPTY_SPANS: Span[] = [];

/** HistogramIterator decodes an integer histogram chunk; it implements SampleIterator (atV is the sum). */
export class HistogramIterator implements SampleIterator {
  private readonly br = new BitReader();
  private numTotal = 0;
  private endBit = 0;
  private error: EncodingError | null = null;
  /** header is the chunk's counter-reset header. */
  header: CounterResetHeaderValue = 0;
  /** numRead is the number of samples decoded so far. */
  numRead = 0;

  // Decoder state, read by the appender when it continues a chunk.
  schema = 0;
  zThreshold = 0;
  pSpans: Span[] = EMPTY_SPANS;
  nSpans: Span[] = EMPTY_SPANS;
  customValues: number[] | undefined = undefined;
  t = Number.MIN_SAFE_INTEGER;
  cnt = 0;
  zCnt = 0;
  tDelta = 0;
  cntDelta = 0;
  zCntDelta = 0;
  /** pBuckets and nBuckets are the current sample's delta-encoded bucket counts. */
  pBuckets: number[] = [];
  nBuckets: number[] = [];
  pBucketsDelta: number[] = [];
  nBucketsDelta: number[] = [];
  sum: XorField = newXorField(0, 0);

  private fh: FloatHistogram | null = null;
  private fhRead = -1;

  /** The constructor optionally starts on chunk bytes (see reset). */
  constructor(buf?: Uint8Array, byteLength?: number) {
    if (buf !== undefined) this.reset(buf, byteLength ?? buf.length);
  }

  /** reset restarts on chunk bytes buf (header included), of which byteLength belong to the chunk. */
  reset(buf: Uint8Array, byteLength: number = buf.length, view?: DataView): void {
    if (byteLength < 3) throw new EncodingError(`${WHAT}: ${byteLength} bytes is shorter than the 3-byte header`);
    this.br.reset(buf, HISTOGRAM_HEADER_BITS, view);
    this.numTotal = (buf[0]! << 8) | buf[1]!;
    this.header = readCounterResetHeader(buf);
    this.endBit = byteLength * 8;
    this.numRead = 0;
    this.error = null;
    this.t = Number.MIN_SAFE_INTEGER;
    this.cnt = this.zCnt = this.tDelta = this.cntDelta = this.zCntDelta = 0;
    this.sum = newXorField(0, 0);
    this.fhRead = -1;
  }

  /** bitPos is the bit offset (from the chunk's start) right after the last decoded sample. */
  bitPos(): number {
    return this.br.pos;
  }

  /** atT is the current sample's timestamp. */
  atT(): number {
    return this.t;
  }

  /** atV is the current histogram's sum (so a stale marker shows as isStaleNaN(atV())). */
  atV(): number {
    return this.sum.value;
  }

  /** atST is 0: histogram chunks of this encoding carry no start timestamps. */
  atST(): number {
    return 0;
  }

  /** err is the decoding error that stopped the iteration, or null. */
  err(): EncodingError | null {
    return this.error;
  }

  /** seek advances to the first sample with timestamp >= t. */
  seek(t: number): boolean {
    if (this.error !== null) return false;
    while (this.numRead === 0 || t > this.t) {
      if (!this.next()) return false;
    }
    return true;
  }

  /** atHistogram returns the current sample as a new integer histogram (its own arrays). */
  atHistogram(): Histogram {
    if (isStaleNaN(this.sum.value)) return staleHistogram(this.sum.value);
    const h: Histogram = {
      counterResetHint: sampleHint(this.header, this.numRead),
      schema: this.schema,
      zeroThreshold: this.zThreshold,
      zeroCount: this.zCnt,
      count: this.cnt,
      sum: this.sum.value,
      positiveSpans: this.pSpans.map((s) => ({ ...s })),
      negativeSpans: this.nSpans.map((s) => ({ ...s })),
      positiveBuckets: this.pBuckets.slice(),
      negativeBuckets: this.nBuckets.slice(),
    };
    if (this.customValues !== undefined) h.customValues = this.customValues.slice();
    return h;
  }

  /**
   * atFloatHistogram returns the current sample as a float histogram. The object and its bucket
   * arrays are reused by the following samples; spans and customValues are shared and must not be modified.
   */
  atFloatHistogram(): FloatHistogram {
    if (isStaleNaN(this.sum.value)) return staleHistogram(this.sum.value);
    if (this.fhRead === this.numRead && this.fh !== null) return this.fh;
    const fh = (this.fh ??= emptyFloatHistogram());
    fh.counterResetHint = sampleHint(this.header, this.numRead);
    fh.schema = this.schema;
    fh.zeroThreshold = this.zThreshold;
    fh.zeroCount = this.zCnt;
    fh.count = this.cnt;
    fh.sum = this.sum.value;
    fh.positiveSpans = this.pSpans;
    fh.negativeSpans = this.nSpans;
    fillAbsolute(fh.positiveBuckets, this.pBuckets);
    fillAbsolute(fh.negativeBuckets, this.nBuckets);
    if (this.customValues !== undefined) fh.customValues = this.customValues;
    else delete fh.customValues;
    this.fhRead = this.numRead;
    return fh;
  }

  /** next decodes the next sample; false at the end or on corrupt data (see err). */
  next(): boolean {
    if (this.error !== null || this.numRead >= this.numTotal) return false;
    try {
      if (this.numRead === 0) this.readFirst();
      else this.readNext();
      checkReadEnd(this.br, this.endBit, WHAT);
    } catch (e) {
      this.error = e instanceof EncodingError ? e : new EncodingError(`${WHAT}: ${(e as Error).message}`);
      return false;
    }
    this.numRead++;
    return true;
  }

  private readFirst(): void {
    const br = this.br;
    const l = readHistogramLayout(br);
    validateSchema(l.schema, WHAT);
    this.schema = l.schema;
    this.zThreshold = l.zeroThreshold;
    this.pSpans = l.positiveSpans;
    this.nSpans = l.negativeSpans;
    this.customValues = l.customValues;
    const np = countSpans(l.positiveSpans);
    const nn = countSpans(l.negativeSpans);
    checkReadEnd(br, this.endBit, WHAT);
    this.pBuckets = new Array<number>(np).fill(0);
    this.nBuckets = new Array<number>(nn).fill(0);
    this.pBucketsDelta = new Array<number>(np).fill(0);
    this.nBucketsDelta = new Array<number>(nn).fill(0);
    this.t = readVarbitInt(br);
    this.cnt = readVarbitUint(br);
    this.zCnt = readVarbitUint(br);
    setXorValue(this.sum, readRawFloat(br));
    for (let i = 0; i < np; i++) this.pBuckets[i] = readVarbitInt(br);
    for (let i = 0; i < nn; i++) this.nBuckets[i] = readVarbitInt(br);
  }

  private readNext(): void {
    const br = this.br;
    this.tDelta += readVarbitInt(br);
    this.t += this.tDelta;
    this.cntDelta += readVarbitInt(br);
    this.cnt += this.cntDelta;
    this.zCntDelta += readVarbitInt(br);
    this.zCnt += this.zCntDelta;
    xorRead(br, this.sum, WHAT);
    if (isStaleNaN(this.sum.value)) return;
    readBucketDods(br, this.pBuckets, this.pBucketsDelta);
    readBucketDods(br, this.nBuckets, this.nBucketsDelta);
  }
}

function readBucketDods(br: BitReader, buckets: number[], deltas: number[]): void {
  for (let i = 0; i < buckets.length; i++) {
    deltas[i]! += readVarbitInt(br);
    buckets[i]! += deltas[i]!;
  }
}

/** fillAbsolute sets out to the running sums of deltas (resizing out). */
function fillAbsolute(out: number[], deltas: readonly number[]): void {
  out.length = deltas.length;
  let cur = 0;
  for (let i = 0; i < deltas.length; i++) out[i] = cur += deltas[i]!;
}

/** emptyFloatHistogram is a zero float histogram with fresh arrays. */
export function emptyFloatHistogram(): FloatHistogram {
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 0,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 0,
    sum: 0,
    positiveSpans: [],
    negativeSpans: [],
    positiveBuckets: [],
    negativeBuckets: [],
  };
}

/** staleHistogram is the histogram Prometheus returns for a stale marker: only the sum is set. */
export function staleHistogram(sum: number): FloatHistogram & Histogram {
  const h = emptyFloatHistogram();
  h.sum = sum;
  return h;
}
