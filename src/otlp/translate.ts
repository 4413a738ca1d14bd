// OTLP metrics to Prometheus series, as Prometheus 3's otlptranslator/prometheusremotewrite
// converts them (see README "OTLP metrics"), encoded as a remote-write 2.0 request. Points that
// cannot be stored are counted and described for the OTLP partial-success response.
import { formatFloatGo } from '../http/prometheus/gofloat.js';
import { STALE_NAN } from '../model/sample.js';
import type { Slicer } from '../remote/slicer.js';
import type { MetricType } from '../storage/metadata.js';
import { IDENTIFYING_ATTRIBUTES, SeriesLabeler, type LabelPairs } from './labels.js';
import { FLAG_NO_RECORDED_VALUE, pointCount, TEMPORALITY_CUMULATIVE, type Exemplar, type ExpHistogramPoint, type HistogramPoint, type Metric, type NumberPoint, type PointBase, type ResourceMetrics, type SummaryPoint } from './model.js';
import { buildMetricName, buildUnit, type NamerType } from './naming.js';
import type { OtlpOptions } from './options.js';
import { Rw2RequestBuilder, type Rw2Exemplar } from './rw2-builder.js';
import { expToNativeHistogram } from './exp-histogram.js';

/** FamilyMetadata is a metric family's metadata (type, help, unit) to record with the write. */
export interface FamilyMetadata {
  readonly family: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/** TranslateResult is a translated request: the remote-write 2.0 body and what was refused. */
export interface TranslateResult {
  readonly request: Uint8Array;
  /** samples is the number of Prometheus samples in request. */
  readonly samples: number;
  readonly metadata: FamilyMetadata[];
  /** rejectedPoints counts OTLP data points dropped in translation. */
  readonly rejectedPoints: number;
  /** errors describes the rejections (at most MAX_ERRORS distinct messages). */
  readonly errors: string[];
}

/** MAX_ERRORS caps the distinct rejection messages kept for the response. */
export const MAX_ERRORS = 8;

/** TranslateSettings add the lookback (target_info's repeat interval is half of it) to the OTLP options. */
export interface TranslateSettings extends OtlpOptions {
  readonly lookbackDeltaMs: number;
}

const MAX_EXEMPLAR_RUNES = 128;

class Rejections {
  points = 0;
  readonly errors: string[] = [];

  reject(n: number, message: string): void {
    this.points += n;
    if (this.errors.length < MAX_ERRORS && !this.errors.includes(message)) this.errors.push(message);
  }
}

function namerType(m: Metric): NamerType {
  switch (m.data.kind) {
    case 'gauge':
      return 'gauge';
    case 'sum':
      return m.data.monotonic ? 'monotonicCounter' : 'nonMonotonicCounter';
    case 'histogram':
      return 'histogram';
    case 'exponentialHistogram':
      return 'exponentialHistogram';
    case 'summary':
      return 'summary';
    case 'none':
      return 'unknown';
  }
}

function promType(m: Metric): MetricType {
  switch (m.data.kind) {
    case 'gauge':
      return 'gauge';
    case 'sum':
      return m.data.monotonic ? 'counter' : 'gauge';
    case 'histogram':
    case 'exponentialHistogram':
      return 'histogram';
    case 'summary':
      return 'summary';
    case 'none':
      return 'unknown';
  }
}

function runes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** exemplarsOf converts OTLP exemplars: trace_id and span_id labels, filtered attributes while the label set stays within 128 runes; no time means the point's. */
function exemplarsOf(list: readonly Exemplar[], pointT: number): Rw2Exemplar[] {
  const out: Rw2Exemplar[] = [];
  for (const ex of list) {
    const labels: [string, string][] = [];
    let n = 0;
    if (ex.traceId !== '') {
      labels.push(['trace_id', ex.traceId]);
      n += 8 + ex.traceId.length;
    }
    if (ex.spanId !== '') {
      labels.push(['span_id', ex.spanId]);
      n += 7 + ex.spanId.length;
    }
    for (const a of ex.attributes) n += runes(a.key) + runes(a.value);
    if (n <= MAX_EXEMPLAR_RUNES) for (const a of ex.attributes) if (a.value !== '') labels.push([a.key, a.value]);
    if (labels.length === 0) continue;
    labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out.push({ labels, value: ex.value, timestamp: ex.timeMs > 0 ? ex.timeMs : pointT });
  }
  return out;
}

const NAME_CACHE_MAX = 10_000;
const nameCache = new Map<string, string>();

/** cachedMetricName is buildMetricName remembered for the names a process keeps seeing (a pure function of its inputs). */
function cachedMetricName(name: string, unit: string, type: NamerType, strategy: TranslationSettingsStrategy): string {
  const key = `${strategy}\u0000${type}\u0000${unit}\u0000${name}`;
  let out = nameCache.get(key);
  if (out === undefined) {
    out = buildMetricName(name, unit, type, strategy);
    if (nameCache.size >= NAME_CACHE_MAX) nameCache.clear();
    nameCache.set(key, out);
  }
  return out;
}

type TranslationSettingsStrategy = OtlpOptions['translationStrategy'];

/** Translator converts one request; it is used once. */
class Translator {
  readonly out = new Rw2RequestBuilder();
  readonly rej = new Rejections();
  readonly metadata: FamilyMetadata[] = [];
  private readonly labeler: SeriesLabeler;
  private readonly seenFamilies = new Set<string>();
  private readonly seenTargetInfo = new Set<string>();
  samples = 0;

