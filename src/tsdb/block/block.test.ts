import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsToString, type Labels } from '../../model/labels.js';
import { newMatcher, type Matcher } from '../../model/matcher.js';
import { STALE_NAN, isStaleNaN } from '../../model/sample.js';
import { isStorageError } from '../../storage/errors.js';
import type { Querier } from '../../storage/interface.js';
import { Cleanups } from '../test-dirs.js';
import { ENCODING_XOR, chunkFromSamples } from '../chunkenc/xor.js';
import { Block } from './block.js';
import { readMeta } from './meta.js';
import { isULID } from './ulid.js';
import { writeBlock, type ChunkSeries } from './writer.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);
const tmp = (): string => cleanups.tempDir('amphora-block-');

const T0 = 1_700_000_000_000;
const STEP = 15_000;
const PER_CHUNK = 120;

interface Fixture {
  labels: Labels;
  ts: number[];
  vs: number[];
}

function makeSeries(n: number, samples: number): Fixture[] {
  const out: Fixture[] = [];
  for (let i = 0; i < n; i++) {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let k = 0; k < samples; k++) {
      ts.push(T0 + k * STEP + (i % 3));
      vs.push(k === 5 && i === 0 ? STALE_NAN : i * 1000 + k * 0.5);
    }
    out.push({ labels: labelsFromRecord({ __name__: 'm', i: String(i).padStart(3, '0'), parity: i % 2 ? 'odd' : 'even' }), ts, vs });
  }
  return out;
}

function toChunkSeries(f: Fixture): ChunkSeries {
  const chunks = [];
  for (let s = 0; s < f.ts.length; s += PER_CHUNK) {
    const ts = f.ts.slice(s, s + PER_CHUNK);
    const c = chunkFromSamples(ts, f.vs.slice(s, s + PER_CHUNK));
    chunks.push({ mint: ts[0]!, maxt: ts[ts.length - 1]!, encoding: ENCODING_XOR, data: c.bytes().slice() });
  }
  return { labels: f.labels, chunks };
}

function read(q: Querier, matchers: Matcher[], mint?: number, maxt?: number): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  const ss = q.select(true, mint === undefined ? undefined : { start: mint, end: maxt! }, matchers);
  while (ss.next()) {
    const s = ss.at();
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.atT(), it.atV()]);
    out.set(labelsToString(s.labels), samples);
  }
  return out;
}

async function build(n = 20, samples = 300): Promise<{ parent: string; block: Block; fx: Fixture[] }> {
  const parent = tmp();
  const fx = makeSeries(n, samples);
  const meta = await writeBlock(parent, { mint: T0, maxt: T0 + samples * STEP, series: fx.map(toChunkSeries), now: () => T0 });
  return { parent, block: Block.open(join(parent, meta.ulid)), fx };
}

describe('writeBlock', () => {
  it('writes a complete block and its meta', async () => {
    const { parent, block, fx } = await build(10, 300);
    const m = block.meta;
    expect(isULID(m.ulid)).toBe(true);
    expect(readdirSync(parent)).toEqual([m.ulid]);
    expect(readdirSync(block.dir).sort()).toEqual(['chunks', 'index', 'meta.json', 'tombstones']);
    expect(m.stats).toEqual({ numSamples: 3000, numSeries: 10, numChunks: 30 });
    expect(m.compaction).toEqual({ level: 1, sources: [m.ulid] });
    expect(readMeta(block.dir)).toEqual(m);
    expect(JSON.parse(readFileSync(join(block.dir, 'meta.json'), 'utf8')).version).toBe(1);
    expect(block.sizeBytes()).toBeGreaterThan(1000);
    expect(fx.length).toBe(10);
    block.close();
  });

  it('skips empty series, trims chunks to the block range and rejects unsorted input', async () => {
    const parent = tmp();
    const [a, b] = makeSeries(2, 240).map(toChunkSeries);
    const meta = await writeBlock(parent, {
      mint: T0 + 10 * STEP,
      maxt: T0 + 200 * STEP,
      series: [a!, b!, { labels: labelsFromRecord({ z: '0' }), chunks: [] }],
    });
    expect(meta.stats.numSeries).toBe(2);
    expect(meta.stats.numSamples).toBe(2 * 190);
    await expect(writeBlock(parent, { mint: T0, maxt: T0 + 1, series: [b!, a!] })).rejects.toThrow(/sorted/);
    expect(readdirSync(parent)).toEqual([meta.ulid]);
  });
});

