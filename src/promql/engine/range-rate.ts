import { counterResets, extrapolatedRateAt } from '../functions/range.js';
import { checkAbort } from './context.js';
import type { Evaluator, RangeSource } from './evaluator.js';
import type { Matrix, MatrixSeries } from './value.js';

const NO_RESETS = new Int32Array(0);

/**
 * rateWindows evaluates rate/increase (isCounter) or delta over plain range windows at every step, series by
 * series: each series' counter resets are listed once, so a window's correction costs only the resets inside it
 * instead of a scan of the window. One output series per input series (possibly empty), as evalRangeCall's.
 */
export function rateWindows(ev: Evaluator, src: RangeSource, isCounter: boolean, isRate: boolean): Matrix {
  const out: Matrix = [];
  const { range, offset, at } = src;
  for (const s of src.series) {
    checkAbort(ev.ctx);
    const o: MatrixSeries = { metric: s.metric, ts: [], vs: [], dropName: true };
    out.push(o);
    const { ts, vs } = s;
    const n = ts.length;
    if (n === 0) continue;
    const resets = isCounter ? counterResets(vs) : NO_RESETS;
    let lo = 0;
    let hi = 0;
    let r = 0;
    for (let i = 0; i < ev.nSteps; i++) {
      const t = ev.start + i * ev.interval;
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
      ev.samples.addAtStep(i, hi - lo);
      if (hi - lo < 2) continue;
      while (r < resets.length && resets[r]! <= lo) r++;
      o.ts.push(t);
      o.vs.push(extrapolatedRateAt(ts, vs, lo, hi, from, ref, isCounter, isRate, resets, r));
    }
  }
  return out;
}
