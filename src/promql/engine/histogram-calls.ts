import { getLabel, labelsKey, METRIC_NAME, type Labels } from '../../model/labels.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import type { Call, Expr } from '../parser/ast.js';
import { bucketFraction, bucketQuantile, parseGoFloat, type Bucket } from '../functions/bucket-quantile.js';
import { formatF, formatG } from '../functions/gofloat.js';
import { ANNO } from './annotations.js';
import { stringArg } from './calls.js';
import { SlotCollector } from './collector.js';
import { execError } from './errors.js';
import type { Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import { goQuote, isValidLabelName, setLabel } from './labels-util.js';
import { stepColumns, type StepColumns } from './step-columns.js';
import type { Matrix } from './value.js';
import { fractionOf, nativeAtStep, quantileOf, splitNative } from './native-histogram-calls.js';

/**
 * ClassicHistograms holds an le-labelled vector's buckets by step: each series' group (labels without `le`) and
 * upper bound are computed once per query; per step only the bucket counts are filled, in input order.
 */
class ClassicHistograms {
  private readonly cols: StepColumns;
  private readonly group: Int32Array;
  private readonly bucket: (Bucket | null)[];
  private readonly stamp: Int32Array;
  /** metrics[g] is group g's label set (without le); slots[g] its output slot, or -1. */
  readonly metrics: Labels[] = [];
  readonly slots: number[] = [];
  /** buckets[g] is group g's buckets at the last step filled. */
  readonly buckets: Bucket[][] = [];
  /** touched lists the groups of the last step filled, in order of first appearance; nTouched is their count. */
  readonly touched: Int32Array;
  nTouched = 0;

  constructor(
    private readonly ev: Evaluator,
    private readonly e: Call,
    private readonly m: Matrix,
    private readonly argIdx: number,
  ) {
    this.cols = stepColumns(ev, m);
    this.group = new Int32Array(m.length);
    this.bucket = [];
    const byKey = new Map<string, number>();
    for (let s = 0; s < m.length; s++) {
      const ub = parseGoFloat(getLabel(m[s]!.metric, 'le'));
      this.bucket.push(ub === null ? null : { upperBound: ub, count: 0 });
      const metric = setLabel(m[s]!.metric, 'le', '');
      const key = labelsKey(metric);
      let g = byKey.get(key);
      if (g === undefined) {
        g = this.metrics.length;
        byKey.set(key, g);
        this.metrics.push(metric);
        this.slots.push(-1);
        this.buckets.push([]);
      }
      this.group[s] = g;
    }
    this.stamp = new Int32Array(this.metrics.length).fill(-1);
    this.touched = new Int32Array(this.metrics.length);
  }

  /** fill gathers step i's buckets per group (warning about malformed le labels as it meets them). */
  fill(i: number): void {
    const { offsets, series, values } = this.cols;
    this.nTouched = 0;
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const s = series[p]!;
      const b = this.bucket[s]!;
      if (b === null) {
        const metric = this.m[s]!.metric;
        this.ev.ctx.annos.warn(ANNO.badBucketLabel(getLabel(metric, METRIC_NAME), getLabel(metric, 'le')), this.e.args[this.argIdx]!.pos);
        continue;
      }
      const g = this.group[s]!;
      if (this.stamp[g] !== i) {
        this.stamp[g] = i;
        this.buckets[g]!.length = 0;
        this.touched[this.nTouched++] = g;
      }
      b.count = values[p]!;
      this.buckets[g]!.push(b);
    }
  }

  /** touchedKeys returns the label-set keys of the groups filled at the last step (null when none). */
  touchedKeys(): Set<string> | null {
    if (this.nTouched === 0) return null;
    const out = new Set<string>();
    for (let n = 0; n < this.nTouched; n++) out.add(labelsKey(this.metrics[this.touched[n]!]!));
    return out;
  }

  /** groupKey returns group g's label-set key. */
  groupKey(g: number): string {
    return labelsKey(this.metrics[g]!);
  }

  /** slot returns group g's output slot in out. */
  slot(g: number, out: SlotCollector): number {
    let k = this.slots[g]!;
    if (k < 0) this.slots[g] = k = out.slot(this.metrics[g]!);
    return k;
  }
}

/** histogramFraction implements histogram_fraction over classic (le-labelled) buckets. */
export function histogramFraction(ev: Evaluator, e: Call, args: readonly Expr[]): Evaluated {
  const lo = ev.evalScalar(args[0]!);
  const hi = ev.evalScalar(args[1]!);
  const { floats: m, hists } = splitNative(withoutStatsDecoding(ev, () => ev.evalVector(args[2]!)));
  const h = new ClassicHistograms(ev, e, m, 2);
  const out = new SlotCollector();
  const cursor = new Int32Array(hists.length);
  const nSlots = new Int32Array(hists.length).fill(-1);
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    h.fill(i);
    let conflicts: Set<string> | null = null;
    if (hists.length > 0) {
      conflicts = nativeAtStep(ev, e, 2, hists, cursor, t, h.touchedKeys(), (k, nh, name) => {
        if (nSlots[k]! < 0) nSlots[k] = out.slot(hists[k]!.metric);
        out.add(nSlots[k]!, true, t, fractionOf(ev, e, 2, lo[i]!, hi[i]!, nh, name));
      });
    }
    for (let n = 0; n < h.nTouched; n++) {
      const g = h.touched[n]!;
      if (conflicts !== null && conflicts.has(h.groupKey(g))) continue;
      out.add(h.slot(g, out), true, t, bucketFraction(lo[i]!, hi[i]!, h.buckets[g]!));
    }
  }
  return { kind: 'vector', m: out.series };
}

