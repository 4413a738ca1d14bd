import { METRIC_NAME, type Labels } from '../../model/labels.js';
import type { AggregateExpr } from '../parser/ast.js';
import { formatF, formatG } from '../functions/gofloat.js';
import { quantile } from '../functions/kahan.js';
import { xxhash64 } from '../functions/xxhash.js';
import type { Grouping } from './aggregate-columns.js';
import { ANNO } from './annotations.js';
import { SlotCollector } from './collector.js';
import { execError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { keepLabels, setLabel, withoutLabels } from './labels-util.js';
import { stepColumns } from './step-columns.js';
import { histogramString } from './histogram-string.js';
import { selectK } from './topk-heap.js';
import type { Matrix } from './value.js';

function checkK(param: number): void {
  if (Number.isNaN(param)) throw execError('Parameter value is NaN');
  if (Math.abs(param) > 9.2e18) throw execError(`Scalar value ${formatG(param)} overflows int64`);
}

/** seriesSlots resolves output slots per input series lazily (once per series, not per step). */
function seriesSlots(input: Matrix, out: SlotCollector): (s: number) => number {
  const slots = new Int32Array(input.length).fill(-1);
  return (s) => {
    let k = slots[s]!;
    if (k < 0) slots[s] = k = out.slot(input[s]!.metric);
    return k;
  };
}

/**
 * aggregateK evaluates topk, bottomk and limitk step by step over columns: groups come from the per-query grouping,
 * each group keeps its k best samples in a bounded heap (limitk: its first k), and picks are written to their input
 * series' output slots.
 */
export function aggregateK(ev: Evaluator, op: 'topk' | 'bottomk' | 'limitk', input: Matrix, grouping: Grouping, params: Float64Array): Matrix {
  const cols = stepColumns(ev, input);
  const { offsets, series, values } = cols;
  const nGroups = grouping.metrics.length;
  const ofSeries = grouping.ofSeries;
  const groupStart = new Int32Array(nGroups + 1);
  for (let g = 0; g < nGroups; g++) groupStart[g + 1] = groupStart[g]! + grouping.sizes[g]!;
  const heap = new Int32Array(input.length);
  const len = new Int32Array(nGroups);
  const stamp = new Int32Array(nGroups).fill(-1);
  const touched = new Int32Array(nGroups);
  const picked: number[] = [];
  const out = new SlotCollector();
  const slotOf = seriesSlots(input, out);
  const desc = op === 'topk';
  for (let i = 0; i < ev.nSteps; i++) {
    const param = params[i]!;
    checkK(param);
    const k = Math.trunc(param);
    if (k < 1) continue;
    const t = ev.stepTime(i);
    let nTouched = 0;
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const g = ofSeries[series[p]!]!;
      if (stamp[g] !== i) {
        stamp[g] = i;
        len[g] = 0;
        touched[nTouched++] = g;
      }
      const cap = Math.min(k, grouping.sizes[g]!);
      if (op === 'limitk') {
        if (len[g]! < cap) heap[groupStart[g]! + len[g]!++] = p;
      } else len[g] = selectK(heap, groupStart[g]!, len[g]!, cap, p, values, desc);
    }
    for (let n = 0; n < nTouched; n++) {
      const g = touched[n]!;
      picked.length = 0;
      for (let h = groupStart[g]!; h < groupStart[g]! + len[g]!; h++) picked.push(heap[h]!);
      if (op !== 'limitk') picked.sort((a, b) => kCompare(values[a]!, values[b]!, desc) || a - b);
      else picked.sort((a, b) => a - b);
      for (const p of picked) {
        const s = series[p]!;
        if (cols.hists !== null) out.addH(slotOf(s), input[s]!.dropName, t, values[p]!, cols.hists[p]);
        else out.add(slotOf(s), input[s]!.dropName, t, values[p]!);
      }
    }
  }
  return out.series;
}

/** kCompare orders values for topk (descending) or bottomk (ascending), NaN always last. */
export function kCompare(a: number, b: number, desc: boolean): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  return desc ? b - a || 0 : a - b || 0;
}

