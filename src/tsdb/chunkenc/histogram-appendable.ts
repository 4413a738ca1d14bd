// Whether a sample fits the chunk it is appended to (Prometheus's appendable / appendableGauge),
// shared by the integer and float histogram appenders.

import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type FloatHistogram, type Histogram, type Span } from '../../model/histogram/types.js';
import { isStaleNaN } from '../../model/sample.js';
import type { AppendableResult, GaugeAppendableResult } from './histogram-append-flow.js';
import { CounterResetHeader, type CounterResetHeaderValue } from './histogram-header.js';
import { expandSpansAndBuckets, expandSpansBothWays, insertBuckets, type Insert } from './histogram-inserts.js';
import { customBoundsMatch } from './histogram-layout.js';

/** ChunkState is what the checks read of an appender's chunk. */
export interface ChunkState {
  numSamples: number;
  header: CounterResetHeaderValue;
  /** sum, count and zeroCount are the last sample's. */
  sum: number;
  count: number;
  zeroCount: number;
  schema: number;
  zeroThreshold: number;
  customValues: number[] | undefined;
  pSpans: Span[];
  nSpans: Span[];
  /** pBuckets and nBuckets are the last sample's buckets: delta-encoded when deltas, else absolute. */
  pBuckets: ArrayLike<number>;
  nBuckets: ArrayLike<number>;
  deltas: boolean;
}

/** SampleShape is what the checks read of a sample. */
export type SampleShape = Histogram | FloatHistogram;

/**
 * counterAppendable is Prometheus's appendable for counter histograms. The integer appender
 * (integerHeaders) gives a cut chunk the header "unknown" after a stale marker or a schema change
 * and "not a reset" when the chunk is a gauge chunk; the float appender leaves a cut chunk's header
 * unknown unless it saw a reset. Both give a next chunk "not a reset" unless there was one.
 */
export function counterAppendable(c: ChunkState, h: SampleShape, integerHeaders: boolean): AppendableResult {
  const r: AppendableResult = {
    pForward: [],
    nForward: [],
    pBackward: [],
    nBackward: [],
    ok: false,
    counterReset: false,
    newChunkHeader: integerHeaders ? CounterResetHeader.NotCounterReset : CounterResetHeader.Unknown,
    nextChunkHeader: CounterResetHeader.NotCounterReset,
  };
  const reset = (): AppendableResult => {
    r.counterReset = true;
    r.newChunkHeader = r.nextChunkHeader = CounterResetHeader.CounterReset;
    return r;
  };
  const unknown = (): AppendableResult => {
    r.newChunkHeader = CounterResetHeader.Unknown;
    if (integerHeaders) r.nextChunkHeader = CounterResetHeader.Unknown;
    return r;
  };
  if (c.numSamples > 0 && c.header === CounterResetHeader.Gauge) return r;
  if (h.counterResetHint === CounterResetHint.CounterReset) return reset();
  if (isStaleNaN(h.sum)) {
    r.ok = true;
    return r;
  }
  if (isStaleNaN(c.sum)) return unknown();
  if (h.count < c.count) return reset();
  if (h.schema !== c.schema || h.zeroThreshold !== c.zeroThreshold) return unknown();
  if (h.schema === CUSTOM_BUCKETS_SCHEMA && !customBoundsMatch(h.customValues, c.customValues)) return reset();
  if (h.zeroCount < c.zeroCount) return reset();
  // Fast path: the layout did not change (the usual case), so only the counts need checking.
  if (spansEqual(c.pSpans, h.positiveSpans) && spansEqual(c.nSpans, h.negativeSpans)) {
    if (!countsGrow(c.pBuckets, h.positiveBuckets, c.deltas) || !countsGrow(c.nBuckets, h.negativeBuckets, c.deltas)) return reset();
    r.ok = true;
    return r;
  }
  const p = expandSpansAndBuckets(c.pSpans, h.positiveSpans, c.pBuckets, h.positiveBuckets, c.deltas);
  if (p === null) return reset();
  const n = expandSpansAndBuckets(c.nSpans, h.negativeSpans, c.nBuckets, h.negativeBuckets, c.deltas);
  if (n === null) return reset();
  r.pForward = p.forward;
  r.pBackward = p.backward;
  r.nForward = n.forward;
  r.nBackward = n.backward;
  r.ok = true;
  return r;
}

