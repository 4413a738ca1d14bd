// Bucket layout changes inside a histogram chunk (Prometheus's histogram_meta.go and the expand
// functions of histogram.go / float_histogram.go): when a new sample has buckets the chunk does
// not, the chunk is recoded with them ("forward inserts"); when the chunk has empty buckets the
// sample lacks, the sample gets them ("backward inserts").

import type { Span } from '../../model/histogram/types.js';

/** Insert says that num new buckets go before the pos'th bucket of a bucket list; bucketIdx is the first one's index. */
export interface Insert {
  pos: number;
  num: number;
  bucketIdx: number;
}

/** BucketIndexIterator walks the absolute bucket indexes that spans cover. */
export class BucketIndexIterator {
  /** idx is the index of the bucket the last successful next() reached. */
  idx = -1;
  private span = 0;
  private bucket = -1;

  /** The constructor starts before the first bucket of spans. */
  constructor(private readonly spans: readonly Span[]) {
    if (spans.length > 0) this.idx += spans[0]!.offset;
  }

  /** next moves to the next bucket; false when the spans are exhausted. */
  next(): boolean {
    const spans = this.spans;
    if (this.span >= spans.length) return false;
    if (this.bucket < spans[this.span]!.length - 1) {
      this.bucket++;
      this.idx++;
      return true;
    }
    while (this.span < spans.length - 1) {
      this.span++;
      this.idx += spans[this.span]!.offset + 1;
      this.bucket = 0;
      if (spans[this.span]!.length === 0) {
        this.idx--;
        continue;
      }
      return true;
    }
    return false;
  }
}

/** ExpandResult is the forward and backward inserts of a compatible layout change. */
export interface ExpandResult {
  forward: Insert[];
  backward: Insert[];
}

/** addInsert extends the running insert with bucket idx, pushing it first when idx does not continue it. */
function addInsert(list: Insert[], cur: Insert, idx: number): void {
  if (cur.num === 0) {
    cur.bucketIdx = idx;
  } else if (cur.bucketIdx + cur.num !== idx) {
    list.push({ ...cur });
    cur.num = 0;
    cur.bucketIdx = idx;
  }
  cur.num++;
}

/**
 * expandSpansAndBuckets compares a chunk's layout (aSpans, aBuckets) with a new counter sample's
 * (bSpans, bBuckets). It returns null when some bucket decreased or a non-empty bucket vanished
 * (a counter reset), else the inserts that make both layouts equal. deltas tells whether the
 * bucket lists are delta-encoded (integer histograms) or absolute (float histograms).
 */
export function expandSpansAndBuckets(
  aSpans: readonly Span[],
  bSpans: readonly Span[],
  aBuckets: ArrayLike<number>,
  bBuckets: ArrayLike<number>,
  deltas: boolean,
): ExpandResult | null {
  const ai = new BucketIndexIterator(aSpans);
  const bi = new BucketIndexIterator(bSpans);
  const aInserts: Insert[] = [];
  const bInserts: Insert[] = [];
  const aInter: Insert = { pos: 0, num: 0, bucketIdx: 0 };
  const bInter: Insert = { pos: 0, num: 0, bucketIdx: 0 };
  let aOK = ai.next();
  let bOK = bi.next();
  let aCountIdx = 0;
  let bCountIdx = 0;
  let aCount = aOK ? aBuckets[0]! : 0;
  let bCount = bOK ? bBuckets[0]! : 0;

  const advanceA = (): void => {
    if (aInter.num > 0) {
      aInserts.push({ ...aInter });
      aInter.num = 0;
    }
    aOK = ai.next();
    aInter.pos++;
    aCountIdx++;
    if (aOK) aCount = deltas ? aCount + aBuckets[aCountIdx]! : aBuckets[aCountIdx]!;
  };
  const advanceB = (): void => {
    if (bInter.num > 0) {
      bInserts.push({ ...bInter });
      bInter.num = 0;
    }
    bOK = bi.next();
    bInter.pos++;
    bCountIdx++;
    if (bOK) bCount = deltas ? bCount + bBuckets[bCountIdx]! : bBuckets[bCountIdx]!;
  };

  for (;;) {
    if (aOK && bOK) {
      if (ai.idx === bi.idx) {
        if (aCount > bCount) return null;
        advanceA();
        advanceB();
      } else if (ai.idx < bi.idx) {
        // b lacks a bucket of a: fine only when it was empty.
        if (aCount !== 0) return null;
        addInsert(bInserts, bInter, ai.idx);
        advanceA();
      } else {
        addInsert(aInserts, aInter, bi.idx);
        advanceB();
      }
    } else if (aOK) {
      if (aCount !== 0) return null;
      addInsert(bInserts, bInter, ai.idx);
      advanceA();
    } else if (bOK) {
      addInsert(aInserts, aInter, bi.idx);
      advanceB();
    } else {
      if (aInter.num > 0) aInserts.push({ ...aInter });
      if (bInter.num > 0) bInserts.push({ ...bInter });
      return { forward: aInserts, backward: bInserts };
    }
  }
}

/** BothWaysResult is the inserts that bring two gauge layouts to their union, and that union. */
export interface BothWaysResult extends ExpandResult {
  merged: Span[];
}

