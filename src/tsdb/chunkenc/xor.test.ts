import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import { EncodingError } from '../encoding/buffers.js';
import { ENCODING_XOR, XORChunk, XORIterator, chunkFromSamples } from './xor.js';

const dv = new DataView(new ArrayBuffer(8));
const hexBits = (v: number): string => {
  dv.setFloat64(0, v);
  return dv.getBigUint64(0).toString(16).padStart(16, '0');
};
const fromBits = (hex: string): number => {
  dv.setBigUint64(0, BigInt('0x' + hex));
  return dv.getFloat64(0);
};

/** readAll decodes a chunk into timestamps and value bits (hex), so NaN payloads compare exactly. */
function readAll(c: XORChunk, it?: XORIterator): { ts: number[]; bits: string[] } {
  const iter = c.iterator(it);
  const ts: number[] = [];
  const bits: string[] = [];
  while (iter.next()) {
    ts.push(iter.atT());
    bits.push(hexBits(iter.atV()));
  }
  expect(iter.err()).toBeNull();
  return { ts, bits };
}

/** roundTrip checks that the samples come back bit for bit, through a fresh chunk and through its bytes. */
function roundTrip(ts: number[], vs: Float64Array): XORChunk {
  const c = chunkFromSamples(ts, vs);
  expect(c.numSamples()).toBe(ts.length);
  const want = { ts, bits: Array.from(vs, hexBits) };
  expect(readAll(c)).toEqual(want);
  expect(readAll(new XORChunk(c.bytes().slice()))).toEqual(want);
  return c;
}

const MAX = Number.MAX_SAFE_INTEGER;

describe('XORChunk basics', () => {
  it('a new chunk is empty: 2-byte zero header, encoding 1, no samples', () => {
    const c = new XORChunk();
    expect(c.encoding()).toBe(ENCODING_XOR);
    expect(Array.from(c.bytes())).toEqual([0, 0]);
    expect(c.numSamples()).toBe(0);
    expect(c.iterator().next()).toBe(false);
    expect(c.iterator().seek(0)).toBe(false);
  });

  it('rejects bytes shorter than the header', () => {
    expect(() => new XORChunk(new Uint8Array(1))).toThrow(EncodingError);
  });

  it('rejects non-integer timestamps and mismatched inputs', () => {
    const app = new XORChunk().appender();
    expect(() => app.append(1.5, 1)).toThrow(RangeError);
    expect(() => app.append(MAX + 1, 1)).toThrow(RangeError);
    expect(() => chunkFromSamples([1, 2], [1])).toThrow(RangeError);
  });

  it('throws when a chunk would exceed 65535 samples', () => {
    const c = new XORChunk();
    const app = c.appender();
    for (let i = 0; i < 0xffff; i++) app.append(i, 0);
    expect(c.numSamples()).toBe(0xffff);
    expect(() => app.append(0x10000, 0)).toThrow(RangeError);
    expect(c.numSamples()).toBe(0xffff);
  });
});

