import { compareLabels, getLabel, METRIC_NAME, type Labels } from '../../model/labels.js';
import type { Call, Expr, MatrixSelector, SubqueryExpr } from '../parser/ast.js';
import { formatG } from '../functions/gofloat.js';
import { extendFloats, extendedRate } from '../functions/extended.js';
import { DATE_FUNCTIONS, SIMPLE_FUNCTIONS } from '../functions/instant.js';
import { KEEP_NAME_RANGE, RANGE_FUNCTIONS, type RangeCall, type RangeFn } from '../functions/range.js';
import { naturalLess } from '../functions/labels.js';
import { ANNO } from './annotations.js';
import { histogramFraction, histogramQuantile, histogramQuantiles } from './histogram-calls.js';
import { labelJoin, labelReplace } from './label-calls.js';
import { isSimpleHistogramFunction, simpleHistogramCall } from './native-histogram-calls.js';
import { evalInfo } from './info.js';
import { PromQLError, execError } from './errors.js';
import type { Evaluated } from './evaluated.js';
import { stepColumns } from './step-columns.js';
import type { Evaluator, RangeSource } from './evaluator.js';
import { setLabel } from './labels-util.js';
import { rateSelector, rateWindows } from './range-rate.js';
import { histogramSeriesWindows } from './histogram-range.js';
import { dropHistograms } from './aggregate-histograms.js';
import { hasHistograms } from './histogram-split.js';
import { STREAMED_RANGE_FUNCTIONS, streamRangeFn } from './range-stream.js';
import type { Matrix, MatrixSeries } from './value.js';

/** unwrap removes parentheses and step-invariant wrappers. */
export function unwrap(e: Expr): Expr {
  while (e.kind === 'ParenExpr' || e.kind === 'StepInvariantExpr') e = e.expr;
  return e;
}

const NATIVE_HISTOGRAM_FUNCS = new Set([
  'histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_fraction', 'histogram_stddev', 'histogram_stdvar',
]);

/** evalCall evaluates a function call over all steps. */
export function evalCall(ev: Evaluator, e: Call): Evaluated {
  const args = e.args.map(unwrap);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.kind === 'MatrixSelector' || a.kind === 'SubqueryExpr') return evalRangeCall(ev, e, args, i, a);
  }
  const name = e.func;
  const simple = SIMPLE_FUNCTIONS[name];
  if (simple !== undefined) return simpleCall(ev, e, args, (v, a) => simple(v, a));
  const date = DATE_FUNCTIONS[name];
  if (date !== undefined) {
    if (args.length === 0) {
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = 0; i < ev.nSteps; i++) {
        const t = ev.stepTime(i);
        ts.push(t);
        vs.push(date(Math.floor(t / 1000)));
      }
      return { kind: 'vector', m: [{ metric: [], ts, vs, dropName: false }] };
    }
    return simpleCall(ev, e, args, (v) => (Number.isFinite(v) ? date(v) : NaN));
  }
  switch (name) {
    case 'time': {
      const vs = new Float64Array(ev.nSteps);
      for (let i = 0; i < ev.nSteps; i++) vs[i] = ev.stepTime(i) / 1000;
      return { kind: 'scalar', vs };
    }
    case 'step':
    case 'range':
    case 'start':
    case 'end': {
      const c = ev.ctx;
      const v = name === 'step' ? c.queryStep : name === 'range' ? c.queryEnd - c.queryStart : name === 'start' ? c.queryStart : c.queryEnd;
      return { kind: 'scalar', vs: new Float64Array(ev.nSteps).fill(v / 1000) };
    }
    case 'min_of':
    case 'max_of': {
      const a = ev.evalScalar(args[0]!);
      const b = ev.evalScalar(args[1]!);
      return { kind: 'scalar', vs: a.map((x, i) => (name === 'min_of' ? Math.min(x, b[i]!) : Math.max(x, b[i]!))) };
    }
    case 'pi':
      return { kind: 'scalar', vs: new Float64Array(ev.nSteps).fill(Math.PI) };
    case 'vector': {
      const s = ev.evalScalar(args[0]!);
      const ts: number[] = [];
      for (let i = 0; i < ev.nSteps; i++) ts.push(ev.stepTime(i));
      return { kind: 'vector', m: [{ metric: [], ts, vs: Array.from(s), dropName: false }] };
    }
    case 'scalar': {
      const { offsets, values } = stepColumns(ev, dropHistograms(ev.evalVector(args[0]!)).m);
      const vs = new Float64Array(ev.nSteps);
      for (let i = 0; i < ev.nSteps; i++) vs[i] = offsets[i + 1]! - offsets[i]! === 1 ? values[offsets[i]!]! : NaN;
      return { kind: 'scalar', vs };
    }
    case 'timestamp': {
      const a = args[0]!;
      if (a.kind === 'VectorSelector') {
        const m = ev.vectorSelector(a, 'timestamp');
        return { kind: 'vector', m: m.map((s) => ({ ...s, dropName: true })) };
      }
      const m = ev.evalVector(a);
      return { kind: 'vector', m: m.map((s) => ({ metric: s.metric, ts: s.ts, vs: s.ts.map((t) => t / 1000), dropName: true })) };
    }
    case 'start_timestamp': {
      // Start timestamps are only known for samples read straight from storage: any other expression yields nothing.
      const a = args[0]!;
      if (a.kind !== 'VectorSelector') {
        ev.evalVector(a);
        return { kind: 'vector', m: [] };
      }
      const m = ev.vectorSelector(a, 'start_timestamp');
      return { kind: 'vector', m: m.map((s) => ({ ...s, dropName: true })) };
    }
    case 'absent': {
      const m = ev.evalVector(args[0]!);
      const present = new Set<number>();
      for (const s of m) for (const t of s.ts) present.add(t);
      const ts: number[] = [];
      for (let i = 0; i < ev.nSteps; i++) if (!present.has(ev.stepTime(i))) ts.push(ev.stepTime(i));
      if (ts.length === 0) return { kind: 'vector', m: [] };
      return { kind: 'vector', m: [{ metric: absentLabels(args[0]!), ts, vs: ts.map(() => 1), dropName: false }] };
    }
    case 'sort':
    case 'sort_desc':
    case 'sort_by_label':
    case 'sort_by_label_desc':
      return sortCall(ev, e, args);
    case 'label_replace':
      return labelReplace(ev, args);
    case 'label_join':
      return labelJoin(ev, args);
    case 'histogram_quantile':
      return histogramQuantile(ev, e, args);
    case 'histogram_quantiles':
      return histogramQuantiles(ev, e, args);
    case 'histogram_fraction':
      return histogramFraction(ev, e, args);
    case 'info':
      return evalInfo(ev, e);
    default:
      if (isSimpleHistogramFunction(name)) return simpleHistogramCall(ev, e, args);
      throw execError(`function ${JSON.stringify(name)} is not implemented in Amphora`);
  }
}

