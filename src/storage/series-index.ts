import type { Labels } from '../model/labels.js';
import type { SeriesRef } from './interface.js';

/**
 * SeriesIndex is the index of a workspace's active (head) series: what the write path's series
 * limits and the query API's cardinality statistics (/status/tsdb) read.
 */
export interface SeriesIndex {
  /** numSeries counts the active series, including ones created by appenders not yet committed. */
  numSeries(): number;
  /** exists reports whether a series with exactly these labels is active. */
  exists(labels: Labels): boolean;
  /** refsMatching lists the sorted refs of active series carrying every label of labelSet (every series for an empty set). */
  refsMatching(labelSet: Labels): readonly SeriesRef[];
  /** labelNames lists the sorted label names of active series. */
  labelNames(): readonly string[];
  /** labelValues lists the sorted values of a label among active series. */
  labelValues(name: string): readonly string[];
  /** unsortedLabelValues iterates the values of a label among active series in no order (no sort: cardinality walks). */
  unsortedLabelValues(name: string): Iterable<string>;
  /** seriesCount counts the active series carrying the label pair name=value. */
  seriesCount(name: string, value: string): number;
}

/** HeadSummary is what the head holds: series, chunks and the time range of its samples (ms; ±Infinity when empty). */
export interface HeadSummary {
  readonly numSeries: number;
  readonly numChunks: number;
  readonly minTime: number;
  readonly maxTime: number;
}
