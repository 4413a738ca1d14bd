import { compareLabels, labelsKey, type Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { Appendable, Appender, Querier, Queryable, SeriesRef } from '../../storage/interface.js';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import { CounterResetHint, type CounterResetHintValue, type FloatHistogram, type Histogram } from '../../model/histogram/types.js';
import { detectReset } from '../../model/histogram/detect-reset.js';
import { customBoundsMatch } from '../../model/histogram/add.js';
import { toFloatHistogram } from '../../model/histogram/convert.js';
import { seriesSetFromArray, type SampleIterator, type Series, type SeriesSet } from '../../storage/series.js';

interface MemSeries {
  labels: Labels;
  ts: number[];
  vs: Float64Array | number[];
}

class ArrayIterator implements SampleIterator {
  private i = -1;
  constructor(
    private readonly ts: number[],
    private readonly vs: Float64Array,
    private readonly stale: boolean[],
    private readonly st: number[],
    private readonly hs: (FloatHistogram | undefined)[] | null,
    private readonly lo: number,
    private readonly hi: number,
  ) {
    this.i = lo - 1;
    if (hs !== null) this.atFloatHistogram = () => hs[this.i];
  }
  next(): boolean {
    return ++this.i < this.hi;
  }
  seek(t: number): boolean {
    if (this.i < this.lo) this.i = this.lo;
    while (this.i < this.hi && this.ts[this.i]! < t) this.i++;
    return this.i < this.hi;
  }
  atT(): number {
    return this.ts[this.i]!;
  }
  atV(): number {
    return this.stale[this.i] ? STALE_NAN : this.vs[this.i]!;
  }
  atST(): number {
    return this.st[this.i]!;
  }
  /** atFloatHistogram is present only on series holding histograms (float-only series keep the engine's float path). */
  atFloatHistogram?: () => FloatHistogram | undefined;
}

interface StoredSeries {
  labels: Labels;
  ts: number[];
  vs: number[];
  stale: boolean[];
  st: number[];
  hs: (FloatHistogram | undefined)[];
  anyHist: boolean;
}

/** MemoryStorage is a minimal in-memory Appendable & Queryable, the reference storage for engine tests. */
export class MemoryStorage implements Appendable, Queryable {
  private readonly series = new Map<string, StoredSeries>();

  /** appender opens a batch; samples become visible on commit. */
  appender(): Appender {
    const pending: { labels: Labels; t: number; v: number; stale: boolean; st: number; h?: FloatHistogram }[] = [];
    return {
      append: (_ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef => {
        pending.push({ labels, t, v, stale: isStaleNaN(v), st: 0 });
        return 0;
      },
      appendST: (_ref: SeriesRef, labels: Labels, t: number, st: number, v: number): SeriesRef => {
        pending.push({ labels, t, v, stale: isStaleNaN(v), st });
        return 0;
      },
      appendHistogram: (_ref: SeriesRef, labels: Labels, t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): SeriesRef => {
        const f = fh ?? toFloatHistogram(h!);
        pending.push({ labels, t, v: 0, stale: isStaleNaN(f.sum), st: 0, h: f });
        return 0;
      },
      commit: async () => {
        for (const p of pending) {
          const k = labelsKey(p.labels);
          let s = this.series.get(k);
          if (!s) this.series.set(k, (s = { labels: p.labels, ts: [], vs: [], stale: [], st: [], hs: [], anyHist: false }));
          s.hs[s.ts.length] = p.h;
          if (p.h !== undefined) s.anyHist = true;
          s.st.push(p.st);
          s.ts.push(p.t);
          s.vs.push(p.v);
          s.stale.push(p.stale);
        }
        for (const s of this.series.values()) {
          sortSeries(s);
          if (s.anyHist) setCounterResetHints(s);
        }
      },
      rollback: () => {
        pending.length = 0;
      },
    };
  }

  /** querier reads the samples in [mint, maxt]. */
  querier(mint: number, maxt: number): Querier {
    const all = [...this.series.values()].sort((a, b) => compareLabels(a.labels, b.labels));
    const matching = (ms: readonly Matcher[]) =>
      all.filter((s) => ms.every((m) => m.matches(s.labels.find((l) => l.name === m.name)?.value ?? '')));
    return {
      select: (_sorted: boolean, _hints, matchers: readonly Matcher[]): SeriesSet => {
        const out: Series[] = [];
        for (const s of matching(matchers)) {
          const vs = Float64Array.from(s.vs);
          let lo = 0;
          while (lo < s.ts.length && s.ts[lo]! < mint) lo++;
          let hi = lo;
          while (hi < s.ts.length && s.ts[hi]! <= maxt) hi++;
          if (hi === lo) continue;
          out.push({ labels: s.labels, iterator: () => new ArrayIterator(s.ts, vs, s.stale, s.st, s.anyHist ? s.hs : null, lo, hi) });
        }
        return seriesSetFromArray(out);
      },
      labelValues: (name: string, matchers: readonly Matcher[]) =>
        [...new Set(matching(matchers).map((s) => s.labels.find((l) => l.name === name)?.value ?? '').filter((v) => v !== ''))].sort(),
      labelNames: (matchers: readonly Matcher[]) => [...new Set(matching(matchers).flatMap((s) => s.labels.map((l) => l.name)))].sort(),
      close: () => {},
    };
  }
}

function sortSeries(s: StoredSeries): void {
  let sorted = true;
  for (let i = 1; i < s.ts.length; i++) if (s.ts[i]! <= s.ts[i - 1]!) sorted = false;
  if (sorted) return;
  const idx = s.ts.map((_, i) => i).sort((a, b) => s.ts[a]! - s.ts[b]!);
  const ts: number[] = [];
  const vs: number[] = [];
  const stale: boolean[] = [];
  const st: number[] = [];
  const hs: (FloatHistogram | undefined)[] = [];
  for (const i of idx) {
    if (ts.length > 0 && ts[ts.length - 1] === s.ts[i]) {
      hs[vs.length - 1] = s.hs[i];
      vs[vs.length - 1] = s.vs[i]!;
      stale[stale.length - 1] = s.stale[i]!;
      st[st.length - 1] = s.st[i]!;
      continue;
    }
    hs[ts.length] = s.hs[i];
    ts.push(s.ts[i]!);
    vs.push(s.vs[i]!);
    stale.push(s.stale[i]!);
    st.push(s.st[i]!);
  }
  s.ts = ts;
  s.vs = vs;
  s.stale = stale;
  s.st = st;
  s.hs = hs;
}

/** MemSeriesShape is exported for tests that inspect stored data. */
export type MemSeriesShape = MemSeries;

/**
 * setCounterResetHints gives each histogram sample the hint Prometheus's TSDB reads back: a gauge stays a gauge; a
 * counter histogram after another is NotCounterReset unless it starts a new chunk — after a reset (hinted or
 * detected) or a layout change (schema, zero threshold, custom bounds) — which reads back as Unknown, as does the
 * first histogram of a run (after a float or a stale marker).
 */
function setCounterResetHints(s: StoredSeries): void {
  let prev: FloatHistogram | undefined;
  for (let i = 0; i < s.ts.length; i++) {
    const h = s.hs[i];
    if (h === undefined || s.stale[i]) {
      prev = undefined;
      continue;
    }
    const given = h.counterResetHint;
    let hint: CounterResetHintValue = CounterResetHint.Unknown;
    if (given === CounterResetHint.Gauge) hint = CounterResetHint.Gauge;
    else if (prev !== undefined && prev.counterResetHint !== CounterResetHint.Gauge) {
      // A reset starts a new chunk, whose first sample reads back as Unknown (prometheus/prometheus#15346).
      if (given === CounterResetHint.CounterReset || detectReset({ ...h, counterResetHint: CounterResetHint.Unknown }, prev)) hint = CounterResetHint.Unknown;
      else if (h.schema !== prev.schema || h.zeroThreshold !== prev.zeroThreshold || !customBoundsMatch(h.customValues, prev.customValues)) hint = CounterResetHint.Unknown;
      else hint = CounterResetHint.NotCounterReset;
    }
    prev = h;
    if (hint !== given) s.hs[i] = { ...h, counterResetHint: hint };
  }
}