/** expandSpansBothWays merges two layouts regardless of counts (gauge histograms): forward inserts for a, backward for b. */
export function expandSpansBothWays(a: readonly Span[], b: readonly Span[]): BothWaysResult {
  const ai = new BucketIndexIterator(a);
  const bi = new BucketIndexIterator(b);
  const merged = new SpanBuilder();
  const fInserts: Insert[] = [];
  const bInserts: Insert[] = [];
  const fInter: Insert = { pos: 0, num: 0, bucketIdx: 0 };
  const bInter: Insert = { pos: 0, num: 0, bucketIdx: 0 };
  let aOK = ai.next();
  let bOK = bi.next();
  for (;;) {
    if (aOK && bOK) {
      const av = ai.idx;
      const bv = bi.idx;
      if (av === bv) {
        if (fInter.num > 0) {
          fInserts.push({ ...fInter });
          fInter.num = 0;
        }
        if (bInter.num > 0) {
          bInserts.push({ ...bInter });
          bInter.num = 0;
        }
        merged.add(av);
        aOK = ai.next();
        bOK = bi.next();
        fInter.pos++;
        bInter.pos++;
      } else if (av < bv) {
        bInter.num++;
        if (fInter.num > 0) {
          fInserts.push({ ...fInter });
          fInter.num = 0;
        }
        merged.add(av);
        fInter.pos++;
        aOK = ai.next();
      } else {
        fInter.num++;
        if (bInter.num > 0) {
          bInserts.push({ ...bInter });
          bInter.num = 0;
        }
        merged.add(bv);
        bInter.pos++;
        bOK = bi.next();
      }
    } else if (aOK) {
      bInter.num++;
      merged.add(ai.idx);
      aOK = ai.next();
    } else if (bOK) {
      fInter.num++;
      merged.add(bi.idx);
      bOK = bi.next();
    } else {
      if (fInter.num > 0) fInserts.push({ ...fInter });
      if (bInter.num > 0) bInserts.push({ ...bInter });
      return { forward: fInserts, backward: bInserts, merged: merged.spans };
    }
  }
}

/** SpanBuilder builds spans from ascending bucket indexes, as Prometheus's addBucket closures. */
class SpanBuilder {
  readonly spans: Span[] = [];
  private last = 0;

  add(b: number): void {
    let offset = b - this.last - 1;
    const spans = this.spans;
    if (offset === 0 && spans.length > 0) {
      spans[spans.length - 1]!.length++;
    } else {
      if (spans.length === 0) offset++;
      spans.push({ offset, length: 1 });
    }
    this.last = b;
  }
}

/**
 * insertBuckets returns the bucket list `input` with the inserts' empty buckets added (a new array
 * of the final length, or `into` resized; it must not be `input`). deltas keeps delta encoding valid (integer histograms); otherwise the new
 * buckets are absolute zeros.
 */
export function insertBuckets(input: ArrayLike<number>, inserts: readonly Insert[], deltas: boolean, into?: number[]): number[] {
  let extra = 0;
  for (const ins of inserts) extra += ins.num;
  const out = into ?? new Array<number>(input.length + extra);
  out.length = input.length + extra;
  let oi = 0;
  let v = 0;
  let ii = 0;
  for (let i = 0; i < input.length; i++) {
    const d = input[i]!;
    if (ii >= inserts.length || i !== inserts[ii]!.pos) {
      out[oi++] = d;
      v += d;
      continue;
    }
    let first = true;
    while (ii < inserts.length && i === inserts[ii]!.pos) {
      if (deltas && first) {
        out[oi++] = -v;
        first = false;
      } else {
        out[oi++] = 0;
      }
      for (let x = 1; x < inserts[ii]!.num; x++) out[oi++] = 0;
      ii++;
    }
    out[oi++] = deltas ? d + v : d;
    v += d;
  }
  while (ii < inserts.length) {
    if (inserts[ii]!.pos < input.length) throw new Error('insertBuckets: leftover inserts must come after the buckets');
    out[oi++] = deltas ? -v : 0;
    for (let x = 1; x < inserts[ii]!.num; x++) out[oi++] = 0;
    ii++;
    v = 0;
  }
  return out;
}

/** adjustForInserts returns spans widened by the (backward) inserts' buckets. */
export function adjustForInserts(spans: readonly Span[], inserts: readonly Insert[]): Span[] {
  if (inserts.length === 0) return spans.map((s) => ({ offset: s.offset, length: s.length }));
  const it = new BucketIndexIterator(spans);
  const merged = new SpanBuilder();
  let i = 0;
  let insertIdx = inserts[0]!.bucketIdx;
  let insertNum = inserts[0]!.num;
  const consume = (): void => {
    insertNum--;
    if (insertNum === 0) {
      i++;
      if (i < inserts.length) {
        insertIdx = inserts[i]!.bucketIdx;
        insertNum = inserts[i]!.num;
      }
    } else {
      insertIdx++;
    }
  };
  let ok = it.next();
  while (ok) {
    if (i < inserts.length && insertIdx < it.idx) {
      merged.add(insertIdx);
      consume();
    } else {
      merged.add(it.idx);
      ok = it.next();
    }
  }
  while (i < inserts.length) {
    merged.add(insertIdx);
    consume();
  }
  return merged.spans;
}
