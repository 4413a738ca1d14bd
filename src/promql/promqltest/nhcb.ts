import { compressBuckets } from '../../model/histogram/buckets.js';
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from '../../model/histogram/types.js';
import { getLabel, labelsFromList, labelsKey, type Labels } from '../../model/labels.js';
import type { SeriesValues } from './script.js';

/** NhcbSeries is a custom-bucket histogram series that load_with_nhcb builds from classic histogram series. */
export interface NhcbSeries {
  labels: Labels;
  /** samples by timestamp (ms), ascending. */
  samples: { t: number; h: FloatHistogram }[];
}

interface Temp {
  buckets: Map<number, number>;
  count: number | null;
  sum: number;
}

const SUFFIXES = ['_bucket', '_sum', '_count'] as const;

/**
 * buildNhcb converts a load's classic histogram series (`_bucket` with `le`, `_count`, `_sum`) into custom-bucket
 * native histograms as Prometheus's load_with_nhcb does: one per base series and timestamp, a +Inf bucket added
 * with the count when missing, the count taken from the highest bucket when absent.
 */
export function buildNhcb(series: readonly SeriesValues[], interval: number): NhcbSeries[] {
  const groups = new Map<string, { labels: Labels; byT: Map<number, Temp> }>();
  for (const s of series) {
    const name = getLabel(s.labels, '__name__');
    const suffix = SUFFIXES.find((x) => name.endsWith(x));
    if (suffix === undefined) continue;
    let le = NaN;
    if (suffix === '_bucket') {
      le = Number(getLabel(s.labels, 'le').replace(/^\+?inf$/i, 'Infinity').replace(/^-inf$/i, '-Infinity'));
      if (Number.isNaN(le)) continue;
    }
    const base = labelsFromList(
      s.labels.filter((l) => l.name !== 'le').map((l) => (l.name === '__name__' ? { name: l.name, value: name.slice(0, -suffix.length) } : l)),
    );
    const key = labelsKey(base);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { labels: base, byT: new Map() }));
    s.values.forEach((v, i) => {
      if (v === null || s.hists?.[i] !== undefined) return;
      const t = i * interval;
      let tmp = g!.byT.get(t);
      if (tmp === undefined) g!.byT.set(t, (tmp = { buckets: new Map(), count: null, sum: 0 }));
      if (suffix === '_bucket') {
        if (!tmp.buckets.has(le)) tmp.buckets.set(le, v);
      } else if (suffix === '_count') tmp.count = v;
      else tmp.sum = v;
    });
  }
  const out: NhcbSeries[] = [];
  for (const g of groups.values()) {
    const samples: { t: number; h: FloatHistogram }[] = [];
    for (const [t, tmp] of [...g.byT.entries()].sort((a, b) => a[0] - b[0])) {
      const bs = [...tmp.buckets.entries()].sort((a, b) => a[0] - b[0]);
      const count = tmp.count ?? (bs.length > 0 ? bs[bs.length - 1]![1] : 0);
      if (bs.length === 0 || bs[bs.length - 1]![0] !== Infinity) bs.push([Infinity, count]);
      const customValues: number[] = [];
      const idx: number[] = [];
      const counts: number[] = [];
      let prev = 0;
      bs.forEach(([ub, c], i) => {
        if (ub !== Infinity) customValues.push(ub);
        idx.push(i);
        counts.push(c - prev);
        prev = c;
      });
      const p = compressBuckets({ idx, counts });
      samples.push({
        t,
        h: {
          counterResetHint: CounterResetHint.Unknown,
          schema: CUSTOM_BUCKETS_SCHEMA,
          zeroThreshold: 0,
          zeroCount: 0,
          count,
          sum: tmp.sum,
          positiveSpans: p.spans,
          positiveBuckets: p.buckets,
          negativeSpans: [],
          negativeBuckets: [],
          customValues,
        },
      });
    }
    out.push({ labels: g.labels, samples });
  }
  return out;
}
