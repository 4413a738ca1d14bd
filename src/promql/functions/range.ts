import { floatAsc, kahanSumInc, linearRegression, quantile } from './kahan.js';
import { counterRateST, isStartTimestampReset } from './start-timestamps.js';

/** RangeCall is one evaluation of a range-vector function over the window [lo, hi) of ts/vs. */
export interface RangeCall {
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  /** st holds the samples' start timestamps (0 = unknown), or null when none of the series' samples has one. */
  st: ArrayLike<number> | null;
  lo: number;
  hi: number;
  /** evalTs is the step's evaluation timestamp. */
  evalTs: number;
  /** rangeStart and rangeEnd bound the window (rangeStart, rangeEnd] in ms. */
  rangeStart: number;
  rangeEnd: number;
  /** args holds the scalar arguments at this step, by argument position. */
  args: number[];
}

/** RangeFn computes one output value from a window, or null for no output. */
export type RangeFn = (c: RangeCall) => number | null;

const KS: [number, number] = [0, 0];

function extrapolatedRate(c: RangeCall, isCounter: boolean, isRate: boolean): number | null {
  const { ts, vs, lo, hi } = c;
  if (isCounter && c.st !== null) return counterRateST(ts, vs, c.st, lo, hi, c.rangeStart, c.rangeEnd, isRate);
  if (hi - lo < 2) return null;
  let result = vs[hi - 1]! - vs[lo]!;
  if (isCounter) {
    let last = 0;
    for (let i = lo; i < hi; i++) {
      const v = vs[i]!;
      if (v < last) result += last;
      last = v;
    }
  }
  return extrapolate(ts, vs, lo, hi, c.rangeStart, c.rangeEnd, result, isCounter, isRate);
}

/**
 * counterResets lists the indices i > 0 where vs[i] < vs[i-1], so a window's counter correction adds only those
 * (in the same order as a full scan, so the sum rounds identically).
 */
export function counterResets(vs: ArrayLike<number>, length = vs.length): Int32Array {
  let n = 0;
  for (let i = 1; i < length; i++) if (vs[i]! < vs[i - 1]!) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let i = 1; i < length; i++) if (vs[i]! < vs[i - 1]!) out[n++] = i;
  return out;
}

/**
 * extrapolatedRateAt is rate/increase/delta over the window [lo, hi) (at least 2 samples) of a series whose
 * counter resets are listed in resets (see counterResets); r is the index of the first reset at or after lo + 1.
 */
export function extrapolatedRateAt(ts: ArrayLike<number>, vs: ArrayLike<number>, lo: number, hi: number, rangeStart: number, rangeEnd: number, isCounter: boolean, isRate: boolean, resets: Int32Array, r: number): number {
  let result = vs[hi - 1]! - vs[lo]!;
  if (isCounter) {
    // A full scan starts from 0, so a negative first sample adds 0: only resets inside the window count.
    for (let k = r; k < resets.length; k++) {
      const i = resets[k]!;
      if (i >= hi) break;
      result += vs[i - 1]!;
    }
  }
  return extrapolate(ts, vs, lo, hi, rangeStart, rangeEnd, result, isCounter, isRate);
}

