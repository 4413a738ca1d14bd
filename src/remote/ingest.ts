import type { WorkspaceLimits } from '../controlplane/limits.js';
import { labelsFromRecord, labelsToString, type Labels } from '../model/labels.js';
import { isStorageError } from '../storage/errors.js';
import type { RawAppender } from '../storage/interface.js';
import { merge } from '../tsdb/postings/postings.js';
import type { ExemplarAppender } from '../storage/exemplars.js';
import type { MetadataAppender, MetricType } from '../storage/metadata.js';
import type { SeriesIndex } from '../storage/series-index.js';
import type { LabelPairCache } from './label-cache.js';
import { formatTimestamp, goQuote, type DiscardReason, type LabelLimits, type SeriesIssue } from './validate.js';

/** IngestOptions are the per-request inputs of an Ingester. */
export interface IngestOptions {
  workspace: string;
  /** tenant names the workspace in limit messages as AMP does: `<account id>_<workspace id>` (default: the workspace id). */
  tenant?: string;
  app: RawAppender;
  index: SeriesIndex;
  limits: WorkspaceLimits;
  metadata: MetadataAppender;
  exemplars: ExemplarAppender;
  /** now is the request's arrival time in ms. */
  now: number;
  /** creationGracePeriodMs refuses samples further in the future than this (Cortex's creation_grace_period, 10m). */
  creationGracePeriodMs: number;
  /** rejectOlderThanRetention refuses samples older than the workspace's retention. */
  rejectOlderThanRetention: boolean;
  /** maxMetadataLength caps metadata family name, help and unit lengths (Cortex's max_metadata_length). */
  maxMetadataLength: number;
  /** labelCache decodes and checks the labels of new series from their bytes, shared across requests (absent: decode every time). */
  labelCache?: LabelPairCache;
  /** ingestCreatedTimestamps appends a zero sample at a 2.0 series' created timestamp (Prometheus's created-timestamp-zero-ingestion). */
  ingestCreatedTimestamps: boolean;
}

/** EXEMPLAR_MAX_LABELSET_LENGTH is Prometheus's cap on an exemplar's combined label runes. */
export const EXEMPLAR_MAX_LABELSET_LENGTH = 128;

interface LabelSetCount {
  readonly labels: Labels;
  readonly max: number;
  count: number;
}

/**
 * Ingester holds one request's state between the protobuf decoders and the storage:
 * per-series limits, sample error accounting (the first message and counts), exemplars
 * and metadata. The decoders call it only off the fast path (new series, errors).
 */
export class Ingester {
  /** samplesWritten counts samples queued in the appender. */
  samplesWritten = 0;
  /** exemplarsWritten counts exemplars stored. */
  exemplarsWritten = 0;
  /** histogramsWritten counts native histogram samples stored. */
  histogramsWritten = 0;
  /** errorCount counts rejected series, samples, exemplars and metadata that make the request a 400. */
  errorCount = 0;
  /** firstError is the first rejection's message. */
  firstError: string | null = null;
  /** throttled is the first active-series limit message (AMP answers those 429), null when no series hit one. */
  throttled: string | null = null;
  /** discardedSamples, discardedExemplars and discardedMetadata count by reason. */
  readonly discardedSamples = new Map<DiscardReason, number>();
  readonly discardedExemplars = new Map<DiscardReason, number>();
  readonly discardedMetadata = new Map<DiscardReason, number>();
  /** labelLimits are the label checks for series not yet known. */
  readonly labelLimits: LabelLimits;
  private labelSets: LabelSetCount[] | null = null;
  private readonly minT: number;
  private readonly maxT: number;

  constructor(readonly opts: IngestOptions) {
    this.labelLimits = opts.limits;
    this.maxT = opts.now + opts.creationGracePeriodMs;
    this.minT = opts.rejectOlderThanRetention ? opts.now - opts.limits.retentionPeriodInDays * 86_400_000 : -Infinity;
  }

  /** app is the request's appender. */
  get app(): RawAppender {
    return this.opts.app;
  }

  /** wantsMessage is true while no error message has been recorded (decoders build messages only then). */
  get wantsMessage(): boolean {
    return this.firstError === null;
  }

  private fail(message: string | null): void {
    this.errorCount++;
    if (this.firstError === null && message !== null) this.firstError = message;
  }