/** spansEqual reports whether two span lists are the same. */
function spansEqual(a: readonly Span[], b: readonly Span[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.offset !== b[i]!.offset || a[i]!.length !== b[i]!.length) return false;
  return true;
}

/** countsGrow reports whether no bucket of the same layout decreased (the lists are delta-encoded when deltas). */
function countsGrow(old: ArrayLike<number>, cur: readonly number[], deltas: boolean): boolean {
  if (old.length !== cur.length) return false;
  let a = 0;
  let b = 0;
  for (let i = 0; i < cur.length; i++) {
    a = deltas ? a + old[i]! : old[i]!;
    b = deltas ? b + cur[i]! : cur[i]!;
    if (a > b) return false;
  }
  return true;
}

/** gaugeAppendable is Prometheus's appendableGauge: any layout of the same schema fits, both ways. */
export function gaugeAppendable(c: ChunkState, h: SampleShape): GaugeAppendableResult {
  const r: GaugeAppendableResult = { pForward: [], nForward: [], pBackward: [], nBackward: [], pMerged: [], nMerged: [], ok: false };
  if (c.numSamples > 0 && c.header !== CounterResetHeader.Gauge) return r;
  if (isStaleNaN(h.sum)) {
    r.ok = true;
    return r;
  }
  if (isStaleNaN(c.sum)) return r;
  if (h.schema !== c.schema || h.zeroThreshold !== c.zeroThreshold) return r;
  if (h.schema === CUSTOM_BUCKETS_SCHEMA && !customBoundsMatch(h.customValues, c.customValues)) return r;
  const pe = expandSpansBothWays(c.pSpans, h.positiveSpans);
  const ne = expandSpansBothWays(c.nSpans, h.negativeSpans);
  r.pForward = pe.forward;
  r.pBackward = pe.backward;
  r.pMerged = pe.merged;
  r.nForward = ne.forward;
  r.nBackward = ne.backward;
  r.nMerged = ne.merged;
  r.ok = true;
  return r;
}

/** withInsertedBuckets returns a copy of h with spans p/n and the inserts' empty buckets added (deltas: integer histograms). */
export function withInsertedBuckets<H extends SampleShape>(h: H, p: Span[], n: Span[], pInserts: Insert[], nInserts: Insert[], deltas: boolean): H {
  return {
    ...h,
    positiveSpans: p.map((s) => ({ ...s })),
    negativeSpans: n.map((s) => ({ ...s })),
    positiveBuckets: pInserts.length > 0 ? insertBuckets(h.positiveBuckets, pInserts, deltas) : h.positiveBuckets,
    negativeBuckets: nInserts.length > 0 ? insertBuckets(h.negativeBuckets, nInserts, deltas) : h.negativeBuckets,
  };
}

/** recodeInto re-encodes every sample of an iterator into target with spans p/n and the forward inserts applied (Prometheus's recode). */
export function recodeInto<H extends SampleShape>(
  it: { next(): boolean; err(): Error | null; atT(): number },
  read: () => H,
  target: { encodeNext(t: number, h: H): void },
  layout: { p: Span[]; n: Span[]; pForward: Insert[]; nForward: Insert[]; deltas: boolean },
): void {
  // read may return an object the iterator reuses: a shallow copy takes the new layout, and the
  // widened bucket lists go to scratch arrays (encodeNext copies what it keeps).
  const pOut: number[] = [];
  const nOut: number[] = [];
  while (it.next()) {
    const x = { ...read() };
    x.positiveSpans = layout.p;
    x.negativeSpans = layout.n;
    if (layout.pForward.length > 0) x.positiveBuckets = insertBuckets(x.positiveBuckets, layout.pForward, layout.deltas, pOut);
    if (layout.nForward.length > 0) x.negativeBuckets = insertBuckets(x.negativeBuckets, layout.nForward, layout.deltas, nOut);
    target.encodeNext(it.atT(), x);
  }
  const err = it.err();
  if (err !== null) throw err;
}
