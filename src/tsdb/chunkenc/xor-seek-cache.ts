// A cache of XOR decoder states part-way through chunks, so that a seek into the middle of a
// chunk seen before resumes there instead of decoding the chunk from its start. A query
// worker receives the head's chunks afresh for every query (an instant query at the end of
// a 120-sample chunk decodes ~100 samples per series just to reach its window); the state
// after sample k depends only on the chunk's bits before it, so a checkpoint is reused only
// when those bits are equal (the open chunk grows by appending, which keeps them).

/** XORCheckpoint is an XOR decoder's state right after one sample, with the chunk bits that led to it. */
export interface XORCheckpoint {
  /** numRead is the number of samples decoded (the checkpoint's sample is the numRead-th). */
  readonly numRead: number;
  /** bitPos is the bit offset (header included) right after the sample. */
  readonly bitPos: number;
  readonly t: number;
  readonly tDelta: number;
  readonly vHi: number;
  readonly vLo: number;
  readonly leading: number;
  readonly trailing: number;
  /** prefix is a copy of the chunk's whole bytes from offset 2 (after the sample count) up to bitPos. */
  readonly prefix: Buffer;
  /** lastBits are the bits of the byte bitPos falls in that lie before bitPos (bitPos % 8 of them, high first). */
  readonly lastBits: number;
}

/** KEY_START and KEY_END bound the bytes a checkpoint is filed under (the first sample and the start of the second). */
const KEY_START = 2;
const KEY_END = 18;

/** MIN_CHECKPOINT_BITS is the least bitPos a checkpoint may have: its key bytes lie wholly before it. */
export const MIN_CHECKPOINT_BITS = KEY_END * 8;

function keyOf(buf: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = KEY_START; i < KEY_END; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}

/** XORSeekCache holds checkpoints keyed by a chunk's first bytes, up to maxBytes of copied prefixes (then it starts over). */
export class XORSeekCache {
  private readonly map = new Map<number, XORCheckpoint>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** size is the number of checkpoints held. */
  get size(): number {
    return this.map.size;
  }

  /**
   * lookup returns the checkpoint filed for buf's first bytes whose prefix buf starts with, that a chunk of
   * numTotal samples ending before bit endBit can hold, or undefined.
   */
  lookup(buf: Uint8Array, endBit: number, numTotal: number): XORCheckpoint | undefined {
    if (buf.length < KEY_END) return undefined;
    const cp = this.map.get(keyOf(buf));
    if (cp === undefined || cp.numRead > numTotal || cp.bitPos > endBit) return undefined;
    const full = cp.bitPos >>> 3;
    const rest = cp.bitPos & 7;
    if (rest !== 0 && buf[full]! >>> (8 - rest) !== cp.lastBits) return undefined;
    // Buffer#compare with a range compares in place (a subarray would allocate a view per lookup).
    return cp.prefix.compare(buf, KEY_START, full) === 0 ? cp : undefined;
  }

  /** store files a checkpoint of buf's decoding (state after a sample at or past MIN_CHECKPOINT_BITS), replacing the one filed under the same key. */
  store(buf: Uint8Array, state: Omit<XORCheckpoint, 'prefix' | 'lastBits'>): void {
    if (state.bitPos < MIN_CHECKPOINT_BITS || buf.length < KEY_END) return;
    const full = state.bitPos >>> 3;
    const rest = state.bitPos & 7;
    const prefix = Buffer.allocUnsafeSlow(full - KEY_START);
    prefix.set(buf.subarray(KEY_START, full));
    const key = keyOf(buf);
    const old = this.map.get(key);
    if (old !== undefined) this.bytes -= old.prefix.length;
    if (this.bytes + prefix.length > this.maxBytes) {
      this.map.clear();
      this.bytes = 0;
    }
    this.map.set(key, { ...state, prefix, lastBits: rest === 0 ? 0 : buf[full]! >>> (8 - rest) });
    this.bytes += prefix.length;
  }

  /** clear drops every checkpoint. */
  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }
}

let active: XORSeekCache | null = null;

/** useXORSeekCache makes every XORIterator of this thread seek through cache (null turns it off); query workers turn it on. */
export function useXORSeekCache(cache: XORSeekCache | null): void {
  active = cache;
}

/** activeXORSeekCache is the thread's seek cache, or null. */
export function activeXORSeekCache(): XORSeekCache | null {
  return active;
}
