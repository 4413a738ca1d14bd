// Helpers for the golden-bytes tests of the histogram chunks (recorded and live against Prometheus).

import { toFloatHistogram } from '../../model/histogram/convert.js';
import type { FloatHistogram, Histogram, Span } from '../../model/histogram/types.js';
import { FloatHistogramChunk } from './float-histogram.js';
import { ENCODING_HISTOGRAM, HistogramChunk } from './histogram.js';

/** GoldenSample is one histogram sample: integer (h) or float (fh). */
export interface GoldenSample {
  t: number;
  h?: Histogram;
  fh?: FloatHistogram;
}

/** GoldenChunk is a chunk as another writer stored it (hex bytes) with its decoded samples. */
export interface GoldenChunk {
  encoding: number;
  mint: number;
  maxt: number;
  hex: string;
  samples: GoldenSample[];
}

/** CanonicalSample compares histograms regardless of span layout: absolute counts by bucket index, empty buckets dropped. */
export interface CanonicalSample {
  t: number;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positive: Array<[number, number]>;
  negative: Array<[number, number]>;
}

function byIndex(spans: readonly Span[], counts: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let idx = 0;
  let k = 0;
  spans.forEach((s) => {
    idx += s.offset;
    for (let j = 0; j < s.length; j++, idx++, k++) if (counts[k] !== 0) out.push([idx, counts[k]!]);
  });
  return out;
}

/** canonicalSample is a sample's CanonicalSample. */
export function canonicalSample(s: GoldenSample): CanonicalSample {
  const f = s.fh ?? toFloatHistogram(s.h!);
  return {
    t: s.t,
    schema: f.schema,
    zeroThreshold: f.zeroThreshold,
    zeroCount: f.zeroCount,
    count: f.count,
    sum: f.sum,
    positive: byIndex(f.positiveSpans, f.positiveBuckets),
    negative: byIndex(f.negativeSpans, f.negativeBuckets),
  };
}

/** decodeChunk decodes a golden chunk's bytes with Amphora's iterators. */
export function decodeChunk(c: Pick<GoldenChunk, 'encoding' | 'hex'>): GoldenSample[] {
  const data = Buffer.from(c.hex, 'hex');
  const out: GoldenSample[] = [];
  if (c.encoding === ENCODING_HISTOGRAM) {
    const it = new HistogramChunk(data).iterator();
    while (it.next()) out.push({ t: it.atT(), h: it.atHistogram() });
    if (it.err() !== null) throw it.err();
  } else {
    const it = new FloatHistogramChunk(data).iterator();
    while (it.next()) out.push({ t: it.atT(), fh: it.atFloatHistogramCopy() });
    if (it.err() !== null) throw it.err();
  }
  return out;
}

/** reencodeChunk appends a golden chunk's decoded samples to a fresh chunk with the same header and returns its hex bytes. */
export function reencodeChunk(c: GoldenChunk): string {
  const header = Buffer.from(c.hex.slice(4, 6), 'hex')[0]! & 0xc0;
  const chunk = c.encoding === ENCODING_HISTOGRAM ? new HistogramChunk() : new FloatHistogramChunk();
  chunk.setCounterResetHeader(header as 0);
  if (chunk instanceof HistogramChunk) {
    const app = chunk.appender();
    for (const s of c.samples) if (app.appendHistogram(s.t, s.h!).chunk !== null) throw new Error(`re-encoding cut a chunk at ${s.t}`);
  } else {
    const app = chunk.appender();
    for (const s of c.samples) if (app.appendFloatHistogram(s.t, s.fh!).chunk !== null) throw new Error(`re-encoding cut a chunk at ${s.t}`);
  }
  return Buffer.from(chunk.bytes()).toString('hex');
}
