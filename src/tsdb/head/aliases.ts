import { hashBytes, hashView } from './hash.js';

/**
 * ByteAliases maps encoded label bytes (for instance a remote-write TimeSeries' label
 * fields) to series refs. Keys live in one byte arena and entries in typed arrays, indexed
 * by an open-addressing hash table, so a lookup allocates nothing and a stored key costs
 * its bytes plus about 16 bytes.
 */
export class ByteAliases {
  /** arena holds the keys; past arenaLen its bytes are uninitialised (never read). */
  private arena: Uint8Array = Buffer.allocUnsafeSlow(64 * 1024);
  private arenaView = new DataView(this.arena.buffer, this.arena.byteOffset, this.arena.byteLength);
  /** lastBuf/lastView cache a DataView over the caller's buffer: a request resolves many series from one buffer. */
  private lastBuf: Uint8Array | null = null;
  private lastView: DataView = this.arenaView;
  private arenaLen = 0;
  /** missBuf/missStart/missEnd/missHash remember the last lookup that missed: set() for the same bytes reuses its hash. */
  private missBuf: Uint8Array | null = null;
  private missStart = 0;
  private missEnd = 0;
  private missHash = 0;
  private eHash = new Int32Array(1024);
  private eOff = new Int32Array(1024);
  private eLen = new Int32Array(1024);
  private eRef = new Float64Array(1024);
  private count = 0;
  private table = new Int32Array(2048);
  private mask = 2047;

  /** size is the number of stored aliases. */
  get size(): number {
    return this.count;
  }

  /** bytesUsed estimates the memory held by the aliases. */
  bytesUsed(): number {
    return this.arena.byteLength + this.eHash.byteLength * 3 + this.eRef.byteLength + this.table.byteLength;
  }

  /** get returns the ref stored for exactly buf[start, end), or 0. */
  get(buf: Uint8Array, start: number, end: number): number {
    if (buf !== this.lastBuf) {
      this.lastBuf = buf;
      this.lastView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const dv = this.lastView;
    const h = hashView(dv, start, end);
    const len = end - start;
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const e = table[slot]! - 1;
      if (e < 0) {
        this.missBuf = buf;
        this.missStart = start;
        this.missEnd = end;
        this.missHash = h;
        return 0;
      }
      if (this.eHash[e] === h && this.eLen[e] === len && this.sameView(e, dv, start, len)) return this.eRef[e]!;
      slot = (slot + 1) & mask;
    }
  }

  /** release drops the cached view of the last caller buffer (so it can be garbage-collected). */
  release(): void {
    this.lastBuf = null;
    this.lastView = this.arenaView;
    this.missBuf = null;
  }

  /** set stores a copy of buf[start, end) as an alias of ref, replacing an existing alias for the same bytes. */
  set(buf: Uint8Array, start: number, end: number, ref: number): void {
    const h = buf === this.missBuf && start === this.missStart && end === this.missEnd ? this.missHash : hashBytes(buf, start, end);
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const e = this.table[slot]! - 1;
      if (e < 0) break;
      if (this.eHash[e] === h && this.eLen[e] === len && this.sameBytes(e, buf, start, len)) {
        this.eRef[e] = ref;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    const e = this.addEntry(h, buf, start, len, ref);
    this.table[slot] = e + 1;
    if (this.count * 2 > this.table.length) this.rehash(this.table.length * 2);
  }

  /** retain drops every alias whose ref fails keep, compacting the arena. */
  retain(keep: (ref: number) => boolean): number {
    const oldArena = this.arena;
    const n = this.count;
    let w = 0;
    let arenaLen = 0;
    for (let e = 0; e < n; e++) {
      if (!keep(this.eRef[e]!)) continue;
      const off = this.eOff[e]!;
      const len = this.eLen[e]!;
      oldArena.copyWithin(arenaLen, off, off + len);
      this.eHash[w] = this.eHash[e]!;
      this.eOff[w] = arenaLen;
      this.eLen[w] = len;
      this.eRef[w] = this.eRef[e]!;
      arenaLen += len;
      w++;
    }
    const removed = n - w;
    this.count = w;
    this.arenaLen = arenaLen;
    if (removed > 0) {
      let size = 2048;
      while (size < w * 2) size *= 2;
      this.rehash(size);
    }
    return removed;
  }

  private sameView(e: number, dv: DataView, start: number, len: number): boolean {
    const av = this.arenaView;
    const off = this.eOff[e]!;
    const words = len & ~3;
    let i = 0;
    for (; i < words; i += 4) if (av.getInt32(off + i, true) !== dv.getInt32(start + i, true)) return false;
    for (; i < len; i++) if (av.getUint8(off + i) !== dv.getUint8(start + i)) return false;
    return true;
  }

  private sameBytes(e: number, buf: Uint8Array, start: number, len: number): boolean {
    const arena = this.arena;
    let off = this.eOff[e]!;
    for (let i = 0; i < len; i++) if (arena[off++] !== buf[start + i]) return false;
    return true;
  }

  private addEntry(h: number, buf: Uint8Array, start: number, len: number, ref: number): number {
    if (this.arenaLen + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaLen + len) cap *= 2;
      // Not zero-filled: only the first arenaLen bytes are ever read.
      const next: Uint8Array = Buffer.allocUnsafeSlow(cap);
      next.set(new Uint8Array(this.arena.buffer, this.arena.byteOffset, this.arenaLen));
      this.arena = next;
      this.arenaView = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    const arena = this.arena;
    if (len <= 16) {
      let at = this.arenaLen;
      for (let i = start, e = start + len; i < e; i++) arena[at++] = buf[i]!;
    } else {
      // A plain view, not buf.subarray: a Buffer's subarray builds a Buffer object.
      arena.set(new Uint8Array(buf.buffer, buf.byteOffset + start, len), this.arenaLen);
    }
    if (this.count === this.eHash.length) {
      const cap = this.count * 2;
      this.eHash = growInt(this.eHash, cap);
      this.eOff = growInt(this.eOff, cap);
      this.eLen = growInt(this.eLen, cap);
      const ref2 = new Float64Array(cap);
      ref2.set(this.eRef);
      this.eRef = ref2;
    }
    const e = this.count++;
    this.eHash[e] = h;
    this.eOff[e] = this.arenaLen;
    this.eLen[e] = len;
    this.eRef[e] = ref;
    this.arenaLen += len;
    return e;
  }

  private rehash(size: number): void {
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.count; e++) {
      let slot = this.eHash[e]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = e + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function growInt(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(cap);
  next.set(a);
  return next;
}
