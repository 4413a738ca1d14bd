import type { FloatHistogram } from '../model/histogram/types.js';
import type { Labels } from '../model/labels.js';

/** SampleIterator walks one series' float samples in ascending time order. */
export interface SampleIterator {
  /** next advances to the next sample; false when there is none. */
  next(): boolean;
  /** seek advances to the first sample with timestamp >= t (staying put if already there); false when there is none. */
  seek(t: number): boolean;
  /** atT is the current sample's timestamp in milliseconds. */
  atT(): number;
  /** atV is the current sample's value (check stale markers with isStaleNaN). */
  atV(): number;
  /** atST is the current sample's start timestamp in milliseconds (for instance a counter's creation time), or 0 when unknown. */
  atST(): number;
  /**
   * atFloatHistogram returns the current sample's native histogram, or undefined when it is a float sample
   * (then atV holds it). Absent on iterators over float-only data. The object may be reused by the next
   * call to next or seek: copy it to keep it.
   */
  atFloatHistogram?(): FloatHistogram | undefined;
}

/** Series is one time series: its labels and a way to iterate its samples. */
export interface Series {
  readonly labels: Labels;
  /** iterator returns a fresh iterator over the series' samples within the querier's range. */
  iterator(): SampleIterator;
}

/** SeriesSet iterates series, in label order when sorting was requested. */
export interface SeriesSet {
  /** next advances to the next series; false when there is none. */
  next(): boolean;
  /** at returns the current series. */
  at(): Series;
  /** warnings lists non-fatal problems met while selecting (for instance a skipped corrupt block). */
  warnings(): readonly string[];
}

/** emptySampleIterator is an iterator over no samples. */
export const emptySampleIterator: SampleIterator = {
  next: () => false,
  seek: () => false,
  atT: () => {
    throw new Error('emptySampleIterator has no sample');
  },
  atV: () => {
    throw new Error('emptySampleIterator has no sample');
  },
  atST: () => {
    throw new Error('emptySampleIterator has no sample');
  },
};

/** seriesSetFromArray wraps already-materialised series as a SeriesSet. */
export function seriesSetFromArray(series: readonly Series[], warnings: readonly string[] = []): SeriesSet {
  let i = -1;
  return {
    next: () => ++i < series.length,
    at: () => series[i]!,
    warnings: () => warnings,
  };
}
