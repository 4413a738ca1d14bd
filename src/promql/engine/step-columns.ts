import type { Evaluator } from './evaluator.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import type { Matrix } from './value.js';

/**
 * StepColumns is an instant-vector matrix regrouped by evaluation step (CSR layout): the samples of step i are
 * entries offsets[i] .. offsets[i+1]-1, each an input series index and its value, in input series order — the
 * same order as the vector the step-by-step evaluation saw, without a Sample object per series and step.
 */
export interface StepColumns {
  readonly offsets: Int32Array;
  readonly series: Int32Array;
  readonly values: Float64Array;
  /** hists holds each entry's histogram (undefined for floats), or null when no input series has histograms. */
  readonly hists: (FloatHistogram | undefined)[] | null;
}

/** stepIndex returns the step index of a step-aligned timestamp of ev. */
export function stepIndex(ev: Evaluator, t: number): number {
  return Math.round((t - ev.start) / ev.interval);
}

/** stepColumns regroups a step-aligned matrix of ev by step. */
export function stepColumns(ev: Evaluator, m: Matrix): StepColumns {
  const nSteps = ev.nSteps;
  const start = ev.start;
  const interval = ev.interval;
  const offsets = new Int32Array(nSteps + 1);
  let total = 0;
  for (let s = 0; s < m.length; s++) {
    const ts = m[s]!.ts;
    for (let j = 0; j < ts.length; j++) offsets[Math.round((ts[j]! - start) / interval) + 1]!++;
    total += ts.length;
  }
  for (let i = 0; i < nSteps; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, nSteps);
  const series = new Int32Array(total);
  const values = new Float64Array(total);
  let hists: (FloatHistogram | undefined)[] | null = null;
  for (let s = 0; s < m.length; s++) {
    const { ts, vs, hs } = m[s]!;
    if (hs !== undefined) hists ??= new Array<FloatHistogram | undefined>(total);
    for (let j = 0; j < ts.length; j++) {
      const p = fill[Math.round((ts[j]! - start) / interval)]!++;
      series[p] = s;
      values[p] = vs[j]!;
      if (hs !== undefined) hists![p] = hs[j];
    }
  }
  return { offsets, series, values, hists };
}
