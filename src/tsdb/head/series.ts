import type { Labels } from '../../model/labels.js';
import { XORChunk } from '../chunkenc/xor.js';
import type { SeriesColumns } from './columns.js';
import type { FloatHistogram, Histogram } from '../../model/histogram/types.js';
import { HistSamples } from './hist-samples.js';
import { OOOBuffer } from './ooo.js';

/** ChunkAppender appends samples to an open chunk. */
export interface ChunkAppender {
  append(t: number, v: number): void;
}

/** ClosedChunk is a full, immutable XOR chunk of a head series; mint and maxt are inclusive. */
export interface ClosedChunk {
  readonly mint: number;
  readonly maxt: number;
  readonly data: Uint8Array;
}

/** ReadChunk is a chunk as a reader sees it: closed bytes, or the open chunk clipped to maxt. */
export interface ReadChunk {
  readonly mint: number;
  readonly maxt: number;
  readonly data: Uint8Array | null;
  readonly chunk: XORChunk | null;
}

/** ChunkingOptions decide where head chunks are cut. */
export interface ChunkingOptions {
  readonly chunkRange: number;
  readonly samplesPerChunk: number;
}

/**
 * HIST_MARK is the value a series' lastV, pendV and resV hold when its newest sample is a histogram: a NaN with a
 * payload no float sample carries in practice, so a float at the same timestamp compares as a different value.
 */
export const HIST_MARK: number = (() => {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, 0x7ff8dead);
  v.setUint32(4, 0x4a1570);
  return v.getFloat64(0);
})();

/** FIRST_CHUNK_BYTES is the capacity of a series' first chunk (later ones are sized from their predecessor). */
const FIRST_CHUNK_BYTES = 128;

/** rangeEnd returns the end of the chunkRange-aligned window holding t (Prometheus's rangeForTimestamp). */
export function rangeEnd(t: number, chunkRange: number): number {
  return Math.floor(t / chunkRange) * chunkRange + chunkRange;
}

/** computeChunkEndTime predicts where to cut so the remaining range fills evenly sized chunks (as Prometheus does). */
export function computeChunkEndTime(start: number, cur: number, maxT: number, ratioToFull: number): number {
  const n = (maxT - start) / ((cur - start + 1) * ratioToFull);
  if (n <= 1) return maxT;
  return Math.trunc(start + (maxT - start) / Math.floor(n));
}

/** MemSeries is one head series: labels, closed chunks, the open chunk, out-of-order samples and tombstones. */
export class MemSeries {
  /**
   * closed describes the full chunks, oldest first, 4 numbers each: mint, maxt, arena handle,
   * byte length (null while there are none). A plain array of numbers holds them unboxed.
   */
  closed: number[] | null = null;
  /** head is the open chunk samples are appended to. */
  head: XORChunk | null = null;
  private headApp: ChunkAppender | null = null;
  /** pendApp is the id of the appender that last queued a sample; pendT/pendV are its newest in-order sample. */
  pendApp = 0;
  /** headN counts the samples in the open chunk. */
  headN = 0;
  /** ooo holds committed out-of-order samples. */
  ooo: OOOBuffer | null = null;
  /**
   * startTs maps a sample's timestamp to its start timestamp, for samples appended with one (null when none was).
   * Kept in memory only: the WAL and blocks do not carry start timestamps yet.
   */
  startTs: Map<number, number> | null = null;
  /** tombstones is a flat list of deleted [mint, maxt] pairs. */
  tombstones: number[] | null = null;
  /** walLogged says whether the series record is durable in the WAL. */
  walLogged = false;
  /** walPending is the id of the latest appender whose batch carries the series record to the WAL (0 when none). */
  walPending = 0;
  /** hist holds the series' native histogram samples (null while it has none). */
  hist: HistSamples | null = null;

  constructor(
    /** ref is the series' id. */
    readonly ref: number,
    /** labels are the series' interned labels. */
    readonly labels: Labels,
    /** hash is the labels' hash (key of the head's by-labels map). */
    readonly hash: number,
    /** cols holds the series' numeric state at slot. */
    private readonly cols: SeriesColumns,
    /** slot is the series' index in cols (-1 once removed from the head). */
    public slot: number,
  ) {}

