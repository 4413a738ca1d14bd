import type { FloatHistogram } from '../../model/histogram/types.js';
import type { SampleIterator } from '../../storage/series.js';
import { StorageError } from '../../storage/errors.js';
import { ENCODING_FLOAT_HISTOGRAM, FloatHistogramIterator } from '../chunkenc/float-histogram.js';
import { ENCODING_HISTOGRAM, HistogramIterator } from '../chunkenc/histogram.js';
import { ENCODING_XOR, XORIterator } from '../chunkenc/xor.js';
import type { ChunkSegmentReader } from '../chunks/reader.js';
import type { ChunkMeta } from '../index/format.js';
import { intervalsContain, type Intervals } from '../tombstones/intervals.js';

/**
 * BlockSeriesIterator walks one series' samples in a block: it decodes chunks only when it
 * reaches them, clips to [mint, maxt] and skips samples inside deleted intervals. Float (XOR),
 * histogram and float histogram chunks may alternate in one series, as in Prometheus.
 */
export class BlockSeriesIterator implements SampleIterator {
  private ci = -1;
  private it: XORIterator | HistogramIterator | FloatHistogramIterator | null = null;
  private readonly dec = new XORIterator();
  private hdec: HistogramIterator | null = null;
  private fhdec: FloatHistogramIterator | null = null;
  /** isHist is true while the current sample comes from a histogram chunk. */
  private isHist = false;
  private t = 0;
  private v = 0;
  private done = false;

  constructor(
    private readonly chunks: readonly ChunkMeta[],
    private readonly reader: ChunkSegmentReader,
    private readonly mint: number,
    private readonly maxt: number,
    private readonly deleted: Intervals,
  ) {}

  private openChunk(i: number): void {
    const meta = this.chunks[i]!;
    const raw = this.reader.chunk(meta.ref);
    let it: XORIterator | HistogramIterator | FloatHistogramIterator;
    if (raw.encoding === ENCODING_XOR) it = this.dec;
    else if (raw.encoding === ENCODING_HISTOGRAM) it = this.hdec ??= new HistogramIterator();
    else if (raw.encoding === ENCODING_FLOAT_HISTOGRAM) it = this.fhdec ??= new FloatHistogramIterator();
    else throw new StorageError('io', `${this.reader.dir}: chunk ${meta.ref} has unknown encoding ${raw.encoding}`);
    try {
      it.reset(raw.data, raw.data.length);
    } catch (err) {
      throw new StorageError('corruption', `${this.reader.dir}: chunk ${meta.ref}: ${(err as Error).message}`, { cause: err });
    }
    this.it = it;
    this.isHist = it !== this.dec;
  }

  private finishChunk(): void {
    const err = this.it!.err();
    if (err !== null) throw new StorageError('corruption', `${this.reader.dir}: chunk ${this.chunks[this.ci]!.ref}: ${err.message}`, { cause: err });
    this.it = null;
  }

  /** advance moves to the next kept sample with timestamp >= from. */
  private advance(from: number): boolean {
    if (this.done) return false;
    for (;;) {
      if (this.it !== null && this.chunks[this.ci]!.maxt < from) this.it = null;
      if (this.it === null) {
        // Skip chunks that end before `from` without decoding them.
        do this.ci++;
        while (this.ci < this.chunks.length && this.chunks[this.ci]!.maxt < from);
        if (this.ci >= this.chunks.length || this.chunks[this.ci]!.mint > this.maxt) {
          this.done = true;
          return false;
        }
        this.openChunk(this.ci);
      }
      const it = this.it!;
      while (it.next()) {
        const t = it.atT();
        if (t < from) continue;
        if (t > this.maxt) {
          this.done = true;
          return false;
        }
        if (this.deleted.length > 0 && intervalsContain(this.deleted, t)) continue;
        this.t = t;
        this.v = it.atV();
        return true;
      }
      this.finishChunk();
    }
  }

  /** next advances to the next sample. */
  next(): boolean {
    return this.advance(this.ci < 0 ? this.mint : this.t + 1);
  }

  /** seek advances to the first sample with timestamp >= t, staying put if already there. */
  seek(t: number): boolean {
    if (this.done) return false;
    if (this.ci >= 0 && this.it !== null && this.t >= t) return true;
    return this.advance(Math.max(t, this.mint));
  }

  /** atT is the current sample's timestamp. */
  atT(): number {
    return this.t;
  }

  /** atV is the current sample's value. */
  atV(): number {
    return this.v;
  }

  /** atFloatHistogram is the current sample's histogram (reused by the next next/seek), or undefined for a float sample. */
  atFloatHistogram(): FloatHistogram | undefined {
    if (!this.isHist || this.it === null || this.it === this.dec) return undefined;
    return (this.it as HistogramIterator | FloatHistogramIterator).atFloatHistogram();
  }

  /** atST is 0: blocks do not store start timestamps yet. */
  atST(): number {
    return 0;
  }
}
