import type { Matrix, Vector } from './value.js';

/** Evaluated is an expression's value over all steps of an evaluator. */
export type Evaluated =
  /** scalar: one value per step. */
  | { readonly kind: 'scalar'; readonly vs: Float64Array }
  | { readonly kind: 'string'; readonly v: string }
  /** vector: an instant vector at each step, as series with points at step timestamps. */
  | { readonly kind: 'vector'; readonly m: Matrix }
  /** range: a range vector (only as the result of an instant query). */
  | { readonly kind: 'range'; readonly m: Matrix };

/** pointCount counts the points of a matrix. */
export function pointCount(m: Matrix): number {
  let n = 0;
  for (const s of m) n += s.ts.length;
  return n;
}

/** StepCursor walks step-aligned series step by step, yielding the vector at each step. */
export class StepCursor {
  private readonly idx: Int32Array;
  constructor(private readonly m: Matrix) {
    this.idx = new Int32Array(m.length);
  }

  /** at returns the samples of all series at timestamp ts (call with ascending ts). */
  at(ts: number): Vector {
    const out: Vector = [];
    const m = this.m;
    for (let i = 0; i < m.length; i++) {
      const s = m[i]!;
      const j = this.idx[i]!;
      if (j < s.ts.length && s.ts[j] === ts) {
        out.push({ metric: s.metric, t: ts, f: s.vs[j]!, dropName: s.dropName });
        this.idx[i] = j + 1;
      }
    }
    return out;
  }
}
