import { describe, expect, it } from 'vitest';
import { XORChunk, chunkFromSamples } from './xor.js';
import { mulberry32 } from '../seeded-random.js';

// A slow, independent reference encoder for tests: a literal transcription of the rules of
// Prometheus's xor.go onto bigint arithmetic and strings of '0'/'1', sharing no code with xor.ts.

/** refEncodeXOR encodes samples (timestamps and raw 64-bit value bits as bigints) the way xor.go does. */
function refEncodeXOR(ts: readonly bigint[], vbits: readonly bigint[]): Uint8Array {
  let bits = '';
  const put = (x: bigint, n: number): void => {
    bits += BigInt.asUintN(n, x).toString(2).padStart(n, '0');
  };
  const putUvarint = (x: bigint): void => {
    let u = BigInt.asUintN(64, x);
    while (u >= 0x80n) {
      put((u & 0x7fn) | 0x80n, 8);
      u >>= 7n;
    }
    put(u, 8);
  };
  const clz64 = (x: bigint): number => 64 - x.toString(2).length;
  const ctz64 = (x: bigint): number => {
    let n = 0;
    while (((x >> BigInt(n)) & 1n) === 0n) n++;
    return n;
  };
  const inRange = (x: bigint, n: number): boolean => -((1n << BigInt(n - 1)) - 1n) <= x && x <= 1n << BigInt(n - 1);

  let prevT = 0n;
  let prevDelta = 0n; // as uint64
  let prevV = 0n;
  let lead = 0xff;
  let trail = 0;
  const putValue = (v: bigint): void => {
    const x = v ^ prevV;
    if (x === 0n) {
      put(0n, 1);
      return;
    }
    put(1n, 1);
    let l = clz64(x);
    const tr = ctz64(x);
    if (l >= 32) l = 31;
    if (lead !== 0xff && l >= lead && tr >= trail) {
      put(0n, 1);
      put(x >> BigInt(trail), 64 - lead - trail);
    } else {
      lead = l;
      trail = tr;
      put(1n, 1);
      put(BigInt(l), 5);
      const sig = 64 - l - tr;
      put(BigInt(sig), 6); // 64 wraps to 0 in 6 bits
      put(x >> BigInt(tr), sig);
    }
  };

  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const v = vbits[i]!;
    if (i === 0) {
      putUvarint((t << 1n) ^ (t >> 63n));
      put(v, 64);
    } else if (i === 1) {
      prevDelta = BigInt.asUintN(64, t - prevT);
      putUvarint(prevDelta);
      putValue(v);
    } else {
      const delta = BigInt.asUintN(64, t - prevT);
      const dod = BigInt.asIntN(64, delta - prevDelta);
      if (dod === 0n) put(0n, 1);
      else if (inRange(dod, 14)) (put(0b10n, 2), put(dod, 14));
      else if (inRange(dod, 17)) (put(0b110n, 3), put(dod, 17));
      else if (inRange(dod, 20)) (put(0b1110n, 4), put(dod, 20));
      else (put(0b1111n, 4), put(dod, 64));
      prevDelta = delta;
      putValue(v);
    }
    prevT = t;
    prevV = v;
  }
  bits = BigInt(ts.length).toString(2).padStart(16, '0') + bits;
  while (bits.length % 8 !== 0) bits += '0';
  const out = new Uint8Array(bits.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return out;
}

const dv = new DataView(new ArrayBuffer(8));
const bitsOf = (v: number): bigint => {
  dv.setFloat64(0, v);
  return dv.getBigUint64(0);
};

type Gen = (rnd: () => number, n: number) => { ts: number[]; vs: Float64Array };