describe('Block querier', () => {
  it('reads every sample back, including a stale marker', async () => {
    const { block, fx } = await build();
    const got = read(block.querier(-Infinity, Infinity), [newMatcher('=', '__name__', 'm')]);
    expect([...got.keys()]).toEqual(fx.map((f) => labelsToString(f.labels)));
    for (const f of fx) {
      const s = got.get(labelsToString(f.labels))!;
      expect(s.map((x) => x[0])).toEqual(f.ts);
      s.forEach(([, v], k) => {
        if (isStaleNaN(f.vs[k]!)) expect(isStaleNaN(v)).toBe(true);
        else expect(v).toBe(f.vs[k]);
      });
    }
    block.close();
  });

  it('applies matchers, label queries and an empty matcher list', async () => {
    const { block } = await build();
    const q = block.querier(T0, T0 + 10 ** 9);
    expect(read(q, [newMatcher('=', 'parity', 'odd'), newMatcher('=~', 'i', '00[0-5]')]).size).toBe(3);
    expect(read(q, [newMatcher('!=', 'parity', 'odd')]).size).toBe(10);
    expect(read(q, []).size).toBe(20);
    expect(read(q, [newMatcher('=', 'nope', 'x')]).size).toBe(0);
    expect(q.labelNames([])).toEqual(['__name__', 'i', 'parity']);
    expect(q.labelValues('parity', [])).toEqual(['even', 'odd']);
    expect(q.labelValues('i', [newMatcher('=', 'parity', 'odd')], { limit: 2 })).toEqual(['001', '003']);
    expect(q.labelNames([newMatcher('=', 'i', '001')])).toEqual(['__name__', 'i', 'parity']);
    block.close();
  });

  it('clips to the querier range and to select hints, and seeks', async () => {
    const { block, fx } = await build(3, 300);
    const lo = T0 + 100 * STEP;
    const hi = T0 + 130 * STEP;
    const got = read(block.querier(lo, hi), [newMatcher('=', 'i', '000')]);
    expect(got.get(labelsToString(fx[0]!.labels))!.map((x) => x[0])).toEqual(fx[0]!.ts.filter((t) => t >= lo && t <= hi));
    const hinted = read(block.querier(T0, T0 + 10 ** 9), [newMatcher('=', 'i', '000')], lo, hi);
    expect(hinted).toEqual(got);
    expect(read(block.querier(T0 - 1000, T0 - 1), []).size).toBe(0);

    const ss = block.querier(T0, T0 + 10 ** 9).select(false, undefined, [newMatcher('=', 'i', '001')]);
    expect(ss.next()).toBe(true);
    const it = ss.at().iterator();
    expect(it.seek(T0 + 250 * STEP)).toBe(true);
    expect(it.atT()).toBe(T0 + 251 * STEP + 1 - STEP); // samples of series 1 are offset by 1 ms
    expect(it.seek(T0)).toBe(true); // stays put
    expect(it.atT()).toBe(T0 + 250 * STEP + 1);
    expect(it.next()).toBe(true);
    expect(it.atT()).toBe(T0 + 251 * STEP + 1);
    expect(it.seek(T0 + 10 ** 9)).toBe(false);
    block.close();
  });
});

describe('tombstones and deletion', () => {
  it('deletes, persists tombstones and hides deleted samples', async () => {
    const { block, fx } = await build(4, 300);
    const from = T0 + 50 * STEP;
    const to = T0 + 150 * STEP;
    expect(block.delete(from, to, [newMatcher('=', 'parity', 'even')])).toBe(2);
    expect(block.meta.stats.numTombstones).toBe(2);
    expect(readMeta(block.dir).stats.numTombstones).toBe(2);
    expect(block.tombstones().forLabels(fx[0]!.labels)).toEqual([{ mint: from, maxt: to }]);
    expect(block.tombstones().forLabels(fx[1]!.labels)).toEqual([]);
    const check = (b: Block) => {
      const got = read(b.querier(-Infinity, Infinity), []);
      expect(got.get(labelsToString(fx[0]!.labels))!.map((x) => x[0])).toEqual(fx[0]!.ts.filter((t) => t < from || t > to));
      expect(got.get(labelsToString(fx[1]!.labels))!.length).toBe(300);
    };
    check(block);
    // Tombstones survive reopening.
    const again = Block.open(block.dir);
    check(again);
    again.close();
    // Deleting everything of a series hides it.
    expect(block.delete(-Infinity, Infinity, [newMatcher('=', 'i', '003')])).toBe(1);
    expect(read(block.querier(-Infinity, Infinity), []).has(labelsToString(fx[3]!.labels))).toBe(false);
    // cleanTombstones writes a block without the deleted data.
    const meta = await block.cleanTombstones({ now: () => T0 + 1 });
    expect(meta).not.toBeNull();
    expect(meta!.stats.numSeries).toBe(3);
    // series 0 loses k=50..150 (101 samples); series 2 (offset 2 ms) loses k=50..149 (100).
    expect(meta!.stats.numSamples).toBe(300 * 3 - 101 - 100);
    expect(meta!.compaction.parents![0]!.ulid).toBe(block.meta.ulid);
    const clean = Block.open(join(block.dir, '..', meta!.ulid));
    expect(clean.tombstones().isEmpty()).toBe(true);
    expect(read(clean.querier(-Infinity, Infinity), [])).toEqual(read(block.querier(-Infinity, Infinity), []));
    clean.close();
    block.close();
  });

  it('returns null from cleanTombstones without tombstones; delete of nothing writes nothing', async () => {
    const { block } = await build(2, 10);
    expect(block.delete(0, 1, [])).toBe(0);
    expect(await block.cleanTombstones()).toBeNull();
    block.close();
  });
});

