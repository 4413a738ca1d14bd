import type { MemSeries } from './series.js';

/** BatchBuffers are an appender's columns of pending samples; the head pools them between batches. */
export class BatchBuffers {
  /** refs holds each pending sample's series ref. */
  refs = new Float64Array(256);
  /** ts holds the timestamps. */
  ts = new Float64Array(256);
  /** vs holds the values (exact bits). */
  vs = new Float64Array(256);
  /** series holds each pending sample's series. */
  series: MemSeries[] = [];

  /** grow doubles the capacity, keeping the first n entries. */
  grow(n: number): void {
    const cap = this.ts.length * 2;
    const refs = new Float64Array(cap);
    const ts = new Float64Array(cap);
    const vs = new Float64Array(cap);
    refs.set(this.refs.subarray(0, n));
    ts.set(this.ts.subarray(0, n));
    vs.set(this.vs.subarray(0, n));
    this.refs = refs;
    this.ts = ts;
    this.vs = vs;
  }

  /** clear drops the series references of the first n entries (so they can be garbage-collected). */
  clear(n: number): void {
    const s = this.series;
    for (let i = 0; i < n; i++) s[i] = undefined as unknown as MemSeries;
  }
}

/** BatchPool keeps a few BatchBuffers for reuse, so a new appender does not allocate and grow its columns. */
export class BatchPool {
  private readonly free: BatchBuffers[] = [];

  constructor(private readonly max = 8) {}

  /** take returns pooled buffers or new ones. */
  take(): BatchBuffers {
    return this.free.pop() ?? new BatchBuffers();
  }

  /** give returns buffers to the pool (dropped when the pool is full or they grew very large). */
  give(b: BatchBuffers): void {
    if (this.free.length < this.max && b.ts.length <= 1 << 16) this.free.push(b);
  }
}
