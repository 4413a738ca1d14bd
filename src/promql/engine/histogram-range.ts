import { addFloatHistograms, IncompatibleSchemaError, usesCustomBuckets } from '../../model/histogram/add.js';
import { compactFloatHistogram } from '../../model/histogram/compact.js';
import { copyFloatHistogram, emptyFloatHistogram } from '../../model/histogram/copy.js';
import { KahanHistogramSum } from '../../model/histogram/kahan-sum.js';
import { detectReset } from '../../model/histogram/detect-reset.js';
import { floatHistogramsEqual } from '../../model/histogram/equals.js';
import { reduceResolution } from '../../model/histogram/reduce-resolution.js';
import { divFloatHistogram, mulFloatHistogram } from '../../model/histogram/scale.js';
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from '../../model/histogram/types.js';
import { getLabel, METRIC_NAME, type Labels } from '../../model/labels.js';
import type { RangeCall, RangeFn } from '../functions/range.js';
import type { Call } from '../parser/ast.js';
import { ANNO } from './annotations.js';
import type { Evaluator } from './evaluator.js';
import { weightedRange } from './histogram-size.js';
import { pushPoint } from './histogram-split.js';
import type { MatrixSeries } from './value.js';

/** HPointValue is a range function's output at one step: a float, or a histogram when h is set. */
export interface HPointValue {
  f: number;
  h?: FloatHistogram;
}

/** HistogramWindow is one window of a series that holds histograms: points lo..hi-1 of ts/vs/hs. */
export interface HistogramWindow {
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  hs: readonly (FloatHistogram | undefined)[];
  lo: number;
  hi: number;
  evalTs: number;
  rangeStart: number;
  rangeEnd: number;
  args: number[];
}

/** FLOATS_ONLY are range functions that ignore histograms (with an info when the window also holds floats). */
const FLOATS_ONLY = new Set([
  'min_over_time', 'max_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'mad_over_time',
  'ts_of_min_over_time', 'ts_of_max_over_time',
]);
const REGRESSION = new Set(['deriv', 'predict_linear', 'double_exponential_smoothing', 'holt_winters']);

class Ctx {
  constructor(
    readonly ev: Evaluator,
    readonly e: Call,
    readonly metric: Labels,
  ) {}
  get pos() {
    return this.e.args[0]!.pos;
  }
  get name(): string {
    return getLabel(this.metric, METRIC_NAME);
  }
  warn(text: string): null {
    this.ev.ctx.annos.warn(text, this.pos);
    return null;
  }
  info(text: string): void {
    this.ev.ctx.annos.info(text, this.pos);
  }
}

/** floatCall builds a RangeCall over the window's float samples only. */
function floatCall(w: HistogramWindow): RangeCall {
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = w.lo; i < w.hi; i++) {
    if (w.hs[i] !== undefined) continue;
    ts.push(w.ts[i]!);
    vs.push(w.vs[i]!);
  }
  return { ts, vs, st: null, lo: 0, hi: ts.length, evalTs: w.evalTs, rangeStart: w.rangeStart, rangeEnd: w.rangeEnd, args: w.args };
}

function add(c: Ctx, a: FloatHistogram, b: FloatHistogram, negate: boolean, what: 'addition' | 'subtraction' | 'aggregation'): FloatHistogram | null {
  try {
    const r = addFloatHistograms(a, b, negate);
    if (r.nhcbBoundsReconciled) c.info(ANNO.mismatchedCustomBuckets(what));
    return r.h;
  } catch (err) {
    if (!(err instanceof IncompatibleSchemaError)) throw err;
    return c.warn(ANNO.mixedExponentialCustom(c.name));
  }
}

