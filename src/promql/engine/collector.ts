import { labelsKey, type Labels } from '../../model/labels.js';
import { execError } from './errors.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import type { Matrix, MatrixSeries, Vector } from './value.js';

/** SAME_LABELSET is Prometheus's error for two output series with one label set at one step. */
export const SAME_LABELSET = 'vector cannot contain metrics with the same labelset';

/** SeriesCollector gathers per-step output samples into series, rejecting duplicates within a step. */
export class SeriesCollector {
  private readonly byKey = new Map<string, MatrixSeries>();
  /** series lists the output series in order of first appearance. */
  readonly series: Matrix = [];

  /** add appends a point; two samples with the same labels at one timestamp are an error. */
  add(metric: Labels, dropName: boolean, t: number, v: number): void {
    const key = labelsKey(metric);
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = { metric, ts: [], vs: [], dropName };
      this.byKey.set(key, s);
      this.series.push(s);
    } else if (s.ts.length > 0 && s.ts[s.ts.length - 1] === t) {
      throw execError(SAME_LABELSET);
    }
    s.ts.push(t);
    s.vs.push(v);
  }

  /** addH appends a point that may be a histogram (h undefined for a float). */
  addH(metric: Labels, dropName: boolean, t: number, v: number, h: FloatHistogram | undefined): void {
    this.add(metric, dropName, t, v);
    const s = this.byKey.get(labelsKey(metric))!;
    if (h !== undefined) {
      s.hs ??= new Array<FloatHistogram | undefined>(s.ts.length);
      s.hs[s.ts.length - 1] = h;
      s.vs[s.vs.length - 1] = 0;
    } else if (s.hs !== undefined) s.hs.length = s.ts.length;
  }

  /** addVector appends all samples of a vector. */
  addVector(v: Vector): void {
    for (const s of v) this.add(s.metric, s.dropName, s.t, s.f);
  }
}

/**
 * SlotCollector is a SeriesCollector whose label sets are resolved to slots once (per input series or group), so
 * per-step appends need no key string or map lookup. Series are listed in order of their first point.
 */
export class SlotCollector {
  private readonly byKey = new Map<string, number>();
  private readonly metrics: Labels[] = [];
  private readonly bySlot: (MatrixSeries | undefined)[] = [];
  /** series lists the output series in order of first appearance. */
  readonly series: Matrix = [];

  /** slot returns the slot of a label set (equal label sets share a slot). */
  slot(metric: Labels): number {
    const key = labelsKey(metric);
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.metrics.length;
      this.byKey.set(key, i);
      this.metrics.push(metric);
      this.bySlot.push(undefined);
    }
    return i;
  }

  /** add appends a point to a slot's series (dropName counts only for its first point); a second point at one timestamp is an error. */
  add(slot: number, dropName: boolean, t: number, v: number): void {
    let s = this.bySlot[slot];
    if (s === undefined) {
      s = { metric: this.metrics[slot]!, ts: [], vs: [], dropName };
      this.bySlot[slot] = s;
      this.series.push(s);
    } else if (s.ts.length > 0 && s.ts[s.ts.length - 1] === t) {
      throw execError(SAME_LABELSET);
    }
    s.ts.push(t);
    s.vs.push(v);
    if (s.hs !== undefined) s.hs.length = s.ts.length;
  }

  /** addH appends a point that may be a histogram (h undefined for a float). */
  addH(slot: number, dropName: boolean, t: number, v: number, h: FloatHistogram | undefined): void {
    this.add(slot, dropName, t, v);
    if (h === undefined) return;
    const s = this.bySlot[slot]!;
    s.hs ??= new Array<FloatHistogram | undefined>(s.ts.length);
    s.hs[s.ts.length - 1] = h;
    s.vs[s.vs.length - 1] = 0;
  }
}
