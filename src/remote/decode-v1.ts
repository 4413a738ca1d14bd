import type { Label, Labels } from '../model/labels.js';
import { appendSeries, ingestExemplar, K_SAMPLES, SeriesScan, type SeriesLabelSource } from './append-series.js';
import type { Ingester } from './ingest.js';
import { metricTypeFromProto } from './metadata-store.js';
import { DecodeError, PbReader, WIRE_LEN } from './pb.js';
import { decodeLabel } from './label-cache.js';
import { checkRequestCaps, NO_CAPS, type RequestCaps } from './request-limits.js';
import type { Slicer } from './slicer.js';
import { checkLabels, decodeUtf8, type SeriesIssue } from './validate.js';

// Field keys (field number << 3 | wire type) of prometheus.WriteRequest and its messages.
const K_TIMESERIES = 0x0a; // WriteRequest.timeseries = 1
const K_METADATA = 0x1a; // WriteRequest.metadata = 3
const K_LABELS = 0x0a; // TimeSeries.labels = 1, Exemplar.labels = 1
const K_EXEMPLARS = 0x1a; // TimeSeries.exemplars = 3
const K_HISTOGRAMS = 0x22; // TimeSeries.histograms = 4
const K_DOUBLE2 = 0x11; // Exemplar.value = 2
const K_TS3 = 0x18; // Exemplar.timestamp = 3
const K_MD_TYPE = 0x08; // MetricMetadata.type = 1
const K_MD_FAMILY = 0x12; // metric_family_name = 2
const K_MD_HELP = 0x22; // help = 4
const K_MD_UNIT = 0x2a; // unit = 5

/** RequestCounts are what a request carries, counted before anything is written (rate limiting, metrics). */
export interface RequestCounts {
  series: number;
  samples: number;
  exemplars: number;
  histograms: number;
  metadata: number;
}

/** emptyCounts returns zero counts. */
export function emptyCounts(): RequestCounts {
  return { series: 0, samples: 0, exemplars: 0, histograms: 0, metadata: 0 };
}

/**
 * scanV1 checks the request's and its TimeSeries' framing and counts what it carries (for the
 * rate limit), in slices for a large request; past a per-request cap it stops with RequestLimitError. Nested messages are checked while ingesting; a malformed one rolls the batch back.
 */
export async function scanV1(buf: Uint8Array, slicer: Slicer, caps: RequestCaps = NO_CAPS): Promise<RequestCounts> {
  const c = emptyCounts();
  const r = new PbReader(buf);
  const end = buf.length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === K_TIMESERIES) {
      const e = r.lenEnd(end);
      c.series++;
      while (r.pos < e) {
        const t = r.uint32();
        if (t === K_SAMPLES) c.samples++;
        else if (t === K_EXEMPLARS) c.exemplars++;
        else if (t === K_HISTOGRAMS) c.histograms++;
        if ((t & 7) === WIRE_LEN) r.pos = r.lenEnd(e);
        else skipField(r, t, e);
      }
      checkRequestCaps(c, caps);
      if (slicer.due()) await slicer.pause();
    } else if (tag === K_METADATA) {
      r.pos = r.lenEnd(end);
      c.metadata++;
    } else skipField(r, tag, end);
  }
  return c;
}

function skipField(r: PbReader, tag: number, end: number): void {
  if (tag >>> 3 === 0) throw new DecodeError('invalid protobuf field number 0');
  r.skip(tag & 7, end);
}

/** decodeLabelPairs decodes the Label fields with key `key` in [s, e); empty values are dropped (Prometheus's semantics). */
export function decodeLabelPairs(r: PbReader, s: number, e: number, key: number): Label[] {
  const pairs: Label[] = [];
  r.pos = s;
  let le: number;
  while ((le = r.nextField(key, e)) >= 0) {
    const l = decodeLabel(r, le);
    if (l.value !== '') pairs.push(l);
  }
  return pairs;
}

