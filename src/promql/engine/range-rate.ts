import { getLabel, METRIC_NAME, type Labels } from '../../model/labels.js';
import type { Call, MatrixSelector, PosRange } from '../parser/ast.js';
import { counterResets, extrapolatedRateAt, RANGE_FUNCTIONS } from '../functions/range.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import { histogramSeriesWindows } from './histogram-range.js';
import { counterRateST, windowStartTimeOverlaps } from '../functions/start-timestamps.js';
import { ANNO } from './annotations.js';
import { checkAbort } from './context.js';
import type { Evaluator, RangeSource, RangeWindow } from './evaluator.js';
import type { Matrix, MatrixSeries } from './value.js';

const NO_RESETS = new Int32Array(0);

/** RatePoints is one series' output points being written: ts/vs hold room for every step, n counts the points. */
interface RatePoints {
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

// The output points of the series being evaluated (one at a time; evaluation is synchronous).
const scratch: RatePoints = { ts: new Float64Array(256), vs: new Float64Array(256), n: 0 };

function scratchFor(nSteps: number): RatePoints {
  if (scratch.ts.length < nSteps) {
    scratch.ts = new Float64Array(nSteps);
    scratch.vs = new Float64Array(nSteps);
  }
  scratch.n = 0;
  return scratch;
}

/** RateSink receives each series' output points (ts/vs valid only during the call; n may be 0). */
export type RateSink = (metric: Labels, ts: Float64Array, vs: Float64Array, n: number) => void;

/**
 * rateSeries evaluates rate/increase (isCounter) or delta over one series' plain windows at every step, writing
 * into o: the series' counter resets are listed once, so a window's correction costs only the resets inside it
 * instead of a scan of the window.
 */
function rateSeries(ev: Evaluator, w: RangeWindow, ts: ArrayLike<number>, vs: ArrayLike<number>, n: number, isCounter: boolean, isRate: boolean, o: RatePoints): void {
  if (n === 0) return;
  const { range, offset, at } = w;
  const resets = isCounter ? counterResets(vs, n) : NO_RESETS;
  const start = ev.start;
  const interval = ev.interval;
  const nSteps = ev.nSteps;
  const perStep = ev.samples.perStep;
  const ots = o.ts;
  const ovs = o.vs;
  let k = o.n;
  let counted = 0;
  let lo = 0;
  let hi = 0;
  let r = 0;
  for (let i = 0; i < nSteps; i++) {
    const t = start + i * interval;
    const ref = (at ?? t) - offset;
    const from = ref - range;
    if (at !== null) {
      lo = 0;
      hi = 0;
      r = 0;
    }
    while (hi < n && ts[hi]! <= ref) hi++;
    while (lo < hi && ts[lo]! <= from) lo++;
    if (hi <= lo) continue;
    counted += hi - lo;
    if (perStep !== null) perStep[i]! += hi - lo;
    if (hi - lo < 2) continue;
    while (r < resets.length && resets[r]! <= lo) r++;
    ots[k] = t;
    ovs[k] = extrapolatedRateAt(ts, vs, lo, hi, from, ref, isCounter, isRate, resets, r);
    k++;
  }
  o.n = k;
  ev.samples.total += counted;
}

/**
 * rateSeriesST evaluates rate/increase over the plain windows of a counter whose samples carry start timestamps
 * (st, 0 = unknown), as Prometheus 3.12: start timestamp resets, a zero at an in-window start time instead of
 * extrapolation to the window's start, and a warning (once per series) when a start time overlaps the previous sample.
 */
function rateSeriesST(ev: Evaluator, w: RangeWindow, metric: Labels, ts: ArrayLike<number>, vs: ArrayLike<number>, st: ArrayLike<number>, n: number, isRate: boolean, o: RatePoints, pos: PosRange): void {
  const { range, offset, at } = w;
  const perStep = ev.samples.perStep;
  let warned = false;
  let counted = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.start + i * ev.interval;
    const ref = (at ?? t) - offset;
    const from = ref - range;
    if (at !== null) {
      lo = 0;
      hi = 0;
    }
    while (hi < n && ts[hi]! <= ref) hi++;
    while (lo < hi && ts[lo]! <= from) lo++;
    if (hi <= lo) continue;
    counted += hi - lo;
    if (perStep !== null) perStep[i]! += hi - lo;
    if (!warned && windowStartTimeOverlaps(ts, st, lo, hi)) {
      warned = true;
      ev.ctx.annos.warn(ANNO.startTimeOverlap(getLabel(metric, METRIC_NAME)), pos);
    }
    const v = counterRateST(ts, vs, st, lo, hi, from, ref, isRate);
    if (v === null) continue;
    o.ts[o.n] = t;
    o.vs[o.n] = v;
    o.n++;
  }
  ev.samples.total += counted;
}

