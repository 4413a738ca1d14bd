// Variable bit-width integers of Prometheus's tsdb/chunkenc/varbit.go, used by the histogram chunks.
//
// A value is a prefix of 1s closed by a 0 (at most 8 bits, the 8th 1 needs no closing 0) choosing
// the width of the two's-complement payload that follows:
//   0 -> the value 0; 10 -> 3 bits; 110 -> 6; 1110 -> 9; 11110 -> 12; 111110 -> 18;
//   1111110 -> 25; 11111110 -> 56; 11111111 -> 64.
// Signed widths hold -(2^(n-1)-1) ..= 2^(n-1) (payloads above 2^(n-1) are negative); unsigned
// widths hold 0 ..= 2^n-1. Values are JS numbers: exact within ±2^53.

import { EncodingError } from '../encoding/buffers.js';
import type { BitReader, BitWriter } from './bstream.js';
import { hiOf, loOf, TWO_32 } from './int64.js';

/** SIGNED_WIDTHS are the payload widths a prefix of k ones selects (index k). */
const WIDTHS = [0, 3, 6, 9, 12, 18, 25, 56, 64] as const;

/** fitsSigned is Prometheus's bitRange: -(2^(n-1)-1) <= v <= 2^(n-1). */
function fitsSigned(v: number, n: number): boolean {
  const half = 2 ** (n - 1);
  return v >= 1 - half && v <= half;
}

/** putVarbitInt writes the signed integer v (a safe integer) in Prometheus's varbit encoding. */
export function putVarbitInt(w: BitWriter, v: number): void {
  if (v === 0) {
    w.writeBit(0);
  } else if (v >= -3 && v <= 4) {
    w.writeBits((0b10 << 3) | (v & 0x7), 5);
  } else if (v >= -31 && v <= 32) {
    w.writeBits((0b110 << 6) | (v & 0x3f), 9);
  } else if (v >= -255 && v <= 256) {
    w.writeBits((0b1110 << 9) | (v & 0x1ff), 13);
  } else if (v >= -2047 && v <= 2048) {
    w.writeBits((0b11110 << 12) | (v & 0xfff), 17);
  } else if (v >= -131071 && v <= 131072) {
    w.writeBits((0b111110 << 18) | (v & 0x3ffff), 24);
  } else if (v >= -16777215 && v <= 16777216) {
    w.writeBits((0b1111110 << 25) | (v & 0x1ffffff), 32);
  } else {
    putWide(w, v, fitsSigned(v, 56));
  }
}

/** putVarbitUint writes the unsigned integer v (a non-negative safe integer) in Prometheus's varbit encoding. */
export function putVarbitUint(w: BitWriter, v: number): void {
  if (v === 0) {
    w.writeBit(0);
  } else if (v <= 7) {
    w.writeBits((0b10 << 3) | v, 5);
  } else if (v <= 63) {
    w.writeBits((0b110 << 6) | v, 9);
  } else if (v <= 511) {
    w.writeBits((0b1110 << 9) | v, 13);
  } else if (v <= 4095) {
    w.writeBits((0b11110 << 12) | v, 17);
  } else if (v <= 262143) {
    w.writeBits((0b111110 << 18) | v, 24);
  } else if (v <= 33554431) {
    w.writeBits((0b1111110 << 25) | v, 32);
  } else {
    putWide(w, v, v < 2 ** 56);
  }
}

/** putWide writes v with the 56-bit payload (prefix 11111110) when in56, else the 64-bit one (11111111). */
function putWide(w: BitWriter, v: number, in56: boolean): void {
  if (in56) {
    w.writeBits(0b11111110, 8);
    w.writeBits(hiOf(v) & 0xffffff, 24);
  } else {
    w.writeBits(0b11111111, 8);
    w.writeBits(hiOf(v), 32);
  }
  w.writeBits(loOf(v), 32);
}

/** readWidth consumes the prefix of a varbit value and returns its payload width. */
function readWidth(r: BitReader): number {
  const ones = Math.clz32(~r.peek32());
  if (ones >= 8) {
    r.pos += 8;
    return 64;
  }
  r.pos += ones + 1;
  return WIDTHS[ones]!;
}

/** readVarbitInt reads a signed varbit value (rounded when beyond ±2^53). */
export function readVarbitInt(r: BitReader): number {
  const w = r.peek32();
  const ones = Math.clz32(~w);
  if (ones === 0) {
    r.pos += 1;
    return 0;
  }
  if (ones <= 6) {
    // Prefix and payload (at most 7 + 25 bits) are all in w.
    const n = WIDTHS[ones]!;
    const bits = (w << (ones + 1)) >>> (32 - n);
    r.pos += ones + 1 + n;
    const half = 1 << (n - 1);
    return bits > half ? bits - 2 * half : bits;
  }
  const n = readWidth(r);
  if (n === 56) {
    let hi = r.readBits(24);
    const lo = r.readBits32() >>> 0;
    if (hi > 0x800000 || (hi === 0x800000 && lo > 0)) hi -= 0x1000000;
    return hi * TWO_32 + lo;
  }
  const hi = r.readBits32();
  const lo = r.readBits32() >>> 0;
  return hi * TWO_32 + lo;
}

/** readVarbitUint reads an unsigned varbit value (rounded when beyond 2^53). */
export function readVarbitUint(r: BitReader): number {
  const n = readWidth(r);
  if (n === 0) return 0;
  if (n <= 25) return r.readBits(n);
  if (n === 56) {
    const hi = r.readBits(24);
    return hi * TWO_32 + (r.readBits32() >>> 0);
  }
  const hi = r.readBits32() >>> 0;
  return hi * TWO_32 + (r.readBits32() >>> 0);
}

/** checkReadEnd throws EncodingError when a reader went past endBit (the data was truncated). */
export function checkReadEnd(r: BitReader, endBit: number, what: string): void {
  if (r.pos > endBit) throw new EncodingError(`${what}: data ends early`);
}
