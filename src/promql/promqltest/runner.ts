import { labelsKey } from '../../model/labels.js';
import { STALE_NAN } from '../../model/sample.js';
import { StorageError } from '../../storage/errors.js';
import type { Appendable, Queryable } from '../../storage/interface.js';
import { Engine, type QueryResult } from '../engine/engine.js';
import type { Vector } from '../engine/value.js';
import { exprToString, parseExpr, type Expr } from '../parser/index.js';
import { addAtModifier, usesAtUnsafeFunction } from './at-rewrite.js';
import { compareMatrix, compareVector, floatsEqual, unsortedAt } from './compare.js';
import { classifyEval, loadedSeriesOf, type FailureClass, type LoadedSeries } from './classify.js';
import { RecordingQueryable } from './recording.js';
import { buildNhcb } from './nhcb.js';
import { parseScript, type Command, type ExpectLine } from './script.js';

/** EvalOutcome is the result of one eval command. */
export interface EvalOutcome {
  line: number;
  expr: string;
  ok: boolean;
  message: string;
  /** cls says whether the eval needs a feature Amphora lacks (native histograms, start timestamps) or not ('other'). */
  cls: FailureClass;
  /** reason explains cls (empty for 'other'). */
  reason: string;
}

/** RunnerOptions choose the storage used for each file and each `clear`. */
export interface RunnerOptions {
  newStorage: () => Appendable & Queryable;
  /** storesHistograms: the storage keeps native histograms (else evals reading them are reported as not supported). */
  storesHistograms?: boolean;
}

/** newTestEngine returns an engine with promqltest's settings. */
export function newTestEngine(): Engine {
  return new Engine({ lookbackDelta: 5 * 60_000, maxSamples: 10_000, timeout: 100_000, defaultSubqueryStep: 60_000 });
}

/** runScript runs every command of a script and reports each eval's outcome. */
export async function runScript(text: string, opts: RunnerOptions): Promise<EvalOutcome[]> {
  const cmds = parseScript(text);
  const engine = newTestEngine();
  let storage = opts.newStorage();
  let loaded: LoadedSeries[] = [];
  const out: EvalOutcome[] = [];
  for (const c of cmds) {
    if (c.kind === 'clear') {
      storage = opts.newStorage();
      loaded = [];
      continue;
    }
    if (c.kind === 'load') {
      loaded.push(...loadedSeriesOf(c));
      const app = storage.appender();
      // As Prometheus's runner, a later line for the same series replaces an earlier one.
      const bySeries = new Map(c.series.map((s) => [labelsKey(s.labels), s] as const));
      for (const s of bySeries.values()) {
        if (s.startTs !== undefined && app.appendST === undefined) throw new Error('the storage does not keep start timestamps (@st)');
        if (s.histogram && app.appendHistogram === undefined) throw new Error('the storage does not keep native histograms');
        s.values.forEach((v, i) => {
          const hv = s.hists?.[i];
          if (hv !== undefined) {
            try {
              app.appendHistogram!(0, s.labels, i * c.interval, undefined, hv.h);
            } catch (err) {
              if (!(err instanceof StorageError && err.code === 'duplicate_sample')) throw err;
            }
            return;
          }
          if (v === null) return;
          const value = s.stale.has(i) ? STALE_NAN : v;
          const st = s.startTs?.[i] ?? null;
          try {
            if (st !== null) app.appendST!(0, s.labels, i * c.interval, st, value);
            else app.append(0, s.labels, i * c.interval, value);
          } catch (err) {
            // Prometheus's TSDB accepts a repeated sample with an identical value; skip those.
            if (!(err instanceof StorageError && err.code === 'duplicate_sample')) throw err;
          }
        });
      }
      if (c.nhcb) {
        if (app.appendHistogram === undefined) throw new Error('the storage does not keep native histograms');
        for (const ns of buildNhcb(c.series, c.interval)) for (const x of ns.samples) app.appendHistogram(0, ns.labels, x.t, undefined, x.h);
      }
      await app.commit();
      continue;
    }
    const recording = new RecordingQueryable(storage);
    let message = '';
    try {
      message = runEval(engine, recording, c) ?? '';
    } catch (err) {
      message = `runner error: ${(err as Error).message}`;
    }
    const { cls, reason, dataMissing } = classifyEval(c, loaded, recording.reads);
    // The storage could not hold all of this eval's data (native histogram samples, start timestamps): a match
    // would be a coincidence, so the eval is reported as failed with the reason.
    if (dataMissing && !opts.storesHistograms && (message === '' || c.histogramExpected)) {
      message = `not supported: ${reason}${message === '' ? ' (the result matched anyway)' : ''}`;
    } else if (cls !== 'other' && message !== '') message = `${message} [${cls}: ${reason}]`;
    out.push({ line: c.line, expr: c.expr, ok: message === '', message, cls, reason });
  }
  return out;
}

type EvalCmd = Extract<Command, { kind: 'eval' }>;

function matchesText(e: ExpectLine, text: string): boolean {
  if (e.msg !== undefined) return e.msg === text;
  if (e.regex !== undefined) return e.regex.test(text);
  return true;
}

