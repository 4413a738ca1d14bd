import { describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsToString } from '../../model/labels.js';
import type { Labels } from '../../model/labels.js';
import { STALE_NAN, isStaleNaN } from '../../model/sample.js';
import { ENCODING_XOR, XORChunk, chunkFromSamples } from '../chunkenc/xor.js';
import { mergeChunkSeries, normalizeIntervals } from './merge-chunks.js';
import type { ChunkData, ChunkSeries } from '../block/writer.js';
import type { DeletedInterval } from './merge-chunks.js';

type S = [number, number];

function chunk(samples: readonly S[]): ChunkData {
  const c = chunkFromSamples(
    samples.map((s) => s[0]),
    samples.map((s) => s[1]),
  );
  return { mint: samples[0]![0], maxt: samples[samples.length - 1]![0], encoding: ENCODING_XOR, data: c.bytes().slice() };
}

/** ts builds samples whose value is the timestamp plus an offset (to tell sources apart). */
function ts(times: readonly number[], off = 0): S[] {
  return times.map((t) => [t, t + off]);
}

function series(labels: Record<string, string>, chunks: S[][]): ChunkSeries {
  return { labels: labelsFromRecord(labels), chunks: chunks.map(chunk) };
}

function decode(c: ChunkData): S[] {
  const it = new XORChunk(c.data).iterator();
  const out: S[] = [];
  while (it.next()) out.push([it.atT(), it.atV()]);
  expect(it.err()).toBeNull();
  return out;
}

/** view prints the merge result as label string -> chunks of samples, checking chunk metadata on the way. */
function view(out: Iterable<ChunkSeries>): [string, S[][]][] {
  return [...out].map((s) => [
    labelsToString(s.labels),
    s.chunks.map((c) => {
      const samples = decode(c);
      expect(c.encoding).toBe(ENCODING_XOR);
      expect(c.mint).toBe(samples[0]![0]);
      expect(c.maxt).toBe(samples[samples.length - 1]![0]);
      return samples;
    }),
  ]);
}

