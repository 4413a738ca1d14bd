// Decoder for XOR chunks (see xor.ts for the format).

import type { SampleIterator } from '../../storage/series.js';
import { EncodingError } from '../encoding/buffers.js';
import { BitReader } from './bstream.js';
import type { XORAppenderState } from './xor-appender.js';
import {
  floatFromBits,
  int64IsExact,
  int64ToBigInt,
  int64ToNumber,
  readUvarint64,
  readVarint64,
  type Uvarint64,
} from './int64.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);
const isSafeBig = (x: bigint): boolean => x <= MAX_SAFE_BIG && x >= -MAX_SAFE_BIG;
/** The sample data starts after the 2-byte sample count. */
const HEADER_BITS = 16;

/** XORDecodeState is where a decoder stopped: what an appender needs to continue the chunk. */
export interface XORDecodeState extends XORAppenderState {
  /** tBig is set when the last timestamp t is not exact as a number. */
  tBig: bigint | null;
  /** bitPos is the bit offset (from the start of the chunk, header included) right after the last sample. */
  bitPos: number;
}

/** XORIterator decodes the samples of an XOR chunk; it implements SampleIterator and allocates nothing per sample. */
export class XORIterator implements SampleIterator {
  private readonly br = new BitReader();
  private readonly vint: Uvarint64 = { hi: 0, lo: 0 };
  private numTotal = 0;
  private numRead = 0;
  private endBit = 0;
  private exhausted = false;
  private error: EncodingError | null = null;

  private t = Number.MIN_SAFE_INTEGER;
  private tDelta = 0;
  /** big is true while t or tDelta is beyond ±2^53; tBig and tDeltaBig then hold the exact values. */
  private big = false;
  private tBig = 0n;
  private tDeltaBig = 0n;

  private v = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0;
  private trailing = 0;

  /** The constructor optionally starts on chunk bytes (see reset). */
  constructor(buf?: Uint8Array, byteLength?: number, numSamples?: number) {
    if (buf !== undefined) this.reset(buf, byteLength ?? buf.length, numSamples);
  }

  /**
   * reset restarts the iterator on chunk bytes: buf holds the chunk from offset 0 (header
   * included), byteLength is how many bytes belong to it and numSamples how many samples to
   * read (default: the count in the header). view, when given, is a DataView over exactly buf
   * (passing a cached one saves an allocation).
   */
  reset(buf: Uint8Array, byteLength: number = buf.length, numSamples?: number, view?: DataView): void {
    if (byteLength < 2) throw new EncodingError(`xor chunk: ${byteLength} bytes is shorter than the 2-byte header`);
    this.br.reset(buf, HEADER_BITS, view);
    this.numTotal = numSamples ?? ((buf[0]! << 8) | buf[1]!);
    this.numRead = 0;
    this.endBit = byteLength * 8;
    this.exhausted = false;
    this.error = null;
    this.t = Number.MIN_SAFE_INTEGER;
    this.tDelta = 0;
    this.big = false;
    this.tBig = 0n;
    this.tDeltaBig = 0n;
    this.v = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.leading = 0;
    this.trailing = 0;
  }

  /** atT is the current sample's timestamp (rounded if the chunk holds one beyond ±2^53). */
  atT(): number {
    return this.t;
  }

  /** atV is the current sample's value, bit for bit as stored. */
  atV(): number {
    return this.v;
  }

  /** atST is 0: XOR chunks do not encode start timestamps. */
  atST(): number {
    return 0;
  }

  /** err is the decoding error that stopped the iteration, or null. */
  err(): EncodingError | null {
    return this.error;
  }

  /** seek advances to the first sample with timestamp >= t, decoding no further than that sample. */
  seek(t: number): boolean {
    if (this.exhausted) return false;
    while (this.numRead === 0 || t > this.t) {
      if (!this.next()) return false;
    }
    return true;
  }

  /** next decodes the next sample; false at the end or on corrupt data (see err). */
  next(): boolean {
    const numRead = this.numRead;
    if (numRead < 2 || numRead >= this.numTotal || this.error !== null) return this.nextSlow();
    const br = this.br;
    // Delta-of-delta: the number of leading 1s (up to 4) selects the bucket.
    const w = br.peek32();
    let dod = 0;
    switch (Math.clz32(~w)) {
      case 0:
        br.pos += 1;
        break;
      case 1: {
        const b = (w >>> 16) & 0x3fff;
        dod = b > 0x2000 ? b - 0x4000 : b;
        br.pos += 16;
        break;
      }
      case 2: {
        const b = (w >>> 12) & 0x1ffff;
        dod = b > 0x10000 ? b - 0x20000 : b;
        br.pos += 20;
        break;
      }
      case 3: {
        const b = (w >>> 8) & 0xfffff;
        dod = b > 0x80000 ? b - 0x100000 : b;
        br.pos += 24;
        break;
      }
      default: {
        br.pos += 4;
        const hi = br.readBits32();
        const lo = br.readBits32();
        if (!int64IsExact(hi)) {
          this.addDodBig(int64ToBigInt(hi, lo));
          return this.readValue();
        }
        dod = int64ToNumber(hi, lo);
      }
    }
    if (this.big) {
      this.addDodBig(BigInt(dod));
    } else {
      const td = this.tDelta + dod;
      const t = this.t + td;
      if (td <= MAX_SAFE && td >= -MAX_SAFE && t <= MAX_SAFE && t >= -MAX_SAFE) {
        this.tDelta = td;
        this.t = t;
      } else {
        this.addDodBig(BigInt(dod));
      }
    }
    const v = br.peek32();
    if (v < 0) return this.readChangedValue(v);
    // '0': same value
    br.pos += 1;
    this.numRead++;
    return br.pos <= this.endBit || this.checkEnd();
  }

