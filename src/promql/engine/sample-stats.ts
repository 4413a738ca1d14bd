/**
 * SampleStats counts the samples a query read, as Prometheus's query statistics do: a vector selector counts one
 * sample per series and step, a range function counts the samples in each step's window, and a bare range vector
 * counts its samples at its (single) step. Counts are kept per evaluation step when perStep is set.
 */
export class SampleStats {
  /** total is the number of samples counted (Prometheus's totalQueryableSamples). */
  total = 0;
  /** perStep holds the count of each step of the evaluator (index i = start + i * interval), or null when not tracked. */
  readonly perStep: Float64Array | null;

  constructor(steps: number | null) {
    this.perStep = steps === null ? null : new Float64Array(steps);
  }

  /** addAtStep counts n samples at step i. */
  addAtStep(i: number, n: number): void {
    this.total += n;
    if (this.perStep !== null) this.perStep[i]! += n;
  }

  /** child returns stats for a nested evaluation (a subquery), counted without per-step detail. */
  child(): SampleStats {
    return new SampleStats(null);
  }
}
