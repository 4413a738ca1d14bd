import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { ByteAliases } from './aliases.js';
import { hashBytes, hashView } from './hash.js';
import { Head } from './head.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('hashBytes', () => {
  it('matches MurmurHash3 x86_32 reference values', () => {
    // reference values for seed 0 from the canonical implementation
    const table: [string, number, number][] = [
      ['', 0, 0],
      ['', 1, 0x514e28b7],
      ['a', 0x9747b28c, 0x7fa09ea6],
      ['abc', 0, 0xb3dd93fa],
      ['Hello, world!', 0x9747b28c, 0x24884cba],
      ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ];
    for (const [s, seed, want] of table) expect(hashBytes(enc(s), 0, enc(s).length, seed) >>> 0, s).toBe(want);
  });

  it('gives the same hash through a DataView, at any offset and length', () => {
    const b = enc('0123456789abcdefghij');
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let s = 0; s < 5; s++) for (let e = s; e <= b.length; e++) expect(hashView(dv, s, e)).toBe(hashBytes(b, s, e));
  });

  it('hashes only the given range', () => {
    const b = enc('xxabcxx');
    expect(hashBytes(b, 2, 5)).toBe(hashBytes(enc('abc'), 0, 3));
  });
});

describe('ByteAliases', () => {
  it('finds stored keys, misses others, verifies bytes on hash collision', () => {
    const a = new ByteAliases();
    const buf = enc('__namexupyjobxnode');
    a.set(buf, 0, 6, 1);
    a.set(buf, 6, 12, 2);
    expect(a.get(buf, 0, 6)).toBe(1);
    expect(a.get(enc('__name'), 0, 6)).toBe(1);
    expect(a.get(buf, 6, 12)).toBe(2);
    expect(a.get(buf, 0, 5)).toBe(0);
    expect(a.get(enc('__namf'), 0, 6)).toBe(0);
    a.set(buf, 0, 6, 7);
    expect(a.get(buf, 0, 6)).toBe(7);
    expect(a.size).toBe(2);
  });

  it('grows, retains and still answers', () => {
    const a = new ByteAliases();
    const keys: Uint8Array[] = [];
    for (let i = 1; i <= 20000; i++) {
      const k = enc(`series-${i}-${'x'.repeat(i % 50)}`);
      keys.push(k);
      a.set(k, 0, k.length, i);
    }
    for (let i = 1; i <= 20000; i++) expect(a.get(keys[i - 1]!, 0, keys[i - 1]!.length)).toBe(i);
    expect(a.retain((ref) => ref % 2 === 0)).toBe(10000);
    for (let i = 1; i <= 20000; i++) expect(a.get(keys[i - 1]!, 0, keys[i - 1]!.length)).toBe(i % 2 === 0 ? i : 0);
  });

  it('compares bytes when two different keys land on the same hash', () => {
    // Keys whose hashes share the low 20 bits share a probe chain in the table: lookups must
    // compare bytes (and full hashes) rather than trust the slot.
    const a = new ByteAliases();
    const seen = new Map<number, Uint8Array>();
    let pair: [Uint8Array, Uint8Array] | null = null;
    for (let i = 0; i < 1 << 22 && pair === null; i++) {
      const k = new Uint8Array([i & 0xff, (i >>> 8) & 0xff, (i >>> 16) & 0xff, 7, 9]);
      const h = hashBytes(k, 0, 5) & 0xfffff; // collide on the low 20 bits to share probe chains
      const prev = seen.get(h);
      if (prev) pair = [prev, k];
      else seen.set(h, k);
    }
    expect(pair).not.toBeNull();
    const [x, y] = pair!;
    a.set(x, 0, 5, 11);
    expect(a.get(y, 0, 5)).toBe(0);
    a.set(y, 0, 5, 12);
    expect(a.get(x, 0, 5)).toBe(11);
    expect(a.get(y, 0, 5)).toBe(12);
  });
});

describe('Head fast path', () => {
  it('resolves registered bytes to the ref without labels, and drops aliases of truncated series', async () => {
    const h = new Head();
    const bytesA = enc('\x0a\x08__name__\x12\x02upA');
    const bytesB = enc('\x0a\x08__name__\x12\x02upB');
    const a = h.appender();
    expect(a.refForBytes(bytesA, 0, bytesA.length)).toBe(0);
    const ra = a.append(0, labelsFromRecord({ __name__: 'upA' }), 1000, 1);
    a.registerBytes(bytesA, 0, bytesA.length, ra);
    const rb = a.append(0, labelsFromRecord({ __name__: 'upB' }), 5000, 1);
    a.registerBytes(bytesB, 0, bytesB.length, rb);
    await a.commit();
    const b = h.appender();
    expect(b.refForBytes(bytesA, 0, bytesA.length)).toBe(ra);
    expect(b.refForBytes(bytesB, 0, bytesB.length)).toBe(rb);
    const copy = new Uint8Array(bytesA.length + 3);
    copy.set(bytesA, 3);
    expect(b.refForBytes(copy, 3, copy.length)).toBe(ra);
    b.rollback();
    expect(h.truncate(2000).removedSeries).toBe(1);
    const c = h.appender();
    expect(c.refForBytes(bytesA, 0, bytesA.length)).toBe(0);
    expect(c.refForBytes(bytesB, 0, bytesB.length)).toBe(rb);
    expect(h.stats().numAliases).toBe(1);
  });
});