  constructor(private readonly s: TranslateSettings) {
    this.labeler = new SeriesLabeler(s);
  }

  private add(labels: [string, string][], p: PointBase, v: number, created: boolean, ex: Rw2Exemplar[] | null): void {
    const value = (p.flags & FLAG_NO_RECORDED_VALUE) !== 0 ? STALE_NAN : v;
    this.out.add(labels, p.timeMs, value, created && p.startMs > 0 && p.startMs < p.timeMs ? p.startMs : 0, ex !== null && ex.length > 0 ? ex : null);
    this.samples++;
  }

  /** validTime rejects a point without a usable timestamp. */
  private validTime(p: PointBase, metric: string): boolean {
    if (Number.isSafeInteger(p.timeMs) && p.timeMs > 0) return true;
    this.rej.reject(1, `data point of metric ${JSON.stringify(metric)} dropped: time_unix_nano is missing or not a valid timestamp`);
    return false;
  }

  /** labelsOrReject builds a point's base labels, rejecting the point (and its series) when an attribute name cannot be translated. */
  private baseOf(p: PointBase, metric: string): LabelPairs | null {
    try {
      return this.labeler.base(p.attributes);
    } catch (err) {
      this.rej.reject(1, `data point of metric ${JSON.stringify(metric)} dropped: ${(err as Error).message}`);
      return null;
    }
  }

  resource(rm: ResourceMetrics): { min: number; max: number } | null {
    try {
      this.labeler.setResource(rm);
    } catch (err) {
      let n = 0;
      for (const sm of rm.scopes) for (const m of sm.metrics) n += pointCount(m.data);
      this.rej.reject(n, `resource dropped: ${(err as Error).message}`);
      return null;
    }
    return { min: Infinity, max: -Infinity };
  }

  scope(sm: ResourceMetrics['scopes'][number]): boolean {
    try {
      this.labeler.setScope(sm);
      return true;
    } catch (err) {
      let n = 0;
      for (const m of sm.metrics) n += pointCount(m.data);
      this.rej.reject(n, `scope ${JSON.stringify(sm.name)} dropped: ${(err as Error).message}`);
      return false;
    }
  }

  metric(m: Metric, span: { min: number; max: number }): void {
    const d = m.data;
    if (d.kind === 'none') {
      this.rej.reject(0, `metric ${JSON.stringify(m.name)} dropped: it has no data (unsupported metric type)`);
      return;
    }
    const n = pointCount(d);
    for (const p of d.points) if (Number.isSafeInteger(p.timeMs)) {
      if (p.timeMs < span.min) span.min = p.timeMs;
      if (p.timeMs > span.max) span.max = p.timeMs;
    }
    if ((d.kind === 'sum' || d.kind === 'histogram' || d.kind === 'exponentialHistogram') && d.temporality !== TEMPORALITY_CUMULATIVE) {
      const t = d.temporality === 1 ? 'delta' : 'unspecified';
      this.rej.reject(n, `invalid temporality and type combination for metric ${JSON.stringify(m.name)}: ${t} temporality is not supported, only cumulative (configure the exporter's temporality preference to cumulative)`);
      return;
    }
    let name: string;
    try {
      name = cachedMetricName(m.name, m.unit, namerType(m), this.s.translationStrategy);
    } catch (err) {
      this.rej.reject(n, `metric dropped: ${(err as Error).message}`);
      return;
    }
    if (n > 0 && !this.seenFamilies.has(name)) {
      this.seenFamilies.add(name);
      this.metadata.push({ family: name, type: promType(m), help: m.description, unit: buildUnit(m.unit) });
    }
    switch (d.kind) {
      case 'gauge':
        for (const p of d.points) this.number(p, m.name, name, false, false);
        return;
      case 'sum':
        for (const p of d.points) this.number(p, m.name, name, d.monotonic, true);
        return;
      case 'histogram':
        for (const p of d.points) this.histogram(p, m.name, name);
        return;
      case 'summary':
        for (const p of d.points) this.summary(p, m.name, name);
        return;
      case 'exponentialHistogram':
        for (const p of d.points) this.expHistogram(p, m.name, name, d.temporality);
        return;
    }
  }

  private expHistogram(p: ExpHistogramPoint, metric: string, name: string, temporality: number): void {
    if (!this.validTime(p, metric)) return;
    const h = expToNativeHistogram(p, temporality);
    if (typeof h === 'string') {
      this.rej.reject(1, `data point of exponential histogram ${JSON.stringify(metric)} dropped: ${h}`);
      return;
    }
    const base = this.baseOf(p, metric);
    if (base === null) return;
    const ex = exemplarsOf(p.exemplars, p.timeMs);
    // No created timestamp: its zero sample would be a float in a histogram series (Prometheus writes a zero histogram).
    this.out.addHistogram(this.labeler.series(base, name), p.timeMs, h, 0, ex.length > 0 ? ex : null);
    this.samples++;
  }

