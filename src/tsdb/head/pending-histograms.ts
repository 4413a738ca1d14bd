import type { FloatHistogram, Histogram } from '../../model/histogram/types.js';
import type { HistSample } from './hist-samples.js';
import type { MemSeries } from './series.js';

/**
 * PendingHistograms are an appender's queued histogram samples. Each remembers `at`, how many float samples the
 * batch held when it was queued, so a batch applies floats and histograms in the order they were appended.
 */
export class PendingHistograms {
  /** at is, per sample, the number of float samples queued before it. */
  readonly at: number[] = [];
  /** series are the samples' series. */
  readonly series: MemSeries[] = [];
  /** t are the samples' timestamps. */
  readonly t: number[] = [];
  /** h are the integer histograms (undefined for a float one). */
  readonly h: (Histogram | undefined)[] = [];
  /** fh are the float histograms (undefined for an integer one). */
  readonly fh: (FloatHistogram | undefined)[] = [];

  /** n counts the queued samples. */
  get n(): number {
    return this.t.length;
  }

  /** push queues one sample, queued after `at` float samples. */
  push(at: number, s: MemSeries, t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): void {
    this.at.push(at);
    this.series.push(s);
    this.t.push(t);
    this.h.push(h);
    this.fh.push(fh);
  }

  /** sampleOf returns the newest queued sample of s at t, or undefined. */
  sampleOf(s: MemSeries, t: number): HistSample | undefined {
    for (let i = this.t.length - 1; i >= 0; i--) if (this.series[i] === s && this.t[i] === t) return { h: this.h[i], fh: this.fh[i] };
    return undefined;
  }
}
