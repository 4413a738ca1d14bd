import type { SampleIterator } from '../../storage/series.js';
import { StorageError } from '../../storage/errors.js';
import { ENCODING_XOR, XORIterator } from '../chunkenc/xor.js';
import type { ChunkSegmentReader } from '../chunks/reader.js';
import type { ChunkMeta } from '../index/format.js';
import { intervalsContain, type Intervals } from '../tombstones/intervals.js';

/**
 * BlockSeriesIterator walks one series' samples in a block: it decodes chunks only when it
 * reaches them, clips to [mint, maxt] and skips samples inside deleted intervals.
 */
export class BlockSeriesIterator implements SampleIterator {
  private ci = -1;
  private it: XORIterator | null = null;
  private readonly dec = new XORIterator();
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
    if (raw.encoding !== ENCODING_XOR) {
      throw new StorageError('io', `${this.reader.dir}: chunk ${meta.ref} has encoding ${raw.encoding}; only XOR float chunks are supported`);
    }
    try {
      this.dec.reset(raw.data, raw.data.length);
    } catch (err) {
      throw new StorageError('corruption', `${this.reader.dir}: chunk ${meta.ref}: ${(err as Error).message}`, { cause: err });
    }
    this.it = this.dec;
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

  /** atST is 0: blocks do not store start timestamps yet. */
  atST(): number {
    return 0;
  }
}
