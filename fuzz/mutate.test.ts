import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../src/model/labels.js';
import { IndexReader } from '../src/tsdb/index/reader.js';
import { collectSymbols, IndexWriter } from '../src/tsdb/index/writer.js';
import { applyMutations, type Mutation } from './mutate.js';
import { fixIndexCrcs } from './targets/crc-fixup.js';

describe('applyMutations', () => {
  const seeds = [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), new Uint8Array([9, 9, 9])];
  const f = (muts: Mutation[], maxLen = 64): number[] => [...applyMutations(seeds, [new Uint8Array([0xaa, 0xbb])], 0, muts, maxLen)];

  it('applies each edit at its position modulo the length, never touching the seed', () => {
    expect(f([{ kind: 'flip', pos: 8, bit: 7 }])).toEqual([0x81, 2, 3, 4, 5, 6, 7, 8]);
    expect(f([{ kind: 'truncate', pos: 3 }])).toEqual([1, 2, 3]);
    expect(f([{ kind: 'delete', pos: 1, len: 2 }])).toEqual([1, 4, 5, 6, 7, 8]);
    expect(f([{ kind: 'insert', pos: 2, data: new Uint8Array([0]) }])).toEqual([1, 2, 0, 3, 4, 5, 6, 7, 8]);
    expect(f([{ kind: 'splice', other: 1, from: 0, len: 2, to: 0 }])).toEqual([9, 9, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(f([{ kind: 'length', pos: 0, value: 0xffffffff, form: 'u32be' }])).toEqual([0xff, 0xff, 0xff, 0xff, 5, 6, 7, 8]);
    expect(f([{ kind: 'length', pos: 7, value: 300, form: 'varint' }])).toEqual([1, 2, 3, 4, 5, 6, 7, 0xac, 0x02]);
    expect(f([{ kind: 'token', pos: 1, token: 0, replace: 1 }])).toEqual([1, 0xaa, 0xbb, 3, 4, 5, 6, 7, 8]);
    expect(f([{ kind: 'duplicate', pos: 0, len: 2, to: 0 }], 5)).toEqual([1, 2, 1, 2, 3]);
    expect([...seeds[0]!]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('fixIndexCrcs', () => {
  const w = new IndexWriter(collectSymbols([labelsFromRecord({ a: 'x', b: 'y' }), labelsFromRecord({ a: 'z' })]));
  w.addSeries(labelsFromRecord({ a: 'x', b: 'y' }), [{ mint: 0, maxt: 10, ref: 8 }]);
  w.addSeries(labelsFromRecord({ a: 'z' }), []);
  const index = w.finish();

  it('leaves a valid index unchanged', () => {
    expect(Buffer.from(fixIndexCrcs(index)).equals(index)).toBe(true);
  });

  it('repairs the checksums after an in-place edit, so the reader sees the edit and not a CRC mismatch', () => {
    const bad = Buffer.from(index);
    const off = IndexReader.fromBuffer(index).toc.symbols;
    bad[off + 9] = 0x7a; // inside the first symbol's bytes
    expect(() => IndexReader.fromBuffer(bad)).toThrow(/checksum mismatch/);
    const fixed = Buffer.from(fixIndexCrcs(bad));
    expect(() => IndexReader.fromBuffer(fixed)).not.toThrow();
    expect(IndexReader.fromBuffer(fixed).symbols()).not.toEqual(IndexReader.fromBuffer(index).symbols());
  });
});
