// Encoder for integer histogram chunks (see histogram.ts for the format).

import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type Histogram, type Span } from '../../model/histogram/types.js';
import { isStaleNaN } from '../../model/sample.js';
import { appendWithFlow, type AppendableResult, type AppendResult, type FlowAppender, type GaugeAppendableResult } from './histogram-append-flow.js';
import type { HistogramChunkBytes } from './histogram-chunk-bytes.js';
import { CounterResetHeader, type CounterResetHeaderValue } from './histogram-header.js';
import { expandSpansAndBuckets, expandSpansBothWays, insertBuckets, type Insert } from './histogram-inserts.js';
import { countSpans, customBoundsMatch, writeHistogramLayout } from './histogram-layout.js';
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
export class HistogramAppender implements FlowAppender<Histogram, HistogramChunk> {
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
    private readonly b: HistogramChunkBytes,
    from?: HistogramIterator,
  ) {
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

  /** numSamples is the chunk's sample count. */
  numSamples(): number {
    return this.b.numSamples();
  }

  /** counterResetHeader is the chunk's header flags. */
  counterResetHeader(): CounterResetHeaderValue {
    return this.b.counterResetHeader();
  }

  /** setCounterResetHeader sets the chunk's header flags. */
  setCounterResetHeader(h: CounterResetHeaderValue): void {
    this.b.setCounterResetHeader(h);
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
    const r: AppendableResult = {
      pForward: [],
      nForward: [],
      pBackward: [],
      nBackward: [],
      ok: false,
      counterReset: false,
      newChunkHeader: CounterResetHeader.NotCounterReset,
      nextChunkHeader: CounterResetHeader.NotCounterReset,
    };
    const reset = (): AppendableResult => {
      r.counterReset = true;
      r.newChunkHeader = r.nextChunkHeader = CounterResetHeader.CounterReset;
      return r;
    };
    const unknown = (): AppendableResult => {
      r.newChunkHeader = r.nextChunkHeader = CounterResetHeader.Unknown;
      return r;
    };
    if (this.numSamples() > 0 && this.counterResetHeader() === CounterResetHeader.Gauge) return r;
    if (h.counterResetHint === CounterResetHint.CounterReset) return reset();
    if (isStaleNaN(h.sum)) {
      r.ok = true;
      return r;
    }
    if (isStaleNaN(this.sum.value)) return unknown();
    if (h.count < this.cnt) return reset();
    if (h.schema !== this.schema || h.zeroThreshold !== this.zThreshold) return unknown();
    if (h.schema === CUSTOM_BUCKETS_SCHEMA && !customBoundsMatch(h.customValues, this.customValues)) return reset();
    if (h.zeroCount < this.zCnt) return reset();
    const p = expandSpansAndBuckets(this.pSpans, h.positiveSpans, this.pBuckets, h.positiveBuckets, true);
    if (p === null) return reset();
    const n = expandSpansAndBuckets(this.nSpans, h.negativeSpans, this.nBuckets, h.negativeBuckets, true);
    if (n === null) return reset();
    r.pForward = p.forward;
    r.pBackward = p.backward;
    r.nForward = n.forward;
    r.nBackward = n.backward;
    r.ok = true;
    return r;
  }

  /** appendableGauge checks a gauge histogram against the chunk (Prometheus's appendableGauge). */
  appendableGauge(h: Histogram): GaugeAppendableResult {
    const cur = { schema: this.schema, zeroThreshold: this.zThreshold, customValues: this.customValues, p: this.pSpans, n: this.nSpans };
    return gaugeAppendable(this.numSamples(), this.counterResetHeader(), this.sum.value, cur, h);
  }

  /** spans is the chunk's current layout. */
  spans(): { p: Span[]; n: Span[] } {
    return { p: this.pSpans, n: this.nSpans };
  }

  /** withBuckets returns a copy of h with spans p/n and the backward inserts applied. */
  withBuckets(h: Histogram, p: Span[], n: Span[], pBackward: Insert[], nBackward: Insert[]): Histogram {
    return {
      ...h,
      positiveSpans: p.map((s) => ({ ...s })),
      negativeSpans: n.map((s) => ({ ...s })),
      positiveBuckets: pBackward.length > 0 ? insertBuckets(h.positiveBuckets, pBackward, true) : h.positiveBuckets,
      negativeBuckets: nBackward.length > 0 ? insertBuckets(h.negativeBuckets, nBackward, true) : h.negativeBuckets,
    };
  }

  /** fresh starts a new empty chunk. */
  fresh(): { chunk: HistogramChunk; appender: HistogramAppender } {
    const chunk = new HistogramChunk();
    return { chunk, appender: chunk.appender() };
  }

  /** recode rewrites this chunk's samples into a new chunk with the forward inserts (same header). */
  recode(pForward: Insert[], nForward: Insert[], p: Span[], n: Span[]): { chunk: HistogramChunk; appender: HistogramAppender } {
    const { chunk, appender } = this.fresh();
    const it = this.chunk.iterator();
    while (it.next()) {
      const old = it.atHistogram();
      old.positiveSpans = p;
      old.negativeSpans = n;
      if (pForward.length > 0) old.positiveBuckets = insertBuckets(old.positiveBuckets, pForward, true);
      if (nForward.length > 0) old.negativeBuckets = insertBuckets(old.negativeBuckets, nForward, true);
      appender.encodeNext(it.atT(), old);
    }
    const err = it.err();
    if (err !== null) throw err;
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

/** ChunkLayoutView is a chunk's layout as the gauge check reads it. */
export interface ChunkLayoutView {
  schema: number;
  zeroThreshold: number;
  customValues: number[] | undefined;
  p: Span[];
  n: Span[];
}

/** gaugeAppendable is Prometheus's appendableGauge, shared by both chunk kinds. */
export function gaugeAppendable(
  numSamples: number,
  header: CounterResetHeaderValue,
  lastSum: number,
  cur: ChunkLayoutView,
  h: { sum: number; schema: number; zeroThreshold: number; customValues?: number[]; positiveSpans: Span[]; negativeSpans: Span[] },
): GaugeAppendableResult {
  const r: GaugeAppendableResult = { pForward: [], nForward: [], pBackward: [], nBackward: [], pMerged: [], nMerged: [], ok: false };
  if (numSamples > 0 && header !== CounterResetHeader.Gauge) return r;
  if (isStaleNaN(h.sum)) {
    r.ok = true;
    return r;
  }
  if (isStaleNaN(lastSum)) return r;
  if (h.schema !== cur.schema || h.zeroThreshold !== cur.zeroThreshold) return r;
  if (h.schema === CUSTOM_BUCKETS_SCHEMA && !customBoundsMatch(h.customValues, cur.customValues)) return r;
  const pe = expandSpansBothWays(cur.p, h.positiveSpans);
  const ne = expandSpansBothWays(cur.n, h.negativeSpans);
  r.pForward = pe.forward;
  r.pBackward = pe.backward;
  r.pMerged = pe.merged;
  r.nForward = ne.forward;
  r.nBackward = ne.backward;
  r.nMerged = ne.merged;
  r.ok = true;
  return r;
}