const MAX = Number.MAX_SAFE_INTEGER;
const gens: Record<string, Gen> = {
  'scrape 15s with jitter, counter': (rnd, n) => {
    const ts: number[] = [];
    const vs = new Float64Array(n);
    let t = 1_700_000_000_000;
    let v = 0;
    for (let i = 0; i < n; i++) {
      ts.push(t);
      vs[i] = v;
      t += 15_000 + Math.floor((rnd() - 0.5) * 40);
      v += Math.floor(rnd() * 1000);
    }
    return { ts, vs };
  },
  'gauge floats, irregular intervals of every bucket': (rnd, n) => {
    const ts: number[] = [];
    const vs = new Float64Array(n);
    let t = -5_000_000;
    for (let i = 0; i < n; i++) {
      ts.push(t);
      vs[i] = rnd() < 0.3 ? vs[i - 1] ?? 0 : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 10);
      const scale = [1, 100, 10_000, 100_000, 1_000_000, 1e9][Math.floor(rnd() * 6)]!;
      t += Math.floor(rnd() * scale);
    }
    return { ts, vs };
  },
  'raw random bit patterns (NaN payloads, subnormals, infinities)': (rnd, n) => {
    const ts: number[] = [];
    const vs = new Float64Array(n);
    const u = new Uint32Array(vs.buffer);
    for (let i = 0; i < n; i++) {
      ts.push(i * 1000);
      u[2 * i] = Math.floor(rnd() * 2 ** 32);
      u[2 * i + 1] = rnd() < 0.5 ? Math.floor(rnd() * 2 ** 32) : u[Math.max(0, 2 * i - 1)]! ^ (1 << Math.floor(rnd() * 32));
    }
    return { ts, vs };
  },
  'huge timestamps jumping across the safe range (64-bit dod, unsorted)': (rnd, n) => {
    const ts: number[] = [];
    const vs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ts.push(Math.floor((rnd() * 2 - 1) * MAX));
      vs[i] = i;
    }
    return { ts, vs };
  },
};

describe('XOR chunks match an independent reference encoder of xor.go', () => {
  it('golden bytes for (1000,1),(2000,1),(3000,2), hand-derived from xor.go', () => {
    // 0003: count | d00f: zigzag varint of 1000 | 3ff0...: raw bits of 1.0 | e807: uvarint delta 1000
    // then bits: 0 (same value) 0 (dod 0) 11 00001 001011 11111111111 (xor 0x7ff0.. with 1 leading,
    // 11 significant bits) padded: 0011 0000 | 1001 0111 | 1111 1111 | 11 000000
    const golden = '0003d00f3ff0000000000000e8073097ffc0';
    const c = chunkFromSamples([1000, 2000, 3000], [1, 1, 2]);
    expect(Buffer.from(c.bytes()).toString('hex')).toBe(golden);
    expect(Buffer.from(refEncodeXOR([1000n, 2000n, 3000n], [bitsOf(1), bitsOf(1), bitsOf(2)])).toString('hex')).toBe(golden);
  });

  for (const [name, gen] of Object.entries(gens)) {
    it(`random: ${name}`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const rnd = mulberry32(seed);
        const n = 1 + Math.floor(rnd() * 300);
        const { ts, vs } = gen(rnd, n);
        const c = chunkFromSamples(ts, vs);
        const ref = refEncodeXOR(
          ts.map((t) => BigInt(t)),
          Array.from({ length: n }, (_, i) => bitsOf(vs[i]!)),
        );
        expect(Buffer.from(c.bytes()).toString('hex'), `seed ${seed}`).toBe(Buffer.from(ref).toString('hex'));
        // and the reference bytes decode back to the input, bit for bit
        const it = new XORChunk(ref).iterator();
        const got = new Float64Array(n);
        let i = 0;
        while (it.next()) {
          expect(it.atT()).toBe(ts[i]);
          got[i++] = it.atV();
        }
        expect(it.err()).toBeNull();
        expect(i).toBe(n);
        expect(Buffer.from(got.buffer).equals(Buffer.from(vs.buffer))).toBe(true);
      }
    });
  }
});

describe('chunks with int64 timestamps beyond the safe integer range (written by other tools)', () => {
  const big = 2n ** 62n;
  const ts = [big, big + 1000n, big + 2000n, 5n];
  const vbits = ts.map(() => bitsOf(1));

  it('decode, rounding only the unsafe timestamps', () => {
    const it = new XORChunk(refEncodeXOR(ts, vbits)).iterator();
    const got: number[] = [];
    while (it.next()) got.push(it.atT());
    expect(it.err()).toBeNull();
    expect(got).toEqual([Number(big), Number(big + 1000n), Number(big + 2000n), 5]);
  });

  it('refuse an appender while the last timestamp is unsafe', () => {
    expect(() => new XORChunk(refEncodeXOR(ts.slice(0, 3), vbits.slice(0, 3))).appender()).toThrow(RangeError);
  });

  it('continue exactly after an unsafe delta once the last timestamp is safe again', () => {
    // Distinct values, so a leading/trailing window exists before the re-open (see XORChunk.appender).
    const vs = ts.map((_, i) => bitsOf(i + 0.5));
    const c = new XORChunk(refEncodeXOR(ts, vs));
    const app = c.appender();
    app.append(6, 1);
    app.append(7, 2);
    const want = refEncodeXOR([...ts, 6n, 7n], [...vs, bitsOf(1), bitsOf(2)]);
    expect(Buffer.from(c.bytes()).toString('hex')).toBe(Buffer.from(want).toString('hex'));
  });
});