describe('round trips', () => {
  const edgeValues: [string, number][] = [
    ['0', 0],
    ['-0', -0],
    ['1', 1],
    ['-1', -1],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['NaN', NaN],
    ['stale', STALE_NAN],
    ['max', Number.MAX_VALUE],
    ['-max', -Number.MAX_VALUE],
    ['min subnormal', Number.MIN_VALUE],
    ['min normal', 2.2250738585072014e-308],
    ['epsilon', Number.EPSILON],
    ['1e300', 1e300],
    ['1e-300', 1e-300],
    ['pi', Math.PI],
    ['2^53', 2 ** 53],
    ['NaN payload 0x7ff8000000000001', fromBits('7ff8000000000001')],
    ['negative NaN 0xfff8000000000000', fromBits('fff8000000000000')],
    ['NaN payload 0x7ffdeadbeef00001', fromBits('7ffdeadbeef00001')],
  ];

  for (const n of [1, 2, 3, 120, 1000]) {
    it(`${n} samples of every edge value in turn, irregular intervals`, () => {
      const ts: number[] = [];
      const vs = new Float64Array(n);
      let t = 1_700_000_000_000;
      for (let i = 0; i < n; i++) {
        ts.push(t);
        vs[i] = edgeValues[(i * 7) % edgeValues.length]![1];
        t += [15_000, 1, 0, 30_000, 14_999, 1_000_000, 7][i % 7]!;
      }
      roundTrip(ts, vs);
    });
  }

  for (const [name, v] of edgeValues) {
    it(`value ${name} keeps its bits (alone, repeated, and after another value)`, () => {
      roundTrip([0], Float64Array.of(v));
      roundTrip([0, 1, 2], Float64Array.of(v, v, v));
      roundTrip([0, 1, 2, 3], Float64Array.of(1.5, v, 2.5, v));
    });
  }

  it('-0 keeps its sign and differs from 0 in the encoding', () => {
    const c = roundTrip([1, 2], Float64Array.of(0, -0));
    expect(c.bytes().length).toBeGreaterThan(chunkFromSamples([1, 2], [0, 0]).bytes().length);
    const it = c.iterator();
    it.next();
    it.next();
    expect(Object.is(it.atV(), -0)).toBe(true);
  });

  it('stale markers are stored as exactly 0x7ff0000000000002, even when V8 quieted them', () => {
    const quieted = fromBits('7ff8000000000002');
    expect(isStaleNaN(quieted)).toBe(true);
    for (const v of [STALE_NAN, quieted]) {
      const c = chunkFromSamples([5], Float64Array.of(v));
      // header (2) + zigzag varint of 5 (1 byte) + raw 64 bits
      expect(Buffer.from(c.bytes()).toString('hex')).toBe('00010a7ff0000000000002');
      const it = c.iterator();
      expect(it.next()).toBe(true);
      expect(isStaleNaN(it.atV())).toBe(true);
      expect(hexBits(it.atV())).toBe('7ff0000000000002');
    }
    // a stale marker after a normal value, then back
    const c = chunkFromSamples([1, 2, 3], Float64Array.of(1, quieted, 1));
    expect(readAll(c).bits).toEqual([hexBits(1), '7ff0000000000002', hexBits(1)]);
  });

  it('timestamps at the edges of the safe integer range', () => {
    const cases: number[][] = [
      [MAX, MAX],
      [-MAX, -MAX + 1, MAX],
      [0, MAX, -MAX, MAX, 0],
      [MAX - 3, MAX - 2, MAX - 1, MAX],
      [-MAX, MAX, MAX, -MAX],
      [1, 2, 2 + 2 ** 52, MAX, 4, -MAX, -MAX + 2 ** 52],
    ];
    for (const ts of cases) roundTrip(ts, new Float64Array(ts.length).fill(1));
  });

  it('huge negative and positive deltas that need the 64-bit bucket', () => {
    const ts = [1_000, 2_000, 2_000 + 10_000_000_000, 1_000, -5_000_000_000_000, 1_700_000_000_000, 1_700_000_000_001];
    roundTrip(ts, new Float64Array(ts.length).fill(3));
  });
});

describe('delta-of-delta buckets (Prometheus bitRange boundaries)', () => {
  // Samples t = 0, 1000, 2000 + dod: the third sample starts at a known bit offset.
  // bytes: header(2) + varint 0 (1) + 64 bits (8) + uvarint 1000 (2) + '0' for the equal value.
  const startBit = (2 + 1 + 8 + 2) * 8 + 1;
  const bitString = (b: Uint8Array): string => Array.from(b, (x) => x.toString(2).padStart(8, '0')).join('');
  const cases: [number, string, number][] = [
    [0, '0', 0],
    [1, '10', 14],
    [-1, '10', 14],
    [8192, '10', 14],
    [-8191, '10', 14],
    [8193, '110', 17],
    [-8192, '110', 17],
    [65536, '110', 17],
    [-65535, '110', 17],
    [65537, '1110', 20],
    [-65536, '1110', 20],
    [524288, '1110', 20],
    [-524287, '1110', 20],
    [524289, '1111', 64],
    [-524288, '1111', 64],
    [2 ** 40, '1111', 64],
    [-(2 ** 40), '1111', 64],
  ];
  for (const [dod, prefix, width] of cases) {
    it(`dod ${dod} uses prefix ${prefix} and ${width} bits`, () => {
      const c = roundTrip([0, 1000, 2000 + dod], Float64Array.of(7, 7, 7));
      const bits = bitString(c.bytes()).slice(startBit);
      expect(bits.startsWith(prefix)).toBe(true);
      if (width > 0) {
        const field = bits.slice(prefix.length, prefix.length + width);
        // Prometheus's sign rule: values above 2^(width-1) are negative (so 2^(width-1) itself is positive).
        let got = BigInt('0b' + field);
        if (width < 64 && got > 1n << BigInt(width - 1)) got -= 1n << BigInt(width);
        if (width === 64) got = BigInt.asIntN(64, got);
        expect(got).toBe(BigInt(dod));
        // then '0' for the unchanged value, then zero padding
        expect(/^0*$/.test(bits.slice(prefix.length + width))).toBe(true);
      }
    });
  }
});

