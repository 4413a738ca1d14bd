import { ChunkArena } from './chunk-arena.js';

/**
 * SeriesColumns stores the numeric state of every head series in shared Float64Arrays
 * indexed by a slot, instead of as double fields (which V8 boxes as separate heap numbers):
 * about 72 bytes per series instead of ~200, and values keep their exact bits.
 */
export class SeriesColumns {
  /** minT is the oldest committed sample's timestamp. */
  minT = new Float64Array(1024);
  /** maxT is the newest committed in-order timestamp. */
  maxT = new Float64Array(1024);
  /** lastV is the value at maxT. */
  lastV = new Float64Array(1024);
  /** pendT is the newest in-order timestamp pending in the series' current appender. */
  pendT = new Float64Array(1024);
  /** pendV is the value at pendT. */
  pendV = new Float64Array(1024);
  /** resT is the newest in-order timestamp of the batches logged to the WAL but not yet durable (reserved, not visible). */
  resT = new Float64Array(1024);
  /** resV is the value at resT. */
  resV = new Float64Array(1024);
  /** headMint is the first timestamp of the open chunk. */
  headMint = new Float64Array(1024);
  /** nextAt is where the open chunk will be cut. */
  nextAt = new Float64Array(1024);
  /** arena holds the bytes of every series' closed chunks, packed. */
  readonly arena = new ChunkArena();
  /** openArena holds the open chunks, written in place with room to grow; a chunk's region is freed when it closes. */
  readonly openArena = new ChunkArena();
  /** chunkAlloc lets open chunks grow inside openArena. */
  readonly chunkAlloc = this.openArena.allocator();
  private readonly free: number[] = [];
  private next = 0;

  /** alloc returns a slot initialised for an empty series. */
  alloc(): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.next++;
      if (slot === this.minT.length) this.grow(slot * 2);
    }
    this.minT[slot] = Infinity;
    this.maxT[slot] = -Infinity;
    this.lastV[slot] = 0;
    this.pendT[slot] = -Infinity;
    this.pendV[slot] = 0;
    this.resT[slot] = -Infinity;
    this.resV[slot] = 0;
    this.headMint[slot] = 0;
    this.nextAt[slot] = 0;
    return slot;
  }

  /** release makes a slot reusable. */
  release(slot: number): void {
    this.free.push(slot);
  }

  /** bytesUsed is the memory held by the columns. */
  bytesUsed(): number {
    return this.minT.byteLength * 9 + this.arena.bytesHeld() + this.openArena.bytesHeld();
  }

  private grow(cap: number): void {
    const g = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.minT = g(this.minT);
    this.maxT = g(this.maxT);
    this.lastV = g(this.lastV);
    this.pendT = g(this.pendT);
    this.pendV = g(this.pendV);
    this.resT = g(this.resT);
    this.resV = g(this.resV);
    this.headMint = g(this.headMint);
    this.nextAt = g(this.nextAt);
  }
}
