import { bucketBound, targetIndex } from './bounds.js';
import { compressBuckets, expandBuckets, type SparseBuckets } from './buckets.js';
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type CounterResetHintValue, type FloatHistogram } from './types.js';

/** IncompatibleSchemaError is thrown when an exponential and a custom-bucket histogram are combined. */
export class IncompatibleSchemaError extends Error {
  override name = 'IncompatibleSchemaError';
  constructor() {
    super('cannot apply this operation on histograms with a mix of exponential and custom bucket schemas');
  }
}

/** AddResult is a sum or difference of two histograms with what Prometheus reports about it. */
export interface AddResult {
  h: FloatHistogram;
  /** counterResetCollision: one operand was hinted CounterReset, the other NotCounterReset. */
  counterResetCollision: boolean;
  /** nhcbBoundsReconciled: custom bounds differed and were reduced to their intersection. */
  nhcbBoundsReconciled: boolean;
}

/** usesCustomBuckets reports whether h is a custom-bucket histogram (NHCB). */
export function usesCustomBuckets(h: FloatHistogram): boolean {
  return h.schema === CUSTOM_BUCKETS_SCHEMA;
}

/** customBoundsMatch reports whether two custom bound lists are equal. */
export function customBoundsMatch(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** adjustHint combines two counter-reset hints as Prometheus's adjustCounterReset; collision when reset meets not-reset. */
export function adjustHint(a: CounterResetHintValue, b: CounterResetHintValue): { hint: CounterResetHintValue; collision: boolean } {
  if (a === b) return { hint: a, collision: false };
  if (a === CounterResetHint.Gauge || b === CounterResetHint.Gauge) return { hint: CounterResetHint.Gauge, collision: false };
  if (a === CounterResetHint.Unknown || b === CounterResetHint.Unknown) return { hint: CounterResetHint.Unknown, collision: false };
  return { hint: CounterResetHint.Unknown, collision: true };
}

/** reduceSparse maps exponential buckets to a coarser schema, summing the buckets that merge. */
export function reduceSparse(sb: SparseBuckets, from: number, to: number): SparseBuckets {
  if (from === to) return sb;
  const idx: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sb.idx.length; i++) {
    const t = targetIndex(sb.idx[i]!, from, to);
    if (idx.length > 0 && idx[idx.length - 1] === t) counts[counts.length - 1]! += sb.counts[i]!;
    else {
      idx.push(t);
      counts.push(sb.counts[i]!);
    }
  }
  return { idx, counts };
}

/** zeroCountForThreshold is h's zero count once its zero bucket widens to threshold, and the threshold actually needed. */
function zeroCountForThreshold(zeroCount: number, schema: number, pos: SparseBuckets, neg: SparseBuckets, threshold: number): { zc: number; threshold: number } {
  for (;;) {
    let zc = zeroCount;
    for (let i = 0; i < pos.idx.length; i++) {
      const lower = bucketBound(pos.idx[i]! - 1, schema, undefined);
      const upper = bucketBound(pos.idx[i]!, schema, undefined);
      if (lower >= threshold) break;
      zc += pos.counts[i]!;
      if (upper > threshold) {
        if (pos.counts[i] !== 0) threshold = upper;
        break;
      }
    }
    let again = false;
    for (let i = 0; i < neg.idx.length; i++) {
      const upper = -bucketBound(neg.idx[i]! - 1, schema, undefined);
      const lower = -bucketBound(neg.idx[i]!, schema, undefined);
      if (upper <= -threshold) break;
      zc += neg.counts[i]!;
      if (lower < -threshold) {
        if (neg.counts[i] !== 0) {
          threshold = -lower;
          again = true;
        }
        break;
      }
    }
    if (!again) return { zc, threshold };
  }
}

/** dropBelow removes buckets whose upper bound is at most threshold (they now lie in the zero bucket). */
function dropBelow(sb: SparseBuckets, schema: number, threshold: number): SparseBuckets {
  let k = 0;
  while (k < sb.idx.length && bucketBound(sb.idx[k]!, schema, undefined) <= threshold) k++;
  return k === 0 ? sb : { idx: sb.idx.slice(k), counts: sb.counts.slice(k) };
}

/** mergeSparse adds (or subtracts) b's buckets into a's, both ascending. */
function mergeSparse(a: SparseBuckets, b: SparseBuckets, negate: boolean): SparseBuckets {
  const idx: number[] = [];
  const counts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.idx.length || j < b.idx.length) {
    if (j >= b.idx.length || (i < a.idx.length && a.idx[i]! < b.idx[j]!)) {
      idx.push(a.idx[i]!);
      counts.push(a.counts[i++]!);
    } else if (i >= a.idx.length || b.idx[j]! < a.idx[i]!) {
      idx.push(b.idx[j]!);
      counts.push(negate ? -b.counts[j++]! : b.counts[j++]!);
    } else {
      idx.push(a.idx[i]!);
      counts.push(negate ? a.counts[i++]! - b.counts[j++]! : a.counts[i++]! + b.counts[j++]!);
    }
  }
  return { idx, counts };
}

