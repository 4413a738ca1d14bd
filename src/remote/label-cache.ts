import { METRIC_NAME, type Label, type Labels } from '../model/labels.js';
import { ByteAliases } from '../tsdb/head/aliases.js';
import type { PbReader } from './pb.js';
import { checkLabels, decodeUtf8, INVALID_UTF8, isValidLabelName, isValidMetricName, utf8Length, type LabelLimits, type SeriesIssue } from './validate.js';

const K_NAME = 0x0a; // Label.name = 1
const K_VALUE = 0x12; // Label.value = 2

/** VALID: the pair passes every check that does not depend on limits; METRIC: it is the metric name; EMPTY: its value is empty (dropped). */
const VALID = 1;
const METRIC = 2;
const EMPTY = 4;

/** decodeLabel decodes the Label message in [r.pos, le) (an empty value is kept); pos ends at le. */
export function decodeLabel(r: PbReader, le: number): Label {
  const buf = r.buf;
  let name = '';
  let value = '';
  while (r.pos < le) {
    const lt = r.uint32();
    if (lt === K_NAME) {
      const ne = r.lenEnd(le);
      name = decodeUtf8(buf, r.pos, ne);
      r.pos = ne;
    } else if (lt === K_VALUE) {
      const ve = r.lenEnd(le);
      value = decodeUtf8(buf, r.pos, ve);
      r.pos = ve;
    } else r.skip(lt & 7, le);
  }
  return { name, value };
}

/**
 * LabelPairCache maps the bytes of an encoded Label message to one shared Label object, with
 * what checkLabels would find about it precomputed, so the labels of a new series are neither
 * decoded again nor re-validated character by character: label values repeat across series (job,
 * instance, metric names), and shared strings also make the head's index lookups cheaper. It holds
 * at most maxEntries pairs and starts afresh when full.
 */
export class LabelPairCache {
  private keys = new ByteAliases();
  private pairs: Label[] = [];
  private flags: number[] = [];
  private nameLen: number[] = [];
  private valueLen: number[] = [];

  constructor(private readonly maxEntries = 1 << 18) {}

  /** size is the number of cached pairs. */
  get size(): number {
    return this.pairs.length;
  }

  /**
   * labels decodes the Label fields with key `key` in [s, e) through the cache and returns them
   * validated as checkLabels does (the same result and messages); pos is left unspecified.
   */
  labels(r: PbReader, s: number, e: number, key: number, limits: LabelLimits): Labels | SeriesIssue {
    const buf = r.buf;
    const out: Label[] = [];
    let ok = true;
    let sorted = true;
    let named = false;
    let prev = '';
    r.pos = s;
    let le: number;
    while ((le = r.nextField(key, e)) >= 0) {
      let i = this.keys.get(buf, r.pos, le) - 1;
      if (i < 0) i = this.add(r, le);
      r.pos = le;
      const f = this.flags[i]!;
      if ((f & EMPTY) !== 0) continue;
      const l = this.pairs[i]!;
      if ((f & VALID) === 0 || this.nameLen[i]! > limits.maxLabelNameLength || this.valueLen[i]! > limits.maxLabelValueLength) ok = false;
      if ((f & METRIC) !== 0) named = true;
      if (out.length > 0 && !(l.name > prev)) sorted = false;
      prev = l.name;
      out.push(l);
    }
    if (ok && named && sorted && out.length <= limits.maxLabelNamesPerSeries) return out;
    // Unsorted, or something to report: the full check sorts and words the issue.
    return checkLabels(out, limits);
  }

  /** release drops the reference to the last request's buffer. */
  release(): void {
    this.keys.release();
  }

  private add(r: PbReader, le: number): number {
    if (this.pairs.length >= this.maxEntries) this.clear();
    const start = r.pos;
    const l = decodeLabel(r, le);
    let f = 0;
    if (l.value === '') f |= EMPTY;
    const isMetric = l.name === METRIC_NAME;
    if (isMetric) f |= METRIC;
    const nameOk = isMetric ? isValidMetricName(l.value) : l.name !== INVALID_UTF8 && isValidLabelName(l.name);
    if (nameOk && l.value !== INVALID_UTF8) f |= VALID;
    const i = this.pairs.length;
    this.pairs.push(l);
    this.flags.push(f);
    this.nameLen.push(utf8Length(l.name));
    this.valueLen.push(utf8Length(l.value));
    this.keys.set(r.buf, start, le, i + 1);
    return i;
  }

  private clear(): void {
    this.keys = new ByteAliases();
    this.pairs = [];
    this.flags = [];
    this.nameLen = [];
    this.valueLen = [];
  }
}
