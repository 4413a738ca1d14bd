import type { Labels } from '../../model/labels.js';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import { copyFloatHistogram } from '../../model/histogram/copy.js';
import { mulFloatHistogram } from '../../model/histogram/scale.js';
import { detectReset } from '../../model/histogram/detect-reset.js';
import { CounterResetHint, type FloatHistogram } from '../../model/histogram/types.js';
import { histogramSize, weightedCount, weightedPoints } from './histogram-size.js';
import type { AtModifier, DurationExpr, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from '../parser/ast.js';
import { durationIsConstant, evalDurationExpr } from '../parser/durations.js';
import { assertNever } from '../parser/ast.js';
import { extendFloats } from '../functions/extended.js';
import { evalAggregate } from './aggregate.js';
import { evalBinary } from './binary.js';
import { evalCall } from './calls.js';
import { account, checkAbort, release, type QueryContext } from './context.js';
import { PromQLError } from './errors.js';
import { pointCount, type Evaluated } from './evaluated.js';
import { SampleStats } from './sample-stats.js';
import type { Matrix, MatrixSeries } from './value.js';

/** RangeWindow is how a range-vector argument's windows are cut from its series. */
export interface RangeWindow {
  readonly range: number;
  readonly offset: number;
  /** at is the resolved @ time, or null to use each step's time. */
  readonly at: number | null;
  /** mode is the Prometheus 3.7 range modifier: the window is widened by lookback (anchored) or on both sides (smoothed). */
  readonly mode: 'plain' | 'anchored' | 'smoothed';
  /** lookback is the lookback delta that anchored/smoothed windows are widened by. */
  readonly lookback: number;
}

/** RangeSource is the data behind a range-vector argument: raw series and how windows are cut from them. */
export interface RangeSource extends RangeWindow {
  readonly series: Matrix;
  /** expr is the matrix selector or subquery (for positions in annotations). */
  readonly expr: MatrixSelector | SubqueryExpr;
  /** innerSamples are the samples a subquery's evaluation counted (0 for a matrix selector). */
  readonly innerSamples: number;
}

// Scratch buffers of readRange (one series at a time; evaluation is synchronous).
let scratchTs = new Float64Array(1024);
let scratchVs = new Float64Array(1024);
let scratchSt = new Float64Array(1024);

/** SelectorOutput is what a vector selector yields at each step: the sample's value, its timestamp or its start timestamp (seconds). */
export type SelectorOutput = 'value' | 'timestamp' | 'start_timestamp';

/** Evaluator evaluates expressions at every step of [start, end] with a fixed interval. */
export class Evaluator {
  /** nSteps is the number of evaluation steps. */
  readonly nSteps: number;

  /** samples counts the samples read, per step of this evaluator (see SampleStats). */
  readonly samples: SampleStats;

  constructor(
    readonly ctx: QueryContext,
    readonly start: number,
    readonly end: number,
    readonly interval: number,
    samples?: SampleStats,
  ) {
    this.nSteps = Math.floor((end - start) / interval) + 1;
    this.samples = samples ?? new SampleStats(this.nSteps);
  }

  /** stepTime returns the timestamp of step i. */
  stepTime(i: number): number {
    return this.start + i * this.interval;
  }

  /** resolveAt turns an @ modifier into a timestamp, or null when absent. */
  resolveAt(at: AtModifier): number | null {
    switch (at.kind) {
      case 'none':
        return null;
      case 'timestamp':
        return at.ms;
      case 'start':
        return this.ctx.queryStart;
      case 'end':
        return this.ctx.queryEnd;
      default:
        return assertNever(at);
    }
  }

  /** dur resolves a duration that may be written as an expression using step()/range()/start()/end(). */
  dur(expr: DurationExpr | undefined, fallback: number): number {
    if (expr === undefined || durationIsConstant(expr)) return fallback;
    const c = this.ctx;
    return evalDurationExpr(expr, { step: c.queryStep, range: c.queryEnd - c.queryStart, start: c.queryStart, end: c.queryEnd });
  }

  /** eval evaluates an expression over all steps. */
  eval(e: Expr): Evaluated {
    checkAbort(this.ctx);
    switch (e.kind) {
      case 'NumberLiteral':
        return { kind: 'scalar', vs: new Float64Array(this.nSteps).fill(e.value) };
      case 'StringLiteral':
        return { kind: 'string', v: e.value };
      case 'ParenExpr':
      case 'StepInvariantExpr':
        return this.eval(e.expr);
      case 'UnaryExpr': {
        const v = this.eval(e.expr);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', vs: v.vs.map((x) => -x) };
        if (v.kind === 'vector') {
          return {
            kind: 'vector',
            m: v.m.map((s) => {
              const o: MatrixSeries = { metric: s.metric, ts: s.ts, vs: s.vs.map((x) => -x), dropName: true };
              if (s.hs !== undefined) o.hs = s.hs.map((h) => (h === undefined ? undefined : mulFloatHistogram(h, -1)));
              return o;
            }),
          };
        }
        throw new PromQLError('bad_data', `unary expression only allowed on expressions of type scalar or instant vector, got "${v.kind}"`);
      }
      case 'VectorSelector':
        return { kind: 'vector', m: this.vectorSelector(e, 'value') };
      case 'MatrixSelector':
      case 'SubqueryExpr': {
        const src = this.rangeSource(e);
        const m = this.rangeAtSteps(src);
        // As Prometheus: a bare range selector counts the samples it returns, a bare subquery what its evaluation read.
        this.samples.addAtStep(this.nSteps - 1, e.kind === 'MatrixSelector' ? weightedPoints(m) : src.innerSamples);
        return { kind: 'range', m };
      }
      case 'AggregateExpr':
        return this.accounted(() => evalAggregate(this, e));
      case 'BinaryExpr':
        return this.accounted(() => evalBinary(this, e));
      case 'Call':
        return this.accounted(() => evalCall(this, e));
      default:
        return assertNever(e);
    }
  }

  /** accounted runs a node's evaluation, then releases its inputs' samples and holds its output's instead. */
  private accounted(fn: () => Evaluated): Evaluated {
    const before = this.ctx.stats.currentSamples;
    const res = fn();
    release(this.ctx, this.ctx.stats.currentSamples - before);
    if (res.kind === 'vector' || res.kind === 'range') account(this.ctx, pointCount(res.m));
    return res;
  }

  /** evalScalar evaluates an expression that must produce a scalar. */
  evalScalar(e: Expr): Float64Array {
    const v = this.eval(e);
    if (v.kind !== 'scalar') throw new PromQLError('bad_data', `expected type scalar, got ${v.kind}`);
    return v.vs;
  }

  /** evalVector evaluates an expression that must produce an instant vector. */
  evalVector(e: Expr): Matrix {
    const v = this.eval(e);
    if (v.kind !== 'vector') throw new PromQLError('bad_data', `expected type instant vector, got ${v.kind}`);
    return v.m;
  }

  /** vectorSelector evaluates a selector at every step: values, or the samples' timestamps or start timestamps in seconds. */
  vectorSelector(e: VectorSelector, output: SelectorOutput): Matrix {
    const withTimestamps = output !== 'value';
    const wantST = output === 'start_timestamp';
    const at = this.resolveAt(e.at);
    const lookback = this.ctx.lookbackDelta;
    const offset = this.dur(e.offsetExpr, e.offset);
    const firstRef = (at ?? this.start) - offset;
    const lastRef = (at ?? this.end) - offset;
    const smoothed = e.smoothed === true;
    const maxt = lastRef + (smoothed ? lookback : 0);
    const q = this.ctx.queryable.querier(firstRef - lookback + 1, maxt);
    this.ctx.queriers.push(q);
    const set = q.select(true, { start: firstRef - lookback + 1, end: maxt, step: this.interval }, e.matchers);
    const out: Matrix = [];
    let total = 0;
    const perStep = this.samples.perStep;
    const start = this.start;
    const interval = this.interval;
    const nSteps = this.nSteps;
    while (set.next()) {
      checkAbort(this.ctx);
      const series = set.at();
      const it = series.iterator();
      let ok = it.seek(firstRef - lookback + 1);
      // nt caches the iterator's current timestamp (valid while ok).
      let nt = ok ? it.atT() : 0;
      let lastT = -Infinity;
      let lastV = 0;
      let lastST = 0;
      const ts: number[] = [];
      const vs: number[] = [];
      // Histogram samples only on series whose iterator can yield them: lastH is the last sample's histogram (copied once).
      const readH = !withTimestamps && it.atFloatHistogram !== undefined;
      const statsDecoding = (this.ctx.statsDecoding ?? 0) > 0;
      let lastH: FloatHistogram | undefined;
      let hs: (FloatHistogram | undefined)[] | undefined;
      for (let i = 0; i < nSteps; i++) {
        const t = start + i * interval;
        const ref = (at ?? t) - offset;
        if (ok && nt <= ref - lookback) {
          ok = it.seek(ref - lookback + 1);
          if (ok) nt = it.atT();
        }
        while (ok && nt <= ref) {
          lastT = nt;
          lastV = it.atV();
          if (readH) {
            const h = it.atFloatHistogram!();
            const prevH = lastH;
            lastH = h === undefined ? undefined : isStaleNaN(h.sum) ? undefined : copyFloatHistogram(h);
            if (h !== undefined && isStaleNaN(h.sum)) lastV = STALE_NAN;
            if (statsDecoding && lastH !== undefined && prevH !== undefined) markReset(lastH, prevH);
          }
          if (wantST) lastST = it.atST();
          ok = it.next();
          if (ok) nt = it.atT();
        }
        if (lastT > ref - lookback && lastT <= ref && !isStaleNaN(lastV)) {
          if (lastH !== undefined) {
            hs ??= new Array<FloatHistogram | undefined>(ts.length);
            hs[ts.length] = lastH;
            ts.push(t);
            vs.push(0);
            if (perStep !== null) perStep[i]! += histogramSize(lastH);
            continue;
          }
          let v = wantST ? lastST / 1000 : withTimestamps ? lastT / 1000 : lastV;
          if (smoothed && !withTimestamps && lastT < ref && ok && nt <= ref + lookback && !isStaleNaN(it.atV())) {
            // smoothed: interpolate linearly between the samples around the evaluation time.
            v = lastV + ((it.atV() - lastV) * (ref - lastT)) / (nt - lastT);
          }
          ts.push(t);
          vs.push(v);
          if (perStep !== null) perStep[i]!++;
        }
      }
      if (ts.length > 0) {
        const ms: MatrixSeries = { metric: series.labels, ts, vs, dropName: false };
        if (hs !== undefined) {
          hs.length = ts.length;
          ms.hs = hs;
        }
        out.push(ms);
        total += hs === undefined ? ts.length : weightedCount(ms);
      }
    }
    for (const w of set.warnings()) this.ctx.annos.warn(w, null);
    this.samples.total += total;
    account(this.ctx, total);
    return out;
  }

  /** rangeSource loads the data behind a matrix selector or a subquery for all steps. */
  rangeSource(e: MatrixSelector | SubqueryExpr): RangeSource {
    if (e.kind === 'MatrixSelector') {
      const series: Matrix = [];
      const window = this.matrixWindow(e);
      this.readRange(e, window, (labels, ts, vs, n, st, hs) => {
        const sts: number[] = new Array<number>(n);
        const svs: number[] = new Array<number>(n);
        for (let i = 0; i < n; i++) {
          sts[i] = ts[i]!;
          svs[i] = vs[i]!;
        }
        const ms: MatrixSeries = { metric: labels, ts: sts, vs: svs, dropName: false };
        if (st !== null) ms.st = Array.from(st.subarray(0, n));
        if (hs !== null) ms.hs = hs;
        series.push(ms);
      });
      return { series, ...window, expr: e, innerSamples: 0 };
    }
    const at = this.resolveAt(e.at);
    const stepMs = this.dur(e.stepExpr, e.step);
    const step = stepMs > 0 ? stepMs : this.ctx.defaultSubqueryStep;
    const offset = this.dur(e.offsetExpr, e.offset);
    const range = this.dur(e.rangeExpr, e.range);
    const firstRef = (at ?? this.start) - offset;
    const lastRef = (at ?? this.end) - offset;
    let subStart = step * Math.floor((firstRef - range) / step);
    if (subStart <= firstRef - range) subStart += step;
    // The subquery's own reads are not counted where it feeds a function (the function counts its windows).
    const inner = new Evaluator(this.ctx, subStart, Math.max(subStart, lastRef), step, this.samples.child());
    const v = subStart > lastRef ? ({ kind: 'vector', m: [] } as Evaluated) : inner.eval(e.expr);
    let series: Matrix;
    if (v.kind === 'vector') series = v.m.map(unknownResetHints);
    else if (v.kind === 'scalar') {
      const ts: number[] = [];
      for (let i = 0; i < inner.nSteps; i++) ts.push(inner.stepTime(i));
      series = [{ metric: [], ts, vs: Array.from(v.vs), dropName: false }];
    } else throw new PromQLError('bad_data', `subquery is only allowed on instant vector, got ${v.kind}`);
    return { series, range, offset, at, mode: 'plain', lookback: 0, expr: e, innerSamples: inner.samples.total };
  }

  /**
   * readRange streams a matrix selector's samples (stale markers dropped) series by series through fn, in
   * scratch typed arrays valid only during the call (ts[0..n), vs[0..n), and st[0..n) the start timestamps, 0 when
   * unknown, or null when no sample of the series has one); the samples are accounted as held, as a loaded
   * RangeSource's are.
   */
  readRange(
    e: MatrixSelector,
    w: RangeWindow,
    fn: (labels: Labels, ts: Float64Array, vs: Float64Array, n: number, st: Float64Array | null, hs: (FloatHistogram | undefined)[] | null) => void,
  ): void {
    const vsel = e.vectorSelector;
    const { at, offset, range, mode, lookback } = w;
    const firstRef = (at ?? this.start) - offset;
    const lastRef = (at ?? this.end) - offset + (mode === 'smoothed' ? lookback : 0);
    const mint = firstRef - range - (mode === 'plain' ? 0 : lookback) + 1;
    const q = this.ctx.queryable.querier(mint, lastRef);
    this.ctx.queriers.push(q);
    const set = q.select(true, { start: mint, end: lastRef, range }, vsel.matchers);
    let total = 0;
    let ts = scratchTs;
    let vs = scratchVs;
    let st = scratchSt;
    while (set.next()) {
      checkAbort(this.ctx);
      const s = set.at();
      const it = s.iterator();
      let n = 0;
      let anyST = false;
      // hs (a fresh array per series, kept by the callee) holds copies of the series' histogram samples, if any.
      const readH = it.atFloatHistogram !== undefined;
      const statsDecoding = (this.ctx.statsDecoding ?? 0) > 0;
      let hs: (FloatHistogram | undefined)[] | null = null;
      let weight = 0;
      let ok = it.seek(mint);
      while (ok) {
        const t = it.atT();
        if (t > lastRef) break;
        let v = it.atV();
        if (readH) {
          const h = it.atFloatHistogram!();
          if (h !== undefined) {
            if (isStaleNaN(h.sum)) v = STALE_NAN;
            else {
              hs ??= [];
              hs[n] = copyFloatHistogram(h);
              const prev = n > 0 ? hs[n - 1] : undefined;
              if (statsDecoding && prev !== undefined) markReset(hs[n]!, prev);
              weight += histogramSize(h) - 1;
              v = 0;
            }
          }
        }
        if (!isStaleNaN(v)) {
          if (n === ts.length) {
            const nts = new Float64Array(ts.length * 2);
            nts.set(ts);
            const nvs = new Float64Array(vs.length * 2);
            nvs.set(vs);
            const nst = new Float64Array(st.length * 2);
            nst.set(st);
            scratchTs = ts = nts;
            scratchVs = vs = nvs;
            scratchSt = st = nst;
          }
          ts[n] = t;
          vs[n] = v;
          const sst = it.atST();
          st[n] = sst;
          if (sst !== 0) anyST = true;
          n++;
        }
        ok = it.next();
      }
      if (hs !== null) hs.length = n;
      fn(s.labels, ts, vs, n, anyST ? st : null, hs);
      total += n + weight;
    }
    for (const w of set.warnings()) this.ctx.annos.warn(w, null);
    account(this.ctx, total);
  }

  /** matrixWindow resolves how a matrix selector's windows are cut (@, offset, range, anchored/smoothed). */
  matrixWindow(e: MatrixSelector): RangeWindow {
    const vsel = e.vectorSelector;
    return {
      at: this.resolveAt(vsel.at),
      offset: this.dur(vsel.offsetExpr, vsel.offset),
      range: this.dur(e.rangeExpr, e.range),
      mode: vsel.anchored ? 'anchored' : vsel.smoothed ? 'smoothed' : 'plain',
      lookback: this.ctx.lookbackDelta,
    };
  }

  /** forEachWindow calls fn for every series and step with the window (ref - range, ref] as [lo, hi). */
  forEachWindow(src: RangeSource, fn: (s: MatrixSeries, step: number, t: number, lo: number, hi: number, ref: number) => void): void {
    for (const s of src.series) {
      checkAbort(this.ctx);
      let lo = 0;
      let hi = 0;
      const n = s.ts.length;
      for (let i = 0; i < this.nSteps; i++) {
        const t = this.start + i * this.interval;
        const ref = (src.at ?? t) - src.offset;
        const from = ref - src.range - (src.mode === 'plain' ? 0 : src.lookback);
        const to = ref + (src.mode === 'smoothed' ? src.lookback : 0);
        if (src.at !== null) {
          lo = 0;
          hi = 0;
        }
        while (hi < n && s.ts[hi]! <= to) hi++;
        while (lo < hi && s.ts[lo]! <= from) lo++;
        fn(s, i, t, lo, hi, ref);
      }
    }
  }

  /** rangeAtSteps materialises a range vector for an instant query (the windows at the single step). */
  rangeAtSteps(src: RangeSource): Matrix {
    if (this.nSteps !== 1) {
      throw new PromQLError('bad_data', 'invalid expression type "range vector" for range query, must be Scalar or instant Vector');
    }
    const out: Matrix = [];
    this.forEachWindow(src, (s, _i, _t, lo, hi, ref) => {
      if (src.mode !== 'plain') {
        const x = extendFloats(s.ts, s.vs, lo, hi, ref - src.range, ref, src.mode === 'smoothed');
        if (x.ts.length > 0) out.push({ metric: s.metric, ts: x.ts, vs: x.vs, dropName: s.dropName });
        return;
      }
      if (hi > lo) {
        const ms: MatrixSeries = { metric: s.metric, ts: s.ts.slice(lo, hi), vs: s.vs.slice(lo, hi), dropName: s.dropName };
        if (s.hs !== undefined) ms.hs = s.hs.slice(lo, hi);
        out.push(ms);
      }
    });
    return out;
  }
}

/**
 * unknownResetHints sets the counter-reset hints of a subquery's histograms to Unknown (gauges stay), as Prometheus:
 * a subquery may skip or repeat the sample a hint refers to, so resets are detected from the data instead.
 */
function unknownResetHints(s: MatrixSeries): MatrixSeries {
  if (s.hs === undefined) return s;
  const hs = s.hs.map((h) =>
    h !== undefined && (h.counterResetHint === CounterResetHint.NotCounterReset || h.counterResetHint === CounterResetHint.CounterReset)
      ? { ...h, counterResetHint: CounterResetHint.Unknown }
      : h,
  );
  return { ...s, hs };
}

/** markReset sets the CounterReset hint on a counter histogram whose counts fell since prev (Prometheus's HistogramStatsIterator). */
function markReset(h: FloatHistogram, prev: FloatHistogram): void {
  if (h.counterResetHint === CounterResetHint.Gauge || h.counterResetHint === CounterResetHint.CounterReset) return;
  if (detectReset({ ...h, counterResetHint: CounterResetHint.Unknown }, prev)) h.counterResetHint = CounterResetHint.CounterReset;
}
