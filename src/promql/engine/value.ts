import type { FloatHistogram } from '../../model/histogram/types.js';
import type { Labels } from '../../model/labels.js';

/** Sample is one element of an instant vector: labels, the evaluation time and a float value. */
export interface Sample {
  metric: Labels;
  t: number;
  f: number;
  /** dropName marks a sample whose __name__ is removed when the query finishes (delayed name removal). */
  dropName: boolean;
  /** h is the sample's native histogram (then f is unused); absent for a float sample. */
  h?: FloatHistogram;
}

/** Vector is an instant vector. */
export type Vector = Sample[];

/** MatrixSeries is one series of a range vector or of a range query result: parallel timestamp/value arrays. */
export interface MatrixSeries {
  metric: Labels;
  ts: number[];
  vs: number[];
  dropName: boolean;
  /** st holds the samples' start timestamps (0 = unknown) of a series read straight from storage, when any sample has one. */
  st?: number[];
  /**
   * hs holds, by point, the native histograms of a series with any (undefined at float points; vs holds 0 at
   * histogram points). Absent on float-only series: float code paths check `hs === undefined` once per series.
   */
  hs?: (FloatHistogram | undefined)[];
}

/** Matrix is a range vector or a range query's result. */
export type Matrix = MatrixSeries[];

/** Value is the result of a query. */
export type Value =
  | { readonly kind: 'scalar'; readonly t: number; readonly v: number }
  | { readonly kind: 'string'; readonly t: number; readonly v: string }
  | { readonly kind: 'vector'; readonly samples: Vector }
  | { readonly kind: 'matrix'; readonly series: Matrix };
