// 64-bit helpers over pairs of 32-bit halves: float bits, varints and exact integer checks.

import { EncodingError } from '../encoding/buffers.js';
import type { BitReader, BitWriter } from './bstream.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = littleEndian ? 1 : 0;
const LO = littleEndian ? 0 : 1;

/** TWO_32 is 2^32. */
export const TWO_32 = 4294967296;

/** floatBits stores v's IEEE 754 bits in the shared scratch; read them with scratchHi()/scratchLo(). */
export function floatBits(v: number): void {
  f64[0] = v;
}

/** scratchHi is the high 32 bits (sign, exponent, top of mantissa) of the last floatBits value. */
export function scratchHi(): number {
  return u32[HI]!;
}

/** scratchLo is the low 32 bits of the last floatBits value. */
export function scratchLo(): number {
  return u32[LO]!;
}

/** floatFromBits builds the float64 whose bits are hi:lo, bit for bit (NaN payloads included). */
export function floatFromBits(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}

/** hiOf is the high 32 bits (as a signed int32) of the int64 two's complement of the safe integer x. */
export function hiOf(x: number): number {
  return Math.floor(x / TWO_32) | 0;
}

/** loOf is the low 32 bits (unsigned) of the int64 two's complement of the safe integer x. */
export function loOf(x: number): number {
  return (x - Math.floor(x / TWO_32) * TWO_32) >>> 0;
}

/** int64IsExact reports whether the int64 hi:lo (hi read as signed) lies in [-2^53, 2^53) and so is exact as a number. */
export function int64IsExact(hi: number): boolean {
  const h = hi | 0;
  return h >= -0x200000 && h <= 0x1fffff;
}

/** int64ToNumber is the int64 hi:lo (hi read as signed) as a number, rounded when beyond ±2^53. */
export function int64ToNumber(hi: number, lo: number): number {
  return (hi | 0) * TWO_32 + (lo >>> 0);
}

/** int64ToBigInt is the int64 hi:lo as an exact bigint. */
export function int64ToBigInt(hi: number, lo: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

/** writeUvarint64 writes the uint64 hi:lo as a Go uvarint, one byte (8 bits) at a time. */
export function writeUvarint64(w: BitWriter, hi: number, lo: number): void {
  let h = hi >>> 0;
  let l = lo >>> 0;
  while (h !== 0 || l >= 0x80) {
    w.writeBits((l & 0x7f) | 0x80, 8);
    l = ((l >>> 7) | (h << 25)) >>> 0;
    h >>>= 7;
  }
  w.writeBits(l, 8);
}

/** writeVarint64 writes the int64 hi:lo as a Go (zig-zag) varint. */
export function writeVarint64(w: BitWriter, hi: number, lo: number): void {
  const sign = hi >> 31;
  writeUvarint64(w, ((hi << 1) | (lo >>> 31)) ^ sign, (lo << 1) ^ sign);
}

/** Uvarint64 receives a decoded 64-bit varint as two 32-bit halves. */
export interface Uvarint64 {
  hi: number;
  lo: number;
}

/** readUvarint64 reads a Go uvarint into out (unsigned halves); it throws EncodingError when it overflows 64 bits. */
export function readUvarint64(r: BitReader, out: Uvarint64): void {
  let hi = 0;
  let lo = 0;
  for (let k = 0; k < 10; k++) {
    const b = r.readBits(8);
    if (k === 9 && b > 1) throw new EncodingError('xor chunk: varint overflows 64 bits');
    const bits = b & 0x7f;
    const s = 7 * k;
    if (s < 32) {
      lo |= bits << s;
      if (s > 25) hi |= bits >>> (32 - s);
    } else {
      hi |= bits << (s - 32);
    }
    if (b < 0x80) {
      out.hi = hi >>> 0;
      out.lo = lo >>> 0;
      return;
    }
  }
  throw new EncodingError('xor chunk: varint overflows 64 bits');
}

/** readVarint64 reads a Go (zig-zag) varint into out; out.hi is the signed high half. */
export function readVarint64(r: BitReader, out: Uvarint64): void {
  readUvarint64(r, out);
  const hi = out.hi;
  const lo = out.lo;
  const sign = -(lo & 1);
  out.lo = (((lo >>> 1) | (hi << 31)) ^ sign) >>> 0;
  out.hi = ((hi >>> 1) ^ sign) | 0;
}
