import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import { Block } from '../tsdb/block/block.js';
import { writeBlock } from '../tsdb/block/writer.js';
import { ENCODING_XOR, chunkFromSamples } from '../tsdb/chunkenc/xor.js';
import { Cleanups } from '../tsdb/test-dirs.js';
import { BlockCache } from './block-cache.js';
import type { BlockRef } from './protocol.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);

async function block(dir: string, mint: number): Promise<BlockRef> {
  const c = chunkFromSamples([mint, mint + 1000], [1, 2]);
  const meta = await writeBlock(dir, { mint, maxt: mint + 10_000, series: [{ labels: labelsFromRecord({ __name__: 'm' }), chunks: [{ mint, maxt: mint + 1000, encoding: ENCODING_XOR, data: c.bytes() }] }] });
  return { ulid: meta.ulid, dir: join(dir, meta.ulid), minTime: meta.minTime, maxTime: meta.maxTime };
}

function samples(b: Block): number {
  const set = b.querier(-Infinity, Infinity).select(false, undefined, [newMatcher('=', '__name__', 'm')]);
  let n = 0;
  while (set.next()) for (const it = set.at().iterator(); it.next(); ) n++;
  return n;
}

describe('BlockCache', () => {
  it('reuses opened blocks and closes those no longer listed', async () => {
    const dir = cleanups.tempDir();
    const [a, b] = [await block(dir, 0), await block(dir, 20_000)];
    const cache = new BlockCache();
    cleanups.add(() => cache.closeAll());
    const first = cache.acquire('ws-a', [a, b], () => []);
    const again = cache.acquire('ws-a', [a, b], () => []);
    expect(again[0]).toBe(first[0]);
    expect(cache.acquire('ws-a', [b], () => [])[0]).toBe(first[1]);
    expect(cache.size).toBe(1);
  });

  it('keeps other workspaces’ blocks open, up to maxWorkspaces, least recently used closed first', async () => {
    const dir = cleanups.tempDir();
    const [a, b, c] = [await block(dir, 0), await block(dir, 20_000), await block(dir, 40_000)];
    const cache = new BlockCache(2);
    cleanups.add(() => cache.closeAll());
    const [fromA] = cache.acquire('ws-a', [a], () => []);
    cache.acquire('ws-b', [b], () => []);
    expect(cache.acquire('ws-a', [a], () => [])[0]).toBe(fromA);
    cache.acquire('ws-c', [c], () => []);
    expect(cache.size).toBe(2);
    expect(cache.acquire('ws-a', [a], () => [])[0]).toBe(fromA);
  });

  it('reopens a block whose tombstones changed', async () => {
    const dir = cleanups.tempDir();
    const a = await block(dir, 0);
    const cache = new BlockCache();
    cleanups.add(() => cache.closeAll());
    const [before] = cache.acquire('ws-a', [a], () => []);
    expect(samples(before!)).toBe(2);
    const owner = Block.open(a.dir);
    owner.delete(0, 0, [newMatcher('=', '__name__', 'm')]);
    owner.close();
    const [after] = cache.acquire('ws-a', [a], () => []);
    expect(after).not.toBe(before);
    expect(samples(after!)).toBe(1);
  });

  it('keeps reading a cached block after its directory is deleted', async () => {
    const dir = cleanups.tempDir();
    const a = await block(dir, 0);
    const cache = new BlockCache();
    cleanups.add(() => cache.closeAll());
    const [opened] = cache.acquire('ws-a', [a], () => []);
    renameSync(a.dir, `${a.dir}.tmp-for-deletion`);
    rmSync(`${a.dir}.tmp-for-deletion`, { recursive: true });
    const [still] = cache.acquire('ws-a', [a], () => []);
    expect(still).toBe(opened);
    expect(samples(still!)).toBe(2);
  });

  it('asks for a fresh list when a listed block vanished before it was opened', async () => {
    const dir = cleanups.tempDir();
    const [gone, fresh] = [await block(dir, 0), await block(dir, 20_000)];
    rmSync(gone.dir, { recursive: true });
    const cache = new BlockCache();
    cleanups.add(() => cache.closeAll());
    let refreshed = 0;
    const got = cache.acquire('ws-a', [gone], () => (refreshed++, [fresh]));
    expect(refreshed).toBe(1);
    expect(got.map((b) => b.meta.ulid)).toEqual([fresh.ulid]);
  });
});
