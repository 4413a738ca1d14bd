import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStorageError } from '../../storage/errors.js';
import { Cleanups } from '../test-dirs.js';
import { chunkRefOffset, chunkRefSegment, packChunkRef, segmentFileName } from './format.js';
import { ChunkSegmentReader } from './reader.js';
import { ChunkSegmentWriter } from './writer.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);
const tmp = (): string => cleanups.tempDir('amphora-chunks-');

function payload(i: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let k = 0; k < len; k++) b[k] = (i * 31 + k * 7) & 0xff;
  return b;
}

describe('chunk refs', () => {
  it.each([
    [0, 8],
    [1, 8],
    [3, 0xfffffff0],
    [1000, 123456],
  ])('pack/unpack segment %i offset %i', (seg, off) => {
    const ref = packChunkRef(seg, off);
    expect(chunkRefSegment(ref)).toBe(seg);
    expect(chunkRefOffset(ref)).toBe(off);
  });
  it('names segments from 000001', () => {
    expect(segmentFileName(0)).toBe('000001');
    expect(segmentFileName(41)).toBe('000042');
  });
});

describe('chunk segments', () => {
  it('round-trips chunks of many sizes and writes the Prometheus layout', () => {
    const dir = tmp();
    const w = new ChunkSegmentWriter(dir);
    const lens = [0, 1, 127, 128, 129, 1000, 16383, 16384, 70000];
    const refs = lens.map((len, i) => w.write(1, payload(i, len)));
    w.close();
    expect(readdirSync(dir)).toEqual(['000001']);
    const file = readFileSync(join(dir, '000001'));
    expect(file.readUInt32BE(0)).toBe(0x85bd40dd);
    expect([...file.subarray(4, 8)]).toEqual([1, 0, 0, 0]);
    expect(refs[0]).toBe(8);
    // 0-length chunk: len 0, encoding 1, crc of [1].
    expect(file[8]).toBe(0);
    expect(file[9]).toBe(1);
    const r = new ChunkSegmentReader(dir, { wholeFileLimit: 0, windowSize: 64 });
    refs.forEach((ref, i) => {
      const c = r.chunk(ref);
      expect(c.encoding).toBe(1);
      expect(Buffer.from(c.data).equals(Buffer.from(payload(i, lens[i]!)))).toBe(true);
    });
    r.close();
    const r2 = new ChunkSegmentReader(dir);
    refs.forEach((ref, i) => expect(r2.chunk(ref).data.length).toBe(lens[i]));
    r2.close();
  });

  it('cuts segments at the size limit and refs carry the segment', () => {
    const dir = tmp();
    const w = new ChunkSegmentWriter(dir, { maxSegmentSize: 1000, bufferSize: 100 });
    const refs: number[] = [];
    for (let i = 0; i < 50; i++) refs.push(w.write(1, payload(i, 90)));
    refs.push(w.write(1, payload(99, 5000))); // larger than a segment: gets its own
    w.close();
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(5);
    for (const f of files.slice(0, -1)) expect(readFileSync(join(dir, f)).length).toBeLessThanOrEqual(1000);
    expect(chunkRefSegment(refs[refs.length - 1]!)).toBe(files.length - 1);
    const r = new ChunkSegmentReader(dir);
    refs.forEach((ref, i) => expect(Buffer.from(r.chunk(ref).data).equals(Buffer.from(payload(i === 50 ? 99 : i, i === 50 ? 5000 : 90)))).toBe(true));
    r.close();
  });

  it.each([
    ['whole-file reads', 1 << 20],
    ['windowed reads', 0],
  ])('detects a flipped data byte (%s)', (_name, wholeFileLimit) => {
    const dir = tmp();
    const w = new ChunkSegmentWriter(dir);
    const a = w.write(1, payload(1, 50));
    const b = w.write(1, payload(2, 50));
    w.close();
    const path = join(dir, '000001');
    const file = readFileSync(path);
    file[b + 10]! ^= 0x40;
    writeFileSync(path, file);
    const r = new ChunkSegmentReader(dir, { wholeFileLimit });
    expect(r.chunk(a).data.length).toBe(50);
    let err: unknown;
    try {
      r.chunk(b);
    } catch (e) {
      err = e;
    }
    expect(isStorageError(err, 'corruption')).toBe(true);
    expect(String((err as Error).message)).toContain(path);
    expect(String((err as Error).message)).toContain('checksum mismatch');
    r.close();
  });

  it('rejects a bad segment header and bad refs', () => {
    const dir = tmp();
    const w = new ChunkSegmentWriter(dir);
    const a = w.write(1, payload(1, 10));
    w.close();
    const r = new ChunkSegmentReader(dir);
    expect(() => r.chunk(packChunkRef(1, 8))).toThrow(/segment 2/);
    expect(() => r.chunk(packChunkRef(0, 4000))).toThrow(/out of range/);
    r.close();
    const path = join(dir, '000001');
    const file = readFileSync(path);
    file[0] = 0;
    writeFileSync(path, file);
    expect(() => new ChunkSegmentReader(dir)).toThrow(/invalid magic/);
    expect(a).toBe(8);
  });
});