describe('chunkSeries', () => {
  it('yields raw chunks in label order, filtered by time', async () => {
    const { block, fx } = await build(5, 300);
    const all = [...block.chunkSeries()];
    expect(all.map((s) => labelsToString(s.labels))).toEqual(fx.map((f) => labelsToString(f.labels)));
    expect(all[0]!.chunks.map((c) => Buffer.from(c.data).toString('hex'))).toEqual(toChunkSeries(fx[0]!).chunks.map((c) => Buffer.from(c.data).toString('hex')));
    const some = [...block.chunkSeries(T0 + 130 * STEP, T0 + 140 * STEP)];
    expect(some.every((s) => s.chunks.length === 1)).toBe(true);
    block.close();
  });
});

describe('corruption', () => {
  it('refuses to open a block with a flipped index byte', async () => {
    const { block } = await build(5, 10);
    block.close();
    const path = join(block.dir, 'index');
    const buf = readFileSync(path);
    buf[Math.floor(buf.length / 2)]! ^= 0x01;
    writeFileSync(path, buf);
    let err: unknown;
    try {
      Block.open(block.dir);
    } catch (e) {
      err = e;
    }
    expect(isStorageError(err, 'corruption')).toBe(true);
    expect((err as Error).message).toContain(block.dir);
    expect((err as Error).message).toContain('index');
  });

  it('reports a flipped chunk byte naming block and chunk when read', async () => {
    const { block } = await build(3, 130);
    block.close();
    const path = join(block.dir, 'chunks', '000001');
    const buf = readFileSync(path);
    buf[buf.length - 30]! ^= 0x01;
    writeFileSync(path, buf);
    const b = Block.open(block.dir);
    const run = (fn: () => void): StorageErrorLike => {
      try {
        fn();
      } catch (e) {
        return e as StorageErrorLike;
      }
      return null;
    };
    const e1 = run(() => [...b.chunkSeries()]);
    expect(isStorageError(e1, 'corruption')).toBe(true);
    expect(e1!.message).toContain(join(block.dir, 'chunks', '000001'));
    expect(e1!.message).toMatch(/chunk ref \d+/);
    const e2 = run(() => read(b.querier(-Infinity, Infinity), []));
    expect(isStorageError(e2, 'corruption')).toBe(true);
    b.close();
  });

  it('does not read chunks outside the queried range', async () => {
    const { block } = await build(1, 360); // three chunks of 120 samples
    block.close();
    const path = join(block.dir, 'chunks', '000001');
    const buf = readFileSync(path);
    buf[buf.length - 30]! ^= 0x01; // inside the last chunk
    writeFileSync(path, buf);
    const b = Block.open(block.dir);
    expect(read(b.querier(T0, T0 + 239 * STEP), []).values().next().value!.length).toBe(240);
    expect(() => read(b.querier(T0, T0 + 240 * STEP), [])).toThrow(/checksum mismatch/);
    b.close();
  });

  it('refuses a bad meta.json', async () => {
    const { block } = await build(1, 10);
    block.close();
    writeFileSync(join(block.dir, 'meta.json'), '{"version": 2}');
    expect(() => Block.open(block.dir)).toThrow(/meta file version/);
  });
});

type StorageErrorLike = Error | null;
