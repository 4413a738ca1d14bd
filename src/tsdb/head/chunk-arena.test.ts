import { describe, expect, it } from 'vitest';
import { XORChunk } from '../chunkenc/xor.js';
import { ARENA_OFFSET_SPAN, ChunkArena } from './chunk-arena.js';

describe('ChunkArena', () => {
  it('stores, views and frees regions; slabs double and go once empty', () => {
    const a = new ChunkArena(64, 256);
    const h1 = a.add(Uint8Array.of(1, 2, 3));
    const h2 = a.add(new Uint8Array(60).fill(7));
    expect([...a.view(h1, 3)]).toEqual([1, 2, 3]);
    expect(a.view(h2, 60).every((b) => b === 7)).toBe(true);
    expect(a.numSlabs()).toBe(1);
    const h3 = a.add(new Uint8Array(100).fill(9)); // does not fit: second slab of 128
    expect(Math.floor(h3 / ARENA_OFFSET_SPAN)).not.toBe(Math.floor(h1 / ARENA_OFFSET_SPAN));
    expect(a.bytesHeld()).toBe(64 + 128);
    const v1 = a.view(h1, 3);
    a.free(h1, 3);
    expect(a.numSlabs()).toBe(2);
    a.free(h2, 60);
    expect(a.numSlabs()).toBe(1); // first slab released
    expect([...v1]).toEqual([1, 2, 3]); // a reader's view stays valid
    expect(() => a.view(h1, 3)).toThrow(/released slab/);
    a.free(h3, 100);
    expect(a.numSlabs()).toBe(1); // the slab being filled stays
    expect(a.bytesLive()).toBe(0);
  });

  it('gives a region larger than maxSlab a slab of its own', () => {
    const a = new ChunkArena(16, 32);
    const h = a.add(new Uint8Array(1000).fill(5));
    expect(a.view(h, 1000).length).toBe(1000);
    expect(a.bytesHeld()).toBe(1000);
  });

  it('rejects double frees and foreign views', () => {
    const a = new ChunkArena(64, 64);
    const h = a.add(new Uint8Array(10));
    a.free(h, 10);
    expect(() => a.free(h, 10)).toThrow(/freed more/);
    expect(() => a.handleOf(new Uint8Array(4))).toThrow(/not in this arena/);
  });

  it('lets an XOR chunk grow in place and reads back what it wrote', () => {
    const a = new ChunkArena(64, 1024);
    const alloc = a.allocator();
    const c = new XORChunk(undefined, 16, alloc);
    const app = c.appender();
    const ts: number[] = [];
    for (let i = 0; i < 200; i++) {
      ts.push(1_700_000_000_000 + i * 15_000 + (i % 7));
      app.append(ts[i]!, Math.sin(i) * 1e6);
    }
    // Everything but the current region was given back.
    expect(a.bytesLive()).toBe(c.capacity());
    const it = c.iterator();
    let n = 0;
    while (it.next()) {
      expect(it.atT()).toBe(ts[n]);
      expect(it.atV()).toBe(Math.sin(n) * 1e6);
      n++;
    }
    expect(n).toBe(200);
    const copy = new XORChunk(c.bytes().slice()).iterator();
    let m = 0;
    while (copy.next()) m++;
    expect(m).toBe(200);
  });
});
