// Encoder for integer histogram chunks (see histogram.ts for the format).

import { CUSTOM_BUCKETS_SCHEMA, type Histogram, type Span } from '../../model/histogram/types.js';
import { isStaleNaN } from '../../model/sample.js';
import { counterAppendable, gaugeAppendable, recodeInto, withInsertedBuckets, type ChunkState } from './histogram-appendable.js';
import { HistogramBytesHolder, type HistogramChunkBytes } from './histogram-chunk-bytes.js';
import type { Insert } from './histogram-inserts.js';
import { countSpans, writeHistogramLayout } from './histogram-layout.js';
import { appendWithFlow, type AppendableResult, type AppendResult, type FlowAppender, type GaugeAppendableResult } from './histogram-append-flow.js';
import type { HistogramIterator } from './histogram-iterator.js';
import { staleHistogram } from './histogram-iterator.js';
import { putVarbitInt, putVarbitUint } from './varbit.js';
import { newXorField, setXorValue, writeRawFloat, XOR_NO_WINDOW, xorWrite, type XorField } from './xor-value.js';
import { HistogramChunk } from './histogram.js';

/** HistogramAppendOptions tunes one append. */
export interface HistogramAppendOptions {
  /** prev is the previous chunk's appender: a new chunk's first sample takes its counter-reset header from it. */
  prev?: HistogramAppender | null;
  /** appendOnly refuses (HistogramAppendError) instead of cutting a new chunk or recoding. */
  appendOnly?: boolean;
}

/** HistogramAppendResult is the outcome of appendHistogram. */
export type HistogramAppendResult = AppendResult<HistogramChunk, HistogramAppender>;

const EMPTY_SPANS: Span[] = [];

/** HistogramAppender appends integer histograms to a HistogramChunk, cutting or recoding chunks as Prometheus does. */
export class HistogramAppender extends HistogramBytesHolder implements FlowAppender<Histogram, HistogramChunk> {
  private schema = 0;
  private zThreshold = 0;
  private pSpans: Span[] = EMPTY_SPANS;
  private nSpans: Span[] = EMPTY_SPANS;
  private customValues: number[] | undefined = undefined;
  private t = Number.MIN_SAFE_INTEGER;
  private cnt = 0;
  private zCnt = 0;
  private tDelta = 0;
  private cntDelta = 0;
  private zCntDelta = 0;
  private pBuckets: number[] = [];
  private nBuckets: number[] = [];
  private pBucketsDelta: number[] = [];
  private nBucketsDelta: number[] = [];
  private sum: XorField = newXorField(0, XOR_NO_WINDOW);

  /** The constructor continues chunk (whose bytes are b), from a decoder's final state when given. */
  constructor(
    private readonly chunk: HistogramChunk,
    b: HistogramChunkBytes,
    from?: HistogramIterator,
  ) {
    super(b);
    if (from === undefined) return;
    this.schema = from.schema;
    this.zThreshold = from.zThreshold;
    this.pSpans = from.pSpans;
    this.nSpans = from.nSpans;
    this.customValues = from.customValues;
    this.t = from.t;
    this.cnt = from.cnt;
    this.zCnt = from.zCnt;
    this.tDelta = from.tDelta;
    this.cntDelta = from.cntDelta;
    this.zCntDelta = from.zCntDelta;
    this.pBuckets = from.pBuckets.slice();
    this.nBuckets = from.nBuckets.slice();
    this.pBucketsDelta = from.pBucketsDelta.slice();
    this.nBucketsDelta = from.nBucketsDelta.slice();
    this.sum = { ...from.sum };
  }

  /**
   * appendHistogram appends h at t (h is not modified). The result's chunk is null when h went into
   * this chunk; otherwise it is a new chunk (recoded: replacing this one; else following it).
   */
  appendHistogram(t: number, h: Histogram, opts: HistogramAppendOptions = {}): HistogramAppendResult {
    return appendWithFlow(this, t, h, opts.prev ?? null, opts.appendOnly ?? false, 'histogram') as HistogramAppendResult;
  }

  /** appendable checks a counter histogram against the chunk (Prometheus's appendable). */
  appendable(h: Histogram): AppendableResult {
    return counterAppendable(this.state(), h, true);
  }

  /** appendableGauge checks a gauge histogram against the chunk (Prometheus's appendableGauge). */
  appendableGauge(h: Histogram): GaugeAppendableResult {
    return gaugeAppendable(this.state(), h);
  }

  private state(): ChunkState {
    return {
      numSamples: this.b.numSamples(),
      header: this.b.counterResetHeader(),
      sum: this.sum.value,
      count: this.cnt,
      zeroCount: this.zCnt,
      schema: this.schema,
      zeroThreshold: this.zThreshold,
      customValues: this.customValues,
      pSpans: this.pSpans,
      nSpans: this.nSpans,
      pBuckets: this.pBuckets,
      nBuckets: this.nBuckets,
      deltas: true,
    };
  }