describe('appender on re-opened chunks', () => {
  const ts = Array.from({ length: 300 }, (_, i) => 1_000_000 + i * 15_000 + (i % 5) * 3);
  const vs = Float64Array.from(ts, (_, i) => (i % 9 === 0 ? STALE_NAN : Math.sin(i) * 1000));

  for (const cut of [0, 2, 3, 7, 120, 299]) {
    it(`writing ${cut} samples, re-opening from bytes and appending the rest gives the same bytes`, () => {
      const whole = chunkFromSamples(ts, vs);
      const first = chunkFromSamples(ts.slice(0, cut), vs.subarray(0, cut));
      const reopened = new XORChunk(first.bytes().slice());
      const app = reopened.appender();
      for (let i = cut; i < ts.length; i++) app.append(ts[i]!, vs[i]!);
      expect(Buffer.from(reopened.bytes()).equals(Buffer.from(whole.bytes()))).toBe(true);
      expect(readAll(reopened)).toEqual(readAll(whole));
    });
  }

  it('re-opening after exactly one sample continues like Prometheus (window reset) and decodes', () => {
    const first = chunkFromSamples([10], Float64Array.of(1.25));
    const reopened = new XORChunk(first.bytes().slice());
    const app = reopened.appender();
    app.append(20, 3.75);
    app.append(30, 3.5);
    expect(readAll(reopened)).toEqual({ ts: [10, 20, 30], bits: [1.25, 3.75, 3.5].map(hexBits) });
  });

  it('does not write into the wrapped bytes', () => {
    const data = chunkFromSamples([1, 2, 3], [1, 2, 3]).bytes().slice();
    const copy = data.slice();
    const c = new XORChunk(data);
    c.appender().append(4, 4);
    expect(data).toEqual(copy);
    expect(c.numSamples()).toBe(4);
    expect(readAll(c).ts).toEqual([1, 2, 3, 4]);
  });

  it('an appender can be taken again on a live chunk and continue', () => {
    const c = new XORChunk();
    c.appender().append(1, 1);
    c.appender().append(2, 2);
    c.appender().append(3, 4);
    expect(readAll(c).ts).toEqual([1, 2, 3]);
    expect(readAll(c).bits).toEqual([1, 2, 4].map(hexBits));
  });

  it('re-opening corrupt bytes throws EncodingError', () => {
    const bytes = chunkFromSamples([1, 2, 3], [1, 2, 3]).bytes().slice();
    bytes[1] = 50; // claims 50 samples
    expect(() => new XORChunk(bytes).appender()).toThrow(EncodingError);
  });
});

