// The per-series ingest steps remote write 1.0 and 2.0 share: after a decoder's first pass over
// a TimeSeries message, resolve the series, apply the per-series checks and limits, and append
// its samples. Both protocols encode samples the same way (TimeSeries.samples = 2, Sample.value
// = 1, Sample.timestamp = 2); they differ in how labels are carried, which SeriesLabelSource and
// SeriesScan.key hide.
import type { Label, Labels } from '../model/labels.js';
import { compareStrings, labelsToString } from '../model/labels.js';
import type { Ingester } from './ingest.js';
import type { PbReader } from './pb.js';
import type { SeriesRef } from '../storage/interface.js';
import { validateFloatHistogram, validateHistogram } from '../model/histogram/validate.js';
import { CounterResetHint, type FloatHistogram, type Histogram } from '../model/histogram/types.js';
import { emptyFloatHistogram } from '../tsdb/chunkenc/histogram-iterator.js';
import { decodeHistogram, histogramTimestamp } from './decode-histogram.js';
import { isSeriesIssue, type SeriesIssue } from './validate.js';

/** K_SAMPLES is the key of TimeSeries.samples (field 2, length-delimited) in remote write 1.0 and 2.0. */
export const K_SAMPLES = 0x12;
const K_S_VALUE = 0x09; // Sample.value = 1 (double)
const K_S_TS = 0x10; // Sample.timestamp = 2 (int64)

const NO_LABELS: Labels = [];

/** SeriesLabelSource decodes and validates the current series' labels on demand (known series never need them). */
export interface SeriesLabelSource {
  /** labels decodes and validates the current series' labels; it leaves the reader's position as it found it. */
  labels(ing: Ingester): Labels | SeriesIssue;
}

/** SeriesScan is what a decoder's first pass found in one TimeSeries message; one per request, reset per series. */
export class SeriesScan {
  /** samples, exemplars and histograms count the series' fields of each kind. */
  samples = 0;
  /** exemplars counts the series' Exemplar fields. */
  exemplars = 0;
  /** histograms counts the series' Histogram fields. */
  histograms = 0;
  /** minT and maxT bound the samples' timestamps. */
  minT = Infinity;
  /** maxT is the newest sample timestamp. */
  maxT = -Infinity;
  /** firstSample is the offset of the first Sample field's tag, -1 when there is none. */
  firstSample = -1;
  /** firstHistogram is the offset of the first Histogram field's tag, -1 when there is none. */
  firstHistogram = -1;
  /** histKey is the key of TimeSeries.histograms in the decoder's protocol. */
  histKey = 0;
  /** created is the 2.0 created timestamp, 0 when absent (1.0 has none). */
  created = 0;
  /** key holds the series' labels as 1.0 Label fields in [keyStart, keyEnd) (the alias key), or null when there is none. */
  key: Uint8Array | null = null;
  /** keyStart is where the alias key starts in key. */
  keyStart = 0;
  /** keyEnd is where the alias key ends in key. */
  keyEnd = 0;
  /** labels are the series' labels when appendSeries decoded them (always when it accepted exemplars or a new series). */
  labels: Labels | null = null;

  /** reset prepares for the next series. */
  reset(): void {
    this.samples = 0;
    this.exemplars = 0;
    this.histograms = 0;
    this.minT = Infinity;
    this.maxT = -Infinity;
    this.firstSample = -1;
    this.firstHistogram = -1;
    this.created = 0;
    this.key = null;
    this.keyStart = 0;
    this.keyEnd = 0;
    this.labels = null;
  }

  /** histogram reads the Histogram field whose tag (key) started at offset `at`, noting its timestamp. */
  histogram(r: PbReader, at: number, e: number, key: number): void {
    if (this.firstHistogram < 0) this.firstHistogram = at;
    this.histKey = key;
    const t = histogramTimestamp(r, r.lenEnd(e));
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    this.histograms++;
  }

  /** sample reads the Sample field whose tag started at offset `at` (tag already read, series ends at e), noting its timestamp. */
  sample(r: PbReader, at: number, e: number): void {
    if (this.firstSample < 0) this.firstSample = at;
    const se = r.lenEnd(e);
    let t = 0;
    while (r.pos < se) {
      const sk = r.uint32();
      if (sk === K_S_TS) t = r.int64();
      else r.skip(sk & 7, se);
    }
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    this.samples++;
  }
}

/**
 * appendSeries resolves the scanned series in [.., e) (by its alias key, else by its labels),
 * rejects it whole for invalid labels, native histograms, samples out of the accepted time
 * range or series limits, then appends its samples (and a 2.0 created-timestamp zero first).
 * It returns false when the series was rejected; scan.labels holds the labels it decoded.
 */