function scalarArgs(ev: Evaluator, args: readonly Expr[], skip: number): (Float64Array | null)[] {
  return args.map((a, i) => {
    if (i === skip) return null;
    const v = ev.eval(a);
    return v.kind === 'scalar' ? v.vs : null;
  });
}

function simpleCall(ev: Evaluator, e: Call, args: readonly Expr[], fn: (v: number, a: number[]) => number): Evaluated {
  const m = ev.evalVector(args[0]!);
  const sargs = scalarArgs(ev, args, 0);
  const a: number[] = new Array(args.length).fill(0);
  const out: Matrix = [];
  for (const s of m) {
    const ts: number[] = [];
    const vs: number[] = [];
    const hs = s.hs;
    for (let j = 0; j < s.ts.length; j++) {
      // Math and date functions act on floats only: histogram samples are dropped.
      if (hs !== undefined && hs[j] !== undefined) continue;
      const t = s.ts[j]!;
      const step = Math.round((t - ev.start) / ev.interval);
      for (let k = 1; k < sargs.length; k++) a[k] = sargs[k]![step]!;
      if (e.func === 'clamp' && a[2]! < a[1]!) continue;
      ts.push(t);
      vs.push(fn(s.vs[j]!, a));
    }
    if (ts.length > 0) out.push({ metric: s.metric, ts, vs, dropName: true });
  }
  return { kind: 'vector', m: out };
}

function absentLabels(e: Expr): Labels {
  let matchers;
  if (e.kind === 'VectorSelector') matchers = e.matchers;
  else if (e.kind === 'MatrixSelector') matchers = e.vectorSelector.matchers;
  else return [];
  let out: Labels = [];
  const has = new Set<string>();
  for (const m of matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !has.has(m.name)) {
      out = setLabel(out, m.name, m.value);
      has.add(m.name);
    } else out = setLabel(out, m.name, '');
  }
  return out;
}

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

/** plainRateSelector returns the plain matrix selector of rate/increase/delta(<selector>[d]) — the calls rateSelector evaluates — or null. */
export function plainRateSelector(e: Expr): MatrixSelector | null {
  if (e.kind !== 'Call' || (e.func !== 'rate' && e.func !== 'increase' && e.func !== 'delta') || e.args.length !== 1) return null;
  const arg = unwrap(e.args[0]!);
  return arg.kind === 'MatrixSelector' && !arg.vectorSelector.anchored && !arg.vectorSelector.smoothed ? arg : null;
}

