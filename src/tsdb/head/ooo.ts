/** OOOBuffer holds one series' out-of-order samples, sorted by timestamp, in growable typed arrays. */
export class OOOBuffer {
  /** t holds the timestamps of the first n slots. */
  t = new Float64Array(8);
  /** v holds the values (exact bits) of the first n slots. */
  v = new Float64Array(8);
  /** n is the number of samples held. */
  n = 0;

  /** insert adds a sample in order; returns 1 when inserted, 0 for an identical duplicate, -1 for a conflicting one. */
  insert(t: number, v: number): number {
    const i = this.lowerBound(t);
    if (i < this.n && this.t[i] === t) return sameBits(this.v[i]!, v) ? 0 : -1;
    if (this.n === this.t.length) {
      const t2 = new Float64Array(this.n * 2);
      const v2 = new Float64Array(this.n * 2);
      t2.set(this.t);
      v2.set(this.v);
      this.t = t2;
      this.v = v2;
    }
    this.t.copyWithin(i + 1, i, this.n);
    this.v.copyWithin(i + 1, i, this.n);
    this.t[i] = t;
    this.v[i] = v;
    this.n++;
    return 1;
  }

  /** find returns the index of the sample at t, or -1. */
  find(t: number): number {
    const i = this.lowerBound(t);
    return i < this.n && this.t[i] === t ? i : -1;
  }

  /** lowerBound returns the first index whose timestamp is >= t. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** dropBefore removes samples older than mint. */
  dropBefore(mint: number): void {
    const i = this.lowerBound(mint);
    if (i === 0) return;
    this.t.copyWithin(0, i, this.n);
    this.v.copyWithin(0, i, this.n);
    this.n -= i;
  }

  /** slice copies the samples within [mint, maxt] (for a reader's snapshot). */
  slice(mint: number, maxt: number): { t: Float64Array; v: Float64Array; n: number } {
    const a = this.lowerBound(mint);
    let b = this.lowerBound(maxt);
    if (b < this.n && this.t[b] === maxt) b++;
    return { t: this.t.slice(a, b), v: this.v.slice(a, b), n: Math.max(0, b - a) };
  }
}

const bitsScratch = new Float64Array(2);
const bitsWords = new Uint32Array(bitsScratch.buffer);

/** sameBits reports whether two float64 values have identical bit patterns (NaN payloads and signed zeros included). */
export function sameBits(a: number, b: number): boolean {
  if (a === b) return a !== 0 || 1 / a === 1 / b;
  if (a === a || b === b) return false;
  bitsScratch[0] = a;
  bitsScratch[1] = b;
  return bitsWords[0] === bitsWords[2] && bitsWords[1] === bitsWords[3];
}
