import { describe, expect, it } from 'vitest';
import { Slicer } from './slicer.js';
import { ExemplarStore } from './exemplar-store.js';
import { newMatcher } from '../model/matcher.js';
import { DecodeError, PbReader } from './pb.js';
import { PbWriter } from './pb-writer.js';

describe('PbReader', () => {
  it.each([0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 1_700_000_000_123, 2 ** 53 - 1, -1, -1000, -1_700_000_000_123])('int64 round-trips %d', (n) => {
    const r = new PbReader(new PbWriter().varint(n).finish());
    expect(r.int64()).toBe(n);
  });
  it('uint32 refuses values past 32 bits and truncated varints', () => {
    expect(() => new PbReader(new PbWriter().varint(2 ** 33).finish()).uint32()).toThrow(DecodeError);
    expect(() => new PbReader(new Uint8Array([0x80, 0x80])).uint32()).toThrow(DecodeError);
    expect(new PbReader(new PbWriter().varint(2 ** 32 - 1).finish()).uint32()).toBe(2 ** 32 - 1);
  });
  it('nextField walks to each field with the key, skipping others, then answers -1', () => {
    const buf = new PbWriter().uintField(1, 7).stringField(2, 'ab').doubleField(3, 1.5).stringField(2, 'xyz').uintField(4, 9).finish();
    const r = new PbReader(buf);
    const got: string[] = [];
    let e: number;
    while ((e = r.nextField(0x12, buf.length)) >= 0) {
      got.push(new TextDecoder().decode(buf.subarray(r.pos, e)));
      r.pos = e;
    }
    expect(got).toEqual(['ab', 'xyz']);
    expect(r.pos).toBe(buf.length);
    expect(() => new PbReader(new Uint8Array([0x12, 0x05, 0x61])).nextField(0x12, 3)).toThrow(DecodeError);
  });
});

describe('ExemplarStore', () => {
  it('is bounded, keeps per-series order and ignores exact repeats', async () => {
    const s = new ExemplarStore({ maxExemplarsPerWorkspace: 3 });
    const a = [{ name: '__name__', value: 'a' }];
    const tr = (id: string) => [{ name: 'trace_id', value: id }];
    expect(s.add('w', a, tr('1'), 1, 10)).toBe('added');
    expect(s.add('w', a, tr('1'), 1, 10)).toBe('duplicate');
    expect(s.add('w', a, tr('2'), 1, 5)).toBe('out_of_order');
    for (let t = 11; t <= 13; t++) s.add('w', a, tr(String(t)), t, t);
    const got = await s.query('w', 0, 100, [[newMatcher('=', '__name__', 'a')]]);
    expect(got[0]!.exemplars.map((e) => e.ts)).toEqual([11, 12, 13]);
    expect((await s.query('w', 12, 12, [[newMatcher('=', '__name__', 'a')]]))[0]!.exemplars).toHaveLength(1);
    expect(await s.query('other', 0, 100, [[newMatcher('=', '__name__', 'a')]])).toEqual([]);
  });

  it('answers a large query in slices with the same result', async () => {
    const s = new ExemplarStore({ maxExemplarsPerWorkspace: 5000 });
    for (let i = 0; i < 5000; i++) s.add('w', [{ name: '__name__', value: `m${i % 100}` }], [{ name: 'trace_id', value: String(i) }], i, 1000 + i);
    const sets = Array.from({ length: 50 }, (_, k) => [newMatcher('=', '__name__', `m${k * 2}`)]);
    const whole = await s.query('w', 0, Infinity, sets, new Slicer({ sliceMs: Infinity }));
    const slicer = new Slicer({ sliceMs: 0, checkEvery: 64 });
    const sliced = await s.query('w', 0, Infinity, sets, slicer);
    expect(sliced).toEqual(whole);
    expect(whole).toHaveLength(50);
    expect(slicer.pauses).toBeGreaterThan(10);
  });
});
