import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter } from './bstream.js';
import { putVarbitInt, putVarbitUint, readVarbitInt, readVarbitUint } from './varbit.js';

// Bit lengths per value range, from Prometheus's varbit.go comments.
const signed: Array<[number, number]> = [
  [0, 1], [1, 5], [-3, 5], [4, 5], [-4, 9], [5, 9], [-31, 9], [32, 9], [33, 13], [-255, 13], [256, 13], [-256, 17],
  [2048, 17], [-2047, 17], [2049, 24], [131072, 24], [-131071, 24], [131073, 32], [16777216, 32], [-16777215, 32],
  [16777217, 64], [-16777216, 64], [2 ** 53 - 1, 64], [-(2 ** 53 - 1), 64],
];
const unsigned: Array<[number, number]> = [
  [0, 1], [7, 5], [8, 9], [63, 9], [64, 13], [511, 13], [512, 17], [4095, 17], [4096, 24], [262143, 24], [262144, 32],
  [33554431, 32], [33554432, 64], [2 ** 53 - 1, 64],
];

describe('varbit', () => {
  it.each(signed)('writes %d in %d bits and reads it back', (v, bits) => {
    const w = new BitWriter();
    w.writeBit(1); // misalign on purpose
    putVarbitInt(w, v);
    expect(w.bitLen - 1).toBe(bits);
    const r = new BitReader();
    r.reset(w.bytes(), 1);
    expect(readVarbitInt(r)).toBe(v);
    expect(r.pos).toBe(w.bitLen);
  });

  it.each(unsigned)('writes unsigned %d in %d bits and reads it back', (v, bits) => {
    const w = new BitWriter();
    putVarbitUint(w, v);
    expect(w.bitLen).toBe(bits);
    const r = new BitReader();
    r.reset(w.bytes(), 0);
    expect(readVarbitUint(r)).toBe(v);
  });

  it('uses the 9-byte form beyond 56 bits', () => {
    const w = new BitWriter();
    putVarbitInt(w, 2 ** 55 + 2 ** 20);
    expect(w.bitLen).toBe(72);
    expect(w.bytes()[0]).toBe(0xff);
  });
});
