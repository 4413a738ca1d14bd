import type { Matrix } from './value.js';

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