/** ingestV1 appends a scanned prometheus.WriteRequest through the ingester (see scanV1 first), giving the event loop away whenever the slicer says so. */
export async function ingestV1(buf: Uint8Array, ing: Ingester, slicer: Slicer): Promise<void> {
  const r = new PbReader(buf);
  const cur = new V1Series(r);
  const end = buf.length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === K_TIMESERIES) {
      const e = r.lenEnd(end);
      ingestSeries(r, r.pos, e, cur, ing);
      r.pos = e;
      if (slicer.due()) await slicer.pause();
    } else if (tag === K_METADATA) {
      const e = r.lenEnd(end);
      ingestMetadata(r, r.pos, e, ing);
      r.pos = e;
    } else r.skip(tag & 7, end);
  }
}

/** V1Series is the current series' place in the request, so its labels decode only when needed. */
class V1Series implements SeriesLabelSource {
  /** s and e bound the current TimeSeries message. */
  s = 0;
  e = 0;
  readonly scan = new SeriesScan();

  constructor(private readonly r: PbReader) {}

  labels(ing: Ingester): Labels | SeriesIssue {
    const r = this.r;
    const save = r.pos;
    const cache = ing.opts.labelCache;
    const got = cache !== undefined ? cache.labels(r, this.s, this.e, K_LABELS, ing.labelLimits) : checkLabels(decodeLabelPairs(r, this.s, this.e, K_LABELS), ing.labelLimits);
    r.pos = save;
    return got;
  }
}

function ingestSeries(r: PbReader, s: number, e: number, cur: V1Series, ing: Ingester): void {
  const scan = cur.scan;
  scan.reset();
  cur.s = s;
  cur.e = e;
  // Pass 1: where the labels are, how many samples, their time range.
  let lStart = -1;
  let lEnd = -1;
  let contiguous = true;
  r.pos = s;
  while (r.pos < e) {
    const at = r.pos;
    const tag = r.uint32();
    if (tag === K_LABELS) {
      const fe = r.lenEnd(e);
      if (lStart < 0) lStart = at;
      else if (lEnd !== at) contiguous = false;
      lEnd = fe;
      r.pos = fe;
    } else if (tag === K_SAMPLES) scan.sample(r, at, e);
    else if (tag === K_EXEMPLARS) {
      r.pos = r.lenEnd(e);
      scan.exemplars++;
    } else if (tag === K_HISTOGRAMS) scan.histogram(r, at, e, K_HISTOGRAMS);
    else r.skip(tag & 7, e);
  }
  if (lStart >= 0 && contiguous) {
    scan.key = r.buf;
    scan.keyStart = lStart;
    scan.keyEnd = lEnd;
  }
  if (appendSeries(r, e, scan, cur, ing) && scan.exemplars > 0) ingestExemplars(r, s, e, scan.labels!, ing);
}

function ingestExemplars(r: PbReader, s: number, e: number, labels: Labels, ing: Ingester): void {
  r.pos = s;
  let xe: number;
  while ((xe = r.nextField(K_EXEMPLARS, e)) >= 0) {
    const xs = r.pos;
    let v = 0;
    let t = 0;
    while (r.pos < xe) {
      const xt = r.uint32();
      if (xt === K_DOUBLE2) v = r.double();
      else if (xt === K_TS3) t = r.int64();
      else r.skip(xt & 7, xe);
    }
    ingestExemplar(ing, labels, decodeLabelPairs(r, xs, xe, K_LABELS), v, t);
    r.pos = xe;
  }
}

function ingestMetadata(r: PbReader, s: number, e: number, ing: Ingester): void {
  const buf = r.buf;
  let type = 0;
  let family = '';
  let help = '';
  let unit = '';
  r.pos = s;
  while (r.pos < e) {
    const tag = r.uint32();
    if (tag === K_MD_TYPE) type = r.uint32();
    else if (tag === K_MD_FAMILY || tag === K_MD_HELP || tag === K_MD_UNIT) {
      const fe = r.lenEnd(e);
      const str = decodeUtf8(buf, r.pos, fe);
      if (tag === K_MD_FAMILY) family = str;
      else if (tag === K_MD_HELP) help = str;
      else unit = str;
      r.pos = fe;
    } else r.skip(tag & 7, e);
  }
  ing.metadata(family, metricTypeFromProto(type), help, unit);
}

