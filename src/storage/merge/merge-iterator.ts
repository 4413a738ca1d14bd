import type { FloatHistogram } from '../../model/histogram/types.js';
import type { SampleIterator } from '../series.js';
import { emptySampleIterator } from '../series.js';

/**
 * mergeSampleIterators merges several time-ordered iterators into one, dropping duplicate timestamps;
 * seek-aware (seeks every child, heap on current t). On equal timestamps the iterator listed first wins.
 */
export function mergeSampleIterators(its: readonly SampleIterator[]): SampleIterator {
  if (its.length === 0) return emptySampleIterator;
  if (its.length === 1) return its[0]!;
  return new MergedSampleIterator(its);
}

/**
 * MergedSampleIterator keeps a binary min-heap of child indexes ordered by (current t, index).
 * Child timestamps are cached in a typed array so heap comparisons do not call into children.
 */
class MergedSampleIterator implements SampleIterator {
  private readonly its: readonly SampleIterator[];
  /** ts[i] is child i's current timestamp, valid while i is in the heap. */
  private readonly ts: Float64Array;
  /** heap holds indexes of children that still have a current sample. */
  private readonly heap: Int32Array;
  private size = 0;
  /** state: 0 not started, 1 positioned on a sample, 2 exhausted. */
  private state = 0;
  private curT = 0;
  private curV = 0;
  private curST = 0;
  private curFH: FloatHistogram | undefined = undefined;

  constructor(its: readonly SampleIterator[]) {
    this.its = its;
    this.ts = new Float64Array(its.length);
    this.heap = new Int32Array(its.length);
  }

  next(): boolean {
    if (this.state === 2) return false;
    if (this.state === 0) {
      for (let i = 0; i < this.its.length; i++) {
        if (this.its[i]!.next()) this.push(i);
      }
    } else {
      // Advance every child sitting on the current timestamp (the winner and its duplicates).
      const t = this.curT;
      while (this.size > 0) {
        const top = this.heap[0]!;
        if (this.ts[top]! !== t) break;
        const it = this.its[top]!;
        if (it.next()) {
          this.ts[top] = it.atT();
          this.siftDown(0);
        } else {
          this.popTop();
        }
      }
    }
    return this.settle();
  }

  seek(t: number): boolean {
    if (this.state === 2) return false;
    if (this.state === 1 && this.curT >= t) return true;
    if (this.state === 0) {
      for (let i = 0; i < this.its.length; i++) {
        if (this.its[i]!.seek(t)) this.push(i);
      }
      return this.settle();
    }
    // Seek every live child that is behind t, then rebuild the heap.
    let n = 0;
    for (let k = 0; k < this.size; k++) {
      const i = this.heap[k]!;
      if (this.ts[i]! >= t) {
        this.heap[n++] = i;
        continue;
      }
      const it = this.its[i]!;
      if (it.seek(t)) {
        this.ts[i] = it.atT();
        this.heap[n++] = i;
      }
    }
    this.size = n;
    for (let k = (n >> 1) - 1; k >= 0; k--) this.siftDown(k);
    return this.settle();
  }

  atT(): number {
    return this.curT;
  }

  atV(): number {
    return this.curV;
  }

  atST(): number {
    return this.curST;
  }

  atFloatHistogram(): FloatHistogram | undefined {
    return this.curFH;
  }

  private settle(): boolean {
    if (this.size === 0) {
      this.state = 2;
      return false;
    }
    const top = this.heap[0]!;
    this.state = 1;
    this.curT = this.ts[top]!;
    this.curV = this.its[top]!.atV();
    this.curST = this.its[top]!.atST();
    this.curFH = this.its[top]!.atFloatHistogram?.();
    return true;
  }

  private less(a: number, b: number): boolean {
    const ta = this.ts[a]!;
    const tb = this.ts[b]!;
    return ta < tb || (ta === tb && a < b);
  }

  private push(i: number): void {
    this.ts[i] = this.its[i]!.atT();
    let k = this.size++;
    this.heap[k] = i;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      const p = this.heap[parent]!;
      if (!this.less(i, p)) break;
      this.heap[k] = p;
      k = parent;
    }
    this.heap[k] = i;
  }

  private popTop(): void {
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size]!;
      this.siftDown(0);
    }
  }

  private siftDown(k: number): void {
    const heap = this.heap;
    const n = this.size;
    const x = heap[k]!;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(heap[c + 1]!, heap[c]!)) c++;
      if (!this.less(heap[c]!, x)) break;
      heap[k] = heap[c]!;
      k = c;
    }
    heap[k] = x;
  }
}