function extrapolate(ts: ArrayLike<number>, vs: ArrayLike<number>, lo: number, hi: number, rangeStart: number, rangeEnd: number, result: number, isCounter: boolean, isRate: boolean): number {
  const n = hi - lo;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  let durationToStart = (firstT - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avg = sampledInterval / (n - 1);
  const threshold = avg * 1.1;
  if (durationToStart >= threshold) durationToStart = avg / 2;
  if (isCounter) {
    let durationToZero = durationToStart;
    if (result > 0 && vs[lo]! >= 0) durationToZero = sampledInterval * (vs[lo]! / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= (rangeEnd - rangeStart) / 1000;
  return result * factor;
}

function instantValue(c: RangeCall, isRate: boolean): number | null {
  const { ts, vs, hi } = c;
  if (hi - c.lo < 2) return null;
  const last = vs[hi - 1]!;
  const prev = vs[hi - 2]!;
  let result: number;
  const st = c.st;
  if (isRate && (last < prev || (st !== null && isStartTimestampReset(st[hi - 2]!, ts[hi - 2]!, st[hi - 1]!, ts[hi - 1]!)))) result = last;
  else result = last - prev;
  const interval = ts[hi - 1]! - ts[hi - 2]!;
  if (interval === 0) return null;
  if (isRate) result /= interval / 1000;
  return result;
}

function avgOverTime(c: RangeCall): number {
  let sum = 0;
  let kc = 0;
  let mean = 0;
  let count = 0;
  let incremental = false;
  for (let i = c.lo; i < c.hi; i++) {
    const f = c.vs[i]!;
    count++;
    if (!incremental) {
      kahanSumInc(f, sum, kc, KS);
      if (count === 1 || !(KS[0] === Infinity || KS[0] === -Infinity)) {
        sum = KS[0];
        kc = KS[1];
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      kc /= count - 1;
    }
    const q = (count - 1) / count;
    kahanSumInc(f / count, q * mean, q * kc, KS);
    mean = KS[0];
    kc = KS[1];
  }
  if (incremental) return mean + kc;
  return sum / count + kc / count;
}

function variance(c: RangeCall): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = c.lo; i < c.hi; i++) {
    const f = c.vs[i]!;
    count++;
    const delta = f - (mean + cMean);
    kahanSumInc(delta / count, mean, cMean, KS);
    mean = KS[0];
    cMean = KS[1];
    kahanSumInc(delta * (f - (mean + cMean)), aux, cAux, KS);
    aux = KS[0];
    cAux = KS[1];
  }
  return (aux + cAux) / count;
}

function windowValues(c: RangeCall): number[] {
  const out: number[] = [];
  for (let i = c.lo; i < c.hi; i++) out.push(c.vs[i]!);
  return out;
}

function extremeIndex(c: RangeCall, wantMax: boolean): number {
  let best = c.lo;
  let bv = c.vs[c.lo]!;
  for (let i = c.lo + 1; i < c.hi; i++) {
    const v = c.vs[i]!;
    if ((wantMax ? v > bv : v < bv) || Number.isNaN(bv)) {
      bv = v;
      best = i;
    }
  }
  return best;
}

/** doubleExponentialSmoothing is Prometheus's double_exponential_smoothing (formerly holt_winters). */
function doubleExponentialSmoothing(c: RangeCall, sf: number, tf: number): number | null {
  const n = c.hi - c.lo;
  if (n < 2) return null;
  const v = c.vs;
  let s0 = 0;
  let s1 = v[c.lo]!;
  let b = v[c.lo + 1]! - v[c.lo]!;
  for (let i = 1; i < n; i++) {
    const x = sf * v[c.lo + i]!;
    if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

/** RANGE_FUNCTIONS maps each range-vector function (taking floats) to its implementation. */
export const RANGE_FUNCTIONS: Readonly<Record<string, RangeFn>> = {
  rate: (c) => extrapolatedRate(c, true, true),
  increase: (c) => extrapolatedRate(c, true, false),
  delta: (c) => extrapolatedRate(c, false, false),
  irate: (c) => instantValue(c, true),
  idelta: (c) => instantValue(c, false),
  deriv: (c) => (c.hi - c.lo < 2 ? null : linearRegression(c.ts, c.vs, c.lo, c.hi, c.ts[c.lo]!)[0]),
  predict_linear: (c) => {
    if (c.hi - c.lo < 2) return null;
    const [slope, intercept] = linearRegression(c.ts, c.vs, c.lo, c.hi, c.evalTs);
    return slope * c.args[1]! + intercept;
  },
  changes: (c) => {
    let n = 0;
    let prev = c.vs[c.lo]!;
    for (let i = c.lo + 1; i < c.hi; i++) {
      const cur = c.vs[i]!;
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
      prev = cur;
    }
    return n;
  },
  resets: (c) => {
    let n = 0;
    let prev = c.vs[c.lo]!;
    const st = c.st;
    for (let i = c.lo + 1; i < c.hi; i++) {
      const cur = c.vs[i]!;
      if (cur < prev || (st !== null && isStartTimestampReset(st[i - 1]!, c.ts[i - 1]!, st[i]!, c.ts[i]!))) n++;
      prev = cur;
    }
    return n;
  },
  avg_over_time: avgOverTime,
  sum_over_time: (c) => {
    let sum = 0;
    let kc = 0;
    for (let i = c.lo; i < c.hi; i++) {
      kahanSumInc(c.vs[i]!, sum, kc, KS);
      sum = KS[0];
      kc = KS[1];
    }
    return sum + kc;
  },
  count_over_time: (c) => c.hi - c.lo,
  min_over_time: (c) => c.vs[extremeIndex(c, false)]!,
  max_over_time: (c) => c.vs[extremeIndex(c, true)]!,
  ts_of_min_over_time: (c) => c.ts[extremeIndex(c, false)]! / 1000,
  ts_of_max_over_time: (c) => c.ts[extremeIndex(c, true)]! / 1000,
  last_over_time: (c) => c.vs[c.hi - 1]!,
  first_over_time: (c) => c.vs[c.lo]!,
  ts_of_last_over_time: (c) => c.ts[c.hi - 1]! / 1000,
  ts_of_first_over_time: (c) => c.ts[c.lo]! / 1000,
  present_over_time: () => 1,
  stddev_over_time: (c) => Math.sqrt(variance(c)),
  stdvar_over_time: (c) => variance(c),
  quantile_over_time: (c) => quantile(c.args[0]!, windowValues(c)),
  mad_over_time: (c) => {
    const values = windowValues(c);
    if (values.some((v) => Number.isNaN(v))) return NaN;
    const median = quantile(0.5, values);
    const dev = values.map((v) => Math.abs(v - median));
    return quantile(0.5, dev);
  },
  double_exponential_smoothing: (c) => doubleExponentialSmoothing(c, c.args[1]!, c.args[2]!),
  holt_winters: (c) => doubleExponentialSmoothing(c, c.args[1]!, c.args[2]!),
};

/** KEEP_NAME_RANGE lists range functions that keep the metric name. */
export const KEEP_NAME_RANGE: ReadonlySet<string> = new Set(['last_over_time', 'first_over_time']);

/** sortFloatsAsc is exported for tests: sorts ascending with NaN first. */
export function sortFloatsAsc(values: number[]): number[] {
  return values.sort(floatAsc);
}
