// Series labels of translated OTLP points, built as Prometheus 3's PrometheusConverter builds
// them: point attributes (sanitized, colliding names joined with ';'), promoted resource
// attributes, job and instance from service.namespace/service.name and service.instance.id,
// optional scope labels, then the metric name and le/quantile.
import { compareStrings } from '../model/labels.js';
import type { OtlpOptions } from './options.js';
import { buildLabelName, shouldEscape, type LabelNamerOptions } from './naming.js';
import type { Attr, ResourceMetrics, ScopeMetrics } from './model.js';

/** LabelPairs are a series' labels as sorted [name, value] pairs without empty values. */
export type LabelPairs = [string, string][];

const SERVICE_NAME = 'service.name';
const SERVICE_NAMESPACE = 'service.namespace';
const SERVICE_INSTANCE_ID = 'service.instance.id';

/** IDENTIFYING_ATTRIBUTES are the resource attributes job and instance come from. */
export const IDENTIFYING_ATTRIBUTES: readonly string[] = [SERVICE_NAMESPACE, SERVICE_NAME, SERVICE_INSTANCE_ID];

function byName(a: readonly [string, string], b: readonly [string, string]): number {
  return compareStrings(a[0], b[0]);
}

/** SeriesLabeler holds the resource and scope context of the points being translated. */
export class SeriesLabeler {
  private readonly namer: LabelNamerOptions;
  private readonly utf8: boolean;
  private readonly names = new Map<string, string>();
  private readonly promote: Set<string>;
  private job = '';
  private instance = '';
  private promoted: LabelPairs = [];
  private scope: LabelPairs | null = null;

  constructor(private readonly opts: OtlpOptions) {
    this.utf8 = !shouldEscape(opts.translationStrategy);
    this.namer = { utf8Allowed: this.utf8, underscoreSanitization: opts.labelNameUnderscoreSanitization, preserveMultipleUnderscores: opts.labelNamePreserveMultipleUnderscores };
    this.promote = new Set(opts.promoteAllResourceAttributes ? opts.ignoreResourceAttributes : opts.promoteResourceAttributes);
  }

  /** labelName translates an attribute key (cached); throws LabelNameError. */
  labelName(key: string): string {
    let n = this.names.get(key);
    if (n === undefined) {
      n = buildLabelName(key, this.namer);
      if (this.names.size < 4096) this.names.set(key, n);
    }
    return n;
  }

  /** setResource reads job, instance and the promoted attributes of a resource; throws LabelNameError for an untranslatable promoted name. */
  setResource(rm: ResourceMetrics): void {
    this.scope = null;
    this.job = '';
    this.instance = '';
    const name = attrValue(rm.attributes, SERVICE_NAME);
    if (name !== undefined) {
      const ns = attrValue(rm.attributes, SERVICE_NAMESPACE);
      this.job = ns !== undefined ? `${ns}/${name}` : name;
    }
    this.instance = attrValue(rm.attributes, SERVICE_INSTANCE_ID) ?? '';
    const promoted = new Map<string, string>();
    if (this.opts.promoteAllResourceAttributes || this.promote.size > 0) {
      for (const a of rm.attributes) {
        if (this.promote.has(a.key) !== this.opts.promoteAllResourceAttributes) promoted.set(this.labelName(a.key), a.value);
      }
    }
    this.promoted = [...promoted];
  }

  /** setScope sets the scope labels (only with promoteScopeMetadata and a named scope); throws LabelNameError. */
  setScope(sm: ScopeMetrics): void {
    if (!this.opts.promoteScopeMetadata || sm.name === '') {
      this.scope = null;
      return;
    }
    const m = new Map<string, string>();
    for (const a of sm.attributes) m.set(this.labelName('otel_scope_' + a.key), a.value);
    m.set('otel_scope_name', sm.name);
    m.set('otel_scope_version', sm.version);
    m.set('otel_scope_schema_url', sm.schemaUrl);
    this.scope = [...m];
  }

  /**
   * base builds the labels shared by a point's series (without __name__), sorted by name without
   * empty values: the point's attributes except ignored keys, then promoted attributes, job,
   * instance and scope labels. Throws LabelNameError.
   */
  base(attrs: readonly Attr[], ignore: readonly string[] = [], withResource = true, withScope = true): LabelPairs {
    const out: LabelPairs = [];
    const sorted = attrs.length < 2 || sortedByKey(attrs) ? attrs : attrs.slice().sort((a, b) => compareStrings(a.key, b.key));
    for (const a of sorted) {
      if (a.key === '__name__' || (ignore.length > 0 && ignore.includes(a.key))) continue;
      const name = this.utf8 ? a.key : this.labelName(a.key);
      const i = find(out, name);
      if (i < 0) out.push([name, a.value]);
      else out[i]![1] = out[i]![1] !== '' && !this.utf8 ? `${out[i]![1]};${a.value}` : a.value;
    }
    if (withResource) {
      for (const [k, v] of this.promoted) {
        const i = find(out, k);
        if (i < 0) out.push([k, v]);
        else if (out[i]![1] === '') out[i]![1] = v;
      }
    }
    if (this.job !== '') set(out, 'job', this.job);
    if (this.instance !== '') set(out, 'instance', this.instance);
    if (withScope && this.scope !== null) for (const [k, v] of this.scope) set(out, k, v);
    let n = 0;
    for (const pair of out) if (pair[1] !== '') out[n++] = pair;
    out.length = n;
    return n < 2 ? out : out.sort(byName);
  }

  /** series returns the sorted labels of one series: the sorted base labels with __name__ and an optional extra label (le or quantile) merged in. */
  series(base: LabelPairs, name: string, extraName?: string, extraValue?: string): LabelPairs {
    const out: LabelPairs = [];
    let nameDone = false;
    let extraDone = extraName === undefined || extraValue === '';
    for (const pair of base) {
      const k = pair[0];
      if (!nameDone && k > '__name__') {
        out.push(['__name__', name]);
        nameDone = true;
      }
      if (!extraDone && k >= extraName!) {
        out.push([extraName!, extraValue!]);
        extraDone = true;
        if (k === extraName) continue;
      }
      if (k !== '__name__') out.push(pair);
    }
    if (!nameDone) out.push(['__name__', name]);
    if (!extraDone) out.push([extraName!, extraValue!]);
    return out;
  }

  /** hasIdentity reports whether job or instance is set for the current resource. */
  get hasIdentity(): boolean {
    return this.job !== '' || this.instance !== '';
  }
}

function sortedByKey(attrs: readonly Attr[]): boolean {
  for (let i = 1; i < attrs.length; i++) if (attrs[i - 1]!.key > attrs[i]!.key) return false;
  return true;
}

function find(pairs: LabelPairs, name: string): number {
  for (let i = 0; i < pairs.length; i++) if (pairs[i]![0] === name) return i;
  return -1;
}

function set(pairs: LabelPairs, name: string, value: string): void {
  const i = find(pairs, name);
  if (i < 0) pairs.push([name, value]);
  else pairs[i]![1] = value;
}

function attrValue(attrs: readonly Attr[], key: string): string | undefined {
  for (const a of attrs) if (a.key === key) return a.value;
  return undefined;
}
