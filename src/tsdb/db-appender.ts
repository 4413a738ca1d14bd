import type { Labels } from '../model/labels.js';
import type { FloatHistogram, Histogram } from '../model/histogram/types.js';
import type { RawAppender, SeriesRef } from '../storage/interface.js';

/** DBAppender forwards to the head's appender and tells the DB when a batch has been committed. */
export class DBAppender implements RawAppender {
  constructor(
    private readonly inner: RawAppender,
    private readonly afterCommit: () => void,
  ) {}

  /** append forwards one sample to the head. */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    return this.inner.append(ref, labels, t, v);
  }

  /** appendST forwards one sample with its start timestamp to the head (in memory only: not in the WAL or blocks yet). */
  appendST(ref: SeriesRef, labels: Labels, t: number, st: number, v: number): SeriesRef {
    if (this.inner.appendST === undefined) throw new Error('the head appender does not keep start timestamps');
    return this.inner.appendST(ref, labels, t, st, v);
  }

  /** appendHistogram forwards one native histogram sample to the head. */
  appendHistogram(ref: SeriesRef, labels: Labels, t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): SeriesRef {
    if (this.inner.appendHistogram === undefined) throw new Error('the head appender does not keep native histograms');
    return this.inner.appendHistogram(ref, labels, t, h, fh);
  }

  /** refForBytes resolves a known series from its encoded label bytes. */
  refForBytes(buf: Uint8Array, start: number, end: number): SeriesRef {
    return this.inner.refForBytes(buf, start, end);
  }

  /** registerBytes remembers the encoded label bytes of a series. */
  registerBytes(buf: Uint8Array, start: number, end: number, ref: SeriesRef): void {
    this.inner.registerBytes(buf, start, end, ref);
  }

  /** commit makes the batch durable, then lets the DB check whether the head needs cutting. */
  async commit(): Promise<void> {
    await this.inner.commit();
    this.afterCommit();
  }

  /** rollback discards the batch. */
  rollback(): void {
    this.inner.rollback();
  }
}
