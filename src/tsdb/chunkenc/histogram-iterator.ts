// Decoder for integer histogram chunks (see histogram.ts for the format).

import { copySpans } from '../../model/histogram/convert.js';
import { CounterResetHint, type FloatHistogram, type Histogram } from '../../model/histogram/types.js';
import { isStaleNaN } from '../../model/sample.js';
import type { BitReader } from './bstream.js';
import { sampleHint } from './histogram-header.js';
import { HistogramIteratorBase } from './histogram-iterator-base.js';
import { readVarbitInt, readVarbitUint } from './varbit.js';
import { readRawFloat, setXorValue, xorRead } from './xor-value.js';

const WHAT = 'histogram chunk';

/** HistogramIterator decodes an integer histogram chunk; it implements SampleIterator (atV is the sum). */
export class HistogramIterator extends HistogramIteratorBase {
  cnt = 0;
  zCnt = 0;
  cntDelta = 0;
  zCntDelta = 0;
  /** pBuckets and nBuckets are the current sample's delta-encoded bucket counts. */
  pBuckets: number[] = [];
  nBuckets: number[] = [];
  pBucketsDelta: number[] = [];
  nBucketsDelta: number[] = [];

  private fh: FloatHistogram | null = null;
  private fhRead = -1;
  private view: Histogram | null = null;

  /** The constructor optionally starts on chunk bytes (see reset). */
  constructor(buf?: Uint8Array, byteLength?: number) {
    super(WHAT);
    if (buf !== undefined) this.reset(buf, byteLength ?? buf.length);
  }

  /** resetSamples clears the per-sample state. */
  protected resetSamples(): void {
    this.cnt = this.zCnt = this.cntDelta = this.zCntDelta = 0;
    this.fhRead = -1;
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
      positiveSpans: copySpans(this.pSpans),
      negativeSpans: copySpans(this.nSpans),
      positiveBuckets: this.pBuckets.slice(),
      negativeBuckets: this.nBuckets.slice(),
    };
    if (this.customValues !== undefined) h.customValues = this.customValues.slice();
    return h;
  }

  /** atHistogramView returns the current sample backed by the iterator's own arrays (valid until next; do not modify). */
  atHistogramView(): Histogram {
    if (isStaleNaN(this.sum.value)) return staleHistogram(this.sum.value);
    const h = (this.view ??= { ...staleHistogram(0) });
    h.counterResetHint = sampleHint(this.header, this.numRead);
    h.schema = this.schema;
    h.zeroThreshold = this.zThreshold;
    h.zeroCount = this.zCnt;
    h.count = this.cnt;
    h.sum = this.sum.value;
    h.positiveSpans = this.pSpans;
    h.negativeSpans = this.nSpans;
    h.positiveBuckets = this.pBuckets;
    h.negativeBuckets = this.nBuckets;
    if (this.customValues !== undefined) h.customValues = this.customValues;
    else delete h.customValues;
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
    fillCommon(fh, this, this.cnt, this.zCnt);
    fillAbsolute(fh.positiveBuckets, this.pBuckets);
    fillAbsolute(fh.negativeBuckets, this.nBuckets);
    this.fhRead = this.numRead;
    return fh;
  }

  /** readFirst decodes sample 0 after the layout. */
  protected readFirst(np: number, nn: number): void {
    const br = this.br;
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

  /** readNext decodes a later sample. */
  protected readNext(): void {
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

/** fillCommon sets everything but the buckets of fh from an iterator's current sample. */
export function fillCommon(fh: FloatHistogram, it: HistogramIteratorBase, count: number, zeroCount: number): void {
  fh.counterResetHint = sampleHint(it.header, it.numRead);
  fh.schema = it.schema;
  fh.zeroThreshold = it.zThreshold;
  fh.zeroCount = zeroCount;
  fh.count = count;
  fh.sum = it.sum.value;
  fh.positiveSpans = it.pSpans;
  fh.negativeSpans = it.nSpans;
  if (it.customValues !== undefined) fh.customValues = it.customValues;
  else delete fh.customValues;
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
