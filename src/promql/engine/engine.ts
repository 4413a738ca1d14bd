import { compareLabels, labelsKey, type Labels } from '../../model/labels.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import type { Queryable } from '../../storage/interface.js';
import { parseExpr, type Expr } from '../parser/index.js';
import { Annotations } from './annotations.js';
import { SAME_LABELSET } from './collector.js';
import { release, type QueryContext } from './context.js';
import { PromQLError } from './errors.js';
import { Evaluator } from './evaluator.js';
import { dropMetricName } from './labels-util.js';
import type { Matrix, MatrixSeries, Value, Vector } from './value.js';

/** EngineOptions configure the PromQL engine. */
export interface EngineOptions {
  /** lookbackDelta (ms) is how far back an instant selector looks for a sample (default 5m). */
  lookbackDelta: number;
  /** maxSamples caps the samples a query may hold in memory at once (default 50e6). */
  maxSamples: number;
  /** timeout (ms) bounds a query's run time (default 2m). */
  timeout: number;
  /** defaultSubqueryStep (ms) is the step of subqueries without one (default 1m). */
  defaultSubqueryStep: number;
  /** now is the clock used for timeouts. */
  now: () => number;
}

/** defaultEngineOptions returns the defaults of every engine option. */
export function defaultEngineOptions(): EngineOptions {
  return { lookbackDelta: 5 * 60_000, maxSamples: 50_000_000, timeout: 120_000, defaultSubqueryStep: 60_000, now: Date.now };
}

/** QueryResult is a query's value with its annotations and statistics. */
export interface QueryResult {
  value: Value;
  warnings: string[];
  infos: string[];
  stats: QueryStats;
}

/** QueryStats are Prometheus's sample statistics of a query. */
export interface QueryStats {
  /** totalSamples is the number of samples read (Prometheus's totalQueryableSamples). */
  totalSamples: number;
  /** peakSamples is the most samples held in memory at once. */
  peakSamples: number;
  /** samplesPerStep is totalSamples split by evaluation step: index i is the step at start + i * step (one entry for an instant query). */
  samplesPerStep: number[];
}

/** QueryOptions are per-query settings. */
export interface QueryOptions {
  signal?: AbortSignal;
}

/** Engine evaluates PromQL over a Queryable handed in per query. */
export class Engine {
  /** opts are the resolved options. */
  readonly opts: EngineOptions;

  constructor(opts: Partial<EngineOptions> = {}) {
    const o = defaultEngineOptions();
    for (const [k, v] of Object.entries(opts)) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
    if (!(o.lookbackDelta > 0)) throw new PromQLError('bad_data', 'lookbackDelta must be positive');
    this.opts = o;
  }

  /** instantQuery evaluates a query at one time (ms). */
  instantQuery(q: Queryable, query: string | Expr, ts: number, opts: QueryOptions = {}): QueryResult {
    return this.run(q, query, ts, ts, 1, false, opts);
  }

  /** rangeQuery evaluates a query at every step (ms) of [start, end]. */
  rangeQuery(q: Queryable, query: string | Expr, start: number, end: number, step: number, opts: QueryOptions = {}): QueryResult {
    if (!(step > 0)) throw new PromQLError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
    if (end < start) throw new PromQLError('bad_data', 'end timestamp must not be before start time');
    return this.run(q, query, start, end, step, true, opts);
  }

