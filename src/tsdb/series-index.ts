import { labelsEqual } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import type { SeriesIndex } from '../storage/series-index.js';
import type { Head } from './head/head.js';
import { postingsForMatchers } from './postings/matchers.js';

/** headSeriesIndex reads a head's active series and postings as the storage seam's SeriesIndex. */
export function headSeriesIndex(head: Head): SeriesIndex {
  const ix = head.postings;
  return {
    numSeries: () => head.numSeries(),
    exists(labels) {
      const refs = postingsForMatchers(ix, labels.map((l) => newMatcher('=', l.name, l.value)));
      for (const ref of refs) {
        const s = head.seriesByRef(ref);
        if (s !== undefined && labelsEqual(s.labels, labels)) return true;
      }
      return false;
    },
    refsMatching(labelSet) {
      if (labelSet.length === 0) return postingsForMatchers(ix, [newMatcher('=~', '__name__', '.+')]);
      return postingsForMatchers(ix, labelSet.map((l) => newMatcher('=', l.name, l.value)));
    },
    labelNames: () => ix.labelNames(),
    labelValues: (name) => ix.labelValues(name),
    unsortedLabelValues: (name) => ix.unsortedLabelValues(name),
    seriesCount: (name, value) => ix.postings(name, value).length,
  };
}
