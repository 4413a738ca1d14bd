import { bucketsOf } from '../../model/histogram/buckets.js';
import { compactFloatHistogram } from '../../model/histogram/compact.js';
import { CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from '../../model/histogram/types.js';
import { almostEqual } from '../functions/bucket-quantile.js';

const EPS = 1e-6;

function bucketsMatch(a: FloatHistogram, b: FloatHistogram, positive: boolean): boolean {
  const x = bucketsOf(a, positive);
  const y = bucketsOf(b, positive);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (x[i]!.index !== y[i]!.index || !almostEqual(x[i]!.count, y[i]!.count, EPS)) return false;
  }
  return true;
}

/**
 * histogramsMatch compares an expected and an actual histogram as Prometheus's runner (both compacted; counts,
 * sums and buckets within 1e-6 relative; the counter-reset hint only when the script gave one).
 */
export function histogramsMatch(expected: FloatHistogram, actual: FloatHistogram, hintSet: boolean): boolean {
  const e = compactFloatHistogram(expected);
  const a = compactFloatHistogram(actual);
  if (e.schema !== a.schema || !almostEqual(e.count, a.count, EPS) || !almostEqual(e.sum, a.sum, EPS)) return false;
  if (e.schema === CUSTOM_BUCKETS_SCHEMA) {
    const x = e.customValues ?? [];
    const y = a.customValues ?? [];
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  if (e.zeroThreshold !== a.zeroThreshold || !almostEqual(e.zeroCount, a.zeroCount, EPS)) return false;
  if (!bucketsMatch(e, a, false) || !bucketsMatch(e, a, true)) return false;
  if (hintSet && e.counterResetHint !== a.counterResetHint) return false;
  return true;
}