/** aggregateLimitRatio keeps, at each step, the samples whose label hash falls within the ratio (limit_ratio). */
export function aggregateLimitRatio(ev: Evaluator, e: AggregateExpr, input: Matrix, params: Float64Array): Matrix {
  const { offsets, series, values, hists } = stepColumns(ev, input);
  const hashOffset = new Float64Array(input.length).fill(NaN);
  const out = new SlotCollector();
  const slotOf = seriesSlots(input, out);
  for (let i = 0; i < ev.nSteps; i++) {
    const param = params[i]!;
    if (Number.isNaN(param)) throw execError('Ratio value is NaN');
    let ratio = param;
    if (ratio > 1 || ratio < -1) {
      ratio = ratio > 1 ? 1 : -1;
      ev.ctx.annos.warn(ANNO.invalidRatio(formatG(param), formatG(ratio)), e.param!.pos);
    }
    const t = ev.stepTime(i);
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const s = series[p]!;
      let offset = hashOffset[s]!;
      if (Number.isNaN(offset)) hashOffset[s] = offset = labelsHashOffset(input[s]!.metric);
      if ((ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1 + ratio)) out.addH(slotOf(s), input[s]!.dropName, t, values[p]!, hists?.[p]);
    }
  }
  return out.series;
}

/** aggregateQuantile evaluates quantile per group and step, the groups resolved once per query. */
export function aggregateQuantile(ev: Evaluator, e: AggregateExpr, input: Matrix, grouping: Grouping, params: Float64Array): Matrix {
  const { offsets, series, values } = stepColumns(ev, input);
  const nGroups = grouping.metrics.length;
  const ofSeries = grouping.ofSeries;
  const groupValues: number[][] = [];
  for (let g = 0; g < nGroups; g++) groupValues.push([]);
  const stamp = new Int32Array(nGroups).fill(-1);
  const dropName = new Uint8Array(nGroups);
  const touched = new Int32Array(nGroups);
  const out = new SlotCollector();
  const slots = new Int32Array(nGroups).fill(-1);
  const hasName = grouping.metrics.map((m) => m.some((l) => l.name === METRIC_NAME));
  for (let i = 0; i < ev.nSteps; i++) {
    const param = params[i]!;
    if (Number.isNaN(param) || param < 0 || param > 1) ev.ctx.annos.warn(ANNO.invalidQuantile(formatG(param)), e.param!.pos);
    const t = ev.stepTime(i);
    let nTouched = 0;
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const s = series[p]!;
      const g = ofSeries[s]!;
      if (stamp[g] !== i) {
        stamp[g] = i;
        groupValues[g]!.length = 0;
        dropName[g] = 0;
        touched[nTouched++] = g;
      }
      groupValues[g]!.push(values[p]!);
      if (input[s]!.dropName) dropName[g] = 1;
    }
    for (let n = 0; n < nTouched; n++) {
      const g = touched[n]!;
      let slot = slots[g]!;
      if (slot < 0) slots[g] = slot = out.slot(grouping.metrics[g]!);
      out.add(slot, dropName[g] === 1 && hasName[g]!, t, quantile(param, groupValues[g]!));
    }
  }
  return out.series;
}

/** aggregateCountValues counts, per step, the samples of each value, the value written to `label`. */
export function aggregateCountValues(ev: Evaluator, input: Matrix, names: ReadonlySet<string>, without: boolean, label: string): Matrix {
  const { offsets, series, values, hists } = stepColumns(ev, input);
  const groupNames = without ? new Set([...names].filter((n) => n !== label)) : new Set([...names, label]);
  const out = new SlotCollector();
  const groups = new Map<number, { count: number; dropName: boolean; hasName: boolean }>();
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    groups.clear();
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const s = input[series[p]!]!;
      const h = hists?.[p];
      const metric = setLabel(s.metric, label, h === undefined ? formatF(values[p]!) : histogramString(h));
      const gl: Labels = without ? withoutLabels(metric, groupNames) : keepLabels(metric, groupNames);
      const slot = out.slot(gl);
      const g = groups.get(slot);
      if (g === undefined) groups.set(slot, { count: 1, dropName: s.dropName, hasName: gl.some((l) => l.name === METRIC_NAME) });
      else {
        g.count++;
        g.dropName = g.dropName || s.dropName;
      }
    }
    for (const [slot, g] of groups) out.add(slot, g.dropName && g.hasName, t, g.count);
  }
  return out.series;
}

const ENC = new TextEncoder();

/** labelsHashOffset maps a label set to [0, 1] by its xxhash64, as Prometheus's HashRatioSampler. */
function labelsHashOffset(ls: Labels): number {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (const l of ls) {
    const a = ENC.encode(l.name);
    const b = ENC.encode(l.value);
    parts.push(a, b);
    n += a.length + b.length + 2;
  }
  const buf = new Uint8Array(n);
  let p = 0;
  for (let i = 0; i < parts.length; i += 2) {
    buf.set(parts[i]!, p);
    p += parts[i]!.length;
    buf[p++] = 0xff;
    buf.set(parts[i + 1]!, p);
    p += parts[i + 1]!.length;
    buf[p++] = 0xff;
  }
  return Number(xxhash64(buf)) / 18446744073709551616;
}
