// Decoder for float histogram chunks (see float-histogram.ts for the format).

import { copySpans } from '../../model/histogram/convert.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import { isStaleNaN } from '../../model/sample.js';
import { HistogramIteratorBase } from './histogram-iterator-base.js';
import { emptyFloatHistogram, fillCommon, staleHistogram } from './histogram-iterator.js';
import { readVarbitInt } from './varbit.js';
import { newXorField, readRawFloat, setXorValue, xorRead, type XorField } from './xor-value.js';

const WHAT = 'float histogram chunk';

/** FloatHistogramIterator decodes a float histogram chunk; it implements SampleIterator (atV is the sum). */
export class FloatHistogramIterator extends HistogramIteratorBase {
  cnt: XorField = newXorField(0, 0);
  zCnt: XorField = newXorField(0, 0);
  pBuckets: XorField[] = [];
  nBuckets: XorField[] = [];

  private readonly fh: FloatHistogram = emptyFloatHistogram();

  /** The constructor optionally starts on chunk bytes (see reset). */
  constructor(buf?: Uint8Array, byteLength?: number) {
    super(WHAT);
    if (buf !== undefined) this.reset(buf, byteLength ?? buf.length);
  }

  /** resetSamples clears the per-sample state. */
  protected resetSamples(): void {
    this.cnt = newXorField(0, 0);
    this.zCnt = newXorField(0, 0);
  }

  /**
   * atFloatHistogram returns the current sample. The object and its bucket arrays are reused by
   * the following samples; spans and customValues are shared and must not be modified.
   */
  atFloatHistogram(): FloatHistogram {
    if (isStaleNaN(this.sum.value)) return staleHistogram(this.sum.value);
    const fh = this.fh;
    fillCommon(fh, this, this.cnt.value, this.zCnt.value);
    fillValues(fh.positiveBuckets, this.pBuckets);
    fillValues(fh.negativeBuckets, this.nBuckets);
    return fh;
  }

  /** atFloatHistogramCopy returns the current sample as a new float histogram with its own arrays. */
  atFloatHistogramCopy(): FloatHistogram {
    const fh = this.atFloatHistogram();
    const c: FloatHistogram = {
      ...fh,
      positiveSpans: copySpans(fh.positiveSpans),
      negativeSpans: copySpans(fh.negativeSpans),
      positiveBuckets: fh.positiveBuckets.slice(),
      negativeBuckets: fh.negativeBuckets.slice(),
    };
    if (fh.customValues !== undefined) c.customValues = fh.customValues.slice();
    return c;
  }

  /** readFirst decodes sample 0 after the layout. */
  protected readFirst(np: number, nn: number): void {
    const br = this.br;
    this.t = readVarbitInt(br);
    setXorValue(this.cnt, readRawFloat(br));
    setXorValue(this.zCnt, readRawFloat(br));
    setXorValue(this.sum, readRawFloat(br));
    this.pBuckets = new Array<XorField>(np);
    this.nBuckets = new Array<XorField>(nn);
    for (let i = 0; i < np; i++) this.pBuckets[i] = newXorField(readRawFloat(br), 0);
    for (let i = 0; i < nn; i++) this.nBuckets[i] = newXorField(readRawFloat(br), 0);
  }

  /** readNext decodes a later sample. */
  protected readNext(): void {
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
