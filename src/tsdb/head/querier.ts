import { compareLabels, compareStrings, type Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { LabelHints, Querier, SelectHints } from '../../storage/interface.js';
import type { SampleIterator, Series, SeriesSet } from '../../storage/series.js';
import { labelValuesForMatchers, postingsForMatchers } from '../postings/matchers.js';
import type { Head } from './head.js';
import { HeadSeriesIterator, type SeriesSnapshot } from './iterator.js';
import type { MemSeries } from './series.js';
import { MixedSeriesIterator } from './mixed-iterator.js';

/** snapshotSeries captures what a reader needs of a series over [mint, maxt], or null when nothing is in range. */
export function snapshotSeries(s: MemSeries, mint: number, maxt: number): SeriesSnapshot | null {
  const hi = Math.min(maxt, s.maxT);
  const chunks = s.readChunks(mint, hi);
  let oooT: Float64Array | null = null;
  let oooV: Float64Array | null = null;
  let oooN = 0;
  if (s.ooo !== null) {
    const sl = s.ooo.slice(mint, hi);
    if (sl.n > 0) {
      oooT = sl.t;
      oooV = sl.v;
      oooN = sl.n;
    }
  }
  const hist = s.hist !== null ? s.hist.slice(mint, hi) : null;
  if (chunks.length === 0 && oooN === 0 && hist === null) return null;
  const tombstones = s.tombstones !== null && s.tombstonesOverlap(mint, hi) ? s.tombstones.slice() : null;
  return { chunks, oooT, oooV, oooN, tombstones, startTs: s.startTs, mint, maxt: hi, hist };
}

/** snapshotIterator iterates a snapshot: its float samples, merged with its histogram samples when it has some. */
export function snapshotIterator(snap: SeriesSnapshot): SampleIterator {
  const floats = new HeadSeriesIterator(snap);
  const hist = snap.hist;
  return hist === undefined || hist === null ? floats : new MixedSeriesIterator(floats, hist, snap.mint, snap.maxt, snap.tombstones);
}

class HeadSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly snap: SeriesSnapshot,
  ) {}

  iterator(): SampleIterator {
    return snapshotIterator(this.snap);
  }
}

/** HeadQuerier reads the head over [mint, maxt] (inclusive). */
export class HeadQuerier implements Querier {
  constructor(
    private readonly head: Head,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  /** select returns the series matching all matchers that have samples in range, sorted by labels when asked. */
  select(sorted: boolean, _hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    const head = this.head;
    const mint = Math.max(this.mint, head.truncatedBefore);
    const maxt = this.maxt;
    const picked: MemSeries[] = [];
    if (mint <= maxt) {
      for (const ref of postingsForMatchers(head.postings, matchers)) {
        const s = head.seriesByRef(ref);
        if (s !== undefined && s.minT <= maxt && s.maxT >= mint) picked.push(s);
      }
    }
    if (sorted) picked.sort((a, b) => compareLabels(a.labels, b.labels));
    let i = -1;
    let cur: Series | null = null;
    return {
      next: () => {
        while (++i < picked.length) {
          const s = picked[i]!;
          const snap = snapshotSeries(s, mint, maxt);
          if (snap === null) continue;
          cur = new HeadSeries(s.labels, snap);
          return true;
        }
        cur = null;
        return false;
      },
      at: () => {
        if (cur === null) throw new Error('HeadQuerier: at() called without a current series');
        return cur;
      },
      warnings: () => [],
    };
  }

  /** labelValues lists the values of a label among matching series (time is ignored beyond head overlap, as in Prometheus). */
  labelValues(name: string, matchers: readonly Matcher[], hints?: LabelHints): string[] {
    if (!this.overlapsHead()) return [];
    const values = labelValuesForMatchers(this.head.postings, name, matchers);
    return limit(values, hints);
  }

  /** labelNames lists the label names among matching series. */
  labelNames(matchers: readonly Matcher[], hints?: LabelHints): string[] {
    if (!this.overlapsHead()) return [];
    const ix = this.head.postings;
    if (matchers.length === 0) return limit([...ix.labelNames()], hints);
    const names = new Set<string>();
    for (const ref of postingsForMatchers(ix, matchers)) {
      const s = this.head.seriesByRef(ref);
      if (s !== undefined) for (const l of s.labels) names.add(l.name);
    }
    return limit([...names].sort(compareStrings), hints);
  }

  /** close releases nothing: head readers hold snapshots. */
  close(): void {}

  private overlapsHead(): boolean {
    const min = this.head.minTime();
    const max = this.head.maxTime();
    return min <= this.maxt && max >= this.mint;
  }
}

function limit(values: string[], hints?: LabelHints): string[] {
  const n = hints?.limit ?? 0;
  return n > 0 && values.length > n ? values.slice(0, n) : values;
}
