import { floatHistogramBytes } from '../../model/histogram/size.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import type { MatrixSeries } from './value.js';

/** histogramSize is the number of float samples a histogram sample counts as in query statistics ((bytes + 8) / 16, as Prometheus). */
export function histogramSize(h: FloatHistogram): number {
  return Math.floor((floatHistogramBytes(h) + 8) / 16);
}

/** weightedCount counts a series' points for statistics: floats as 1, histograms by their size. */
export function weightedCount(s: MatrixSeries): number {
  const hs = s.hs;
  if (hs === undefined) return s.ts.length;
  let n = 0;
  for (let i = 0; i < s.ts.length; i++) {
    const h = hs[i];
    n += h === undefined ? 1 : histogramSize(h);
  }
  return n;
}

/** weightedRange counts points lo..hi-1 of a series for statistics. */
export function weightedRange(hs: readonly (FloatHistogram | undefined)[] | null | undefined, lo: number, hi: number): number {
  if (hs === undefined || hs === null) return hi - lo;
  let n = 0;
  for (let i = lo; i < hi; i++) {
    const h = hs[i];
    n += h === undefined ? 1 : histogramSize(h);
  }
  return n;
}

/** weightedPoints counts a matrix's points for statistics (histograms by size). */
export function weightedPoints(m: readonly MatrixSeries[]): number {
  let n = 0;
  for (const s of m) n += weightedCount(s);
  return n;
}
