import { copyFloatHistogram } from './copy.js';
import { CounterResetHint, type FloatHistogram } from './types.js';

/** mulFloatHistogram returns h with every count and the sum multiplied by factor (a gauge when factor < 0). */
export function mulFloatHistogram(h: FloatHistogram, factor: number): FloatHistogram {
  const r = copyFloatHistogram(h);
  r.zeroCount *= factor;
  r.count *= factor;
  r.sum *= factor;
  for (let i = 0; i < r.positiveBuckets.length; i++) r.positiveBuckets[i]! *= factor;
  for (let i = 0; i < r.negativeBuckets.length; i++) r.negativeBuckets[i]! *= factor;
  if (factor < 0) r.counterResetHint = CounterResetHint.Gauge;
  return r;
}

/** divFloatHistogram returns h divided by scalar; division by zero removes all buckets (counts become Inf/NaN). */
export function divFloatHistogram(h: FloatHistogram, scalar: number): FloatHistogram {
  const r = copyFloatHistogram(h);
  r.zeroCount /= scalar;
  r.count /= scalar;
  r.sum /= scalar;
  if (scalar === 0) {
    r.positiveBuckets = [];
    r.negativeBuckets = [];
    r.positiveSpans = [];
    r.negativeSpans = [];
    return r;
  }
  for (let i = 0; i < r.positiveBuckets.length; i++) r.positiveBuckets[i]! /= scalar;
  for (let i = 0; i < r.negativeBuckets.length; i++) r.negativeBuckets[i]! /= scalar;
  if (scalar < 0) r.counterResetHint = CounterResetHint.Gauge;
  return r;
}