function checkAnnotations(kind: 'warn' | 'info', expects: ExpectLine[], got: string[]): string | null {
  const lines = expects.filter((e) => e.kind === kind);
  const none = expects.some((e) => e.kind === (kind === 'warn' ? 'no_warn' : 'no_info'));
  if (none && got.length > 0) return `expected no ${kind} annotations, got: ${got.join(' | ')}`;
  if (lines.length === 0) return null;
  if (got.length === 0) return `expected ${kind} annotations, got none`;
  for (const e of lines) if (!got.some((g) => matchesText(e, g))) return `expected ${kind} ${e.msg ?? e.regex ?? ''}, got: ${got.join(' | ')}`;
  for (const g of got) if (!lines.some((e) => matchesText(e, g))) return `unexpected ${kind} annotation: ${g}`;
  return null;
}

function runEval(engine: Engine, storage: Queryable, c: EvalCmd): string | null {
  const first = runOne(engine, storage, c, c.expr, c.start);
  if (first !== null || !c.instant) return first;
  // @-modifier invariance: the query with `@ t` on every selector must give the same result at other times.
  let ast: Expr;
  try {
    ast = parseExpr(c.expr);
  } catch {
    return null;
  }
  if (usesAtUnsafeFunction(ast)) return null;
  const text = exprToString(addAtModifier(ast, c.start));
  const t = c.start;
  const times = t === 0 ? [-1000, 0, 1000] : [-10 * t, 0, Math.trunc(t / 5), t, 10 * t];
  for (const et of times) {
    const err = runOne(engine, storage, c, text, et);
    if (err !== null) return `@-modifier check (${text} at ${et / 1000}s): ${err}`;
  }
  return null;
}

function runOne(engine: Engine, storage: Queryable, c: EvalCmd, expr: string, at: number): string | null {
  const fail = c.expects.find((e) => e.kind === 'fail');
  let res: QueryResult;
  try {
    res = c.instant ? engine.instantQuery(storage, expr, at) : engine.rangeQuery(storage, expr, c.start, c.end, c.step);
  } catch (err) {
    const msg = (err as Error).message;
    if (!fail) return `unexpected error: ${msg}`;
    if (!matchesText(fail, msg)) return `expected error ${fail.msg ?? fail.regex}, got: ${msg}`;
    return null;
  }
  if (fail) return `expected an error, got none`;
  const annos = checkAnnotations('warn', c.expects, res.warnings) ?? checkAnnotations('info', c.expects, res.infos);
  if (annos) return annos;
  const v = res.value;
  const str = c.expects.find((e) => e.kind === 'string');
  if (str) {
    if (v.kind !== 'string') return `expected a string, got ${v.kind}`;
    return v.v === str.str ? null : `expected string ${JSON.stringify(str.str)}, got ${JSON.stringify(v.v)}`;
  }
  const rv = c.expects.find((e) => e.kind === 'range_vector');
  if (!c.instant || rv) {
    if (v.kind !== 'matrix') return `expected a matrix, got ${v.kind}`;
    const start = rv ? rv.range!.start : c.start;
    const step = rv ? rv.range!.step : c.step;
    return compareMatrix(v.series, c.expected, start, step);
  }
  if (c.scalar !== null) {
    if (v.kind !== 'scalar') return `expected a scalar, got ${v.kind}`;
    if (!floatsEqual(v.v, c.scalar)) return `expected scalar ${c.scalar}, got ${v.v}`;
  } else {
    if (v.kind === 'scalar') return `expected a vector, got scalar ${v.v}`;
    if (v.kind !== 'vector') return `expected a vector, got ${v.kind}`;
    const err = compareVector(v.samples, c.expected, c.expects.some((e) => e.kind === 'ordered'));
    if (err) return err;
  }
  return rangeModeCheck(engine, storage, c, expr, at);
}

/** rangeModeCheck runs an instant eval's query as a range query around its time, which must agree at that time (as Prometheus's runner). */
function rangeModeCheck(engine: Engine, storage: Queryable, c: EvalCmd, expr: string, at: number): string | null {
  // Queries using start()/end()/range()/step() resolve differently in range mode.
  if (/(start|end|range|step)\(\)/.test(expr)) return null;
  let r: QueryResult;
  try {
    r = engine.rangeQuery(storage, expr, at - 60_000, at + 60_000, 60_000);
  } catch (e) {
    return `range-mode check failed: ${(e as Error).message}`;
  }
  if (r.value.kind !== 'matrix') return `range-mode check: expected a matrix`;
  // Range results are always sorted by labels, so ordered blocks are not compared.
  if (c.expects.some((e) => e.kind === 'ordered')) return null;
  const unsorted = unsortedAt(r.value.series);
  if (unsorted) return `range-mode check: ${unsorted}`;
  const atT: Vector = [];
  for (const s of r.value.series) {
    const i = s.ts.indexOf(at);
    if (i >= 0) {
      const h = s.hs?.[i];
      atT.push(h === undefined ? { metric: s.metric, t: at, f: s.vs[i]!, dropName: false } : { metric: s.metric, t: at, f: 0, dropName: false, h });
    }
  }
  if (c.scalar !== null) {
    if (atT.length === 0) return 'range-mode check: no point at the evaluation time';
    return floatsEqual(atT[0]!.f, c.scalar) ? null : `range-mode check: expected scalar ${c.scalar}, got ${atT[0]!.f}`;
  }
  const e2 = compareVector(atT, c.expected, false);
  return e2 ? `range-mode check: ${e2}` : null;
}