/** formatLabelFloat renders a float as OpenMetrics label values do (integers with ".0"). */
function formatLabelFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const s = formatF(f);
  return Number.isInteger(f) && !s.includes('.') ? s + '.0' : s;
}

/** histogramQuantiles implements histogram_quantiles over classic (le-labelled) buckets. */
export function histogramQuantiles(ev: Evaluator, e: Call, args: readonly Expr[]): Evaluated {
  const { floats: m, hists } = splitNative(withoutStatsDecoding(ev, () => ev.evalVector(args[0]!)));
  const label = stringArg(ev, args[1]!);
  if (!isValidLabelName(label)) throw execError(`invalid label name ${goQuote(label)}`);
  const qs: Float64Array[] = [];
  for (let k = 2; k < args.length; k++) qs.push(ev.evalScalar(args[k]!));
  const h = new ClassicHistograms(ev, e, m, 0);
  const out = new SlotCollector();
  // Output label sets per (group, quantile argument), recomputed only when the quantile changes.
  const lastQ = new Map<number, number>();
  const lastSlot = new Map<number, number>();
  const cursor = new Int32Array(hists.length);
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k]![i]!;
      if (Number.isNaN(q) || q < 0 || q > 1) ev.ctx.annos.warn(ANNO.invalidQuantile(formatG(q)), e.args[k + 2]!.pos);
    }
    h.fill(i);
    let conflicts: Set<string> | null = null;
    if (hists.length > 0) {
      const found: { k: number; nh: FloatHistogram; name: string }[] = [];
      conflicts = nativeAtStep(ev, e, 0, hists, cursor, t, h.touchedKeys(), (k, nh, name) => found.push({ k, nh, name }));
      for (let k = 0; k < qs.length; k++) {
        const q = qs[k]![i]!;
        for (const f of found) {
          const id = -1 - (f.k * qs.length + k);
          let slot = lastSlot.get(id);
          if (slot === undefined || !Object.is(lastQ.get(id), q)) {
            slot = out.slot(setLabel(hists[f.k]!.metric, label, formatLabelFloat(q)));
            lastQ.set(id, q);
            lastSlot.set(id, slot);
          }
          out.add(slot, true, t, quantileOf(ev, e, 0, q, f.nh, f.name));
        }
      }
    }
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k]![i]!;
      for (let n = 0; n < h.nTouched; n++) {
        const g = h.touched[n]!;
        if (conflicts !== null && conflicts.has(h.groupKey(g))) continue;
        const r = bucketQuantile(q, h.buckets[g]!.map((b) => ({ ...b })));
        if (r.forcedMonotonic) ev.ctx.annos.info(ANNO.forcedMonotonicity(getLabel(h.metrics[g]!, METRIC_NAME)), e.args[0]!.pos);
        const id = g * qs.length + k;
        let slot = lastSlot.get(id);
        if (slot === undefined || !Object.is(lastQ.get(id), q)) {
          slot = out.slot(setLabel(h.metrics[g]!, label, formatLabelFloat(q)));
          lastQ.set(id, q);
          lastSlot.set(id, slot);
        }
        out.add(slot, true, t, r.value);
      }
    }
  }
  return { kind: 'vector', m: out.series };
}

/** histogramQuantile implements histogram_quantile over classic (le-labelled) buckets. */
export function histogramQuantile(ev: Evaluator, e: Call, args: readonly Expr[]): Evaluated {
  const qs = ev.evalScalar(args[0]!);
  const { floats: m, hists } = splitNative(withoutStatsDecoding(ev, () => ev.evalVector(args[1]!)));
  const h = new ClassicHistograms(ev, e, m, 1);
  const out = new SlotCollector();
  const cursor = new Int32Array(hists.length);
  const nSlots = new Int32Array(hists.length).fill(-1);
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    const q = qs[i]!;
    if (Number.isNaN(q) || q < 0 || q > 1) ev.ctx.annos.warn(ANNO.invalidQuantile(formatG(q)), e.args[0]!.pos);
    h.fill(i);
    let conflicts: Set<string> | null = null;
    if (hists.length > 0) {
      conflicts = nativeAtStep(ev, e, 1, hists, cursor, t, h.touchedKeys(), (k, nh, name) => {
        if (nSlots[k]! < 0) nSlots[k] = out.slot(hists[k]!.metric);
        out.add(nSlots[k]!, true, t, quantileOf(ev, e, 1, q, nh, name));
      });
    }
    for (let n = 0; n < h.nTouched; n++) {
      const g = h.touched[n]!;
      if (conflicts !== null && conflicts.has(h.groupKey(g))) continue;
      const r = bucketQuantile(q, h.buckets[g]!);
      if (r.forcedMonotonic) ev.ctx.annos.info(ANNO.forcedMonotonicity(getLabel(h.metrics[g]!, METRIC_NAME)), e.args[1]!.pos);
      out.add(h.slot(g, out), true, t, r.value);
    }
  }
  return { kind: 'vector', m: out.series };
}

/** withoutStatsDecoding evaluates fn with full histogram decoding (functions reading buckets). */
function withoutStatsDecoding<T>(ev: Evaluator, fn: () => T): T {
  const before = ev.ctx.statsDecoding ?? 0;
  ev.ctx.statsDecoding = 0;
  try {
    return fn();
  } finally {
    ev.ctx.statsDecoding = before;
  }
}
