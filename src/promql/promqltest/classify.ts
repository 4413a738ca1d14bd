import { labelsFromList, type Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { Expr } from '../parser/ast.js';
import { parseExpr } from '../parser/index.js';
import type { Read } from './recording.js';
import type { Command, SeriesValues } from './script.js';
import { someNode } from '../parser/walk.js';

/** FailureClass says why an eval cannot pass on Amphora (a missing feature) or that it should ('other'). */
export type FailureClass = 'native_histograms' | 'other';

/** Classification is an eval's class with the reason for it. */
export interface Classification {
  readonly cls: FailureClass;
  readonly reason: string;
  /** dataMissing: the eval reads data the runner could not store (a match would be a coincidence, not a pass). */
  readonly dataMissing: boolean;
}

/** LoadedSeries is what the runner remembers about a series loaded since the last `clear`: data it could not store. */
export interface LoadedSeries {
  readonly labels: Labels;
  /** histogramTs are the timestamps of native-histogram samples (`{{...}}` values or built by load_with_nhcb). */
  readonly histogramTs: readonly number[];
}

/** NH_ONLY_FUNCTIONS are functions that only act on native histograms (they drop float samples). */
export const NH_ONLY_FUNCTIONS: ReadonlySet<string> = new Set([
  'histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar',
]);

/** NH_ANNOTATION matches annotation texts that only native histograms raise. */
const NH_ANNOTATION = /native histogram|mix of histograms|mix of classic and native|histograms with exponential|custom buckets|counter resets during histogram|histogram_quantile has NaN|histogram_fraction has NaN/;

const NHCB_SUFFIXES = ['_bucket', '_count', '_sum'] as const;

type LoadCmd = Extract<Command, { kind: 'load' }>;
type EvalCmd = Extract<Command, { kind: 'eval' }>;

/** loadedSeriesOf lists what a load command adds, including the custom-bucket histograms load_with_nhcb builds. */
export function loadedSeriesOf(c: LoadCmd): LoadedSeries[] {
  const times = (idx: readonly number[]): number[] => idx.map((i) => i * c.interval);
  const present = (s: SeriesValues): number[] => s.values.flatMap((v, i) => (v === null ? [] : [i]));
  const out: LoadedSeries[] = c.series.map((s: SeriesValues) => ({
    labels: s.labels,
    histogramTs: times(s.histogramAt ?? []),
  }));
  if (!c.nhcb) return out;
  for (const s of c.series) {
    const name = s.labels.find((l) => l.name === '__name__')?.value ?? '';
    const suffix = NHCB_SUFFIXES.find((x) => name.endsWith(x));
    if (suffix === undefined) continue;
    const base = name.slice(0, -suffix.length);
    const labels = labelsFromList(
      s.labels.filter((l) => l.name !== 'le').map((l) => (l.name === '__name__' ? { name: l.name, value: base } : l)),
    );
    out.push({ labels, histogramTs: times(present(s)) });
  }
  return out;
}

function selects(ms: readonly Matcher[], labels: Labels): boolean {
  return ms.every((m) => m.matches(labels.find((l) => l.name === m.name)?.value ?? ''));
}

function firstRead(reads: readonly Read[], loaded: readonly LoadedSeries[], ts: (s: LoadedSeries) => readonly number[]): LoadedSeries | undefined {
  return loaded.find((s) => {
    const xs = ts(s);
    if (xs.length === 0) return false;
    return reads.some((r) => selects(r.matchers, s.labels) && xs.some((t) => t >= r.mint && t <= r.maxt));
  });
}

function labelsText(ls: Labels): string {
  return `{${ls.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

/**
 * classifyEval says whether an eval needs native histograms, which Amphora's storage and engine lack. reads are the
 * selections the engine made while running the eval: the eval reads data the runner could not store when a
 * selection's time range holds a native-histogram sample.
 */
export function classifyEval(c: EvalCmd, loaded: readonly LoadedSeries[], reads: readonly Read[]): Classification {
  if (c.histogramExpected) return { cls: 'native_histograms', reason: 'expected result holds native histogram values', dataMissing: true };
  let ast: Expr | null = null;
  try {
    ast = parseExpr(c.expr);
  } catch {
    ast = null;
  }
  const nh = firstRead(reads, loaded, (s) => s.histogramTs);
  if (nh) return { cls: 'native_histograms', reason: `query reads native-histogram samples of ${labelsText(nh.labels)}`, dataMissing: true };
  if (ast !== null) {
    let fn = '';
    const nhOnly = someNode(ast, (e) => {
      if (e.kind === 'Call' && NH_ONLY_FUNCTIONS.has(e.func)) fn = `${e.func}()`;
      else if (e.kind === 'BinaryExpr' && (e.op === '</' || e.op === '>/')) fn = `operator ${e.op}`;
      return fn !== '';
    });
    if (nhOnly) return { cls: 'native_histograms', reason: `query uses native-histogram-only ${fn}`, dataMissing: false };
  }
  const anno = c.expects.find((e) => (e.msg !== undefined && NH_ANNOTATION.test(e.msg)) || (e.regex !== undefined && NH_ANNOTATION.test(e.regex.source)));
  if (anno) return { cls: 'native_histograms', reason: `expects a native-histogram annotation: ${anno.msg ?? anno.regex?.source}`, dataMissing: false };
  return { cls: 'other', reason: '', dataMissing: false };
}