describe('iterator', () => {
  const ts = [100, 200, 300, 400, 500];
  const c = chunkFromSamples(ts, [1, 2, 3, 4, 5]);

  const seekCases: [number, number | null][] = [
    [-1e15, 100],
    [100, 100],
    [101, 200],
    [300, 300],
    [499, 500],
    [500, 500],
    [501, null],
  ];
  for (const [t, want] of seekCases) {
    it(`seek(${t}) on a fresh iterator lands on ${want}`, () => {
      const it = c.iterator();
      expect(it.seek(t)).toBe(want !== null);
      if (want !== null) {
        expect(it.atT()).toBe(want);
        expect(it.atV()).toBe(want / 100);
        // seek stopped there: next gives the following sample
        const i = ts.indexOf(want);
        expect(it.next()).toBe(i + 1 < ts.length);
        if (i + 1 < ts.length) expect(it.atT()).toBe(ts[i + 1]);
      }
    });
  }

  it('seek never moves backwards and stays put when already there', () => {
    const it = c.iterator();
    expect(it.seek(300)).toBe(true);
    expect(it.seek(100)).toBe(true);
    expect(it.atT()).toBe(300);
    expect(it.seek(300)).toBe(true);
    expect(it.atT()).toBe(300);
    expect(it.next()).toBe(true);
    expect(it.atT()).toBe(400);
  });

  it('after the end, next and seek return false', () => {
    const it = c.iterator();
    while (it.next());
    expect(it.next()).toBe(false);
    expect(it.seek(0)).toBe(false);
    expect(it.seek(600)).toBe(false);
  });

  it('is a snapshot: samples appended after creation are not seen, across buffer growth too', () => {
    const live = new XORChunk();
    const app = live.appender();
    for (let i = 0; i < 10; i++) app.append(i * 1000, i * 1.5);
    const it = live.iterator();
    expect(it.next()).toBe(true);
    for (let i = 10; i < 2000; i++) app.append(i * 1000 + (i % 3), Math.random());
    let n = 1;
    while (it.next()) {
      expect(it.atT()).toBe(n * 1000);
      expect(it.atV()).toBe(n * 1.5);
      n++;
    }
    expect(n).toBe(10);
    expect(it.err()).toBeNull();
    expect(live.numSamples()).toBe(2000);
    expect(readAll(live).ts.length).toBe(2000);
  });

  it('reuse resets the given iterator onto another chunk', () => {
    const it = c.iterator();
    it.next();
    it.next();
    const other = chunkFromSamples([7, 8], [70, 80]);
    const again = other.iterator(it);
    expect(again).toBe(it);
    expect(readAll(other, it)).toEqual({ ts: [7, 8], bits: [70, 80].map(hexBits) });
  });

  it('reads chunk bytes that are a view at an offset into a larger buffer', () => {
    const ts = Array.from({ length: 200 }, (_, i) => i * 15_000 + (i % 4));
    const vs = Float64Array.from(ts, (t) => t / 7);
    const bytes = chunkFromSamples(ts, vs).bytes();
    const big = new Uint8Array(bytes.length + 13).fill(0xff);
    big.set(bytes, 5);
    const view = new XORChunk(big.subarray(5, 5 + bytes.length));
    expect(readAll(view)).toEqual({ ts, bits: Array.from(vs, hexBits) });
  });

  it('truncated bytes stop with an EncodingError, never garbage', () => {
    const full = chunkFromSamples(
      Array.from({ length: 50 }, (_, i) => i * 15_000),
      Array.from({ length: 50 }, (_, i) => Math.sqrt(i)),
    ).bytes();
    for (const len of [2, 3, 5, 11, 20, full.length - 1]) {
      const it = new XORChunk(full.slice(0, len)).iterator();
      let n = 0;
      while (it.next()) n++;
      expect(n).toBeLessThan(50);
      expect(it.err()).toBeInstanceOf(EncodingError);
    }
  });

  it('a corrupt significant-bit count is reported', () => {
    // sample 1 header: '1' '1' leading=31 (11111) sig=63 (111111) -> 31 + 63 > 64
    const bytes = chunkFromSamples([0, 1], [0, 1]).bytes().slice();
    const bits = Array.from(bytes, (x) => x.toString(2).padStart(8, '0')).join('');
    const off = (2 + 1 + 8 + 1) * 8;
    const corrupt = bits.slice(0, off) + '11' + '11111' + '111111' + '0'.repeat(64);
    const out = new Uint8Array(Math.ceil(corrupt.length / 8));
    for (let i = 0; i < out.length; i++) out[i] = parseInt(corrupt.slice(i * 8, i * 8 + 8).padEnd(8, '0'), 2);
    const it = new XORChunk(out).iterator();
    expect(it.next()).toBe(true);
    expect(it.next()).toBe(false);
    expect(it.err()?.message).toMatch(/leading/);
  });
});

describe('compact', () => {
  it('keeps the bytes and still allows appending', () => {
    const c = chunkFromSamples([1, 2, 3], [1, 2, 3]);
    const before = c.bytes().slice();
    c.compact();
    expect(c.bytes()).toEqual(before);
    c.appender().append(4, 5);
    expect(readAll(c).ts).toEqual([1, 2, 3, 4]);
  });
});
