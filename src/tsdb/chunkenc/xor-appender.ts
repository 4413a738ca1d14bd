// Encoder for XOR chunks (see xor.ts for the format).

import { STALE_NAN_HI, STALE_NAN_LO } from '../../model/sample.js';
import type { BitWriter } from './bstream.js';
import { XOR_NO_WINDOW, xorWriteBits, type XorField } from './xor-value.js';
import { floatBits, hiOf, loOf, scratchHi, scratchLo, writeUvarint64, writeVarint64 } from './int64.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAMPLES = 0xffff;
/** NO_WINDOW marks that no leading/trailing window has been written yet (Prometheus's 0xff). */
const NO_WINDOW = XOR_NO_WINDOW;

/** XORAppender appends samples to an XOR chunk; timestamps must be safe integers and ascending in practice. */
export interface XORAppender {
  /** append adds one sample (t in integer milliseconds). */
  append(t: number, v: number): void;
}

/** XORAppenderState is the encoder state an appender starts from (fresh, or decoded from existing bytes). */
export interface XORAppenderState {
  t: number;
  tDelta: number;
  /** tDeltaBig is set when the last delta is beyond ±2^53 (then tDelta is only approximate). */
  tDeltaBig: bigint | null;
  vHi: number;
  vLo: number;
  leading: number;
  trailing: number;
}

/** freshAppenderState is the state of an appender on an empty chunk. */
export function freshAppenderState(): XORAppenderState {
  return { t: 0, tDelta: 0, tDeltaBig: null, vHi: 0, vLo: 0, leading: NO_WINDOW, trailing: 0 };
}

/** XORChunkAppender is the XORAppender implementation; it writes into a BitWriter shared with its chunk. */
export class XORChunkAppender implements XORAppender {
  private readonly w: BitWriter;
  private t: number;
  private tDelta: number;
  private tDeltaBig: bigint | null;
  /** v is the last value's bits and leading/trailing window. */
  private readonly v: XorField;

  /** The constructor continues the chunk in w (header included) from state. */
  constructor(w: BitWriter, state: XORAppenderState) {
    this.w = w;
    this.t = state.t;
    this.tDelta = state.tDelta;
    this.tDeltaBig = state.tDeltaBig;
    this.v = { value: 0, hi: state.vHi | 0, lo: state.vLo | 0, leading: state.leading, trailing: state.trailing };
  }

  /** append adds one sample; it throws RangeError for a non-safe-integer timestamp or a full chunk (65535 samples). */
  append(t: number, v: number): void {
    if (!Number.isSafeInteger(t)) throw new RangeError(`xor chunk: timestamp ${t} is not a safe integer`);
    const w = this.w;
    const num = (w.buf[0]! << 8) | w.buf[1]!;
    if (num >= MAX_SAMPLES) throw new RangeError(`xor chunk: already holds the maximum of ${MAX_SAMPLES} samples`);

    floatBits(v);
    let hi = scratchHi() | 0;
    const lo = scratchLo() | 0;
    // Stale markers may arrive with the quiet bit set by V8; store Prometheus's exact bits.
    if (v !== v && lo === STALE_NAN_LO && (hi & 0x7ff7ffff) === STALE_NAN_HI) hi = STALE_NAN_HI;

    if (num === 0) {
      writeVarint64(w, hiOf(t), loOf(t));
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
      this.tDelta = 0;
      this.tDeltaBig = null;
    } else {
      const delta = t - this.t;
      if (num === 1) {
        if (delta <= MAX_SAFE && delta >= -MAX_SAFE) {
          writeUvarint64(w, hiOf(delta), loOf(delta));
          this.tDelta = delta;
          this.tDeltaBig = null;
        } else {
          const d = BigInt(t) - BigInt(this.t);
          const u = BigInt.asUintN(64, d);
          writeUvarint64(w, Number(u >> 32n), Number(u & 0xffffffffn));
          this.setDeltaBig(d);
        }
      } else if (this.tDeltaBig === null && delta <= MAX_SAFE && delta >= -MAX_SAFE && this.fitsDod(delta - this.tDelta)) {
        this.writeDod(delta - this.tDelta);
        this.tDelta = delta;
      } else {
        this.appendDeltaBig(t);
      }
      xorWriteBits(w, this.v, hi, lo);
    }
    this.t = t;
    this.v.hi = hi;
    this.v.lo = lo;
    const n = num + 1;
    const buf = w.buf;
    buf[0] = n >>> 8;
    buf[1] = n & 0xff;
  }

  /** fitsDod reports whether a delta-of-delta computed from exact deltas is itself exact. */
  private fitsDod(dod: number): boolean {
    return dod <= MAX_SAFE && dod >= -MAX_SAFE;
  }

  /** writeDod writes a delta-of-delta that is exact as a number, in Prometheus's buckets. */
  private writeDod(dod: number): void {
    const w = this.w;
    if (dod === 0) {
      w.writeBit(0);
    } else if (dod >= -8191 && dod <= 8192) {
      w.writeBits((0b10 << 14) | (dod & 0x3fff), 16);
    } else if (dod >= -65535 && dod <= 65536) {
      w.writeBits((0b110 << 17) | (dod & 0x1ffff), 20);
    } else if (dod >= -524287 && dod <= 524288) {
      w.writeBits((0b1110 << 20) | (dod & 0xfffff), 24);
    } else {
      w.writeBits(0b1111, 4);
      w.writeBits(hiOf(dod), 32);
      w.writeBits(loOf(dod), 32);
    }
  }

  /** appendDeltaBig handles deltas or delta-of-deltas beyond ±2^53 with exact int64 arithmetic. */
  private appendDeltaBig(t: number): void {
    const d = BigInt(t) - BigInt(this.t);
    const prev = this.tDeltaBig ?? BigInt(this.tDelta);
    const dod = BigInt.asIntN(64, d - prev);
    if (dod <= BigInt(MAX_SAFE) && dod >= -BigInt(MAX_SAFE)) {
      this.writeDod(Number(dod));
    } else {
      const u = BigInt.asUintN(64, dod);
      this.w.writeBits(0b1111, 4);
      this.w.writeBits(Number(u >> 32n), 32);
      this.w.writeBits(Number(u & 0xffffffffn), 32);
    }
    this.setDeltaBig(d);
  }

  private setDeltaBig(d: bigint): void {
    if (d <= BigInt(MAX_SAFE) && d >= -BigInt(MAX_SAFE)) {
      this.tDelta = Number(d);
      this.tDeltaBig = null;
    } else {
      this.tDelta = Number(d);
      this.tDeltaBig = d;
    }
  }
}