/** histogramRate is the increase of a histogram window (isCounter: corrected for resets) before extrapolation. */
function histogramRate(c: Ctx, hs: FloatHistogram[], isCounter: boolean): FloatHistogram | null {
  let prev = hs[0]!;
  let custom = usesCustomBuckets(prev);
  const last = hs[hs.length - 1]!;
  if (isCounter && (prev.counterResetHint === CounterResetHint.Gauge || last.counterResetHint === CounterResetHint.Gauge)) {
    c.ev.ctx.annos.warn(ANNO.nativeNotCounter(c.name), c.pos);
  }
  if (isCounter) {
    const second = hs[1]!;
    if (detectReset(second, prev)) {
      prev = { ...emptyLike(second) };
      custom = usesCustomBuckets(second);
    }
  }
  if (usesCustomBuckets(last) !== custom) return c.warn(ANNO.mixedExponentialCustom(c.name));
  let minSchema = Math.min(last.schema, prev.schema);
  for (let i = 1; i < hs.length - 1; i++) {
    const cur = hs[i]!;
    if (!isCounter) continue;
    if (cur.counterResetHint === CounterResetHint.Gauge) c.ev.ctx.annos.warn(ANNO.nativeNotCounter(c.name), c.pos);
    if (cur.schema < minSchema) minSchema = cur.schema;
    if (usesCustomBuckets(cur) !== custom) return c.warn(ANNO.mixedExponentialCustom(c.name));
  }
  let h: FloatHistogram | null = custom ? copyFloatHistogram(last) : reduceResolution(last, minSchema);
  h = add(c, h, prev, true, 'subtraction');
  if (h === null) return null;
  if (isCounter) {
    for (let i = 1; i < hs.length; i++) {
      const cur = hs[i]!;
      if (detectReset(cur, prev)) {
        h = add(c, h, prev, false, 'addition');
        if (h === null) return null;
      }
      prev = cur;
    }
  } else if (hs[0]!.counterResetHint !== CounterResetHint.Gauge || last.counterResetHint !== CounterResetHint.Gauge) {
    c.ev.ctx.annos.warn(ANNO.nativeNotGauge(c.name), c.pos);
  }
  h.counterResetHint = CounterResetHint.Gauge;
  return compactFloatHistogram(h);
}

function emptyLike(h: FloatHistogram): FloatHistogram {
  return emptyFloatHistogram(h.schema, h.schema === CUSTOM_BUCKETS_SCHEMA ? (h.customValues ?? []) : undefined);
}

