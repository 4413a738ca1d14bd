import type { SampleIterator } from '../../storage/series.js';
import { XORChunk } from '../chunkenc/xor.js';
import type { ReadChunk } from './series.js';
import type { HistSlice } from './hist-samples.js';

/** SeriesSnapshot is what a reader captured of one series: its chunks, out-of-order samples and tombstones. */
export interface SeriesSnapshot {
  readonly chunks: readonly ReadChunk[];
  readonly oooT: Float64Array | null;
  readonly oooV: Float64Array | null;
  readonly oooN: number;
  readonly tombstones: readonly number[] | null;
  /** startTs maps sample timestamps to start timestamps (null when the series has none). */
  readonly startTs: ReadonlyMap<number, number> | null;
  /** mint and maxt bound the samples returned (inclusive). */
  readonly mint: number;
  readonly maxt: number;
  /** hist holds the series' native histogram samples in range (absent or null when none). */
  readonly hist?: HistSlice | null;
}

/**
 * HeadSeriesIterator walks a snapshot: in-order chunks (decoded lazily, skipped without
 * decoding when outside the range or sought past) merged with out-of-order samples, with
 * deleted samples hidden. On equal timestamps the in-order sample wins.
 */
export class HeadSeriesIterator implements SampleIterator {
  private ci = -1;
  private it: SampleIterator | null = null;
  private inOK = false;
  private inDone = false;
  private inT = 0;
  private inV = 0;
  private oj = 0;
  private started = false;
  private tookIn = false;
  private tookO = false;
  private done = false;
  private curT = 0;
  private curV = 0;

  constructor(private readonly s: SeriesSnapshot) {}

  /** next advances to the next sample. */
  next(): boolean {
    if (this.done) return false;
    if (!this.started) {
      this.start(this.s.mint);
    } else {
      if (this.tookIn) this.advanceIn();
      if (this.tookO) this.oj++;
    }
    return this.pick();
  }

  /** seek advances to the first sample at or after t. */
  seek(t: number): boolean {
    if (this.done) return false;
    if (!this.started) {
      this.start(Math.max(t, this.s.mint));
      return this.pick();
    }
    if (this.curT >= t && (this.tookIn || this.tookO)) return true;
    if (this.tookIn) this.advanceIn();
    if (this.tookO) this.oj++;
    this.tookIn = this.tookO = false;
    this.seekIn(t);
    const lb = lowerBound(this.s.oooT, this.s.oooN, t);
    if (lb > this.oj) this.oj = lb;
    return this.pick();
  }

  /** atT is the current timestamp. */
  atT(): number {
    return this.curT;
  }

  /** atV is the current value. */
  atV(): number {
    return this.curV;
  }

  /** atST is the current sample's start timestamp, or 0 when unknown. */
  atST(): number {
    const m = this.s.startTs;
    return m === null ? 0 : (m.get(this.curT) ?? 0);
  }

  private start(t: number): void {
    this.started = true;
    this.seekIn(t);
    this.oj = lowerBound(this.s.oooT, this.s.oooN, t);
  }

  private pick(): boolean {
    const s = this.s;
    const maxt = s.maxt;
    for (;;) {
      const hasIn = this.inOK && this.inT <= maxt;
      const hasO = this.oj < s.oooN && s.oooT![this.oj]! <= maxt;
      if (!hasIn && !hasO) {
        this.done = true;
        this.tookIn = this.tookO = false;
        return false;
      }
      if (hasIn && (!hasO || this.inT <= s.oooT![this.oj]!)) {
        this.curT = this.inT;
        this.curV = this.inV;
        this.tookIn = true;
        this.tookO = hasO && s.oooT![this.oj] === this.inT;
      } else {
        this.curT = s.oooT![this.oj]!;
        this.curV = s.oooV![this.oj]!;
        this.tookIn = false;
        this.tookO = true;
      }
      if (s.tombstones === null || !deleted(s.tombstones, this.curT)) return true;
      if (this.tookIn) this.advanceIn();
      if (this.tookO) this.oj++;
    }
  }

  private advanceIn(): void {
    if (this.it !== null && this.it.next()) {
      this.inT = this.it.atT();
      this.inV = this.it.atV();
      return;
    }
    this.inOK = false;
    for (;;) {
      if (!this.openNext(-Infinity)) return;
      if (this.it!.next()) {
        this.inT = this.it!.atT();
        this.inV = this.it!.atV();
        this.inOK = true;
        return;
      }
    }
  }

  private seekIn(t: number): void {
    if (this.inDone) return;
    if (this.inOK && this.inT >= t) return;
    if (this.it !== null && this.s.chunks[this.ci]!.maxt >= t && this.it.seek(t)) {
      this.inT = this.it.atT();
      this.inV = this.it.atV();
      this.inOK = true;
      return;
    }
    this.inOK = false;
    for (;;) {
      if (!this.openNext(t)) return;
      if (this.it!.seek(t)) {
        this.inT = this.it!.atT();
        this.inV = this.it!.atV();
        this.inOK = true;
        return;
      }
    }
  }

  /** openNext opens the next chunk whose maxt >= t (skipping others undecoded); false when none is left in range. */
  private openNext(t: number): boolean {
    const chunks = this.s.chunks;
    for (;;) {
      this.ci++;
      if (this.ci >= chunks.length || chunks[this.ci]!.mint > this.s.maxt) {
        this.it = null;
        this.inDone = true;
        this.inOK = false;
        return false;
      }
      const c = chunks[this.ci]!;
      if (c.maxt < t) continue;
      this.it = c.chunk !== null ? c.chunk.iterator() : new XORChunk(c.data!).iterator();
      return true;
    }
  }
}

function deleted(ts: readonly number[], t: number): boolean {
  for (let i = 0; i < ts.length; i += 2) if (t >= ts[i]! && t <= ts[i + 1]!) return true;
  return false;
}

function lowerBound(a: Float64Array | null, n: number, t: number): number {
  if (a === null) return 0;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
