import { labelsToString, METRIC_NAME, type Label, type Labels } from '../model/labels.js';

/** DiscardReason is a Cortex/Mimir `reason` label value of discarded_samples_total. */
export type DiscardReason =
  | 'missing_metric_name'
  | 'metric_name_invalid'
  | 'label_invalid'
  | 'label_value_invalid'
  | 'label_name_too_long'
  | 'label_value_too_long'
  | 'duplicate_label_names'
  | 'max_label_names_per_series'
  | 'too_far_in_future'
  | 'greater_than_max_sample_age'
  | 'invalid_native_histogram'
  | 'sample-out-of-order'
  | 'sample-out-of-bounds'
  | 'sample-too-old'
  | 'new-value-for-timestamp'
  | 'per_user_series_limit'
  | 'per_labelset_series_limit'
  | 'rate_limited'
  | 'exemplar_labels_missing'
  | 'exemplar_labels_too_long'
  | 'exemplar_timestamp_invalid'
  | 'exemplar-out-of-order'
  | 'metric_name_too_long'
  | 'help_too_long'
  | 'unit_too_long'
  | 'per_user_metadata_limit';

/** LabelLimits are the per-series label limits checked when a series is first seen in a request. */
export interface LabelLimits {
  readonly maxLabelNamesPerSeries: number;
  readonly maxLabelNameLength: number;
  readonly maxLabelValueLength: number;
}

/** SeriesIssue is why a series (with all its samples) was refused. */
export interface SeriesIssue {
  readonly reason: DiscardReason;
  readonly message: string;
}

/** goQuote renders a string as Go's %.200q does (truncated to max characters, double-quoted, escaped). */
export function goQuote(s: string, max = 200): string {
  const chars = Array.from(s);
  return JSON.stringify(chars.length > max ? chars.slice(0, max).join('') : s);
}

/** seriesString prints a label set for error messages (Prometheus's `name{a="b"}` form). */
export function seriesString(labels: Labels): string {
  return labelsToString(labels);
}

/** isValidMetricName checks Prometheus's legacy metric name syntax [a-zA-Z_:][a-zA-Z0-9_:]*. */
export function isValidMetricName(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** isValidLabelName checks Prometheus's legacy label name syntax [a-zA-Z_][a-zA-Z0-9_]*. */
export function isValidLabelName(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** INVALID_UTF8 marks a label value whose bytes were not valid UTF-8 (decodeUtf8 returns it). */
export const INVALID_UTF8 = '\u0000invalid-utf8\u0000';

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

/** decodeUtf8 decodes buf[start, end) as UTF-8, returning INVALID_UTF8 for malformed bytes. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    if (end - start < 24) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
      return s;
    }
    return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  }
  try {
    return fatalDecoder.decode(buf.subarray(start, end));
  } catch {
    return INVALID_UTF8;
  }
}

/**
 * checkLabels sorts the decoded pairs (empty values already dropped) and validates them as
 * Cortex's distributor does; it returns the sorted label set or the first issue found.
 */
export function checkLabels(pairs: Label[], limits: LabelLimits): Labels | SeriesIssue {
  pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const labels: Labels = pairs;
  let name = '';
  for (const l of pairs) if (l.name === METRIC_NAME) name = l.value;
  if (name === '') return { reason: 'missing_metric_name', message: 'sample missing metric name' };
  if (name === INVALID_UTF8 || !isValidMetricName(name)) {
    return { reason: 'metric_name_invalid', message: `sample invalid metric name: ${goQuote(name === INVALID_UTF8 ? '<invalid UTF-8>' : name)}` };
  }
  if (pairs.length > limits.maxLabelNamesPerSeries) {
    return {
      reason: 'max_label_names_per_series',
      message: `series has too many labels (actual: ${pairs.length}, limit: ${limits.maxLabelNamesPerSeries}) series: '${truncate(seriesString(safe(labels)), 200)}'`,
    };
  }
  let prev = '';
  for (let i = 0; i < pairs.length; i++) {
    const l = pairs[i]!;
    if (l.name !== METRIC_NAME && (l.name === INVALID_UTF8 || !isValidLabelName(l.name))) {
      return { reason: 'label_invalid', message: `sample invalid label: ${goQuote(l.name === INVALID_UTF8 ? '<invalid UTF-8>' : l.name)} metric ${goQuote(seriesString(safe(labels)))}` };
    }
    if (utf8Length(l.name) > limits.maxLabelNameLength) {
      return { reason: 'label_name_too_long', message: `label name too long: ${goQuote(l.name)} metric ${goQuote(seriesString(safe(labels)))}` };
    }
    if (l.value === INVALID_UTF8) {
      return { reason: 'label_value_invalid', message: `sample invalid label value (not valid UTF-8) for label ${goQuote(l.name)} metric ${goQuote(seriesString(safe(labels)))}` };
    }
    if (utf8Length(l.value) > limits.maxLabelValueLength) {
      return { reason: 'label_value_too_long', message: `label value too long: ${goQuote(l.value)} metric ${goQuote(seriesString(safe(labels)))}` };
    }
    if (i > 0 && l.name === prev) {
      return { reason: 'duplicate_label_names', message: `duplicate label name: ${goQuote(l.name)} metric ${goQuote(seriesString(safe(labels)))}` };
    }
    prev = l.name;
  }
  return labels;
}

/** isSeriesIssue distinguishes checkLabels' two results. */
export function isSeriesIssue(x: Labels | SeriesIssue): x is SeriesIssue {
  return !Array.isArray(x);
}

function safe(labels: Labels): Labels {
  let bad = false;
  for (const l of labels) if (l.name === INVALID_UTF8 || l.value === INVALID_UTF8) bad = true;
  if (!bad) return labels;
  return labels.map((l) => ({
    name: l.name === INVALID_UTF8 ? '<invalid UTF-8>' : l.name,
    value: l.value === INVALID_UTF8 ? '<invalid UTF-8>' : l.value,
  }));
}

function truncate(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

/** utf8Length counts the UTF-8 bytes of a string. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && !(c >= 0xd800 && c <= 0xdfff) ? 2 : 1;
  }
  return n;
}

/** formatTimestamp prints ms as RFC 3339 with milliseconds (Cortex's error messages). */
export function formatTimestamp(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString();
}