describe('mergeChunkSeries', () => {
  const cases: { name: string; sources: ChunkSeries[][]; want: [string, S[][]][]; opts?: { mint?: number; maxt?: number } }[] = [
    { name: 'no sources', sources: [], want: [] },
    { name: 'series without chunks are dropped', sources: [[series({ a: 'b' }, [])]], want: [] },
    {
      name: 'single source passes through',
      sources: [[series({ a: 'b' }, [ts([0, 10]), ts([11, 20])])]],
      want: [['{a="b"}', [ts([0, 10]), ts([11, 20])]]],
    },
    {
      name: 'two sources, adjacent chunks concatenate',
      sources: [
        [series({ a: 'b' }, [ts([0, 10]), ts([11, 20])]), series({ a: 'c' }, [ts([1, 9]), ts([10, 19])])],
        [series({ a: 'b' }, [ts([21, 30])]), series({ a: 'c' }, [ts([40, 45])])],
      ],
      want: [
        ['{a="b"}', [ts([0, 10]), ts([11, 20]), ts([21, 30])]],
        ['{a="c"}', [ts([1, 9]), ts([10, 19]), ts([40, 45])]],
      ],
    },
    {
      name: 'negative times',
      sources: [[series({ a: 'c' }, [ts([-11, -9]), ts([10, 19])])], [series({ a: 'c' }, [ts([40, 45])])]],
      want: [['{a="c"}', [ts([-11, -9]), ts([10, 19]), ts([40, 45])]]],
    },
    {
      name: 'series interleave into label order',
      sources: [
        [series({ a: '3' }, [ts([5, 6])]), series({ a: '4' }, [ts([5, 7])]), series({ a: 'same' }, [ts([1, 4])])],
        [series({ a: '1' }, [ts([1, 2])]), series({ a: '2' }, [ts([1, 3])]), series({ a: 'same' }, [ts([5, 8])])],
      ],
      want: [
        ['{a="1"}', [ts([1, 2])]],
        ['{a="2"}', [ts([1, 3])]],
        ['{a="3"}', [ts([5, 6])]],
        ['{a="4"}', [ts([5, 7])]],
        ['{a="same"}', [ts([1, 4]), ts([5, 8])]],
      ],
    },
    {
      name: '1:1 duplicated chunks collapse',
      sources: [
        [series({ a: '1' }, [ts([1, 2]), ts([3, 4])]), series({ a: '2' }, [ts([-3, -2]), ts([1, 3, 4]), ts([5, 6])])],
        [series({ a: '1' }, [ts([3, 4])]), series({ a: '2' }, [ts([1, 3, 4]), ts([7, 8])])],
      ],
      want: [
        ['{a="1"}', [ts([1, 2]), ts([3, 4])]],
        ['{a="2"}', [ts([-3, -2]), ts([1, 3, 4]), ts([5, 6]), ts([7, 8])]],
      ],
    },
    {
      name: 'overlapping chunks are merged; first source wins duplicates',
      sources: [
        [series({ a: 'b' }, [ts([1, 2]), ts([10, 20], 100)])],
        [series({ a: 'b' }, [ts([10, 15, 20, 25], 200)])],
      ],
      want: [['{a="b"}', [ts([1, 2]), [[10, 110], [15, 215], [20, 120], [25, 225]]]]],
    },
    {
      name: 'three overlapping sources chain into one run',
      sources: [
        [series({ a: 'x' }, [ts([19, 30])])],
        [series({ a: 'x' }, [ts([0, 10, 11, 20])])],
        [series({ a: 'x' }, [ts([27, 35])])],
      ],
      want: [['{a="x"}', [ts([0, 10, 11, 19, 20, 27, 30, 35])]]],
    },
    {
      name: 'mint/maxt trim chunks that cross the bounds (inclusive)',
      sources: [[series({ a: 'b' }, [ts([1, 2]), ts([10, 30])])]],
      opts: { mint: 0, maxt: 19 },
      want: [['{a="b"}', [ts([1, 2]), ts([10])]]],
    },
    {
      name: 'chunks wholly outside mint/maxt are dropped, series with nothing left omitted',
      sources: [[series({ a: 'b' }, [ts([1, 2]), ts([10, 20])]), series({ a: 'c' }, [ts([30, 40])])]],
      opts: { mint: 0, maxt: 9 },
      want: [['{a="b"}', [ts([1, 2])]]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(view(mergeChunkSeries(c.sources, c.opts ?? {}))).toEqual(c.want);
    });
  }

  it('passes non-overlapping chunks through without re-encoding (same objects)', () => {
    const a = series({ a: 'b' }, [ts([0, 10]), ts([11, 20])]);
    const b = series({ a: 'b' }, [ts([21, 30])]);
    const [out] = [...mergeChunkSeries([[a], [b]])];
    expect(out!.chunks[0]).toBe(a.chunks[0]);
    expect(out!.chunks[1]).toBe(a.chunks[1]);
    expect(out!.chunks[2]).toBe(b.chunks[0]);
  });

  it('passes chunks of unknown encodings through when they need no re-encoding, refuses to re-encode them', () => {
    const odd: ChunkData = { mint: 0, maxt: 5, encoding: 7, data: new Uint8Array([1, 2, 3]) };
    const s: ChunkSeries = { labels: labelsFromRecord({ a: 'b' }), chunks: [odd] };
    expect([...mergeChunkSeries([[s]])][0]!.chunks[0]).toBe(odd);
    const other = series({ a: 'b' }, [ts([3, 4])]);
    expect(() => [...mergeChunkSeries([[s], [other]])]).toThrow(/unknown chunk encoding 7/);
  });

  it('re-encodes merged samples into chunks of at most samplesPerChunk', () => {
    const even: S[] = [];
    const odd: S[] = [];
    for (let t = 0; t < 300; t++) (t % 2 === 0 ? even : odd).push([t * 1000, t]);
    const out = view(mergeChunkSeries([[series({ a: 'b' }, [even])], [series({ a: 'b' }, [odd])]]));
    expect(out[0]![1].map((c) => c.length)).toEqual([120, 120, 60]);
    expect(out[0]![1].flat()).toEqual(Array.from({ length: 300 }, (_, t) => [t * 1000, t]));
    const small = view(mergeChunkSeries([[series({ a: 'b' }, [even])], [series({ a: 'b' }, [odd])]], { samplesPerChunk: 100 }));
    expect(small[0]![1].map((c) => c.length)).toEqual([100, 100, 100]);
  });

  describe('tombstones', () => {
    const del = (bySrc: Record<number, DeletedInterval[]>) => (src: number, labels: Labels) =>
      labelsToString(labels) === '{a="b"}' ? (bySrc[src] ?? []) : [];
    const cases: { name: string; sources: ChunkSeries[][]; deleted: Record<number, DeletedInterval[]>; want: [string, S[][]][] }[] = [
      {
        name: 'deleted range inside a chunk re-encodes it',
        sources: [[series({ a: 'b' }, [ts([1, 2, 3, 4, 5])]), series({ a: 'c' }, [ts([1, 2, 3])])]],
        deleted: { 0: [{ mint: 2, maxt: 3 }] },
        want: [
          ['{a="b"}', [ts([1, 4, 5])]],
          ['{a="c"}', [ts([1, 2, 3])]],
        ],
      },
      {
        name: 'chunk wholly deleted is dropped without decoding',
        sources: [[series({ a: 'b' }, [ts([1, 2]), ts([10, 20])])]],
        deleted: { 0: [{ mint: 5, maxt: 25 }] },
        want: [['{a="b"}', [ts([1, 2])]]],
      },
      {
        name: 'whole series deleted is omitted',
        sources: [[series({ a: 'b' }, [ts([1, 2]), ts([10, 20])])]],
        deleted: { 0: [{ mint: -Infinity, maxt: Infinity }] },
        want: [],
      },
      {
        name: 'touching intervals cover a chunk together',
        sources: [[series({ a: 'b' }, [ts([10, 15, 20])])]],
        deleted: { 0: [{ mint: 10, maxt: 14 }, { mint: 15, maxt: 20 }] },
        want: [],
      },
      {
        name: 'tombstones apply to their own source only',
        sources: [[series({ a: 'b' }, [ts([1, 2, 3], 100)])], [series({ a: 'b' }, [ts([2, 3, 4], 200)])]],
        deleted: { 0: [{ mint: 2, maxt: 2 }] },
        want: [['{a="b"}', [[[1, 101], [2, 202], [3, 103], [4, 204]]]]],
      },
      {
        name: 'interval not touching any chunk leaves chunks untouched',
        sources: [[series({ a: 'b' }, [ts([1, 2]), ts([10, 20])])]],
        deleted: { 0: [{ mint: 3, maxt: 9 }] },
        want: [['{a="b"}', [ts([1, 2]), ts([10, 20])]]],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(view(mergeChunkSeries(c.sources, { deleted: del(c.deleted) }))).toEqual(c.want);
      });
    }
  });

  it('keeps stale markers and NaN through re-encoding', () => {
    const a = series({ a: 'b' }, [[[1, STALE_NAN], [2, Number.NaN], [3, 1]]]);
    const b = series({ a: 'b' }, [[[2, 5], [4, Number.POSITIVE_INFINITY]]]);
    const [out] = [...mergeChunkSeries([[a], [b]])];
    const got = decode(out!.chunks[0]!);
    expect(isStaleNaN(got[0]![1])).toBe(true);
    expect(Number.isNaN(got[1]![1]) && !isStaleNaN(got[1]![1])).toBe(true);
    expect(got.slice(2)).toEqual([[3, 1], [4, Infinity]]);
  });

  it('rejects a source that is not sorted by labels', () => {
    const src = [series({ a: '2' }, [ts([1])]), series({ a: '1' }, [ts([1])])];
    expect(() => [...mergeChunkSeries([src])]).toThrow(/not sorted/);
  });

  it('is lazy and re-iterable over re-iterable sources', () => {
    let pulled = 0;
    const src: Iterable<ChunkSeries> = {
      *[Symbol.iterator]() {
        for (let i = 0; i < 5; i++) {
          pulled++;
          yield series({ a: String(i) }, [ts([i])]);
        }
      },
    };
    const merged = mergeChunkSeries([src]);
    const it = merged[Symbol.iterator]();
    it.next();
    expect(pulled).toBeLessThanOrEqual(2);
    expect([...merged]).toHaveLength(5);
  });

  it('validates samplesPerChunk', () => {
    expect(() => mergeChunkSeries([], { samplesPerChunk: 0 })).toThrow(RangeError);
    expect(() => mergeChunkSeries([], { samplesPerChunk: 70000 })).toThrow(RangeError);
  });

  it('randomised: equals a reference merge', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 30; round++) {
      const k = 1 + Math.floor(rnd() * 4);
      const sources: ChunkSeries[][] = [];
      const want = new Map<number, number>();
      for (let src = 0; src < k; src++) {
        const chunks: S[][] = [];
        let t = Math.floor(rnd() * 50);
        const nChunks = Math.floor(rnd() * 4);
        for (let c = 0; c < nChunks; c++) {
          const n = 1 + Math.floor(rnd() * 150);
          const samples: S[] = [];
          for (let j = 0; j < n; j++) {
            samples.push([t, src * 1e6 + t]);
            t += 1 + Math.floor(rnd() * 10);
          }
          chunks.push(samples);
          t += Math.floor(rnd() * 30) - 15 > 0 ? 5 : 1;
        }
        for (const c of chunks) for (const [st, v] of c) if (!want.has(st)) want.set(st, v);
        sources.push(chunks.length > 0 ? [series({ a: 'b' }, chunks)] : []);
      }
      const got = view(mergeChunkSeries(sources));
      const expected = [...want.entries()].sort((x, y) => x[0] - y[0]);
      if (expected.length === 0) expect(got).toEqual([]);
      else {
        expect(got[0]![1].flat()).toEqual(expected);
        for (const c of got[0]![1]) expect(c.length).toBeLessThanOrEqual(150);
      }
    }
  });

  describe('normalizeIntervals', () => {
    const cases: [DeletedInterval[], DeletedInterval[]][] = [
      [[], []],
      [[{ mint: 5, maxt: 9 }, { mint: 1, maxt: 3 }], [{ mint: 1, maxt: 3 }, { mint: 5, maxt: 9 }]],
      [[{ mint: 1, maxt: 4 }, { mint: 5, maxt: 9 }], [{ mint: 1, maxt: 9 }]],
      [[{ mint: 1, maxt: 10 }, { mint: 2, maxt: 3 }], [{ mint: 1, maxt: 10 }]],
      [[{ mint: 5, maxt: 1 }], []],
    ];
    for (const [input, want] of cases) {
      it(JSON.stringify(input), () => expect(normalizeIntervals(input)).toEqual(want));
    }
  });
});