/** intersectBounds returns the custom bounds present in both lists. */
export function intersectBounds(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return out;
}

/** mapCustomBuckets maps custom buckets onto a coarser bound list (each bucket to the first target bound not below its own). */
export function mapCustomBuckets(sb: SparseBuckets, bounds: readonly number[], target: readonly number[]): SparseBuckets {
  const idx: number[] = [];
  const counts: number[] = [];
  let t = 0;
  for (let i = 0; i < sb.idx.length; i++) {
    const ub = sb.idx[i]! < bounds.length ? bounds[sb.idx[i]!]! : Infinity;
    while (t < target.length && target[t]! < ub) t++;
    if (idx.length > 0 && idx[idx.length - 1] === t) counts[counts.length - 1]! += sb.counts[i]!;
    else {
      idx.push(t);
      counts.push(sb.counts[i]!);
    }
  }
  return { idx, counts };
}

/**
 * addFloatHistograms returns a + b (or a − b with negate) as Prometheus's FloatHistogram.Add/Sub: the coarser
 * schema and the larger zero threshold win, custom bounds are intersected when they differ, and the result's
 * hint follows adjustCounterReset. Neither operand is modified. Throws IncompatibleSchemaError for
 * exponential with custom buckets.
 */
export function addFloatHistograms(a: FloatHistogram, b: FloatHistogram, negate = false): AddResult {
  if (usesCustomBuckets(a) !== usesCustomBuckets(b)) throw new IncompatibleSchemaError();
  const { hint, collision } = adjustHint(a.counterResetHint, b.counterResetHint);
  const sign = negate ? -1 : 1;
  if (usesCustomBuckets(a)) {
    let pa = expandBuckets(a.positiveSpans, a.positiveBuckets);
    let pb = expandBuckets(b.positiveSpans, b.positiveBuckets);
    let cv = a.customValues ?? [];
    const reconciled = !customBoundsMatch(a.customValues, b.customValues);
    if (reconciled) {
      cv = intersectBounds(a.customValues ?? [], b.customValues ?? []);
      pa = mapCustomBuckets(pa, a.customValues ?? [], cv);
      pb = mapCustomBuckets(pb, b.customValues ?? [], cv);
    }
    const p = compressBuckets(mergeSparse(pa, pb, negate));
    const h: FloatHistogram = {
      counterResetHint: hint,
      schema: a.schema,
      zeroThreshold: a.zeroThreshold,
      zeroCount: a.zeroCount,
      count: a.count + sign * b.count,
      sum: a.sum + sign * b.sum,
      positiveSpans: p.spans,
      positiveBuckets: p.buckets,
      negativeSpans: [],
      negativeBuckets: [],
      customValues: cv,
    };
    return { h, counterResetCollision: collision, nhcbBoundsReconciled: reconciled };
  }
  const schema = Math.min(a.schema, b.schema);
  let pa = reduceSparse(expandBuckets(a.positiveSpans, a.positiveBuckets), a.schema, schema);
  let na = reduceSparse(expandBuckets(a.negativeSpans, a.negativeBuckets), a.schema, schema);
  let pb = reduceSparse(expandBuckets(b.positiveSpans, b.positiveBuckets), b.schema, schema);
  let nb = reduceSparse(expandBuckets(b.negativeSpans, b.negativeBuckets), b.schema, schema);
  let za = a.zeroCount;
  let zb = b.zeroCount;
  let ta = a.zeroThreshold;
  let tb = b.zeroThreshold;
  while (ta !== tb) {
    if (ta > tb) {
      const r = zeroCountForThreshold(b.zeroCount, schema, pb, nb, ta);
      zb = r.zc;
      tb = r.threshold;
    }
    if (tb > ta) {
      const r = zeroCountForThreshold(za, schema, pa, na, tb);
      za = r.zc;
      ta = r.threshold;
      pa = dropBelow(pa, schema, ta);
      na = dropBelow(na, schema, ta);
    }
  }
  pb = dropBelow(pb, schema, ta);
  nb = dropBelow(nb, schema, ta);
  const p = compressBuckets(mergeSparse(pa, pb, negate));
  const n = compressBuckets(mergeSparse(na, nb, negate));
  const h: FloatHistogram = {
    counterResetHint: hint,
    schema,
    zeroThreshold: ta,
    zeroCount: za + sign * zb,
    count: a.count + sign * b.count,
    sum: a.sum + sign * b.sum,
    positiveSpans: p.spans,
    positiveBuckets: p.buckets,
    negativeSpans: n.spans,
    negativeBuckets: n.buckets,
  };
  return { h, counterResetCollision: collision, nhcbBoundsReconciled: false };
}
