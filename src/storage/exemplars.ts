import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';

/** Exemplar is one stored exemplar: its own labels (e.g. trace_id), value and timestamp in ms. */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  readonly ts: number;
}

/** ExemplarSeries is one element of /api/v1/query_exemplars: a series and its exemplars in range, oldest first. */
export interface ExemplarSeries {
  readonly seriesLabels: Labels;
  readonly exemplars: readonly Exemplar[];
}

/** ExemplarAddResult says what happened to an exemplar: stored, a duplicate of the last one (ignored), or out of order. */
export type ExemplarAddResult = 'added' | 'duplicate' | 'out_of_order';

/** ExemplarAppender stores the exemplars of a workspace's series (the write path). */
export interface ExemplarAppender {
  /** add stores an exemplar of the series seriesLabels. */
  add(workspace: string, seriesLabels: Labels, labels: Labels, value: number, ts: number): ExemplarAddResult;
}

/** ExemplarSource serves a workspace's exemplars (the query API's /query_exemplars). */
export interface ExemplarSource {
  /** select returns exemplars in [start, end] (ms) of series matching any of the matcher sets (a store may answer in slices, hence the promise). */
  select(workspaceId: string, start: number, end: number, matcherSets: readonly (readonly Matcher[])[]): readonly ExemplarSeries[] | Promise<readonly ExemplarSeries[]>;
}