  private number(p: NumberPoint, metric: string, name: string, counter: boolean, withExemplars: boolean): void {
    if (!this.validTime(p, metric)) return;
    const base = this.baseOf(p, metric);
    if (base === null) return;
    this.add(this.labeler.series(base, name), p, p.value, counter, withExemplars ? exemplarsOf(p.exemplars, p.timeMs) : null);
  }

  private histogram(p: HistogramPoint, metric: string, name: string): void {
    if (!this.validTime(p, metric)) return;
    if (p.bucketCounts.length > 0 && p.bucketCounts.length !== p.bounds.length + 1) {
      this.rej.reject(1, `data point of histogram ${JSON.stringify(metric)} dropped: ${p.bucketCounts.length} bucket counts for ${p.bounds.length} explicit bounds (want bounds + 1)`);
      return;
    }
    const base = this.baseOf(p, metric);
    if (base === null) return;
    const l = this.labeler;
    if (p.hasSum) this.add(l.series(base, name + '_sum'), p, p.sum, true, null);
    this.add(l.series(base, name + '_count'), p, p.count, true, null);
    const ex = exemplarsOf(p.exemplars, p.timeMs).sort((a, b) => a.value - b.value);
    let next = 0;
    let cumulative = 0;
    for (let i = 0; i < p.bounds.length && i < p.bucketCounts.length; i++) {
      const bound = p.bounds[i]!;
      cumulative += p.bucketCounts[i]!;
      const from = next;
      while (next < ex.length && ex[next]!.value <= bound) next++;
      this.add(l.series(base, name + '_bucket', 'le', formatFloatGo(bound, 'f')), p, cumulative, true, ex.slice(from, next));
    }
    this.add(l.series(base, name + '_bucket', 'le', '+Inf'), p, p.count, true, ex.slice(next));
  }

  private summary(p: SummaryPoint, metric: string, name: string): void {
    if (!this.validTime(p, metric)) return;
    const base = this.baseOf(p, metric);
    if (base === null) return;
    const l = this.labeler;
    this.add(l.series(base, name + '_sum'), p, p.sum, true, null);
    this.add(l.series(base, name + '_count'), p, p.count, true, null);
    for (const q of p.quantiles) this.add(l.series(base, name, 'quantile', formatFloatGo(q.quantile, 'f')), p, q.value, false, null);
  }

  /** targetInfo writes target_info for a resource with non-identifying attributes and a job or instance, every lookback/2 over its points' span and at its end. */
  targetInfo(rm: ResourceMetrics, span: { min: number; max: number }): void {
    if (span.min > span.max) return;
    const attrs = rm.attributes;
    if (attrs.filter((a) => !IDENTIFYING_ATTRIBUTES.includes(a.key)).length === 0) return;
    if (!this.labeler.hasIdentity) return;
    let base: LabelPairs;
    try {
      base = this.labeler.base(attrs, this.s.keepIdentifyingResourceAttributes ? [] : IDENTIFYING_ATTRIBUTES, false, false);
    } catch (err) {
      this.rej.reject(0, `target_info dropped: ${(err as Error).message}`);
      return;
    }
    const labels = this.labeler.series(base, 'target_info');
    const key = JSON.stringify(labels);
    if (!this.seenFamilies.has('target_info')) {
      this.seenFamilies.add('target_info');
      this.metadata.push({ family: 'target_info', type: 'gauge', help: 'Target metadata', unit: '' });
    }
    const interval = Math.max(1, Math.floor(this.s.lookbackDeltaMs / 2));
    const emit = (t: number): void => {
      const k = `${key}@${t}`;
      if (this.seenTargetInfo.has(k)) return;
      this.seenTargetInfo.add(k);
      this.out.add(labels, t, 1, 0, null);
      this.samples++;
    };
    for (let t = span.min; t < span.max; t += interval) emit(t);
    emit(span.max);
  }
}

/** translateMetrics converts a decoded OTLP request into a remote-write 2.0 request, giving the event loop away between metrics when the slicer says so. */
export async function translateMetrics(req: import('./model.js').MetricsRequest, settings: TranslateSettings, slicer: Slicer): Promise<TranslateResult> {
  const tr = new Translator(settings);
  for (const rm of req.resourceMetrics) {
    const span = tr.resource(rm);
    if (span === null) continue;
    for (const sm of rm.scopes) {
      if (!tr.scope(sm)) continue;
      for (const m of sm.metrics) {
        tr.metric(m, span);
        if (slicer.due()) await slicer.pause();
      }
    }
    tr.targetInfo(rm, span);
  }
  return { request: tr.out.finish(), samples: tr.samples, metadata: tr.metadata, rejectedPoints: tr.rej.points, errors: tr.rej.errors };
}