/** noteNonCounter adds the info that rate/increase ran over a metric not named as a counter (once per output series). */
export function noteNonCounter(ev: Evaluator, e: Call, idx: number, metric: Labels): void {
  if (e.func !== 'rate' && e.func !== 'increase') return;
  const metricName = getLabel(metric, METRIC_NAME);
  if (metricName !== '' && !COUNTER_SUFFIXES.some((x) => metricName.endsWith(x))) {
    ev.ctx.annos.info(ANNO.possibleNonCounter(metricName), e.args[idx]!.pos);
  }
}

function evalRangeCall(ev: Evaluator, e: Call, args: readonly Expr[], idx: number, arg: MatrixSelector | SubqueryExpr): Evaluated {
  const name = e.func;
  if ((name === 'rate' || name === 'increase' || name === 'delta') && arg.kind === 'MatrixSelector' && !arg.vectorSelector.anchored && !arg.vectorSelector.smoothed) {
    return rangeCallResult(ev, e, idx, rateSelector(ev, arg, name !== 'delta', name === 'rate', e));
  }
  if (STREAMED_RANGE_FUNCTIONS.has(name) && args.length === 1 && arg.kind === 'MatrixSelector' && !arg.vectorSelector.anchored && !arg.vectorSelector.smoothed) {
    return rangeCallResult(ev, e, idx, streamRangeFn(ev, arg, RANGE_FUNCTIONS[name]!, KEEP_NAME_RANGE.has(name), e));
  }
  const src: RangeSource = ev.rangeSource(arg);
  const sargs = scalarArgs(ev, args, idx);
  if (name === 'absent_over_time') {
    const present = new Uint8Array(ev.nSteps);
    ev.forEachWindow(src, (_s, i, _t, lo, hi) => {
      if (hi <= lo) return;
      present[i] = 1;
      ev.samples.addAtStep(i, hi - lo);
    });
    const ts: number[] = [];
    for (let i = 0; i < ev.nSteps; i++) if (!present[i]) ts.push(ev.stepTime(i));
    if (ts.length === 0) return { kind: 'vector', m: [] };
    return { kind: 'vector', m: [{ metric: absentLabels(arg), ts, vs: ts.map(() => 1), dropName: false }] };
  }
  const fn = RANGE_FUNCTIONS[name];
  if (fn === undefined) {
    if (NATIVE_HISTOGRAM_FUNCS.has(name)) return { kind: 'vector', m: [] };
    throw new PromQLError('bad_data', `function ${JSON.stringify(name)} does not take a range vector or is not implemented`);
  }
  if (src.mode !== 'plain') {
    const allowed = src.mode === 'anchored' ? ['changes', 'delta', 'increase', 'rate', 'resets'] : ['delta', 'increase', 'rate'];
    if (!allowed.includes(name)) throw execError(`${src.mode} modifier can only be used with: ${allowed.join(', ')} - not with ${name}`);
  }
  const extended = src.mode !== 'plain';
  const smoothed = src.mode === 'smoothed';
  const keepName = KEEP_NAME_RANGE.has(name);
  const out: Matrix =
    !extended && (name === 'rate' || name === 'increase' || name === 'delta')
      ? rateWindows(ev, src, name !== 'delta', name === 'rate', e)
      : rangeCallWindows(ev, e, src, sargs, fn, keepName, extended, smoothed);
  return rangeCallResult(ev, e, idx, out);
}

/** rangeCallResult drops empty output series and notes rate/increase over metrics not named as counters. */
function rangeCallResult(ev: Evaluator, e: Call, idx: number, out: Matrix): Evaluated {
  const name = e.func;
  const res = out.filter((s) => s.ts.length > 0);
  if (name === 'rate' || name === 'increase') for (const s of res) noteNonCounter(ev, e, idx, s.metric);
  return { kind: 'vector', m: res };
}

