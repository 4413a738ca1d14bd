import { addFloatHistograms, type AddResult } from './add.js';
import { compressBuckets, expandBuckets } from './buckets.js';
import { copyFloatHistogram } from './copy.js';
import type { FloatHistogram } from './types.js';

/** kahanInc adds inc to sum with Neumaier compensation c (compensation dropped once the sum is infinite). */
function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}

function zeroed(h: FloatHistogram): FloatHistogram {
  const z = copyFloatHistogram(h);
  z.count = 0;
  z.sum = 0;
  z.zeroCount = 0;
  z.positiveSpans = [];
  z.positiveBuckets = [];
  z.negativeSpans = [];
  z.negativeBuckets = [];
  return z;
}

function sideMap(spans: FloatHistogram['positiveSpans'], buckets: number[]): Map<number, number> {
  const sb = expandBuckets(spans, buckets);
  const m = new Map<number, number>();
  for (let i = 0; i < sb.idx.length; i++) m.set(sb.idx[i]!, sb.counts[i]!);
  return m;
}

/**
 * KahanHistogramSum adds float histograms with a compensation histogram, as Prometheus's KahanAdd: the running
 * sum and its compensation follow the same layout (coarsest schema, widest zero bucket, intersected custom bounds).
 */
export class KahanHistogramSum {
  private h: FloatHistogram;
  private c: FloatHistogram;

  constructor(first: FloatHistogram) {
    this.h = copyFloatHistogram(first);
    this.c = zeroed(first);
  }

  /** add adds o (throws IncompatibleSchemaError for exponential with custom buckets); returns what the layout step reported. */
  add(o: FloatHistogram): Omit<AddResult, 'h'> {
    const zo = zeroed(o);
    const r = addFloatHistograms(this.h, zo);
    const c = addFloatHistograms(this.c, zo).h;
    const oo = addFloatHistograms(zeroed(r.h), o).h;
    const h = r.h;
    [h.count, c.count] = kahanInc(oo.count, h.count, c.count);
    [h.sum, c.sum] = kahanInc(oo.sum, h.sum, c.sum);
    [h.zeroCount, c.zeroCount] = kahanInc(oo.zeroCount, h.zeroCount, c.zeroCount);
    for (const positive of [true, false]) {
      const hm = positive ? sideMap(h.positiveSpans, h.positiveBuckets) : sideMap(h.negativeSpans, h.negativeBuckets);
      const cm = positive ? sideMap(c.positiveSpans, c.positiveBuckets) : sideMap(c.negativeSpans, c.negativeBuckets);
      const om = positive ? sideMap(oo.positiveSpans, oo.positiveBuckets) : sideMap(oo.negativeSpans, oo.negativeBuckets);
      const idx = [...new Set([...hm.keys(), ...cm.keys(), ...om.keys()])].sort((a, b) => a - b);
      const hv: number[] = [];
      const cv: number[] = [];
      for (const i of idx) {
        const [s, k] = kahanInc(om.get(i) ?? 0, hm.get(i) ?? 0, cm.get(i) ?? 0);
        hv.push(s);
        cv.push(k);
      }
      const hb = compressBuckets({ idx, counts: hv });
      const cb = compressBuckets({ idx, counts: cv });
      if (positive) {
        h.positiveSpans = hb.spans;
        h.positiveBuckets = hb.buckets;
        c.positiveSpans = cb.spans;
        c.positiveBuckets = cb.buckets;
      } else {
        h.negativeSpans = hb.spans;
        h.negativeBuckets = hb.buckets;
        c.negativeSpans = cb.spans;
        c.negativeBuckets = cb.buckets;
      }
    }
    this.h = h;
    this.c = c;
    return { counterResetCollision: r.counterResetCollision, nhcbBoundsReconciled: r.nhcbBoundsReconciled };
  }

  /** result is the compensated sum. */
  result(): FloatHistogram {
    const r = addFloatHistograms(this.h, this.c).h;
    r.counterResetHint = this.h.counterResetHint;
    return r;
  }
}