  /** spans is the chunk's current layout. */
  spans(): { p: Span[]; n: Span[] } {
    return { p: this.pSpans, n: this.nSpans };
  }

  /** withBuckets returns a copy of h with spans p/n and the backward inserts applied. */
  withBuckets(h: Histogram, p: Span[], n: Span[], pBackward: Insert[], nBackward: Insert[]): Histogram {
    return withInsertedBuckets(h, p, n, pBackward, nBackward, true);
  }

  /** fresh starts a new empty chunk (with room for capacity bytes when given). */
  fresh(capacity?: number): { chunk: HistogramChunk; appender: HistogramAppender } {
    const chunk = new HistogramChunk(undefined, capacity);
    return { chunk, appender: chunk.appender() };
  }

  /** recode rewrites this chunk's samples into a new chunk with the forward inserts (same header). */
  recode(pForward: Insert[], nForward: Insert[], p: Span[], n: Span[]): { chunk: HistogramChunk; appender: HistogramAppender } {
    // The recoded chunk is a little larger than this one: size it so that it need not grow.
    const { chunk, appender } = this.fresh(this.b.byteLength() + (this.b.byteLength() >>> 2) + 64);
    const it = this.chunk.iterator();
    recodeInto(it, () => it.atHistogramView(), appender, { p, n, pForward, nForward, deltas: true });
    appender.setCounterResetHeader(this.counterResetHeader());
    return { chunk, appender };
  }

  /** encodeNext encodes h as the next sample and bumps the count (Prometheus's appendHistogram). */
  encodeNext(t: number, hIn: Histogram): void {
    const w = this.b.w!;
    const num = this.b.numSamples();
    const stale = isStaleNaN(hIn.sum);
    const h = stale ? staleHistogram(hIn.sum) : hIn;
    let tDelta = 0;
    let cntDelta = 0;
    let zCntDelta = 0;
    if (num === 0) {
      const customValues = h.schema === CUSTOM_BUCKETS_SCHEMA && h.customValues !== undefined && h.customValues.length > 0 ? h.customValues.slice() : undefined;
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
      this.customValues = customValues;
      const np = countSpans(h.positiveSpans);
      const nn = countSpans(h.negativeSpans);
      this.pBuckets = new Array<number>(np).fill(0);
      this.nBuckets = new Array<number>(nn).fill(0);
      this.pBucketsDelta = new Array<number>(np).fill(0);
      this.nBucketsDelta = new Array<number>(nn).fill(0);
      putVarbitInt(w, t);
      putVarbitUint(w, h.count);
      putVarbitUint(w, h.zeroCount);
      writeRawFloat(w, h.sum);
      setXorValue(this.sum, h.sum);
      for (const v of h.positiveBuckets) putVarbitInt(w, v);
      for (const v of h.negativeBuckets) putVarbitInt(w, v);
    } else {
      tDelta = t - this.t;
      cntDelta = h.count - this.cnt;
      zCntDelta = h.zeroCount - this.zCnt;
      putVarbitInt(w, tDelta - this.tDelta);
      putVarbitInt(w, stale ? 0 : cntDelta - this.cntDelta);
      putVarbitInt(w, stale ? 0 : zCntDelta - this.zCntDelta);
      xorWrite(w, this.sum, h.sum);
      writeBucketDods(w, h.positiveBuckets, this.pBuckets, this.pBucketsDelta);
      writeBucketDods(w, h.negativeBuckets, this.nBuckets, this.nBucketsDelta);
    }
    this.t = t;
    this.cnt = h.count;
    this.zCnt = h.zeroCount;
    this.tDelta = tDelta;
    this.cntDelta = cntDelta;
    this.zCntDelta = zCntDelta;
    copyInto(this.pBuckets, h.positiveBuckets);
    copyInto(this.nBuckets, h.negativeBuckets);
    this.b.setNumSamples(num + 1);
  }
}

function writeBucketDods(w: NonNullable<HistogramChunkBytes['w']>, buckets: readonly number[], prev: number[], prevDelta: number[]): void {
  const n = Math.min(buckets.length, prev.length);
  for (let i = 0; i < n; i++) {
    const delta = buckets[i]! - prev[i]!;
    putVarbitInt(w, delta - prevDelta[i]!);
    prevDelta[i] = delta;
  }
}

/** copyInto is Go's copy(dst, src): min(len) elements. */
function copyInto(dst: number[], src: readonly number[]): void {
  const n = Math.min(dst.length, src.length);
  for (let i = 0; i < n; i++) dst[i] = src[i]!;
}
