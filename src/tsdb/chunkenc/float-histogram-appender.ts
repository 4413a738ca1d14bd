// Encoder for float histogram chunks (see float-histogram.ts for the format).

import { CUSTOM_BUCKETS_SCHEMA, type FloatHistogram, type Span } from '../../model/histogram/types.js';
import { isStaleNaN } from '../../model/sample.js';
import { counterAppendable, gaugeAppendable, recodeInto, withInsertedBuckets, type ChunkState } from './histogram-appendable.js';
import { HistogramBytesHolder, type HistogramChunkBytes } from './histogram-chunk-bytes.js';
import type { Insert } from './histogram-inserts.js';
import { countSpans, writeHistogramLayout } from './histogram-layout.js';
import type { BitWriter } from './bstream.js';
import { FloatHistogramChunk } from './float-histogram.js';
import type { FloatHistogramIterator } from './float-histogram-iterator.js';
import { appendWithFlow, type AppendableResult, type AppendResult, type FlowAppender, type GaugeAppendableResult } from './histogram-append-flow.js';
import { staleHistogram } from './histogram-iterator.js';
import { putVarbitInt } from './varbit.js';
import { newXorField, setXorValue, writeRawFloat, XOR_NO_WINDOW, xorWrite, type XorField } from './xor-value.js';

/** FloatHistogramAppendOptions tunes one append. */
export interface FloatHistogramAppendOptions {
  /** prev is the previous chunk's appender: a new chunk's first sample takes its counter-reset header from it. */
  prev?: FloatHistogramAppender | null;
  /** appendOnly refuses (HistogramAppendError) instead of cutting a new chunk or recoding. */
  appendOnly?: boolean;
}

/** FloatHistogramAppendResult is the outcome of appendFloatHistogram. */
export type FloatHistogramAppendResult = AppendResult<FloatHistogramChunk, FloatHistogramAppender>;

const EMPTY_SPANS: Span[] = [];

/** FloatHistogramAppender appends float histograms to a FloatHistogramChunk, cutting or recoding chunks as Prometheus does. */
export class FloatHistogramAppender extends HistogramBytesHolder implements FlowAppender<FloatHistogram, FloatHistogramChunk> {
  private schema = 0;
  private zThreshold = 0;
  private pSpans: Span[] = EMPTY_SPANS;
  private nSpans: Span[] = EMPTY_SPANS;
  private customValues: number[] | undefined = undefined;
  private t = Number.MIN_SAFE_INTEGER;
  private tDelta = 0;
  private cnt: XorField = newXorField(0, XOR_NO_WINDOW);
  private zCnt: XorField = newXorField(0, XOR_NO_WINDOW);
  private sum: XorField = newXorField(0, XOR_NO_WINDOW);
  private pBuckets: XorField[] = [];
  private nBuckets: XorField[] = [];

  /** The constructor continues chunk (whose bytes are b), from a decoder's final state when given. */
  constructor(
    private readonly chunk: FloatHistogramChunk,
    b: HistogramChunkBytes,
    from?: FloatHistogramIterator,
  ) {
    super(b);
    if (from === undefined) return;
    this.schema = from.schema;
    this.zThreshold = from.zThreshold;
    this.pSpans = from.pSpans;
    this.nSpans = from.nSpans;
    this.customValues = from.customValues;
    this.t = from.t;
    this.tDelta = from.tDelta;
    this.cnt = { ...from.cnt };
    this.zCnt = { ...from.zCnt };
    this.sum = { ...from.sum };
    this.pBuckets = from.pBuckets.map((f) => ({ ...f }));
    this.nBuckets = from.nBuckets.map((f) => ({ ...f }));
  }

  /**
   * appendFloatHistogram appends h at t (h is not modified). The result's chunk is null when h went
   * into this chunk; otherwise it is a new chunk (recoded: replacing this one; else following it).
   */
  appendFloatHistogram(t: number, h: FloatHistogram, opts: FloatHistogramAppendOptions = {}): FloatHistogramAppendResult {
    return appendWithFlow(this, t, h, opts.prev ?? null, opts.appendOnly ?? false, 'float histogram') as FloatHistogramAppendResult;
  }

  /** appendable checks a counter histogram against the chunk (Prometheus's appendable). */
  appendable(h: FloatHistogram): AppendableResult {
    return counterAppendable(this.state(), h, false);
  }

  /** appendableGauge checks a gauge histogram against the chunk (Prometheus's appendableGauge). */
  appendableGauge(h: FloatHistogram): GaugeAppendableResult {
    return gaugeAppendable(this.state(), h);
  }

