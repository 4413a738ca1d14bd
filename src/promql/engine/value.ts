import type { Labels } from '../../model/labels.js';

/** Sample is one element of an instant vector: labels, the evaluation time and a float value. */
export interface Sample {
  metric: Labels;
  t: number;
  f: number;
  /** dropName marks a sample whose __name__ is removed when the query finishes (delayed name removal). */
  dropName: boolean;
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
}

/** Matrix is a range vector or a range query's result. */
export type Matrix = MatrixSeries[];

/** Value is the result of a query. */
export type Value =
  | { readonly kind: 'scalar'; readonly t: number; readonly v: number }
  | { readonly kind: 'string'; readonly t: number; readonly v: string }
  | { readonly kind: 'vector'; readonly samples: Vector }
  | { readonly kind: 'matrix'; readonly series: Matrix };
