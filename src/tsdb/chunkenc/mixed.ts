// Decoding chunks of any encoding into one sample list and re-encoding such a list into chunks,
// as Prometheus's compaction does for overlapping or trimmed chunks (storage/series.go's
// seriesToChunkEncoder): a new chunk at every change of sample type or after samplesPerChunk
// samples, histogram chunks cut or recoded by their appenders.

import type { FloatHistogram, Histogram } from '../../model/histogram/types.js';
import { EncodingError } from '../encoding/buffers.js';
import { ENCODING_FLOAT_HISTOGRAM, FloatHistogramChunk, type FloatHistogramAppender } from './float-histogram.js';
import { ENCODING_HISTOGRAM, HistogramChunk, type HistogramAppender } from './histogram.js';
import { ENCODING_XOR, XORChunk, type XORAppender } from './xor.js';

/** SampleKind says what a sample is: a float, an integer histogram or a float histogram. */
export const SampleKind = { Float: 0, Histogram: 1, FloatHistogram: 2 } as const;
/** SampleKindValue is one of SampleKind's values. */
export type SampleKindValue = (typeof SampleKind)[keyof typeof SampleKind];

/** MixedSample is one decoded sample of any kind. */
export interface MixedSample {
  t: number;
  kind: SampleKindValue;
  /** v is the float value (kind Float). */
  v: number;
  /** h is the histogram (kind Histogram or FloatHistogram), owned by the sample. */
  h: Histogram | FloatHistogram | null;
}

/** RawChunk is a chunk as blocks store it. */
export interface EncodedChunk {
  mint: number;
  maxt: number;
  encoding: number;
  data: Uint8Array;
}

/** decodeMixed decodes a chunk of any known encoding, keeping the samples keep accepts (default all); throws EncodingError. */
export function decodeMixed(c: { encoding: number; data: Uint8Array }, keep: (t: number) => boolean = () => true): MixedSample[] {
  const out: MixedSample[] = [];
  if (c.encoding === ENCODING_XOR) {
    const it = new XORChunk(c.data).iterator();
    while (it.next()) if (keep(it.atT())) out.push({ t: it.atT(), kind: SampleKind.Float, v: it.atV(), h: null });
    if (it.err() !== null) throw it.err();
  } else if (c.encoding === ENCODING_HISTOGRAM) {
    const it = new HistogramChunk(c.data).iterator();
    while (it.next()) if (keep(it.atT())) out.push({ t: it.atT(), kind: SampleKind.Histogram, v: 0, h: it.atHistogram() });
    if (it.err() !== null) throw it.err();
  } else if (c.encoding === ENCODING_FLOAT_HISTOGRAM) {
    const it = new FloatHistogramChunk(c.data).iterator();
    while (it.next()) if (keep(it.atT())) out.push({ t: it.atT(), kind: SampleKind.FloatHistogram, v: 0, h: it.atFloatHistogramCopy() });
    if (it.err() !== null) throw it.err();
  } else {
    throw new EncodingError(`unknown chunk encoding ${c.encoding}`);
  }
  return out;
}

type AnyChunk = XORChunk | HistogramChunk | FloatHistogramChunk;

/** encodeMixed encodes time-ordered samples into chunks as Prometheus's compaction does. */
export function encodeMixed(samples: Iterable<MixedSample>, samplesPerChunk: number): EncodedChunk[] {
  const out: EncodedChunk[] = [];
  let chunk: AnyChunk | null = null;
  let xapp: XORAppender | null = null;
  let happ: HistogramAppender | null = null;
  let fapp: FloatHistogramAppender | null = null;
  let lastKind = -1;
  let n = 0;
  let mint = 0;
  let maxt = 0;
  const flush = (): void => {
    if (chunk !== null && chunk.numSamples() > 0) out.push({ mint, maxt, encoding: chunk.encoding(), data: chunk.bytes().slice() });
    chunk = null;
  };
  // A histogram appender may cut (a new chunk follows) or recode (the new chunk replaces the old).
  const adopt = (r: { chunk: HistogramChunk | FloatHistogramChunk | null; recoded: boolean }, t: number): void => {
    if (r.chunk === null) return;
    if (!r.recoded) {
      flush();
      mint = t;
      n = 0;
    }
    chunk = r.chunk;
  };
  for (const s of samples) {
    if (s.kind !== lastKind || n >= samplesPerChunk) {
      flush();
      if (s.kind === SampleKind.Float) {
        const c = new XORChunk();
        xapp = c.appender();
        chunk = c;
      } else if (s.kind === SampleKind.Histogram) {
        const c = new HistogramChunk();
        happ = c.appender();
        chunk = c;
      } else {
        const c = new FloatHistogramChunk();
        fapp = c.appender();
        chunk = c;
      }
      mint = s.t;
      n = 0;
      lastKind = s.kind;
    }
    if (s.kind === SampleKind.Float) {
      xapp!.append(s.t, s.v);
    } else if (s.kind === SampleKind.Histogram) {
      const r = happ!.appendHistogram(s.t, s.h as Histogram);
      adopt(r, s.t);
      happ = r.appender;
    } else {
      const r = fapp!.appendFloatHistogram(s.t, s.h as FloatHistogram);
      adopt(r, s.t);
      fapp = r.appender;
    }
    maxt = s.t;
    n++;
  }
  flush();
  return out;
}

/** mergeMixed merges sample lists ordered by priority (on equal timestamps the earliest list wins) into one time-ordered list. */
export function mergeMixed(lists: readonly MixedSample[][]): MixedSample[] {
  if (lists.length === 1) return lists[0]!;
  const all: Array<{ s: MixedSample; p: number }> = [];
  lists.forEach((l, p) => l.forEach((s) => all.push({ s, p })));
  all.sort((a, b) => a.s.t - b.s.t || a.p - b.p);
  const out: MixedSample[] = [];
  for (const x of all) if (out.length === 0 || out[out.length - 1]!.t !== x.s.t) out.push(x.s);
  return out;
}