  private state(): ChunkState {
    return {
      numSamples: this.b.numSamples(),
      header: this.b.counterResetHeader(),
      sum: this.sum.value,
      count: this.cnt.value,
      zeroCount: this.zCnt.value,
      schema: this.schema,
      zeroThreshold: this.zThreshold,
      customValues: this.customValues,
      pSpans: this.pSpans,
      nSpans: this.nSpans,
      pBuckets: values(this.pBuckets),
      nBuckets: values(this.nBuckets),
      deltas: false,
    };
  }

  /** spans is the chunk's current layout. */
  spans(): { p: Span[]; n: Span[] } {
    return { p: this.pSpans, n: this.nSpans };
  }

  /** withBuckets returns a copy of h with spans p/n and the backward inserts applied. */
  withBuckets(h: FloatHistogram, p: Span[], n: Span[], pBackward: Insert[], nBackward: Insert[]): FloatHistogram {
    return withInsertedBuckets(h, p, n, pBackward, nBackward, false);
  }

  /** fresh starts a new empty chunk (with room for capacity bytes when given). */
  fresh(capacity?: number): { chunk: FloatHistogramChunk; appender: FloatHistogramAppender } {
    const chunk = new FloatHistogramChunk(undefined, capacity);
    return { chunk, appender: chunk.appender() };
  }

  /** recode rewrites this chunk's samples into a new chunk with the forward inserts (same header). */
  recode(pForward: Insert[], nForward: Insert[], p: Span[], n: Span[]): { chunk: FloatHistogramChunk; appender: FloatHistogramAppender } {
    // The recoded chunk is a little larger than this one: size it so that it need not grow.
    const { chunk, appender } = this.fresh(this.b.byteLength() + (this.b.byteLength() >>> 2) + 64);
    const it = this.chunk.iterator();
    recodeInto(it, () => it.atFloatHistogram(), appender, { p, n, pForward, nForward, deltas: false });
    appender.setCounterResetHeader(this.counterResetHeader());
    return { chunk, appender };
  }

  /** encodeNext encodes h as the next sample and bumps the count (Prometheus's appendFloatHistogram). */
  encodeNext(t: number, hIn: FloatHistogram): void {
    const w = this.b.w!;
    const num = this.b.numSamples();
    const h = isStaleNaN(hIn.sum) ? staleHistogram(hIn.sum) : hIn;
    let tDelta = 0;
    if (num === 0) {
      writeHistogramLayout(w, {
        schema: h.schema,
        zeroThreshold: h.zeroThreshold,
        positiveSpans: h.positiveSpans,
        negativeSpans: h.negativeSpans,
        customValues: h.customValues,
      });
      this.schema = h.schema;
      this.zThreshold = h.zeroThreshold;
      this.pSpans = h.positiveSpans.map((s) => ({ ...s }));
      this.nSpans = h.negativeSpans.map((s) => ({ ...s }));
      this.customValues = h.schema === CUSTOM_BUCKETS_SCHEMA && h.customValues !== undefined && h.customValues.length > 0 ? h.customValues.slice() : undefined;
      const np = countSpans(h.positiveSpans);
      const nn = countSpans(h.negativeSpans);
      this.pBuckets = new Array<XorField>(np);
      this.nBuckets = new Array<XorField>(nn);
      for (let i = 0; i < np; i++) this.pBuckets[i] = newXorField(h.positiveBuckets[i] ?? 0, XOR_NO_WINDOW);
      for (let i = 0; i < nn; i++) this.nBuckets[i] = newXorField(h.negativeBuckets[i] ?? 0, XOR_NO_WINDOW);
      putVarbitInt(w, t);
      writeRawFloat(w, h.count);
      writeRawFloat(w, h.zeroCount);
      writeRawFloat(w, h.sum);
      setXorValue(this.cnt, h.count);
      setXorValue(this.zCnt, h.zeroCount);
      setXorValue(this.sum, h.sum);
      for (const v of h.positiveBuckets) writeRawFloat(w, v);
      for (const v of h.negativeBuckets) writeRawFloat(w, v);
    } else {
      tDelta = t - this.t;
      putVarbitInt(w, tDelta - this.tDelta);
      xorWrite(w, this.cnt, h.count);
      xorWrite(w, this.zCnt, h.zeroCount);
      xorWrite(w, this.sum, h.sum);
      writeFields(w, this.pBuckets, h.positiveBuckets);
      writeFields(w, this.nBuckets, h.negativeBuckets);
    }
    this.t = t;
    this.tDelta = tDelta;
    this.b.setNumSamples(num + 1);
  }
}

function writeFields(w: BitWriter, fields: XorField[], vs: readonly number[]): void {
  const n = Math.min(fields.length, vs.length);
  for (let i = 0; i < n; i++) xorWrite(w, fields[i]!, vs[i]!);
}

function values(fields: readonly XorField[]): number[] {
  const out = new Array<number>(fields.length);
  for (let i = 0; i < fields.length; i++) out[i] = fields[i]!.value;
  return out;
}
