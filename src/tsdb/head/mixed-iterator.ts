import type { FloatHistogram } from '../../model/histogram/types.js';
import type { SampleIterator } from '../../storage/series.js';
import type { HistSlice } from './hist-samples.js';

/**
 * MixedSeriesIterator walks a series holding both float and native histogram samples: the float iterator's
 * samples merged in time order with a slice of histogram samples (a series has one sample per timestamp; should
 * both have one, the float wins). Histograms in deleted intervals or outside [mint, maxt] are skipped.
 */
export class MixedSeriesIterator implements SampleIterator {
  private fOK = false;
  private hi = 0;
  private onHist = false;
  private started = false;
  private done = false;

  constructor(
    private readonly floats: SampleIterator,
    private readonly hist: HistSlice,
    private readonly mint: number,
    private readonly maxt: number,
    private readonly tombstones: readonly number[] | null,
  ) {}

  /** next advances to the next sample of either kind. */
  next(): boolean {
    if (this.done) return false;
    if (!this.started) return this.begin(this.mint);
    if (this.onHist) this.hi++;
    else {
      // A histogram at the float's timestamp is hidden by it.
      const ft = this.floats.atT();
      this.fOK = this.floats.next();
      this.skipHist(ft + 1);
    }
    return this.pick();
  }

  /** seek advances to the first sample at or after t. */
  seek(t: number): boolean {
    if (this.done) return false;
    if (!this.started) return this.begin(Math.max(t, this.mint));
    if (this.atT() >= t) return true;
    if (this.fOK && this.floats.atT() < t) this.fOK = this.floats.seek(t);
    this.skipHist(t);
    return this.pick();
  }

  /** atT is the current sample's timestamp. */
  atT(): number {
    return this.onHist ? this.hist.t[this.hi]! : this.floats.atT();
  }

  /** atV is the current float value (0 on a histogram sample). */
  atV(): number {
    return this.onHist ? 0 : this.floats.atV();
  }

  /** atST is the current float sample's start timestamp (0 on a histogram sample). */
  atST(): number {
    return this.onHist ? 0 : this.floats.atST();
  }

  /** atFloatHistogram returns the current histogram, undefined on a float sample. */
  atFloatHistogram(): FloatHistogram | undefined {
    return this.onHist ? this.hist.fh[this.hi] : undefined;
  }

  private begin(t: number): boolean {
    this.started = true;
    this.fOK = this.floats.seek(t);
    this.skipHist(t);
    return this.pick();
  }

  private skipHist(t: number): void {
    const ts = this.hist.t;
    while (this.hi < ts.length && ts[this.hi]! < t) this.hi++;
  }

  private pick(): boolean {
    const ts = this.hist.t;
    while (this.hi < ts.length && ts[this.hi]! <= this.maxt && this.deleted(ts[this.hi]!)) this.hi++;
    const hasH = this.hi < ts.length && ts[this.hi]! <= this.maxt;
    if (this.fOK && (!hasH || this.floats.atT() <= ts[this.hi]!)) {
      this.onHist = false;
      return true;
    }
    if (!hasH) {
      this.done = true;
      return false;
    }
    this.onHist = true;
    return true;
  }

  private deleted(t: number): boolean {
    const d = this.tombstones;
    if (d === null) return false;
    for (let i = 0; i < d.length; i += 2) if (t >= d[i]! && t <= d[i + 1]!) return true;
    return false;
  }
}