  /** rejectSeries refuses a whole series (all its samples and exemplars). */
  rejectSeries(issue: SeriesIssue, samples: number, exemplars: number): void {
    if (this.throttled === null && (issue.reason === 'per_user_series_limit' || issue.reason === 'per_labelset_series_limit')) this.throttled = issue.message;
    bump(this.discardedSamples, issue.reason, samples);
    bump(this.discardedExemplars, issue.reason, exemplars);
    this.fail(issue.message);
  }

  /** timeIssue checks a series' sample time range: null when every sample is acceptable. */
  timeIssue(minT: number, maxT: number): DiscardReason | null {
    if (maxT > this.maxT) return 'too_far_in_future';
    if (minT < this.minT) return 'greater_than_max_sample_age';
    return null;
  }

  /** timeIssueMessage is Cortex's text for a timeIssue. */
  timeIssueMessage(reason: DiscardReason, minT: number, maxT: number, labels: Labels): string {
    const s = labelsToString(labels);
    return reason === 'too_far_in_future' ? `sample for '${s}' has timestamp too new: ${maxT}` : `sample for '${s}' has timestamp too old: ${minT}`;
  }

  /** admitNew applies the active-series limits to a series about to be created; null when admitted. */
  admitNew(labels: Labels): SeriesIssue | null {
    const { index, limits } = this.opts;
    const max = limits.maxActiveSeries;
    if (max > 0 && index.numSeries() >= max && !index.exists(labels)) {
      return {
        reason: 'per_user_series_limit',
        message: `user=${this.opts.tenant ?? this.opts.workspace}: per-user series limit (local limit: 0 global limit: ${max} actual local limit: ${max}) exceeded (maxActiveSeries, the workspace's active series limit)`,
      };
    }
    if (limits.limitsPerLabelSet.length === 0) return null;
    for (const ls of this.matchingSets(labels)) {
      if (ls.count >= ls.max && !index.exists(labels)) {
        return {
          reason: 'per_labelset_series_limit',
          message: `per-labelset series limit of ${ls.max} exceeded, please contact administrator to raise it (labelSet: ${labelSetString(ls.labels)}, limit: ${ls.max})`,
        };
      }
    }
    return null;
  }

  /** created tells the label-set counters that a series was created. */
  created(labels: Labels): void {
    if (this.labelSets === null) return;
    for (const ls of this.matchingSets(labels)) ls.count++;
  }

  private matchingSets(labels: Labels): LabelSetCount[] {
    const sets = this.labelSetCounts();
    const out: LabelSetCount[] = [];
    let deflt: LabelSetCount | null = null;
    for (const ls of sets) {
      if (ls.labels.length === 0) deflt = ls;
      else if (carries(labels, ls.labels)) out.push(ls);
    }
    if (out.length === 0 && deflt !== null) out.push(deflt);
    return out;
  }

  private labelSetCounts(): LabelSetCount[] {
    if (this.labelSets !== null) return this.labelSets;
    const { index, limits } = this.opts;
    const sets: LabelSetCount[] = [];
    const lists = [];
    let hasDefault = false;
    for (const l of limits.limitsPerLabelSet) {
      const labels = labelsFromRecord(l.labelSet);
      if (labels.length === 0) {
        hasDefault = true;
        sets.push({ labels, max: l.maxSeries, count: 0 });
        continue;
      }
      const refs = index.refsMatching(labels);
      lists.push(refs);
      sets.push({ labels, max: l.maxSeries, count: refs.length });
    }
    if (hasDefault) {
      const covered = merge(lists).length;
      for (const s of sets) if (s.labels.length === 0) s.count = index.numSeries() - covered;
    }
    this.labelSets = sets;
    return sets;
  }

  /** storageFailure accounts a sample the storage refused; errors that are not per-sample are rethrown. */
  storageFailure(err: unknown, t: number, labels: Labels | null): void {
    if (!isStorageError(err)) throw err;
    let reason: DiscardReason;
    switch (err.code) {
      case 'out_of_order':
        reason = 'sample-out-of-order';
        break;
      case 'duplicate_sample':
        reason = 'new-value-for-timestamp';
        break;
      case 'out_of_bounds':
        reason = 'sample-out-of-bounds';
        break;
      case 'too_old':
        reason = 'sample-too-old';
        break;
      case 'invalid_labels':
        reason = 'label_invalid';
        break;
      case 'disk_full':
      case 'closed':
      case 'corruption':
      case 'io':
        throw err;
    }
    bump(this.discardedSamples, reason, 1);
    this.fail(labels === null ? null : `${err.message}. timestamp=${formatTimestamp(t)}, series=${labelsToString(labels)}`);
  }

