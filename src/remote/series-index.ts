import { labelsEqual, type Labels } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import type { Postings } from '../tsdb/postings/postings.js';
import { postingsForMatchers } from '../tsdb/postings/matchers.js';
import type { TSDB } from '../tsdb/db.js';

/** SeriesIndex is what the series limits need from a workspace's storage: the active series and their index. */
export interface SeriesIndex {
  /** numSeries counts the active (head) series, including ones created by appenders not yet committed. */
  numSeries(): number;
  /** exists reports whether a series with exactly these labels is active. */
  exists(labels: Labels): boolean;
  /** refsMatching lists the sorted refs of active series carrying every label of labelSet. */
  refsMatching(labelSet: Labels): Postings;
}

/** tsdbSeriesIndex reads a TSDB's head (its active series) as a SeriesIndex. */
export function tsdbSeriesIndex(db: TSDB): SeriesIndex {
  const head = db.head;
  return {
    numSeries: () => head.numSeries(),
    exists(labels) {
      const refs = postingsForMatchers(head.postings, labels.map((l) => newMatcher('=', l.name, l.value)));
      for (const ref of refs) {
        const s = head.seriesByRef(ref);
        if (s !== undefined && labelsEqual(s.labels, labels)) return true;
      }
      return false;
    },
    refsMatching(labelSet) {
      if (labelSet.length === 0) return postingsForMatchers(head.postings, [newMatcher('=~', '__name__', '.+')]);
      return postingsForMatchers(head.postings, labelSet.map((l) => newMatcher('=', l.name, l.value)));
    },
  };
}
