import type { PosRange } from '../parser/ast.js';

/** AnnotationKind is a warning or an info. */
export type AnnotationKind = 'warning' | 'info';

/** Annotation is one warning or info raised while evaluating, with the position of the offending expression. */
export interface Annotation {
  readonly kind: AnnotationKind;
  readonly text: string;
  readonly pos: PosRange | null;
}

/** Annotations collects annotations, deduplicated by their text and position as Prometheus does. */
export class Annotations {
  private readonly map = new Map<string, Annotation>();

  /** add records an annotation. */
  add(a: Annotation): void {
    this.map.set(`${a.kind}\u0000${a.text}\u0000${a.pos?.start ?? -1}`, a);
  }

  /** warn records a warning. */
  warn(text: string, pos: PosRange | null): void {
    this.add({ kind: 'warning', text, pos });
  }

  /** info records an info. */
  info(text: string, pos: PosRange | null): void {
    this.add({ kind: 'info', text, pos });
  }

  /** merge adds all annotations of another collector. */
  merge(o: Annotations): void {
    for (const [k, v] of o.map) this.map.set(k, v);
  }

  /** size is the number of distinct annotations. */
  get size(): number {
    return this.map.size;
  }

  /** render returns warnings and infos as the API prints them: `PromQL warning: text (line:col)`. */
  render(query: string): { warnings: string[]; infos: string[] } {
    const warnings: string[] = [];
    const infos: string[] = [];
    const seen = new Set<string>();
    for (const a of this.map.values()) {
      const prefix = a.kind === 'warning' ? 'PromQL warning: ' : 'PromQL info: ';
      const where = a.pos && query !== '' ? ` (${positionOf(query, a.pos.start)})` : '';
      const s = prefix + a.text + where;
      if (seen.has(s)) continue;
      seen.add(s);
      (a.kind === 'warning' ? warnings : infos).push(s);
    }
    return { warnings, infos };
  }
}

/** positionOf renders a character offset as Prometheus's 1-based `line:col`. */
export function positionOf(query: string, offset: number): string {
  if (offset > query.length || offset < 0) return 'unknown position';
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < offset; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return `${line}:${offset - lastBreak}`;
}

/** ANNO holds the message texts of Prometheus's annotations (without the `PromQL warning: ` prefix). */
export const ANNO = {
  invalidRatio: (q: string, to: string) => `ratio value should be between -1 and 1, got ${q}, capping to ${to}`,
  startTimeOverlap: (metricName: string) =>
    `sample has start time that overlaps with previous sample timestamp for metric ${JSON.stringify(metricName)}`,
  rangeTooShort: 'range too short; does not contain enough samples to extrapolate rate',
  invalidQuantile: (q: string) => `quantile value should be between 0 and 1, got ${q}`,
  badBucketLabel: (metricName: string, le: string) =>
    `bucket label "le" is missing or has a malformed value of ${JSON.stringify(le)}` +
    (metricName !== '' ? ` for metric name ${JSON.stringify(metricName)}` : ''),
  possibleNonCounter: (metricName: string) =>
    `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(metricName)}`,
  forcedMonotonicity: (metricName: string) =>
    'input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)' +
    (metricName !== '' ? ` for metric name ${JSON.stringify(metricName)}` : ''),
  mixedFloatsHistograms: (metricName: string) => `encountered a mix of histograms and floats for metric name ${JSON.stringify(metricName)}`,
  mixedFloatsHistogramsAgg: 'encountered a mix of histograms and floats for aggregation',
  mixedClassicNative: (metricName: string) =>
    'vector contains a mix of classic and native histograms' + (metricName !== '' ? ` for metric name ${JSON.stringify(metricName)}` : ''),
  nativeNotCounter: (metricName: string) => `this native histogram metric is not a counter: ${JSON.stringify(metricName)}`,
  nativeNotGauge: (metricName: string) => `this native histogram metric is not a gauge: ${JSON.stringify(metricName)}`,
  mixedExponentialCustom: (metricName: string) =>
    `vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${JSON.stringify(metricName)}`,
  incompatibleBucketLayout: (op: string) => `incompatible bucket layout encountered for binary operator ${op}`,
  incompatibleTypesInBinOp: (op: string, lhs: string, rhs: string) => `incompatible sample types encountered for binary operator ${JSON.stringify(op)}: ${lhs} ${op} ${rhs}`,
  histogramIgnoredInAgg: (agg: string) => `ignored histogram in ${agg} aggregation`,
  histogramIgnoredInMixedRange: (metricName: string) =>
    `ignored histograms in a range containing both floats and histograms for metric name ${JSON.stringify(metricName)}`,
  quantileNaNResult: (metricName: string) =>
    'input to histogram_quantile has NaN observations, result is NaN' + (metricName !== '' ? ` for metric name ${JSON.stringify(metricName)}` : ''),
  quantileNaNSkew: (metricName: string) =>
    'input to histogram_quantile has NaN observations, result is skewed higher' + (metricName !== '' ? ` for metric name ${JSON.stringify(metricName)}` : ''),
  fractionNaNs: (metricName: string) =>
    'input to histogram_fraction has NaN observations, which are excluded from all fractions' +
    (metricName !== '' ? ` for metric name ${JSON.stringify(metricName)}` : ''),
  counterResetCollision: (op: 'addition' | 'subtraction' | 'aggregation') => `conflicting counter resets during histogram ${op}`,
  mismatchedCustomBuckets: (op: 'addition' | 'subtraction' | 'aggregation') => `mismatched custom buckets were reconciled during ${op}`,
} as const;
