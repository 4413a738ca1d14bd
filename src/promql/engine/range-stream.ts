import type { Call, MatrixSelector } from '../parser/ast.js';
import { histogramSeriesWindows } from './histogram-range.js';
import type { RangeCall, RangeFn } from '../functions/range.js';
import type { Evaluator } from './evaluator.js';
import type { Matrix, MatrixSeries } from './value.js';

/**
 * STREAMED_RANGE_FUNCTIONS are the range functions evaluated straight from storage reads: those without scalar
 * arguments and without per-window annotations or errors, so evaluating a series before the next one is read
 * cannot change what a query reports.
 */
export const STREAMED_RANGE_FUNCTIONS: ReadonlySet<string> = new Set([
  'irate', 'idelta', 'deriv', 'changes', 'resets', 'avg_over_time', 'sum_over_time', 'count_over_time', 'min_over_time',
  'max_over_time', 'ts_of_min_over_time', 'ts_of_max_over_time', 'last_over_time', 'first_over_time', 'ts_of_last_over_time',
  'ts_of_first_over_time', 'present_over_time', 'stddev_over_time', 'stdvar_over_time', 'mad_over_time',
]);

/**
 * streamRangeFn evaluates a single-argument range function over a plain matrix selector's windows one series at a
 * time as storage yields it, without materialising the selected samples (statistics and limits are counted as for
 * a loaded source). One output series per input series, possibly empty.
 */
export function streamRangeFn(ev: Evaluator, e: MatrixSelector, fn: RangeFn, keepName: boolean, call0: Call): Matrix {
  const out: Matrix = [];
  const w = ev.matrixWindow(e);
  const { range, offset, at } = w;
  const perStep = ev.samples.perStep;
  const call: RangeCall = { ts: [], vs: [], st: null, lo: 0, hi: 0, evalTs: 0, rangeStart: 0, rangeEnd: 0, args: [0] };
  ev.readRange(e, w, (metric, ts, vs, n, st, hs) => {
    if (hs !== null) {
      out.push(histogramSeriesWindows(ev, call0, { metric, ts, vs, hs, n, range, offset, at, sargs: [null], dropName: !keepName }, fn));
      return;
    }
    const o: MatrixSeries = { metric, ts: [], vs: [], dropName: !keepName };
    out.push(o);
    call.ts = ts;
    call.vs = vs;
    call.st = st;
    let counted = 0;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < ev.nSteps; i++) {
      const t = ev.start + i * ev.interval;
      const ref = (at ?? t) - offset;
      if (at !== null) {
        lo = 0;
        hi = 0;
      }
      while (hi < n && ts[hi]! <= ref) hi++;
      while (lo < hi && ts[lo]! <= ref - range) lo++;
      if (hi <= lo) continue;
      counted += hi - lo;
      if (perStep !== null) perStep[i]! += hi - lo;
      call.lo = lo;
      call.hi = hi;
      call.evalTs = t;
      call.rangeStart = ref - range;
      call.rangeEnd = ref;
      const v = fn(call);
      if (v === null) continue;
      o.ts.push(t);
      o.vs.push(v);
    }
    ev.samples.total += counted;
  });
  return out;
}
