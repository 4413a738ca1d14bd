// The decision both histogram appenders make for each sample (Prometheus's AppendHistogram /
// AppendFloatHistogram): append in place, widen the sample (backward inserts), recode the chunk
// with new buckets (forward inserts), or cut a new chunk with the right counter-reset header.

import { CounterResetHint, type CounterResetHintValue, type Span } from '../../model/histogram/types.js';
import { CounterResetHeader, HistogramAppendError, type CounterResetHeaderValue } from './histogram-header.js';
import { adjustForInserts, type Insert } from './histogram-inserts.js';

/** MAX_HISTOGRAM_CHUNK_SAMPLES is the most samples the 2-byte count holds. */
export const MAX_HISTOGRAM_CHUNK_SAMPLES = 0xffff;

/** AppendableResult is a counter sample's compatibility with a chunk. */
export interface AppendableResult {
  pForward: Insert[];
  nForward: Insert[];
  pBackward: Insert[];
  nBackward: Insert[];
  ok: boolean;
  counterReset: boolean;
  /** newChunkHeader is the header of a chunk cut for this sample. */
  newChunkHeader: CounterResetHeaderValue;
  /** nextChunkHeader is the header of a next chunk opened with this sample when this appender is its predecessor. */
  nextChunkHeader: CounterResetHeaderValue;
}

/** GaugeAppendableResult is a gauge sample's compatibility with a chunk. */
export interface GaugeAppendableResult {
  pForward: Insert[];
  nForward: Insert[];
  pBackward: Insert[];
  nBackward: Insert[];
  pMerged: Span[];
  nMerged: Span[];
  ok: boolean;
}

/** HistogramLike is what the flow needs of a sample. */
export interface HistogramLike {
  counterResetHint: CounterResetHintValue;
  positiveSpans: Span[];
  negativeSpans: Span[];
}

/** AppendResult is the outcome of one append: a new chunk (cut or recoded) or null, and the appender to use next. */
export interface AppendResult<C, A> {
  /** chunk is the new chunk when one was cut or the chunk was recoded, else null (appended in place). */
  chunk: C | null;
  /** recoded is true when chunk replaces the old chunk (same samples, wider layout) rather than following it. */
  recoded: boolean;
  /** appender appends to the current chunk (the new one when chunk is set). */
  appender: A;
}

/** FlowAppender is what the flow needs of an appender. */
export interface FlowAppender<H extends HistogramLike, C> {
  numSamples(): number;
  counterResetHeader(): CounterResetHeaderValue;
  setCounterResetHeader(h: CounterResetHeaderValue): void;
  appendable(h: H): AppendableResult;
  appendableGauge(h: H): GaugeAppendableResult;
  /** encodeNext encodes the sample as the chunk's next one and bumps the count. */
  encodeNext(t: number, h: H): void;
  /** spans are the chunk's current layout. */
  spans(): { p: Span[]; n: Span[] };
  /** withBuckets returns a copy of h with the given spans and the backward inserts applied to its buckets. */
  withBuckets(h: H, p: Span[], n: Span[], pBackward: Insert[], nBackward: Insert[]): H;
  /** recode rewrites the chunk's samples with the forward inserts into a new chunk and returns it with its appender. */
  recode(pForward: Insert[], nForward: Insert[], p: Span[], n: Span[]): { chunk: C; appender: FlowAppender<H, C> };
  /** fresh starts a new empty chunk (with room for capacity bytes when given). */
  fresh(capacity?: number): { chunk: C; appender: FlowAppender<H, C> };
}