  private nextSlow(): boolean {
    if (this.numRead >= this.numTotal || this.error !== null) {
      this.exhausted = true;
      return false;
    }
    try {
      return this.numRead === 0 ? this.readFirst() : this.readSecond();
    } catch (e) {
      return this.fail(e);
    }
  }

  /** decodeState reports where decoding stopped (used to continue appending to a chunk). */
  decodeState(): XORDecodeState {
    return {
      t: this.t,
      tBig: this.big && !isSafeBig(this.tBig) ? this.tBig : null,
      tDelta: this.tDelta,
      tDeltaBig: this.big && !isSafeBig(this.tDeltaBig) ? this.tDeltaBig : null,
      vHi: this.vHi,
      vLo: this.vLo,
      leading: this.leading,
      trailing: this.trailing,
      bitPos: this.br.pos,
    };
  }

  private readFirst(): boolean {
    const br = this.br;
    const vi = this.vint;
    readVarint64(br, vi);
    if (int64IsExact(vi.hi)) {
      this.t = int64ToNumber(vi.hi, vi.lo);
    } else {
      this.big = true;
      this.tBig = int64ToBigInt(vi.hi, vi.lo);
      this.tDeltaBig = 0n;
      this.t = Number(this.tBig);
    }
    this.vHi = br.readBits32();
    this.vLo = br.readBits32();
    this.v = floatFromBits(this.vHi, this.vLo);
    this.numRead = 1;
    return this.checkEnd();
  }

  private readSecond(): boolean {
    const vi = this.vint;
    readUvarint64(this.br, vi);
    // Prometheus stores uint64(t1 - t0); read it back as int64.
    if (!this.big && int64IsExact(vi.hi)) {
      const td = int64ToNumber(vi.hi, vi.lo);
      const t = this.t + td;
      if (t <= MAX_SAFE && t >= -MAX_SAFE) {
        this.tDelta = td;
        this.t = t;
        return this.readValue();
      }
    }
    if (!this.big) {
      this.big = true;
      this.tBig = BigInt(this.t);
    }
    this.tDeltaBig = int64ToBigInt(vi.hi, vi.lo);
    this.tBig = BigInt.asIntN(64, this.tBig + this.tDeltaBig);
    this.settleBig();
    return this.readValue();
  }

  /** addDodBig applies a delta-of-delta with exact int64 (wrapping) arithmetic, as Prometheus does. */
  private addDodBig(dod: bigint): void {
    if (!this.big) {
      this.big = true;
      this.tBig = BigInt(this.t);
      this.tDeltaBig = BigInt(this.tDelta);
    }
    this.tDeltaBig = BigInt.asIntN(64, this.tDeltaBig + dod);
    this.tBig = BigInt.asIntN(64, this.tBig + this.tDeltaBig);
    this.settleBig();
  }

  /** settleBig mirrors the exact values into numbers and leaves big mode once both are safe again. */
  private settleBig(): void {
    this.t = Number(this.tBig);
    this.tDelta = Number(this.tDeltaBig);
    if (isSafeBig(this.tBig) && isSafeBig(this.tDeltaBig)) this.big = false;
  }

  private readValue(): boolean {
    const w = this.br.peek32();
    if (w < 0) return this.readChangedValue(w);
    // '0': same value
    this.br.pos += 1;
    this.numRead++;
    return this.checkEnd();
  }

  /** readChangedValue decodes a value whose control bits (starting with '1') are the top of w. */
  private readChangedValue(w: number): boolean {
    const br = this.br;
    // ctrl is how many bits of w the control bits take; the significant bits follow.
    let ctrl: number;
    if ((w & 0x40000000) === 0) {
      // '10': the significant bits fit the previous window
      ctrl = 2;
    } else {
      // '11', 5 bits of leading zeros, 6 bits of significant-bit count (0 means 64)
      const leading = (w >>> 25) & 0x1f;
      let sig = (w >>> 19) & 0x3f;
      if (sig === 0) sig = 64;
      if (leading + sig > 64) {
        return this.fail(new EncodingError(`xor chunk: sample ${this.numRead} has ${leading} leading and ${sig} significant bits`));
      }
      this.leading = leading;
      this.trailing = 64 - leading - sig;
      ctrl = 13;
    }
    const trailing = this.trailing;
    const mbits = 64 - this.leading - trailing;
    let rHi = 0;
    let rLo: number;
    if (mbits <= 32 - ctrl) {
      // the significant bits are already in w
      rLo = (w << ctrl) >>> (32 - mbits);
      br.pos += ctrl + mbits;
    } else {
      br.pos += ctrl;
      if (mbits > 32) {
        rHi = br.readBits(mbits - 32);
        rLo = br.readBits32();
      } else if (mbits === 32) {
        rLo = br.readBits32();
      } else {
        rLo = br.readBits(mbits);
      }
    }
    if (trailing === 0) {
      this.vHi ^= rHi;
      this.vLo ^= rLo;
    } else if (trailing < 32) {
      this.vHi ^= (rHi << trailing) | (rLo >>> (32 - trailing));
      this.vLo ^= rLo << trailing;
    } else {
      this.vHi ^= rLo << (trailing - 32);
    }
    this.v = floatFromBits(this.vHi, this.vLo);
    this.numRead++;
    return this.checkEnd();
  }

  private checkEnd(): boolean {
    if (this.br.pos > this.endBit) {
      return this.fail(new EncodingError(`xor chunk: data ends inside sample ${this.numRead - 1} of ${this.numTotal}`));
    }
    return true;
  }

  private fail(e: unknown): boolean {
    this.error = e instanceof EncodingError ? e : new EncodingError(String(e));
    this.exhausted = true;
    return false;
  }
}