/** rangeCallWindows applies a range function to every series' window at every step (one output series per input series). */
function rangeCallWindows(ev: Evaluator, e: Call, src: RangeSource, sargs: (Float64Array | null)[], fn: RangeFn, keepName: boolean, extended: boolean, smoothed: boolean): Matrix {
  const name = e.func;
  const call: RangeCall = { ts: [], vs: [], st: null, lo: 0, hi: 0, evalTs: 0, rangeStart: 0, rangeEnd: 0, args: new Array(e.args.length).fill(0) };
  const out: Matrix = [];
  let cur: MatrixSeries | null = null;
  let curSrc: MatrixSeries | null = null;
  const argPos = e.args[0]!.pos;
  const histSeries = extended ? [] : src.series.filter((s) => s.hs !== undefined);
  for (const s of histSeries) {
    const { range, offset, at } = src;
    out.push(histogramSeriesWindows(ev, e, { metric: s.metric, ts: s.ts, vs: s.vs, hs: s.hs!, n: s.ts.length, range, offset, at, sargs, dropName: keepName ? s.dropName : true }, fn));
  }
  ev.forEachWindow(src, (s, i, t, lo, hi, ref) => {
    if (s.hs !== undefined && !extended) return;
    if (s !== curSrc) {
      curSrc = s;
      cur = { metric: s.metric, ts: [], vs: [], dropName: keepName ? s.dropName : true };
      out.push(cur);
    }
    if (hi <= lo) return;
    ev.samples.addAtStep(i, hi - lo);
    call.ts = s.ts;
    call.vs = s.vs;
    // Start timestamps apply to plain windows only (as Prometheus, anchored and smoothed windows ignore them).
    call.st = extended ? null : (s.st ?? null);
    call.lo = lo;
    call.hi = hi;
    call.evalTs = t;
    call.rangeStart = ref - src.range;
    call.rangeEnd = ref;
    for (let k = 0; k < sargs.length; k++) {
      const a = sargs[k];
      if (a) call.args[k] = a[i]!;
    }
    if (name === 'quantile_over_time') {
      const q = call.args[0]!;
      if (Number.isNaN(q) || q < 0 || q > 1) ev.ctx.annos.warn(ANNO.invalidQuantile(formatG(q)), argPos);
    } else if (name === 'double_exponential_smoothing' || name === 'holt_winters') {
      const sf = call.args[1]!;
      const tf = call.args[2]!;
      if (!(sf > 0 && sf < 1)) throw execError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf.toFixed(6)}`);
      if (!(tf > 0 && tf < 1)) throw execError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf.toFixed(6)}`);
    }
    let v: number | null;
    if (!extended) v = fn(call);
    else if (name === 'rate' || name === 'increase' || name === 'delta') {
      v = extendedRate(s.ts, s.vs, lo, hi, call.rangeStart, call.rangeEnd, smoothed, name !== 'delta', name === 'rate');
    } else {
      const x = extendFloats(s.ts, s.vs, lo, hi, call.rangeStart, call.rangeEnd, smoothed);
      if (x.ts.length === 0) return;
      call.ts = x.ts;
      call.vs = x.vs;
      call.lo = 0;
      call.hi = x.ts.length;
      v = fn(call);
    }
    if (v === null) return;
    cur!.ts.push(t);
    cur!.vs.push(v);
  });
  return out;
}

function sortCall(ev: Evaluator, e: Call, args: readonly Expr[]): Evaluated {
  const m = ev.evalVector(args[0]!).slice();
  if (ev.ctx.isRange) {
    ev.ctx.annos.warn('sort is ineffective for range queries since results are always ordered by labels', e.pos);
    return { kind: 'vector', m };
  }
  const name = e.func;
  if (name === 'sort' || name === 'sort_desc') {
    // As Prometheus's filterFloats: histogram samples are left out of sort and sort_desc.
    if (hasHistograms(m)) {
      const f = dropHistograms(m).m;
      m.length = 0;
      m.push(...f);
    }
    const desc = name === 'sort_desc';
    m.sort((a, b) => {
      const x = a.vs[0]!;
      const y = b.vs[0]!;
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      if (xn || yn) return xn && yn ? 0 : xn ? 1 : -1;
      return desc ? (y > x ? 1 : y < x ? -1 : 0) : x > y ? 1 : x < y ? -1 : 0;
    });
    return { kind: 'vector', m };
  }
  const names: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const v = ev.eval(args[i]!);
    if (v.kind !== 'string') throw new PromQLError('bad_data', `${name} expects label names as strings`);
    names.push(v.v);
  }
  const desc = name === 'sort_by_label_desc';
  m.sort((a, b) => {
    for (const n of names) {
      const x = getLabel(a.metric, n);
      const y = getLabel(b.metric, n);
      if (x === y) continue;
      const c = naturalLess(x, y) ? -1 : 1;
      return desc ? -c : c;
    }
    const c = compareLabels(a.metric, b.metric);
    return desc ? -c : c;
  });
  return { kind: 'vector', m };
}

/** stringArg evaluates an argument that must be a string. */
export function stringArg(ev: Evaluator, e: Expr): string {
  const v = ev.eval(e);
  if (v.kind !== 'string') throw new PromQLError('bad_data', `expected string argument, got ${v.kind}`);
  return v.v;
}

