// One XOR-compressed float field (Prometheus's xorWrite/xorRead), as the histogram chunks use it
// for the sum and the float histogram chunk for every count: '0' when the bits did not change;
// '10' + the significant bits when they fit the previous leading/trailing-zero window; else '11',
// 5 bits of leading zeros (capped at 31), 6 bits of significant-bit count (64 written as 0), the bits.

import { STALE_NAN_HI, STALE_NAN_LO } from '../../model/sample.js';
import { EncodingError } from '../encoding/buffers.js';
import type { BitReader, BitWriter } from './bstream.js';
import { floatBits, floatFromBits, scratchHi, scratchLo } from './int64.js';

/** XOR_NO_WINDOW marks a field with no leading/trailing window yet (Prometheus's 0xff). */
export const XOR_NO_WINDOW = 0xff;

/** XorField is the state of one XOR-compressed field: the last value (and its bits) and the window. */
export interface XorField {
  value: number;
  hi: number;
  lo: number;
  leading: number;
  trailing: number;
}

/** newXorField is a field holding value with the given window (XOR_NO_WINDOW for a fresh appender, 0 for a decoder). */
export function newXorField(value: number, leading: number): XorField {
  const f: XorField = { value: 0, hi: 0, lo: 0, leading, trailing: 0 };
  setXorValue(f, value);
  return f;
}

/** setXorValue sets a field's value and bits (stale markers get Prometheus's exact bits). */
export function setXorValue(f: XorField, v: number): void {
  floatBits(v);
  let hi = scratchHi() | 0;
  const lo = scratchLo() | 0;
  if (v !== v && lo === STALE_NAN_LO && (hi & 0x7ff7ffff) === STALE_NAN_HI) hi = STALE_NAN_HI;
  f.value = v;
  f.hi = hi;
  f.lo = lo;
}

/** writeRawFloat writes v's 64 bits (stale markers with Prometheus's exact bits). */
export function writeRawFloat(w: BitWriter, v: number): void {
  floatBits(v);
  let hi = scratchHi() | 0;
  const lo = scratchLo() | 0;
  if (v !== v && lo === STALE_NAN_LO && (hi & 0x7ff7ffff) === STALE_NAN_HI) hi = STALE_NAN_HI;
  w.writeBits(hi, 32);
  w.writeBits(lo, 32);
}

/** readRawFloat reads 64 bits as a float. */
export function readRawFloat(r: BitReader): number {
  const hi = r.readBits32();
  const lo = r.readBits32();
  return floatFromBits(hi, lo);
}

/** xorWrite writes v against the field's previous value and makes v the field's value. */
export function xorWrite(w: BitWriter, f: XorField, v: number): void {
  const oldHi = f.hi;
  const oldLo = f.lo;
  setXorValue(f, v);
  const hi = f.hi;
  const lo = f.lo;
  f.hi = oldHi;
  f.lo = oldLo;
  xorWriteBits(w, f, hi, lo);
}

/** xorWriteBits writes the float with bits hi:lo against the field's previous bits and stores them (f.value is left alone). */
export function xorWriteBits(w: BitWriter, f: XorField, hi: number, lo: number): void {
  const dHi = hi ^ f.hi;
  const dLo = lo ^ f.lo;
  f.hi = hi;
  f.lo = lo;
  if (dHi === 0 && dLo === 0) {
    w.writeBit(0);
    return;
  }
  let leading = dHi !== 0 ? Math.clz32(dHi) : 32 + Math.clz32(dLo);
  const trailing = dLo !== 0 ? 31 - Math.clz32(dLo & -dLo) : 63 - Math.clz32(dHi & -dHi);
  if (leading > 31) leading = 31;
  let shift: number;
  let sig: number;
  if (f.leading !== XOR_NO_WINDOW && leading >= f.leading && trailing >= f.trailing) {
    w.writeBits(0b10, 2);
    shift = f.trailing;
    sig = 64 - f.leading - shift;
  } else {
    f.leading = leading;
    f.trailing = trailing;
    sig = 64 - leading - trailing;
    // Two control bits, 5 bits of leading zeros, 6 bits of significant bits (64 is written as 0).
    w.writeBits((0b11 << 11) | (leading << 6) | (sig & 63), 13);
    shift = trailing;
  }
  let sHi: number;
  let sLo: number;
  if (shift === 0) {
    sHi = dHi;
    sLo = dLo;
  } else if (shift < 32) {
    sHi = dHi >>> shift;
    sLo = (dLo >>> shift) | (dHi << (32 - shift));
  } else {
    sHi = 0;
    sLo = dHi >>> (shift - 32);
  }
  if (sig > 32) {
    w.writeBits(sHi, sig - 32);
    w.writeBits(sLo, 32);
  } else {
    w.writeBits(sLo, sig);
  }
}

/** xorRead reads the next value of a field written by xorWrite; what names the chunk in errors. */
export function xorRead(r: BitReader, f: XorField, what: string): void {
  const w = r.peek32();
  if (w >= 0) {
    r.pos += 1;
    return;
  }
  if (!xorReadChanged(r, f, w)) throw new EncodingError(`${what}: a value has more than 64 leading and significant bits`);
}

/**
 * xorReadChanged decodes a changed value whose control bits ('1'…) are the top of w, the next 32
 * bits of r (not yet consumed), into f (value included); false when the bit counts are corrupt.
 */
export function xorReadChanged(r: BitReader, f: XorField, w: number): boolean {
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
    if (leading + sig > 64) return false;
    f.leading = leading;
    f.trailing = 64 - leading - sig;
    ctrl = 13;
  }
  const trailing = f.trailing;
  const mbits = 64 - f.leading - trailing;
  let rHi = 0;
  let rLo: number;
  if (mbits <= 32 - ctrl) {
    // the significant bits are already in w
    rLo = (w << ctrl) >>> (32 - mbits);
    r.pos += ctrl + mbits;
  } else {
    r.pos += ctrl;
    if (mbits > 32) {
      rHi = r.readBits(mbits - 32);
      rLo = r.readBits32();
    } else if (mbits === 32) {
      rLo = r.readBits32();
    } else {
      rLo = r.readBits(mbits);
    }
  }
  if (trailing === 0) {
    f.hi ^= rHi;
    f.lo ^= rLo;
  } else if (trailing < 32) {
    f.hi ^= (rHi << trailing) | (rLo >>> (32 - trailing));
    f.lo ^= rLo << trailing;
  } else {
    f.hi ^= rLo << (trailing - 32);
  }
  f.value = floatFromBits(f.hi, f.lo);
  return true;
}
