// Decoder for float histogram chunks (see float-histogram.ts for the format).

import type { FloatHistogram, Span } from '../../model/histogram/types.js';
import { isStaleNaN } from '../../model/sample.js';
import type { SampleIterator } from '../../storage/series.js';
import { EncodingError } from '../encoding/buffers.js';
import { BitReader } from './bstream.js';
import { HISTOGRAM_HEADER_BITS, readCounterResetHeader, sampleHint, type CounterResetHeaderValue } from './histogram-header.js';
import { emptyFloatHistogram, staleHistogram } from './histogram-iterator.js';
import { countSpans, readHistogramLayout } from './histogram-layout.js';
import { validateSchema } from './histogram-schema.js';
import { checkReadEnd, readVarbitInt } from './varbit.js';
import { newXorField, readRawFloat, setXorValue, xorRead, type XorField } from './xor-value.js';

const WHAT = 'float histogram chunk';
const EMPTY_SPANS: Span[] = [];

/** FloatHistogramIterator decodes a float histogram chunk; it implements SampleIterator (atV is the sum). */
export class FloatHistogramIterator implements SampleIterator {
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
  tDelta = 0;
  cnt: XorField = newXorField(0, 0);
  zCnt: XorField = newXorField(0, 0);
  sum: XorField = newXorField(0, 0);
  pBuckets: XorField[] = [];
  nBuckets: XorField[] = [];

  private readonly fh: FloatHistogram = emptyFloatHistogram();

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
    this.tDelta = 0;
    this.cnt = newXorField(0, 0);
    this.zCnt = newXorField(0, 0);
    this.sum = newXorField(0, 0);
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

  /**
   * atFloatHistogram returns the current sample. The object and its bucket arrays are reused by
   * the following samples; spans and customValues are shared and must not be modified.
   */
  atFloatHistogram(): FloatHistogram {
    if (isStaleNaN(this.sum.value)) return staleHistogram(this.sum.value);
    const fh = this.fh;
    fh.counterResetHint = sampleHint(this.header, this.numRead);
    fh.schema = this.schema;
    fh.zeroThreshold = this.zThreshold;
    fh.zeroCount = this.zCnt.value;
    fh.count = this.cnt.value;
    fh.sum = this.sum.value;
    fh.positiveSpans = this.pSpans;
    fh.negativeSpans = this.nSpans;
    fillValues(fh.positiveBuckets, this.pBuckets);
    fillValues(fh.negativeBuckets, this.nBuckets);
    if (this.customValues !== undefined) fh.customValues = this.customValues;
    else delete fh.customValues;
    return fh;
  }

  /** atFloatHistogramCopy returns the current sample as a new float histogram with its own arrays. */
  atFloatHistogramCopy(): FloatHistogram {
    const fh = this.atFloatHistogram();
    const c: FloatHistogram = {
      ...fh,
      positiveSpans: fh.positiveSpans.map((s) => ({ ...s })),
      negativeSpans: fh.negativeSpans.map((s) => ({ ...s })),
      positiveBuckets: fh.positiveBuckets.slice(),
      negativeBuckets: fh.negativeBuckets.slice(),
    };
    if (fh.customValues !== undefined) c.customValues = fh.customValues.slice();
    return c;
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
    checkReadEnd(br, this.endBit, WHAT);
    const np = countSpans(l.positiveSpans);
    const nn = countSpans(l.negativeSpans);
    this.t = readVarbitInt(br);
    setXorValue(this.cnt, readRawFloat(br));
    setXorValue(this.zCnt, readRawFloat(br));
    setXorValue(this.sum, readRawFloat(br));
    this.pBuckets = new Array<XorField>(np);
    this.nBuckets = new Array<XorField>(nn);
    for (let i = 0; i < np; i++) this.pBuckets[i] = newXorField(readRawFloat(br), 0);
    for (let i = 0; i < nn; i++) this.nBuckets[i] = newXorField(readRawFloat(br), 0);
  }

  private readNext(): void {
    const br = this.br;
    this.tDelta += readVarbitInt(br);
    this.t += this.tDelta;
    xorRead(br, this.cnt, WHAT);
    xorRead(br, this.zCnt, WHAT);
    xorRead(br, this.sum, WHAT);
    if (isStaleNaN(this.sum.value)) return;
    for (const f of this.pBuckets) xorRead(br, f, WHAT);
    for (const f of this.nBuckets) xorRead(br, f, WHAT);
  }
}

function fillValues(out: number[], fields: readonly XorField[]): void {
  out.length = fields.length;
  for (let i = 0; i < fields.length; i++) out[i] = fields[i]!.value;
}