  /** minT is the oldest committed sample's timestamp (in-order or out-of-order); Infinity when none. */
  get minT(): number {
    return this.slot < 0 ? Infinity : this.cols.minT[this.slot]!;
  }
  set minT(t: number) {
    this.cols.minT[this.slot] = t;
  }
  /** maxT is the newest committed in-order sample's timestamp. */
  get maxT(): number {
    return this.slot < 0 ? -Infinity : this.cols.maxT[this.slot]!;
  }
  set maxT(t: number) {
    this.cols.maxT[this.slot] = t;
  }
  /** lastV is the value at maxT (exact bits). */
  get lastV(): number {
    return this.cols.lastV[this.slot]!;
  }
  set lastV(v: number) {
    this.cols.lastV[this.slot] = v;
  }
  /** pendT is the newest in-order timestamp pending in appender pendApp. */
  get pendT(): number {
    return this.cols.pendT[this.slot]!;
  }
  set pendT(t: number) {
    this.cols.pendT[this.slot] = t;
  }
  /** pendV is the value at pendT. */
  get pendV(): number {
    return this.cols.pendV[this.slot]!;
  }
  set pendV(v: number) {
    this.cols.pendV[this.slot] = v;
  }
  /** resT is the newest in-order timestamp reserved by batches on their way to the WAL (-Infinity when none). */
  get resT(): number {
    return this.cols.resT[this.slot]!;
  }
  set resT(t: number) {
    this.cols.resT[this.slot] = t;
  }
  /** resV is the value at resT. */
  get resV(): number {
    return this.cols.resV[this.slot]!;
  }
  set resV(v: number) {
    this.cols.resV[this.slot] = v;
  }
  /** headMint is the first timestamp of the open chunk. */
  get headMint(): number {
    return this.cols.headMint[this.slot]!;
  }
  set headMint(t: number) {
    this.cols.headMint[this.slot] = t;
  }
  private get nextAt(): number {
    return this.cols.nextAt[this.slot]!;
  }
  private set nextAt(t: number) {
    this.cols.nextAt[this.slot] = t;
  }

  /** appendInOrder adds a sample newer than maxT, cutting chunks as Prometheus does; false when t <= maxT. */
  appendInOrder(t: number, v: number, o: ChunkingOptions): boolean {
    if (t <= this.maxT) return false;
    if (this.head === null) {
      this.cut(t, o);
    } else if (this.headN === 0) {
      // A chunk opened ahead by precut starts at its first sample.
      this.headMint = t;
      this.nextAt = rangeEnd(t, o.chunkRange);
    } else {
      const n = this.headN;
      if (n === Math.floor(o.samplesPerChunk / 4)) this.nextAt = computeChunkEndTime(this.headMint, this.maxT, this.nextAt, 4);
      if (t >= this.nextAt || n >= o.samplesPerChunk * 2) {
        const prevBytes = this.closeHead();
        this.cut(t, o, prevBytes);
      }
    }
    this.headApp!.append(t, v);
    this.headN++;
    this.maxT = t;
    this.lastV = v;
    if (t < this.minT) this.minT = t;
    return true;
  }

  /**
   * appendHistogramInOrder adds a histogram sample newer than maxT; false when t <= maxT. As Prometheus cuts a new
   * chunk when the sample type changes, an open float chunk is closed first; lastV becomes HIST_MARK, so a float at
   * the same timestamp is a duplicate.
   */
  appendHistogramInOrder(t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): boolean {
    if (t <= this.maxT) return false;
    if (this.head !== null && this.headN > 0) this.closeHead();
    (this.hist ??= new HistSamples()).append(t, h, fh);
    this.maxT = t;
    this.lastV = HIST_MARK;
    if (t < this.minT) this.minT = t;
    return true;
  }

  /** precut opens the first chunk of a series that never had a sample, ahead of a first sample at t; it stays empty and invisible until one lands. */
  precut(t: number, o: ChunkingOptions): void {
    if (this.head === null && this.maxT === -Infinity && this.slot >= 0) this.cut(t, o);
  }

  /** insertOOO adds an out-of-order sample; returns 1 inserted, 0 identical duplicate, -1 conflicting duplicate. */
  insertOOO(t: number, v: number): number {
    if (this.ooo === null) this.ooo = new OOOBuffer();
    const r = this.ooo.insert(t, v);
    if (r === 1 && t < this.minT) this.minT = t;
    return r;
  }

  /** cut opens a new chunk at t, sized from the previous chunk's length when known (so it rarely grows). */
  private cut(t: number, o: ChunkingOptions, prevBytes = 0): void {
    const cap = prevBytes > 0 ? prevBytes + (prevBytes >>> 2) + 16 : FIRST_CHUNK_BYTES;
    const c = new XORChunk(undefined, cap, this.cols.chunkAlloc);
    this.head = c;
    this.headApp = c.appender();
    this.headMint = t;
    this.headN = 0;
    this.nextAt = rangeEnd(t, o.chunkRange);
  }

  private closeHead(): number {
    // Pack the bytes into the closed-chunk arena and give the open region back.
    const c = this.head!;
    const bytes = c.bytes();
    const h = this.cols.arena.add(bytes);
    this.cols.openArena.free(this.cols.openArena.handleOf(bytes), c.capacity());
    // concat allocates the exact length (push would leave growth slack in every series).
    if (this.closed === null) this.closed = [this.headMint, this.maxT, h, bytes.length];
    else this.closed = this.closed.concat(this.headMint, this.maxT, h, bytes.length);
    this.head = null;
    this.headApp = null;
    this.headN = 0;
    return bytes.length;
  }

  /** closedChunks lists the full chunks, oldest first, with views of their bytes. */
  closedChunks(): ClosedChunk[] {
    const out: ClosedChunk[] = [];
    const cl = this.closed;
    if (cl !== null) for (let i = 0; i < cl.length; i += 4) out.push({ mint: cl[i]!, maxt: cl[i + 1]!, data: this.cols.arena.view(cl[i + 2]!, cl[i + 3]!) });
    return out;
  }

