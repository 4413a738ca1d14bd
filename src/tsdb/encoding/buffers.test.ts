import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, EncodingError, grownBuffer } from './buffers.js';

describe('ByteWriter/ByteReader', () => {
  it('round-trips varints at the edges', () => {
    const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 52 - 1];
    const w = new ByteWriter(4);
    for (const v of values) {
      w.putUvarint(v);
      w.putVarint(v);
      w.putVarint(-v);
    }
    const r = new ByteReader(Buffer.from(w.bytes()));
    for (const v of values) {
      expect(r.uvarint()).toBe(v);
      expect(r.varint()).toBe(v);
      expect(r.varint()).toBe(v === 0 ? 0 : -v);
    }
    expect(r.remaining()).toBe(0);
  });
  it('encodes like Go', () => {
    const w = new ByteWriter();
    w.putUvarint(300);
    w.putVarint(-1);
    w.putBE64(0x010203040506);
    expect([...w.bytes()]).toEqual([0xac, 0x02, 0x01, 0, 0, 1, 2, 3, 4, 5, 6]);
  });
  it('round-trips strings, floats and fixed ints', () => {
    const w = new ByteWriter();
    w.putUvarintStr('héllo');
    w.putFloat64(-0.5);
    w.putBE32(0xdeadbeef);
    w.putBE64Signed(-1234567890123);
    const r = new ByteReader(Buffer.from(w.bytes()));
    expect(r.uvarintStr()).toBe('héllo');
    expect(r.float64()).toBe(-0.5);
    expect(r.be32()).toBe(0xdeadbeef);
    expect(r.be64Signed()).toBe(-1234567890123);
  });
  it('throws on truncated input', () => {
    expect(() => new ByteReader(Buffer.from([0x80])).uvarint()).toThrow(EncodingError);
    expect(() => new ByteReader(Buffer.from([1, 2])).be32()).toThrow(EncodingError);
  });
});

describe('grownBuffer', () => {
  it.each([
    [8, 3, 9, 16],
    [8, 8, 16, 16],
    [8, 5, 100, 128],
  ])('capacity %i holding %i bytes, needing %i, grows to %i and keeps the bytes', (cap, used, need, want) => {
    const buf = Buffer.alloc(cap);
    for (let i = 0; i < used; i++) buf[i] = i + 1;
    const got = grownBuffer(buf, used, need);
    expect(got.length).toBe(want);
    expect([...got.subarray(0, used)]).toEqual([...buf.subarray(0, used)]);
  });
});
