// XOR ("Gorilla") chunks, bit for bit as Prometheus's tsdb/chunkenc/xor.go.
//
// Layout: a 2-byte big-endian sample count, then a bit stream:
//   sample 0: timestamp as a zig-zag varint, value as its raw 64 bits;
//   sample 1: uint64(t1 - t0) as a uvarint, then the value as below;
//   sample n: delta-of-delta of the timestamp ('0' for 0; '10'+14 bits for [-8191, 8192];
//             '110'+17 bits for [-65535, 65536]; '1110'+20 bits for [-524287, 524288];
//             '1111'+64 bits otherwise), then the value as below.
//   value: XOR with the previous value's bits; '0' if equal; '10' + the significant bits when
//          they fit the previous leading/trailing-zero window; otherwise '11', 5 bits of leading
//          zeros (capped at 31), 6 bits of significant-bit count (64 written as 0), the bits.
// The varints of samples 0 and 1 are written through the bit stream, so they are byte aligned.

import { EncodingError } from '../encoding/buffers.js';
import { BSTREAM_DEFAULT_CAPACITY, BitWriter, viewOf, writerFromPrefix, type BufferAllocator } from './bstream.js';
import { freshAppenderState, XORChunkAppender, type XORAppender } from './xor-appender.js';
import { XORIterator } from './xor-iterator.js';

export { XORIterator } from './xor-iterator.js';
export { XORChunkAppender, type XORAppender } from './xor-appender.js';
export type { BufferAllocator } from './bstream.js';

const EMPTY = new Uint8Array(0);

/** ENCODING_XOR is the chunk encoding byte of XOR chunks (Prometheus chunkenc.EncXOR). */
export const ENCODING_XOR = 1;

/** XORChunk holds XOR-encoded samples: new and appendable, or wrapping existing bytes. */
export class XORChunk {
  /** w holds the bytes once the chunk is writable (created empty, or after appender()). */
  private w: BitWriter | null;
  /** data is the wrapped, read-only bytes of a chunk loaded from elsewhere (null once writable). */
  private data: Uint8Array | null;
  /** dataView is a cached DataView over data, for iterators. */
  private dataView: DataView | null = null;

  /**
   * The constructor wraps existing chunk bytes (without copying), or starts a new empty chunk in
   * a buffer of capacity bytes; alloc, when given, supplies that buffer (zero-filled) and grown ones.
   */
  constructor(data?: Uint8Array, capacity = BSTREAM_DEFAULT_CAPACITY, alloc: BufferAllocator | null = null) {
    if (data === undefined) {
      const cap = Math.max(16, capacity);
      const buf = alloc !== null ? alloc(cap, EMPTY) : new Uint8Array(cap);
      this.w = new BitWriter(buf, 16, alloc);
      this.data = null;
    } else {
      if (data.length < 2) throw new EncodingError(`xor chunk: ${data.length} bytes is shorter than the 2-byte header`);
      this.w = null;
      this.data = data;
    }
  }

  /** encoding is ENCODING_XOR. */
  encoding(): number {
    return ENCODING_XOR;
  }

  /** bytes is the exact Prometheus chunk data (count header + bit stream), a view: copy it to keep it. */
  bytes(): Uint8Array {
    return this.data ?? this.w!.bytes();
  }

  /** numSamples is the number of samples in the chunk. */
  numSamples(): number {
    const b = this.data ?? this.w!.buf;
    return (b[0]! << 8) | b[1]!;
  }

  /** byteLength is the length of bytes() without creating a view. */
  byteLength(): number {
    return this.data !== null ? this.data.length : this.w!.byteLength();
  }

  /** capacity is the size of the buffer a writable chunk writes into (byteLength() for a wrapped one). */
  capacity(): number {
    return this.data !== null ? this.data.length : this.w!.buf.length;
  }

  /** compact releases spare capacity of a writable chunk (call when the chunk is complete). */
  compact(): void {
    this.w?.compact();
  }

  /**
   * appender continues the chunk. On a chunk wrapped from bytes it decodes every sample, copies
   * the bytes into a growable buffer and continues right after the last sample's bits (throws
   * EncodingError if the bytes do not decode). Use one appender per chunk at a time.
   * As in Prometheus, a re-opened chunk whose values never changed continues with a 0/0
   * leading/trailing window instead of none: still valid, and byte-identical to Prometheus.
   */
  appender(): XORAppender {
    // A chunk created empty and never appended to needs no decoding (and no iterator or DataView).
    if (this.data === null && this.w!.bitLen === 16 && this.w!.buf[0] === 0 && this.w!.buf[1] === 0) {
      return new XORChunkAppender(this.w!, freshAppenderState());
    }
    const it = this.iterator();
    while (it.next()) {
      // decode to the end to learn the encoder state
    }
    const err = it.err();
    if (err !== null) throw err;
    const num = this.numSamples();
    if (num === 0) {
      this.makeWritable(16);
      return new XORChunkAppender(this.w!, freshAppenderState());
    }
    const s = it.decodeState();
    if (s.tBig !== null) {
      throw new RangeError('xor chunk: cannot append after a timestamp beyond the safe integer range');
    }
    this.makeWritable(s.bitPos);
    return new XORChunkAppender(this.w!, {
      t: s.t,
      tDelta: s.tDelta,
      tDeltaBig: s.tDeltaBig,
      vHi: s.vHi,
      vLo: s.vLo,
      leading: s.leading,
      trailing: s.trailing,
    });
  }

  /** iterator iterates the samples present now (appends made later are not seen); reuse avoids an allocation. */
  iterator(reuse?: XORIterator): XORIterator {
    const it = reuse ?? new XORIterator();
    if (this.data !== null) {
      this.dataView ??= viewOf(this.data);
      it.reset(this.data, this.data.length, undefined, this.dataView);
    } else {
      const w = this.w!;
      it.reset(w.buf, w.byteLength(), (w.buf[0]! << 8) | w.buf[1]!, w.view());
    }
    return it;
  }

  /** makeWritable copies wrapped bytes into an owned buffer that ends at bit bitPos (later bits zeroed). */
  private makeWritable(bitPos: number): void {
    if (this.data === null) return;
    this.w = writerFromPrefix(this.data, bitPos);
    this.data = null;
    this.dataView = null;
  }
}

/** chunkFromSamples builds a chunk holding the given samples (ts[i], vs[i]). */
export function chunkFromSamples(ts: ArrayLike<number>, vs: ArrayLike<number>): XORChunk {
  if (ts.length !== vs.length) throw new RangeError(`chunkFromSamples: ${ts.length} timestamps but ${vs.length} values`);
  const c = new XORChunk();
  const app = c.appender();
  for (let i = 0; i < ts.length; i++) app.append(ts[i]!, vs[i]!);
  return c;
}
