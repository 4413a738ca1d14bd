import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32c } from '../encoding/crc32c.js';
import { FRAG_SNAPPY, FRAG_TYPE_MASK, PAGE_SIZE, segmentPath } from './format.js';
import { Cleanups, hexOf, readAll, rec, recordingLogger } from './test-helpers.js';
import { WAL } from './wal.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);

/** compressible makes a record of n bytes with few distinct values (as sample records are). */
function compressible(i: number, n: number): Uint8Array {
  const b = Buffer.alloc(n);
  for (let k = 0; k < n; k++) b[k] = (k % 17 === 0 ? i : k % 5) & 0xff;
  return b;
}

/** headers lists the fragment header bytes of a segment file (page by page, until the padding). */
function headers(path: string): number[] {
  const buf = readFileSync(path);
  const out: number[] = [];
  for (let page = 0; page < buf.length; page += PAGE_SIZE) {
    let p = page;
    while (p + 7 <= Math.min(page + PAGE_SIZE, buf.length) && (buf[p]! & FRAG_TYPE_MASK) !== 0) {
      out.push(buf[p]!);
      p += 7 + buf.readUInt16BE(p + 1);
    }
  }
  return out;
}

describe('WAL snappy compression', () => {
  it('stores compressible records compressed (flag on every fragment) and the rest as they are; both read back', async () => {
    const dir = cleanups.tempDir();
    const records = [compressible(1, 100), randomBytes(300), compressible(2, 200_000), rec(3, 5), new Uint8Array(0), compressible(4, 40_000)];
    const w = await WAL.open(dir, { compression: 'snappy', segmentSize: 4 * PAGE_SIZE });
    await w.log(records);
    await w.close();
    const got = await readAll(dir);
    expect(got.corruption).toBeUndefined();
    expect(got.recs).toEqual(hexOf(records));
    expect(got.compressed).toBe(3);
    const hs = headers(segmentPath(dir, 0));
    expect(hs.filter((h) => h & FRAG_SNAPPY).length).toBeGreaterThanOrEqual(3);
    // The 200 kB record shrinks to well under a segment: everything fits in segment 0.
    expect(got.segs.every((s) => s === 0)).toBe(true);
  });

  it('writes far fewer bytes than the same records uncompressed', async () => {
    const records = Array.from({ length: 200 }, (_, i) => compressible(i, 2000));
    const sizes: Record<string, number> = {};
    for (const compression of ['none', 'snappy'] as const) {
      const dir = cleanups.tempDir();
      const w = await WAL.open(dir, { compression });
      await w.log(records);
      sizes[compression] = w.stats().bytes;
      await w.close();
      expect((await readAll(dir)).recs).toEqual(hexOf(records));
    }
    expect(sizes['snappy']!).toBeLessThan(sizes['none']! / 4);
  });

  it('reads a WAL whose segments switch compression on and off across restarts', async () => {
    const dir = cleanups.tempDir();
    const all: Uint8Array[] = [];
    for (const [i, compression] of (['none', 'snappy', 'none', 'snappy'] as const).entries()) {
      const w = await WAL.open(dir, { compression });
      const batch = [compressible(i, 5000), rec(i, 64)];
      await w.log(batch);
      all.push(...batch);
      await w.close();
    }
    const got = await readAll(dir);
    expect(got.recs).toEqual(hexOf(all));
    expect(got.compressed).toBe(2);
  });

  it('reports a compressed record whose payload is not valid snappy as corruption (CRC intact), and repairs it on open', async () => {
    const dir = cleanups.tempDir();
    const w = await WAL.open(dir, { compression: 'snappy' });
    await w.log([compressible(1, 1000)]);
    await w.log([compressible(2, 1000)]);
    await w.close();
    const path = segmentPath(dir, 0);
    const buf = readFileSync(path);
    // Second record: rewrite its payload's length prefix to claim far more bytes, and fix the CRC.
    const second = 7 + buf.readUInt16BE(1);
    const len = buf.readUInt16BE(second + 1);
    buf[second + 7] = 0xff;
    buf.writeUInt32BE(crc32c(buf, second + 7, second + 7 + len), second + 3);
    writeFileSync(path, buf);
    const got = await readAll(dir, { logger: recordingLogger() });
    expect(got.recs).toEqual(hexOf([compressible(1, 1000)]));
    expect(got.corruption?.message).toMatch(/snappy decode error/);
    const size = statSync(path).size;
    const w2 = await WAL.open(dir, { compression: 'snappy', logger: recordingLogger() });
    await w2.close();
    expect(statSync(path).size).toBeLessThanOrEqual(size);
    expect((await readAll(dir)).recs).toEqual(hexOf([compressible(1, 1000)]));
  });
});
