import type { SampleIterator } from '../series.js';

/**
 * sampleIteratorFromArrays iterates parallel timestamp/value arrays (timestamps ascending) over the
 * index range [start, end); seek uses binary search from the current position.
 */
export function sampleIteratorFromArrays(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  start = 0,
  end = ts.length,
): SampleIterator {
  return new ArraySampleIterator(ts, vs, start, end);
}

class ArraySampleIterator implements SampleIterator {
  private i: number;

  constructor(
    private readonly ts: ArrayLike<number>,
    private readonly vs: ArrayLike<number>,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.i = start - 1;
  }

  next(): boolean {
    if (this.i >= this.end) return false;
    this.i++;
    return this.i < this.end;
  }

  seek(t: number): boolean {
    if (this.i >= this.end) return false;
    let lo = this.i < this.start ? this.start : this.i;
    if (this.ts[lo]! >= t) {
      this.i = lo;
      return lo < this.end;
    }
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    this.i = lo;
    return lo < this.end;
  }

  atT(): number {
    return this.ts[this.i]!;
  }

  atV(): number {
    return this.vs[this.i]!;
  }

  atST(): number {
    return 0;
  }
}
