import { compareLabels, labelsKey, type Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { Exemplar, ExemplarAddResult, ExemplarAppender, ExemplarSeries } from '../storage/exemplars.js';
import { Slicer } from './slicer.js';

interface SeriesState {
  readonly labels: Labels;
  readonly key: string;
  lastTs: number;
  lastValue: number;
  lastLabels: string;
  count: number;
}

class Ring {
  readonly series = new Map<string, SeriesState>();
  readonly owner: (SeriesState | undefined)[];
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly labels: (Labels | undefined)[];
  next = 0;

  constructor(readonly capacity: number) {
    this.owner = new Array<SeriesState | undefined>(capacity);
    this.labels = new Array<Labels | undefined>(capacity);
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }
}

/** ExemplarStoreOptions size the per-workspace rings. */
export interface ExemplarStoreOptions {
  /** maxExemplarsPerWorkspace is the ring size; the oldest exemplars are overwritten (Prometheus's default 100,000). */
  maxExemplarsPerWorkspace: number;
}

/**
 * ExemplarStore is a bounded circular exemplar store per workspace, like Prometheus's
 * exemplar storage: per series, exemplars must arrive in timestamp order; an exact
 * repeat of the last one is ignored.
 */
export class ExemplarStore implements ExemplarAppender {
  private readonly rings = new Map<string, Ring>();
  private readonly capacity: number;

  constructor(opts: Partial<ExemplarStoreOptions> = {}) {
    this.capacity = Math.max(1, opts.maxExemplarsPerWorkspace ?? 100_000);
  }

  /** add stores one exemplar of a series. */
  add(workspace: string, seriesLabels: Labels, labels: Labels, value: number, ts: number): ExemplarAddResult {
    let ring = this.rings.get(workspace);
    if (ring === undefined) {
      ring = new Ring(this.capacity);
      this.rings.set(workspace, ring);
    }
    const key = labelsKey(seriesLabels);
    let s = ring.series.get(key);
    const lkey = labelsKey(labels);
    if (s !== undefined && s.count > 0) {
      if (ts === s.lastTs && lkey === s.lastLabels && Object.is(value, s.lastValue)) return 'duplicate';
      if (ts <= s.lastTs) return 'out_of_order';
    }
    if (s === undefined) {
      s = { labels: seriesLabels, key, lastTs: ts, lastValue: value, lastLabels: lkey, count: 0 };
      ring.series.set(key, s);
    }
    const i = ring.next;
    const old = ring.owner[i];
    if (old !== undefined && --old.count === 0 && old !== s) ring.series.delete(old.key);
    ring.owner[i] = s;
    ring.labels[i] = labels;
    ring.ts[i] = ts;
    ring.vs[i] = value;
    ring.next = (i + 1) % ring.capacity;
    s.count++;
    s.lastTs = ts;
    s.lastValue = value;
    s.lastLabels = lkey;
    return 'added';
  }

  /**
   * query returns, for every series matching any of the matcher sets, its exemplars with
   * start <= ts <= end (ms), oldest first; series sorted by labels. It runs in slices (the ring and
   * the matcher sets are client-sized), so a large request never holds the event loop for long;
   * exemplars written meanwhile may or may not be seen.
   */
  async query(workspace: string, start: number, end: number, matcherSets: readonly (readonly Matcher[])[], slicer = new Slicer()): Promise<ExemplarSeries[]> {
    const ring = this.rings.get(workspace);
    if (ring === undefined) return [];
    const selected = new Map<SeriesState, Exemplar[]>();
    for (const s of ring.series.values()) {
      for (const ms of matcherSets) {
        if (matchesAll(s.labels, ms)) {
          selected.set(s, []);
          break;
        }
        if (slicer.due()) await slicer.pause();
      }
    }
    if (selected.size === 0) return [];
    const n = ring.capacity;
    for (let k = 0; k < n; k++) {
      if (slicer.due()) await slicer.pause();
      const i = (ring.next + k) % n;
      const s = ring.owner[i];
      if (s === undefined) continue;
      const list = selected.get(s);
      if (list === undefined) continue;
      const t = ring.ts[i]!;
      if (t < start || t > end) continue;
      list.push({ labels: ring.labels[i]!, value: ring.vs[i]!, ts: t });
    }
    const out: ExemplarSeries[] = [];
    for (const [s, exemplars] of selected) {
      if (exemplars.length === 0) continue;
      exemplars.sort((a, b) => a.ts - b.ts);
      out.push({ seriesLabels: s.labels, exemplars });
    }
    return out.sort((a, b) => compareLabels(a.seriesLabels, b.seriesLabels));
  }

  /** deleteWorkspace drops a workspace's exemplars. */
  deleteWorkspace(workspace: string): void {
    this.rings.delete(workspace);
  }
}

function matchesAll(labels: Labels, matchers: readonly Matcher[]): boolean {
  for (const m of matchers) {
    let v = '';
    for (const l of labels) {
      if (l.name === m.name) {
        v = l.value;
        break;
      }
    }
    if (!m.matches(v)) return false;
  }
  return true;
}