/** rateOneSeries evaluates one series into the scratch points, on the start-timestamp-aware path when it has start timestamps and is a counter. */
function rateOneSeries(ev: Evaluator, w: RangeWindow, metric: Labels, ts: ArrayLike<number>, vs: ArrayLike<number>, st: ArrayLike<number> | null, n: number, isCounter: boolean, isRate: boolean, pos: PosRange): RatePoints {
  const o = scratchFor(ev.nSteps);
  if (isCounter && st !== null) rateSeriesST(ev, w, metric, ts, vs, st, n, isRate, o, pos);
  else rateSeries(ev, w, ts, vs, n, isCounter, isRate, o);
  return o;
}

/** toSeries copies scratch points into an output series of exactly their size. */
function toSeries(metric: Labels, p: RatePoints): MatrixSeries {
  const ts = new Array<number>(p.n);
  const vs = new Array<number>(p.n);
  for (let i = 0; i < p.n; i++) {
    ts[i] = p.ts[i]!;
    vs[i] = p.vs[i]!;
  }
  return { metric, ts, vs, dropName: true };
}

/** rateWindows evaluates rate/increase/delta over a loaded range source's plain windows (one output series per input series, possibly empty). */
export function rateWindows(ev: Evaluator, src: RangeSource, isCounter: boolean, isRate: boolean, call: Call): Matrix {
  const out: Matrix = [];
  for (const s of src.series) {
    checkAbort(ev.ctx);
    if (s.hs !== undefined) {
      const { range, offset, at } = src;
      out.push(histogramSeriesWindows(ev, call, { metric: s.metric, ts: s.ts, vs: s.vs, hs: s.hs, n: s.ts.length, range, offset, at, sargs: [null], dropName: true }, RANGE_FUNCTIONS[call.func]!));
      continue;
    }
    out.push(toSeries(s.metric, rateOneSeries(ev, src, s.metric, s.ts, s.vs, s.st ?? null, s.ts.length, isCounter, isRate, src.expr.pos)));
  }
  return out;
}

/**
 * rateSelectorStream evaluates rate/increase/delta straight from a plain matrix selector's storage reads, one series
 * at a time, handing each series' points to sink without materialising the selected samples or the output
 * (statistics and limits are counted as for a loaded source).
 */
export function rateSelectorStream(ev: Evaluator, e: MatrixSelector, isCounter: boolean, isRate: boolean, sink: RateSink, onHistograms?: HistogramSink): void {
  const window = ev.matrixWindow(e);
  ev.readRange(e, window, (metric, ts, vs, n, st, hs) => {
    if (hs !== null) {
      if (onHistograms === undefined) throw new HistogramSeriesMet();
      onHistograms(metric, ts, vs, n, hs, window);
      return;
    }
    const o = rateOneSeries(ev, window, metric, ts, vs, st, n, isCounter, isRate, e.pos);
    sink(metric, o.ts, o.vs, o.n);
  });
}

/** rateSelector is rateSelectorStream collected into one output series per input series (possibly empty). */
export function rateSelector(ev: Evaluator, e: MatrixSelector, isCounter: boolean, isRate: boolean, call: Call): Matrix {
  const out: Matrix = [];
  rateSelectorStream(
    ev,
    e,
    isCounter,
    isRate,
    (metric, ts, vs, n) => out.push(toSeries(metric, { ts, vs, n })),
    (metric, ts, vs, n, hs, w) => {
      out.push(histogramSeriesWindows(ev, call, { metric, ts, vs, hs, n, range: w.range, offset: w.offset, at: w.at, sargs: [null], dropName: true }, RANGE_FUNCTIONS[call.func]!));
    },
  );
  return out;
}

/** HistogramSink receives a series holding histograms (arrays valid only during the call, hs owned by the callee). */
export type HistogramSink = (metric: Labels, ts: Float64Array, vs: Float64Array, n: number, hs: (FloatHistogram | undefined)[], w: RangeWindow) => void;

/** HistogramSeriesMet is thrown by rateSelectorStream without a histogram sink when a series holds histograms. */
export class HistogramSeriesMet extends Error {
  override name = 'HistogramSeriesMet';
}