  /** numChunks counts closed chunks plus the open one. */
  numChunks(): number {
    return (this.closed !== null ? this.closed.length >>> 2 : 0) + (this.head !== null ? 1 : 0);
  }

  /** findValue looks up the committed sample at t (out-of-order buffer first, then the chunk spanning t); into out[0]; false when none. */
  findValue(t: number, out: Float64Array): boolean {
    if (this.ooo !== null) {
      const i = this.ooo.find(t);
      if (i >= 0) {
        out[0] = this.ooo.v[i]!;
        return true;
      }
    }
    let c: XORChunk | null = null;
    if (this.head !== null && t >= this.headMint && t <= this.maxT) c = this.head;
    else if (this.closed !== null) {
      const cl = this.closed;
      for (let i = 0; i < cl.length; i += 4) {
        if (t >= cl[i]! && t <= cl[i + 1]!) {
          c = new XORChunk(this.cols.arena.view(cl[i + 2]!, cl[i + 3]!));
          break;
        }
      }
    }
    if (c === null) return false;
    const it = c.iterator();
    if (!it.seek(t) || it.atT() !== t) return false;
    out[0] = it.atV();
    return true;
  }

  /** chunkDataBytes sums the encoded sizes of the series' chunks. */
  chunkDataBytes(): number {
    let n = this.head !== null ? this.head.byteLength() : 0;
    if (this.closed !== null) for (let i = 3; i < this.closed.length; i += 4) n += this.closed[i]!;
    return n;
  }

  /** readChunks lists the chunks overlapping [mint, maxt], oldest first. */
  readChunks(mint: number, maxt: number): ReadChunk[] {
    const out: ReadChunk[] = [];
    const cl = this.closed;
    if (cl !== null) {
      for (let i = 0; i < cl.length; i += 4) {
        if (cl[i + 1]! < mint) continue;
        if (cl[i]! > maxt) break;
        out.push({ mint: cl[i]!, maxt: cl[i + 1]!, data: this.cols.arena.view(cl[i + 2]!, cl[i + 3]!), chunk: null });
      }
    }
    if (this.head !== null && this.headMint <= maxt && this.maxT >= mint) {
      out.push({ mint: this.headMint, maxt: this.maxT, data: null, chunk: this.head });
    }
    return out;
  }

  /** isDeleted reports whether t falls in a tombstone. */
  isDeleted(t: number): boolean {
    const ts = this.tombstones;
    if (ts === null) return false;
    for (let i = 0; i < ts.length; i += 2) if (t >= ts[i]! && t <= ts[i + 1]!) return true;
    return false;
  }

  /** addTombstone records a deleted interval [mint, maxt]. */
  addTombstone(mint: number, maxt: number): void {
    if (this.tombstones === null) this.tombstones = [mint, maxt];
    else this.tombstones.push(mint, maxt);
  }

  /** tombstonesOverlap reports whether any tombstone intersects [mint, maxt]. */
  tombstonesOverlap(mint: number, maxt: number): boolean {
    const ts = this.tombstones;
    if (ts === null) return false;
    for (let i = 0; i < ts.length; i += 2) if (ts[i]! <= maxt && ts[i + 1]! >= mint) return true;
    return false;
  }

  /** truncate drops chunks and out-of-order samples entirely older than mint; returns whether data is left. */
  truncate(mint: number): boolean {
    const cl = this.closed;
    if (cl !== null) {
      let k = 0;
      while (k < cl.length && cl[k + 1]! < mint) {
        this.cols.arena.free(cl[k + 2]!, cl[k + 3]!);
        k += 4;
      }
      if (k > 0) this.closed = k === cl.length ? null : cl.slice(k);
    }
    if (this.head !== null && this.maxT < mint) {
      const c = this.head;
      this.cols.openArena.free(this.cols.openArena.handleOf(c.bytes()), c.capacity());
      this.head = null;
      this.headApp = null;
      this.headN = 0;
    }
    if (this.ooo !== null) {
      this.ooo.dropBefore(mint);
      if (this.ooo.n === 0) this.ooo = null;
    }
    if (this.tombstones !== null) {
      const keep: number[] = [];
      for (let i = 0; i < this.tombstones.length; i += 2) {
        if (this.tombstones[i + 1]! >= mint) keep.push(this.tombstones[i]!, this.tombstones[i + 1]!);
      }
      this.tombstones = keep.length > 0 ? keep : null;
    }
    let min = Infinity;
    if (this.closed !== null) min = this.closed[0]!;
    else if (this.head !== null) min = this.headMint;
    if (this.ooo !== null && this.ooo.t[0]! < min) min = this.ooo.t[0]!;
    if (this.hist !== null) {
      this.hist.dropBefore(mint);
      if (this.hist.n === 0) this.hist = null;
      else if (this.hist.t[0]! < min) min = this.hist.t[0]!;
    }
    this.minT = min;
    return min !== Infinity;
  }
}