  /** invalidHistogram refuses one histogram sample Prometheus's validation rejects (message: its text). */
  invalidHistogram(message: string, t: number, labels: Labels): void {
    bump(this.discardedSamples, 'invalid_native_histogram', 1);
    this.fail(this.wantsMessage ? `${message}. timestamp=${formatTimestamp(t)}, series=${labelsToString(labels)}` : null);
  }

  /** storageFailureSilent ignores a per-sample refusal (created-timestamp zero samples); other errors are rethrown. */
  storageFailureSilent(err: unknown): void {
    if (!isStorageError(err)) throw err;
    if (err.code === 'disk_full' || err.code === 'closed' || err.code === 'corruption' || err.code === 'io') throw err;
  }

  /** exemplar validates and stores one exemplar of an accepted series. */
  exemplar(series: Labels, labels: Labels, value: number, ts: number): void {
    let reason: DiscardReason | null = null;
    let what = '';
    if (labels.length === 0) {
      reason = 'exemplar_labels_missing';
      what = 'exemplar missing labels';
    } else if (ts === 0) {
      reason = 'exemplar_timestamp_invalid';
      what = 'exemplar missing timestamp';
    } else {
      let runes = 0;
      for (const l of labels) runes += runeCount(l.name) + runeCount(l.value);
      if (runes > EXEMPLAR_MAX_LABELSET_LENGTH) {
        reason = 'exemplar_labels_too_long';
        what = `exemplar combined labelset exceeds ${EXEMPLAR_MAX_LABELSET_LENGTH} characters`;
      }
    }
    if (reason !== null) {
      bump(this.discardedExemplars, reason, 1);
      this.fail(`${what}, timestamp: ${ts} series: ${labelsToString(series)} labels: ${labelSetString(labels)}`);
      return;
    }
    const r = this.opts.exemplars.add(this.opts.workspace, series, labels, value, ts);
    if (r === 'added') this.exemplarsWritten++;
    else if (r === 'out_of_order') bump(this.discardedExemplars, 'exemplar-out-of-order', 1);
  }

  /** metadata validates and stores one metric family's metadata. */
  metadata(family: string, type: MetricType, help: string, unit: string): void {
    const max = this.opts.maxMetadataLength;
    let issue: [DiscardReason, string, string] | null = null;
    if (family === '') {
      bump(this.discardedMetadata, 'missing_metric_name', 1);
      this.fail('metadata missing metric name');
      return;
    }
    if (family.length > max) issue = ['metric_name_too_long', 'METRIC_NAME', family];
    else if (help.length > max) issue = ['help_too_long', 'HELP', help];
    else if (unit.length > max) issue = ['unit_too_long', 'UNIT', unit];
    if (issue !== null) {
      bump(this.discardedMetadata, issue[0], 1);
      this.fail(`metadata '${issue[1]}' value too long: ${goQuote(issue[2])} metric ${goQuote(family)}`);
      return;
    }
    if (!this.opts.metadata.set(this.opts.workspace, family, { type, help, unit })) bump(this.discardedMetadata, 'per_user_metadata_limit', 1);
  }

  /** errorMessage is the 400 (429) body: the first error (the first active-series limit one) and how many there were. */
  errorMessage(receivedSamples: number): string {
    let discarded = 0;
    for (const n of this.discardedSamples.values()) discarded += n;
    const first = this.throttled ?? this.firstError ?? 'request partially rejected';
    return `${first} (${this.errorCount} error${this.errorCount === 1 ? '' : 's'} in request; ${discarded} of ${receivedSamples} samples rejected)`;
  }
}

function bump(m: Map<DiscardReason, number>, reason: DiscardReason, n: number): void {
  if (n > 0) m.set(reason, (m.get(reason) ?? 0) + n);
}

function carries(labels: Labels, set: Labels): boolean {
  for (const want of set) {
    let ok = false;
    for (const l of labels) {
      if (l.name === want.name) {
        ok = l.value === want.value;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

function labelSetString(labels: Labels): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