  private run(q: Queryable, query: string | Expr, start: number, end: number, step: number, isRange: boolean, opts: QueryOptions): QueryResult {
    const text = typeof query === 'string' ? query : '';
    let expr: Expr;
    try {
      expr = typeof query === 'string' ? parseExpr(query) : query;
    } catch (err) {
      throw new PromQLError('bad_data', (err as Error).message, { cause: err });
    }
    const annos = new Annotations();
    const ctx: QueryContext = {
      queryable: q,
      lookbackDelta: this.opts.lookbackDelta,
      maxSamples: this.opts.maxSamples,
      defaultSubqueryStep: this.opts.defaultSubqueryStep,
      queryStart: start,
      queryEnd: end,
      queryStep: isRange ? step : 0,
      isRange,
      annos,
      queriers: [],
      stats: { currentSamples: 0, peakSamples: 0 },
      deadline: this.opts.now() + this.opts.timeout,
      now: this.opts.now,
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    try {
      const ev = new Evaluator(ctx, start, end, step);
      const res = ev.eval(expr);
      let value: Value;
      switch (res.kind) {
        case 'scalar':
          if (isRange) {
            const ts: number[] = [];
            for (let i = 0; i < ev.nSteps; i++) ts.push(ev.stepTime(i));
            value = { kind: 'matrix', series: [{ metric: [], ts, vs: Array.from(res.vs), dropName: false }] };
          } else value = { kind: 'scalar', t: start, v: res.vs[0]! };
          break;
        case 'string':
          if (isRange) throw new PromQLError('bad_data', 'invalid expression type "string" for range query, must be Scalar or instant Vector');
          value = { kind: 'string', t: start, v: res.v };
          break;
        case 'vector':
          value = isRange ? { kind: 'matrix', series: sortMatrix(cleanupMatrix(res.m)) } : { kind: 'vector', samples: cleanupVector(res.m, start) };
          break;
        case 'range':
          value = { kind: 'matrix', series: sortMatrix(cleanupMatrix(res.m)) };
          break;
      }
      release(ctx, ctx.stats.currentSamples);
      const r = annos.render(text);
      const stats: QueryStats = {
        totalSamples: ev.samples.total,
        peakSamples: ctx.stats.peakSamples,
        samplesPerStep: Array.from(ev.samples.perStep ?? []),
      };
      return { value, warnings: r.warnings, infos: r.infos, stats };
    } finally {
      for (const qr of ctx.queriers) qr.close();
    }
  }
}

function cleanupVector(m: Matrix, t: number): Vector {
  const out: Vector = [];
  const seen = new Set<string>();
  for (const s of m) {
    if (s.ts.length === 0) continue;
    const metric = s.dropName ? dropMetricName(s.metric) : s.metric;
    const k = labelsKey(metric);
    if (seen.has(k)) throw new PromQLError('execution', SAME_LABELSET);
    seen.add(k);
    const h = s.hs?.[0];
    out.push(h === undefined ? { metric, t, f: s.vs[0]!, dropName: false } : { metric, t, f: 0, dropName: false, h });
  }
  return out;
}

function cleanupMatrix(m: Matrix): Matrix {
  const byKey = new Map<string, MatrixSeries>();
  for (const s of m) {
    if (s.ts.length === 0) continue;
    const metric = s.dropName ? dropMetricName(s.metric) : s.metric;
    const k = labelsKey(metric);
    const prev = byKey.get(k);
    if (prev === undefined) {
      const ms: MatrixSeries = { metric, ts: s.ts, vs: s.vs, dropName: false };
      if (s.hs !== undefined) ms.hs = s.hs;
      byKey.set(k, ms);
      continue;
    }
    if (prev.hs !== undefined || s.hs !== undefined) {
      byKey.set(k, mergeWithHistograms(prev, s, metric));
      continue;
    }
    // Merge series that only collide after dropping __name__, when they do not overlap in time.
    const ts: number[] = [];
    const vs: number[] = [];
    let i = 0;
    let j = 0;
    while (i < prev.ts.length || j < s.ts.length) {
      if (j >= s.ts.length || (i < prev.ts.length && prev.ts[i]! < s.ts[j]!)) {
        ts.push(prev.ts[i]!);
        vs.push(prev.vs[i++]!);
      } else if (i >= prev.ts.length || s.ts[j]! < prev.ts[i]!) {
        ts.push(s.ts[j]!);
        vs.push(s.vs[j++]!);
      } else throw new PromQLError('execution', SAME_LABELSET);
    }
    byKey.set(k, { metric, ts, vs, dropName: false });
  }
  return [...byKey.values()];
}

function sortMatrix(m: Matrix): Matrix {
  return m.sort((a, b) => compareLabels(a.metric, b.metric));
}

/** mergeWithHistograms merges two non-overlapping series of which at least one holds histograms. */
function mergeWithHistograms(a: MatrixSeries, b: MatrixSeries, metric: Labels): MatrixSeries {
  const pts: { t: number; v: number; h: FloatHistogram | undefined }[] = [];
  for (const s of [a, b]) for (let i = 0; i < s.ts.length; i++) pts.push({ t: s.ts[i]!, v: s.vs[i]!, h: s.hs?.[i] });
  pts.sort((x, y) => x.t - y.t);
  for (let i = 1; i < pts.length; i++) if (pts[i]!.t === pts[i - 1]!.t) throw new PromQLError('execution', SAME_LABELSET);
  return { metric, ts: pts.map((p) => p.t), vs: pts.map((p) => p.v), hs: pts.map((p) => p.h), dropName: false };
}