/** appendWithFlow appends h at t to a's chunk as Prometheus decides; prev is the previous chunk's appender (for a first sample's header). */
export function appendWithFlow<H extends HistogramLike, C>(
  a: FlowAppender<H, C>,
  t: number,
  h: H,
  prev: FlowAppender<H, C> | null,
  appendOnly: boolean,
  name: string,
): AppendResult<C, FlowAppender<H, C>> {
  const num = a.numSamples();
  if (num >= MAX_HISTOGRAM_CHUNK_SAMPLES) throw new RangeError(`${name} chunk: already holds the maximum of ${MAX_HISTOGRAM_CHUNK_SAMPLES} samples`);
  if (!Number.isSafeInteger(t)) throw new RangeError(`${name} chunk: timestamp ${t} is not a safe integer`);

  if (num === 0) {
    a.encodeNext(t, h);
    if (h.counterResetHint === CounterResetHint.Gauge) a.setCounterResetHeader(CounterResetHeader.Gauge);
    else if (h.counterResetHint === CounterResetHint.CounterReset) a.setCounterResetHeader(CounterResetHeader.CounterReset);
    else if (prev !== null) a.setCounterResetHeader(prev.appendable(h).nextChunkHeader);
    return { chunk: null, recoded: false, appender: a };
  }

  if (h.counterResetHint !== CounterResetHint.Gauge) {
    const r = a.appendable(h);
    if (!r.ok || r.counterReset) {
      if (appendOnly) {
        throw r.counterReset
          ? new HistogramAppendError(`${name} counter reset`, 'counter-reset')
          : new HistogramAppendError(`${name} schema change`, 'schema-change');
      }
      const n = a.fresh();
      n.appender.setCounterResetHeader(r.newChunkHeader);
      n.appender.encodeNext(t, h);
      return { chunk: n.chunk, recoded: false, appender: n.appender };
    }
    let sample = h;
    const hasForward = r.pForward.length > 0 || r.nForward.length > 0;
    if (r.pBackward.length > 0 || r.nBackward.length > 0) {
      const cur = a.spans();
      const p = hasForward ? adjustForInserts(h.positiveSpans, r.pBackward) : cur.p;
      const n = hasForward ? adjustForInserts(h.negativeSpans, r.nBackward) : cur.n;
      sample = a.withBuckets(h, p, n, r.pBackward, r.nBackward);
    }
    if (hasForward) {
      if (appendOnly) {
        throw new HistogramAppendError(
          `${name} layout change with ${r.pForward.length} positive and ${r.nForward.length} negative forwards inserts`,
          'layout-change',
        );
      }
      return recodeAndAppend(a, r, t, sample);
    }
    a.encodeNext(t, sample);
    return { chunk: null, recoded: false, appender: a };
  }

  const g = a.appendableGauge(h);
  if (!g.ok) {
    if (appendOnly) throw new HistogramAppendError(`${name.replace('histogram', 'gauge histogram')} schema change`, 'schema-change');
    const n = a.fresh();
    n.appender.setCounterResetHeader(CounterResetHeader.Gauge);
    n.appender.encodeNext(t, h);
    return { chunk: n.chunk, recoded: false, appender: n.appender };
  }
  let sample = h;
  if (g.pBackward.length + g.nBackward.length > 0) {
    if (appendOnly) {
      throw new HistogramAppendError(
        `${name.replace('histogram', 'gauge histogram')} layout change with ${g.pBackward.length} positive and ${g.nBackward.length} negative backwards inserts`,
        'layout-change',
      );
    }
    sample = a.withBuckets(h, g.pMerged, g.nMerged, g.pBackward, g.nBackward);
  }
  if (g.pForward.length > 0 || g.nForward.length > 0) {
    if (appendOnly) {
      throw new HistogramAppendError(
        `${name.replace('histogram', 'gauge histogram')} layout change with ${g.pForward.length} positive and ${g.nForward.length} negative forwards inserts`,
        'layout-change',
      );
    }
    return recodeAndAppend(a, g, t, sample);
  }
  a.encodeNext(t, sample);
  return { chunk: null, recoded: false, appender: a };
}

/** recodeAndAppend recodes a's chunk with the forward inserts and appends the sample to the recoded chunk. */
function recodeAndAppend<H extends HistogramLike, C>(
  a: FlowAppender<H, C>,
  inserts: { pForward: Insert[]; nForward: Insert[] },
  t: number,
  sample: H,
): AppendResult<C, FlowAppender<H, C>> {
  const rc = a.recode(inserts.pForward, inserts.nForward, sample.positiveSpans, sample.negativeSpans);
  rc.appender.encodeNext(t, sample);
  return { chunk: rc.chunk, recoded: true, appender: rc.appender };
}

/** collectChunks appends samples starting with chunk first (appender app) and returns the non-empty chunks in order (recoded ones replacing their originals). */
export function collectChunks<C extends { numSamples(): number }, A, S>(
  first: C,
  app: A,
  samples: Iterable<{ t: number; h: S }>,
  append: (a: A, t: number, h: S) => AppendResult<C, A>,
): C[] {
  const out: C[] = [first];
  let a = app;
  for (const s of samples) {
    const r = append(a, s.t, s.h);
    if (r.chunk !== null) {
      if (r.recoded) out[out.length - 1] = r.chunk;
      else out.push(r.chunk);
    }
    a = r.appender;
  }
  return out.filter((c) => c.numSamples() > 0);
}
