import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../seeded-random.js';
import { XORChunk } from './xor.js';
import { useXORSeekCache, XORSeekCache } from './xor-seek-cache.js';

/** series builds one chunk's samples: 15 s steps with jitter, counter-like or gauge-like values. */
function samples(seed: number, n: number, t0 = 1_700_000_000_000): [number, number][] {
  const rnd = mulberry32(seed);
  const out: [number, number][] = [];
  let t = t0;
  let v = Math.floor(rnd() * 1e6);
  for (let i = 0; i < n; i++) {
    out.push([t, v]);
    t += 15_000 + (rnd() < 0.3 ? Math.floor(rnd() * 7) - 3 : 0);
    v = rnd() < 0.5 ? v + Math.floor(rnd() * 100) : rnd() * 1e4;
  }
  return out;
}

function chunkOf(s: readonly [number, number][]): XORChunk {
  const c = new XORChunk();
  const a = c.appender();
  for (const [t, v] of s) a.append(t, v);
  return c;
}

/** seekAll seeks a fresh iterator to t and reads the rest: what a reader sees. */
function seekAll(bytes: Uint8Array, t: number, numSamples?: number): [number, number][] {
  const it = new XORChunk(bytes).iterator();
  if (numSamples !== undefined) it.reset(bytes, bytes.length, numSamples);
  const out: [number, number][] = [];
  if (!it.seek(t)) return out;
  do out.push([it.atT(), it.atV()]);
  while (it.next());
  return out;
}

afterEach(() => useXORSeekCache(null));

describe('XORSeekCache', () => {
  it('seeks answer exactly as without the cache, for targets before, inside and past the chunk, repeated', () => {
    const s = samples(1, 120);
    const bytes = chunkOf(s).bytes().slice();
    const targets = [s[0]![0] - 1, s[0]![0], s[5]![0], s[40]![0] + 1, s[100]![0], s[100]![0] - 1, s[20]![0], s[119]![0], s[119]![0] + 1];
    const want = targets.map((t) => seekAll(bytes, t));
    const cache = new XORSeekCache(1 << 20);
    useXORSeekCache(cache);
    for (let round = 0; round < 3; round++) expect(targets.map((t) => seekAll(bytes, t))).toEqual(want);
    expect(cache.size).toBe(1);
  });

  it('a checkpoint taken on the open chunk serves it after more samples are appended, and a shorter read ignores it', () => {
    const s = samples(2, 120);
    const c = new XORChunk();
    const a = c.appender();
    for (const [t, v] of s.slice(0, 90)) a.append(t, v);
    const cache = new XORSeekCache(1 << 20);
    useXORSeekCache(cache);
    expect(seekAll(c.bytes().slice(), s[80]![0])).toEqual(s.slice(80, 90));
    for (const [t, v] of s.slice(90)) a.append(t, v);
    const grown = c.bytes().slice();
    expect(seekAll(grown, s[85]![0])).toEqual(s.slice(85));
    expect(seekAll(grown, s[100]![0])).toEqual(s.slice(100));
    // Reading only the first 50 samples of the grown chunk: the checkpoints past them must not be used.
    expect(seekAll(grown, s[45]![0], 50)).toEqual(s.slice(45, 50));
  });

  it('chunks that share their first bytes but differ later never take each other’s state', () => {
    const a = samples(3, 120);
    // Same first 30 samples, then other values: same key, different bits after the shared prefix.
    const b = a.map(([t, v], i): [number, number] => [t, i < 30 ? v : v * 3 + 1]);
    const ba = chunkOf(a).bytes().slice();
    const bb = chunkOf(b).bytes().slice();
    const cache = new XORSeekCache(1 << 20);
    useXORSeekCache(cache);
    for (let round = 0; round < 3; round++) {
      expect(seekAll(ba, a[100]![0])).toEqual(a.slice(100));
      expect(seekAll(bb, b[100]![0])).toEqual(b.slice(100));
      expect(seekAll(bb, b[20]![0])).toEqual(b.slice(20));
      expect(seekAll(ba, a[60]![0])).toEqual(a.slice(60));
    }
  });

  it('many chunks through a small cache stay correct (the cache starts over when full)', () => {
    const chunks = Array.from({ length: 200 }, (_, i) => samples(100 + i, 120, 1_700_000_000_000 + i * 1000));
    const bytes = chunks.map((s) => chunkOf(s).bytes().slice());
    const cache = new XORSeekCache(4096);
    useXORSeekCache(cache);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < chunks.length; i++) {
        expect(seekAll(bytes[i]!, chunks[i]![110]![0])).toEqual(chunks[i]!.slice(110));
        expect(seekAll(bytes[i]!, chunks[i]![115]![0])).toEqual(chunks[i]!.slice(115));
      }
    }
    expect(cache.size).toBeLessThan(200);
  });
});