function extrapolatedHistogramRate(c: Ctx, w: HistogramWindow, hs: FloatHistogram[], ts: number[], isCounter: boolean, isRate: boolean): HPointValue | null {
  if (hs.length < 2) return null;
  const h = histogramRate(c, hs, isCounter);
  if (h === null) return null;
  const firstT = ts[0]!;
  const lastT = ts[ts.length - 1]!;
  let durationToStart = (firstT - w.rangeStart) / 1000;
  let durationToEnd = (w.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avg = sampledInterval / (hs.length - 1);
  const threshold = avg * 1.1;
  if (durationToStart >= threshold) durationToStart = avg / 2;
  if (isCounter) {
    let durationToZero = durationToStart;
    if (h.count > 0 && hs[0]!.count >= 0) durationToZero = sampledInterval * (hs[0]!.count / h.count);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = sampledInterval !== 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
  if (isRate) factor /= (w.rangeEnd - w.rangeStart) / 1000;
  return { f: 0, h: mulFloatHistogram(h, factor) };
}

function instantValueH(c: Ctx, w: HistogramWindow, isRate: boolean): HPointValue | null {
  if (w.hi - w.lo < 2) return null;
  const i0 = w.hi - 2;
  const i1 = w.hi - 1;
  const h0 = w.hs[i0];
  const h1 = w.hs[i1];
  const dt = w.ts[i1]! - w.ts[i0]!;
  if (dt === 0) return null;
  if (h0 === undefined && h1 === undefined) {
    const f0 = w.vs[i0]!;
    const f1 = w.vs[i1]!;
    let f = f1;
    if (!isRate || !(f1 < f0)) f = f1 - f0;
    return { f: isRate ? f / (dt / 1000) : f };
  }
  if (h0 === undefined || h1 === undefined) return c.warn(ANNO.mixedFloatsHistograms(c.name));
  let r: FloatHistogram | null = copyFloatHistogram(h1);
  if (isRate && (h1.counterResetHint === CounterResetHint.Gauge || h0.counterResetHint === CounterResetHint.Gauge)) {
    c.ev.ctx.annos.warn(ANNO.nativeNotCounter(c.name), c.pos);
  }
  if (!isRate && (h1.counterResetHint !== CounterResetHint.Gauge || h0.counterResetHint !== CounterResetHint.Gauge)) {
    c.ev.ctx.annos.warn(ANNO.nativeNotGauge(c.name), c.pos);
  }
  if (!isRate || !detectReset(h1, h0)) {
    r = add(c, r, h0, true, 'subtraction');
    if (r === null) return null;
  }
  r.counterResetHint = CounterResetHint.Gauge;
  r = compactFloatHistogram(r);
  return { f: 0, h: isRate ? divFloatHistogram(r, dt / 1000) : r };
}

function sumH(c: Ctx, hs: FloatHistogram[]): FloatHistogram | null {
  let reset = false;
  let notReset = false;
  const track = (h: FloatHistogram): void => {
    if (h.counterResetHint === CounterResetHint.CounterReset) reset = true;
    else if (h.counterResetHint === CounterResetHint.NotCounterReset) notReset = true;
  };
  const acc = new KahanHistogramSum(hs[0]!);
  track(hs[0]!);
  let reconciled = false;
  let sum: FloatHistogram | null = null;
  try {
    for (let i = 1; i < hs.length; i++) {
      track(hs[i]!);
      if (acc.add(hs[i]!).nhcbBoundsReconciled) reconciled = true;
    }
    sum = acc.result();
  } catch (err) {
    if (!(err instanceof IncompatibleSchemaError)) throw err;
  }
  if (reset && notReset) c.ev.ctx.annos.warn(ANNO.counterResetCollision('aggregation'), c.pos);
  if (reconciled) c.info(ANNO.mismatchedCustomBuckets('aggregation'));
  if (sum === null) return c.warn(ANNO.mixedExponentialCustom(c.name));
  return sum;
}

function avgH(c: Ctx, hs: FloatHistogram[]): FloatHistogram | null {
  let reset = false;
  let notReset = false;
  const track = (h: FloatHistogram): void => {
    if (h.counterResetHint === CounterResetHint.CounterReset) reset = true;
    else if (h.counterResetHint === CounterResetHint.NotCounterReset) notReset = true;
  };
  const acc = new KahanHistogramSum(hs[0]!);
  track(hs[0]!);
  let mean: FloatHistogram | null = null;
  let reconciled = false;
  try {
    for (let i = 1; i < hs.length; i++) {
      const count = i + 1;
      const h = hs[i]!;
      track(h);
      if (mean === null) {
        const before = acc.result();
        if (acc.add(h).nhcbBoundsReconciled) reconciled = true;
        if (!hasOverflow(acc.result())) continue;
        mean = divFloatHistogram(before, count - 1);
      }
      const q = (count - 1) / count;
      const r = addFloatHistograms(mulFloatHistogram(mean, q), divFloatHistogram(h, count));
      if (r.nhcbBoundsReconciled) reconciled = true;
      mean = r.h;
    }
  } catch (err) {
    if (!(err instanceof IncompatibleSchemaError)) throw err;
    return c.warn(ANNO.mixedExponentialCustom(c.name));
  }
  if (reset && notReset) c.ev.ctx.annos.warn(ANNO.counterResetCollision('aggregation'), c.pos);
  if (reconciled) c.info(ANNO.mismatchedCustomBuckets('aggregation'));
  return mean ?? divFloatHistogram(acc.result(), hs.length);
}

function hasOverflow(h: FloatHistogram): boolean {
  const inf = (x: number): boolean => x === Infinity || x === -Infinity;
  return inf(h.count) || inf(h.sum) || inf(h.zeroCount) || h.positiveBuckets.some(inf) || h.negativeBuckets.some(inf);
}

/**
 * histogramWindowValue evaluates range function e.func over a window of a series holding histograms (Prometheus's
 * rules: histogram rates and sums, mixed windows warned about, floats-only functions ignoring histograms with an
 * info); windows without histograms go to the float function.
 */
export function histogramWindowValue(ev: Evaluator, e: Call, metric: Labels, w: HistogramWindow, floatFn: RangeFn): HPointValue | null {
  let nH = 0;
  for (let i = w.lo; i < w.hi; i++) if (w.hs[i] !== undefined) nH++;
  const n = w.hi - w.lo;
  const name = e.func;
  if (nH === 0) {
    const v = floatFn({ ts: w.ts, vs: w.vs, st: null, lo: w.lo, hi: w.hi, evalTs: w.evalTs, rangeStart: w.rangeStart, rangeEnd: w.rangeEnd, args: w.args });
    return v === null ? null : { f: v };
  }
  const c = new Ctx(ev, e, metric);
  const nF = n - nH;
  const hsIn: FloatHistogram[] = [];
  const tsH: number[] = [];
  for (let i = w.lo; i < w.hi; i++) {
    const h = w.hs[i];
    if (h !== undefined) {
      hsIn.push(h);
      tsH.push(w.ts[i]!);
    }
  }
  switch (name) {
    case 'rate':
    case 'increase':
    case 'delta':
      if (nF > 0) return c.warn(ANNO.mixedFloatsHistograms(c.name));
      return extrapolatedHistogramRate(c, w, hsIn, tsH, name !== 'delta', name === 'rate');
    case 'irate':
    case 'idelta':
      return instantValueH(c, w, name === 'irate');
    case 'sum_over_time':
    case 'avg_over_time': {
      if (nF > 0) return c.warn(ANNO.mixedFloatsHistograms(c.name));
      const h = name === 'sum_over_time' ? sumH(c, hsIn) : avgH(c, hsIn);
      return h === null ? null : { f: 0, h: compactFloatHistogram(h) };
    }
    case 'count_over_time':
      return { f: n };
    case 'present_over_time':
      return { f: 1 };
    case 'last_over_time': {
      const h = w.hs[w.hi - 1];
      return h === undefined ? { f: w.vs[w.hi - 1]! } : { f: 0, h };
    }
    case 'first_over_time': {
      const h = w.hs[w.lo];
      return h === undefined ? { f: w.vs[w.lo]! } : { f: 0, h };
    }
    case 'ts_of_last_over_time':
      return { f: w.ts[w.hi - 1]! / 1000 };
    case 'ts_of_first_over_time':
      return { f: w.ts[w.lo]! / 1000 };
    case 'resets':
    case 'changes': {
      let k = 0;
      for (let i = w.lo + 1; i < w.hi; i++) {
        const a = w.hs[i - 1];
        const b = w.hs[i];
        if (a === undefined && b === undefined) {
          const x = w.vs[i - 1]!;
          const y = w.vs[i]!;
          if (name === 'resets' ? y < x : x !== y && !(Number.isNaN(x) && Number.isNaN(y))) k++;
        } else if (a === undefined || b === undefined) k++;
        else if (name === 'resets' ? detectReset(b, a) : !floatHistogramsEqual(b, a)) k++;
      }
      return { f: k };
    }
    default:
      break;
  }
  if (FLOATS_ONLY.has(name)) {
    if (nF === 0) return null;
    c.info(ANNO.histogramIgnoredInMixedRange(c.name));
    const v = floatFn(floatCall(w));
    return v === null ? null : { f: v };
  }
  if (REGRESSION.has(name)) {
    if (nF < 2) {
      if (nF === 1) c.info(ANNO.histogramIgnoredInMixedRange(c.name));
      return null;
    }
    const v = floatFn(floatCall(w));
    c.info(ANNO.histogramIgnoredInMixedRange(c.name));
    return v === null ? null : { f: v };
  }
  const v = floatFn(floatCall(w));
  return v === null ? null : { f: v };
}

/** HistogramSeriesInput is one series with histograms and how its windows are cut. */
export interface HistogramSeriesInput {
  metric: Labels;
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  hs: readonly (FloatHistogram | undefined)[];
  n: number;
  range: number;
  offset: number;
  at: number | null;
  /** sargs holds the scalar arguments by position (null at the range argument). */
  sargs: readonly (Float64Array | null)[];
  dropName: boolean;
}

/** histogramSeriesWindows evaluates a range function at every step over a series holding histograms (counting statistics). */
export function histogramSeriesWindows(ev: Evaluator, e: Call, s: HistogramSeriesInput, floatFn: RangeFn): MatrixSeries {
  const out: MatrixSeries = { metric: s.metric, ts: [], vs: [], dropName: s.dropName };
  const w: HistogramWindow = { ts: s.ts, vs: s.vs, hs: s.hs, lo: 0, hi: 0, evalTs: 0, rangeStart: 0, rangeEnd: 0, args: new Array<number>(e.args.length).fill(0) };
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.start + i * ev.interval;
    const ref = (s.at ?? t) - s.offset;
    if (s.at !== null) {
      lo = 0;
      hi = 0;
    }
    while (hi < s.n && s.ts[hi]! <= ref) hi++;
    while (lo < hi && s.ts[lo]! <= ref - s.range) lo++;
    if (hi <= lo) continue;
    ev.samples.addAtStep(i, weightedRange(s.hs, lo, hi));
    w.lo = lo;
    w.hi = hi;
    w.evalTs = t;
    w.rangeStart = ref - s.range;
    w.rangeEnd = ref;
    for (let k = 0; k < s.sargs.length; k++) {
      const a = s.sargs[k];
      if (a) w.args[k] = a[i]!;
    }
    const v = histogramWindowValue(ev, e, s.metric, w, floatFn);
    if (v === null) continue;
    pushPoint(out, t, v.f, v.h);
  }
  return out;
}