export function appendSeries(r: PbReader, e: number, scan: SeriesScan, src: SeriesLabelSource, ing: Ingester): boolean {
  const buf = r.buf;
  const view = r.view;
  const app = ing.app;
  const key = scan.key;
  const nSamples = scan.samples;
  const nEx = scan.exemplars;
  const nHist = scan.histograms;
  let ref = key !== null ? app.refForBytes(key, scan.keyStart, scan.keyEnd) : 0;
  let labels: Labels | null = null;
  if (ref === 0 || nEx > 0) {
    const got = src.labels(ing);
    if (isSeriesIssue(got)) {
      ing.rejectSeries(got, nSamples + nHist, nEx);
      return false;
    }
    labels = got;
    scan.labels = got;
  }
  if (nSamples === 0 && nHist === 0) return true;
  const minT = scan.minT;
  const maxT = scan.maxT;
  const why = ing.timeIssue(minT, maxT);
  if (why !== null) {
    labels ??= src.labels(ing) as Labels;
    ing.rejectSeries({ reason: why, message: ing.timeIssueMessage(why, minT, maxT, labels) }, nSamples + nHist, nEx);
    return false;
  }
  const isNew = ref === 0;
  let before = 0;
  if (isNew) {
    const issue = ing.admitNew(labels!);
    if (issue !== null) {
      ing.rejectSeries(issue, nSamples + nHist, nEx);
      return false;
    }
    before = ing.opts.index.numSeries();
  }
  const created = scan.created;
  const wantsZero = created > 0 && created < minT && ing.opts.ingestCreatedTimestamps && ing.timeIssue(created, created) === null;
  // A histogram series gets a zero histogram instead (appendHistograms): a float zero would mix the types.
  if (wantsZero && nSamples > 0) {
    try {
      ref = app.append(ref, labels ?? NO_LABELS, created, 0);
    } catch (err) {
      // A created timestamp at or before the series' newest sample is expected (the zero was already ingested).
      ing.storageFailureSilent(err);
    }
  }
  let written = 0;
  let se: number;
  r.pos = nSamples > 0 ? scan.firstSample : e;
  while ((se = r.nextField(K_SAMPLES, e)) >= 0) {
    let v = 0;
    let t = 0;
    if (buf[r.pos] === K_S_VALUE && r.pos + 9 <= se) {
      v = view.getFloat64(r.pos + 1, true);
      r.pos += 9;
    }
    while (r.pos < se) {
      const sk = r.uint32();
      if (sk === K_S_TS) t = r.int64();
      else if (sk === K_S_VALUE) v = r.double();
      else r.skip(sk & 7, se);
    }
    try {
      ref = app.append(ref, labels ?? NO_LABELS, t, v);
      written++;
    } catch (err) {
      ing.storageFailure(err, t, ing.wantsMessage ? (labels ??= src.labels(ing) as Labels) : null);
      r.pos = se;
    }
  }
  ing.samplesWritten += written;
  if (nHist > 0) ref = appendHistograms(r, e, scan, ref, labels, src, ing, wantsZero && nSamples === 0 ? created : 0);
  scan.labels = labels;
  if (isNew) {
    if (ing.opts.index.numSeries() > before) ing.created(labels!);
    if (ref !== 0 && key !== null) app.registerBytes(key, scan.keyStart, scan.keyEnd, ref);
  }
  return true;
}

/**
 * appendHistograms appends the series' Histogram fields after its float samples (as Prometheus's handler does):
 * each is validated (Prometheus's texts) and refused alone, as a float sample the storage refuses.
 */
function appendHistograms(r: PbReader, e: number, scan: SeriesScan, ref: SeriesRef, known: Labels | null, src: SeriesLabelSource, ing: Ingester, created: number): SeriesRef {
  const app = ing.app;
  // A known series (ref) needs no labels: they are decoded only for a message.
  let labels = known;
  const named = (): Labels => (labels ??= src.labels(ing) as Labels);
  r.pos = scan.firstHistogram;
  let he: number;
  while ((he = r.nextField(scan.histKey, e)) >= 0) {
    const d = decodeHistogram(r, he);
    r.pos = he;
    const bad = d.h !== undefined ? validateHistogram(d.h) : validateFloatHistogram(d.fh!);
    if (bad !== null) {
      ing.invalidHistogram(bad.message, d.t, named());
      continue;
    }
    if (app.appendHistogram === undefined) {
      ing.invalidHistogram('native histograms are not supported by this storage', d.t, named());
      continue;
    }
    if (created > 0) {
      ref = appendZeroHistogram(app, ref, labels, created, d.h ?? d.fh!, d.h !== undefined, ing);
      created = 0;
    }
    try {
      ref = app.appendHistogram(ref, labels ?? NO_LABELS, d.t, d.h, d.fh);
      ing.histogramsWritten++;
    } catch (err) {
      ing.storageFailure(err, d.t, ing.wantsMessage ? named() : null);
    }
  }
  return ref;
}

/**
 * appendZeroHistogram appends, at a 2.0 series' created timestamp, the zero histogram Prometheus writes there
 * (a counter reset with the first histogram's schema, zero threshold and custom bounds, of the same kind).
 */
function appendZeroHistogram(app: Ingester['app'], ref: SeriesRef, labels: Labels | null, t: number, like: Histogram | FloatHistogram, integer: boolean, ing: Ingester): SeriesRef {
  const zero: Histogram = emptyFloatHistogram();
  zero.counterResetHint = CounterResetHint.CounterReset;
  zero.schema = like.schema;
  zero.zeroThreshold = like.zeroThreshold;
  if (like.customValues !== undefined) zero.customValues = like.customValues.slice();
  try {
    return app.appendHistogram!(ref, labels ?? NO_LABELS, t, integer ? zero : undefined, integer ? undefined : zero);
  } catch (err) {
    // A created timestamp at or before the series' newest sample is expected (the zero was already ingested).
    ing.storageFailureSilent(err);
    return ref;
  }
}

/** ingestExemplar sorts an exemplar's decoded label pairs by name and hands it to the ingester. */
export function ingestExemplar(ing: Ingester, series: Labels, pairs: Label[], v: number, t: number): void {
  pairs.sort((a, b) => compareStrings(a.name, b.name));
  ing.exemplar(series, pairs, v, t);
}
