import { describe, expect, it } from 'vitest';
import { labelsFromRecord, type Labels } from '../../model/labels.js';
import { newMatcher } from '../../model/matcher.js';
import { isStorageError } from '../../storage/errors.js';
import { labelValuesForMatchers, postingsForMatchers } from '../postings/matchers.js';
import { compareUtf8, type ChunkMeta } from './format.js';
import { IndexReader } from './reader.js';
import { IndexWriter, IndexWriterError, collectSymbols } from './writer.js';

interface S {
  labels: Labels;
  chunks: ChunkMeta[];
}

function build(series: S[]): { buf: Buffer; refs: number[] } {
  const w = new IndexWriter(collectSymbols(series.map((s) => s.labels)));
  const refs = series.map((s) => w.addSeries(s.labels, s.chunks));
  return { buf: w.finish(), refs };
}

function fixture(): S[] {
  const out: S[] = [];
  for (let i = 0; i < 300; i++) {
    out.push({
      labels: labelsFromRecord({ __name__: i % 2 ? 'up' : 'http_requests_total', instance: `host-${String(i).padStart(3, '0')}`, job: i % 3 === 0 ? 'api' : 'web', ...(i % 5 === 0 ? { extra: 'x' } : {}) }),
      chunks: i % 7 === 0 ? [] : [
        { mint: -1000 + i, maxt: 5000 + i, ref: 8 + i * 100 },
        { mint: 6000 + i, maxt: 6000 + i, ref: 8 + i * 100 + 50 },
        { mint: 2 ** 40 + i, maxt: 2 ** 40 + 7200_000, ref: 2 ** 32 * 3 + i },
      ],
    });
  }
  const cmp = (a: S, b: S) => {
    for (let k = 0; k < Math.min(a.labels.length, b.labels.length); k++) {
      const x = a.labels[k]!;
      const y = b.labels[k]!;
      if (x.name !== y.name) return compareUtf8(x.name, y.name);
      if (x.value !== y.value) return compareUtf8(x.value, y.value);
    }
    return a.labels.length - b.labels.length;
  };
  return out.sort(cmp);
}

describe('index round trip', () => {
  const series = fixture();
  const { buf, refs } = build(series);
  const r = IndexReader.fromBuffer(buf, '/blocks/x/index');

  it('writes the v2 header and TOC', () => {
    expect(buf.readUInt32BE(0)).toBe(0xbaaad700);
    expect(buf[4]).toBe(2);
    expect(r.toc.symbols).toBe(5);
    expect(refs[0]! * 16 - r.toc.series).toBeGreaterThanOrEqual(0);
    expect(refs[0]! * 16 - r.toc.series).toBeLessThan(16);
    expect(r.toc.postings).toBeGreaterThan(r.toc.labelIndices);
    expect(r.seriesCount()).toBe(series.length);
  });

  it('reads symbols, names and values', () => {
    expect(r.symbols()).toEqual(collectSymbols(series.map((s) => s.labels)));
    expect(r.labelNames()).toEqual(['__name__', 'extra', 'instance', 'job']);
    expect(r.labelValues('job')).toEqual(['api', 'web']);
    expect(r.labelValues('instance').length).toBe(300);
    expect(r.labelValues('nope')).toEqual([]);
  });

  it('reads every series with its chunk metas by ref', () => {
    series.forEach((s, i) => {
      const got = r.series(refs[i]!);
      expect(got.labels).toEqual(s.labels);
      expect(got.chunks).toEqual(s.chunks);
    });
  });

  it('has postings in ref order for all values and the all-postings list', () => {
    expect(r.postings('', '')).toEqual(refs);
    const web = refs.filter((_, i) => series[i]!.labels.some((l) => l.name === 'job' && l.value === 'web'));
    expect(r.postings('job', 'web')).toEqual(web);
    for (const v of r.labelValues('instance')) expect(r.postings('instance', v).length).toBe(1);
    expect(r.postings('job', 'nope')).toEqual([]);
  });

  it('resolves matchers through the shared postings helpers', () => {
    const got = postingsForMatchers(r, [newMatcher('=', '__name__', 'up'), newMatcher('=~', 'instance', 'host-00.'), newMatcher('!=', 'extra', 'x')]);
    const labels = got.map((ref) => r.series(ref).labels);
    expect(labels.map((l) => l.find((x) => x.name === 'instance')!.value)).toEqual(['host-001', 'host-003', 'host-007', 'host-009']);
    expect(labelValuesForMatchers(r, 'job', [newMatcher('=', 'instance', 'host-003')])).toEqual(['api']);
  });

  it('detects a flipped byte in any section', () => {
    const offsets = [
      r.toc.symbols + 10, // symbols
      r.toc.series + 3, // a series entry
      r.toc.labelIndices + 14, // a label index
      r.toc.postings + 12, // a postings list
      r.toc.labelIndicesTable + 6,
      r.toc.postingsTable + 6,
      buf.length - 20, // TOC
    ];
    for (const off of offsets) {
      const bad = Buffer.from(buf);
      bad[off]! ^= 0x10;
      let err: unknown;
      try {
        IndexReader.fromBuffer(bad, '/blocks/x/index');
      } catch (e) {
        err = e;
      }
      expect(isStorageError(err, 'corruption'), `offset ${off}`).toBe(true);
      expect((err as Error).message).toContain('/blocks/x/index');
    }
  });

  it('rejects out-of-order input', () => {
    const w = new IndexWriter(['a', 'b']);
    w.addSeries(labelsFromRecord({ a: 'b' }), []);
    expect(() => w.addSeries(labelsFromRecord({ a: 'a' }), [])).toThrow(IndexWriterError);
    expect(() => w.addSeries(labelsFromRecord({ b: 'c' }), [])).toThrow(/symbol entry/);
    expect(() => w.addSeries(labelsFromRecord({ b: 'b' }), [{ mint: 5, maxt: 9, ref: 8 }, { mint: 9, maxt: 10, ref: 20 }])).toThrow(/not higher/);
  });

  it('writes an index without series', () => {
    const e = IndexReader.fromBuffer(new IndexWriter([]).finish());
    expect(e.postings('', '')).toEqual([]);
    expect(e.labelNames()).toEqual([]);
  });
});

describe('compareUtf8', () => {
  it('orders like Go byte comparison', () => {
    const items = ['b', 'a', '\u{1F600}', '\uFFFD', 'ab', '', 'é'];
    const byBytes = [...items].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...items].sort(compareUtf8)).toEqual(byBytes);
  });
});

describe('IndexReader on corrupted postings (fuzz regressions)', () => {
  it('refuses a postings list whose entry count exceeds its checksummed length (was a RangeError at query time)', async () => {
    const { crc32c } = await import('../encoding/crc32c.js');
    const { buf } = build(fixture().slice(0, 3));
    const off = IndexReader.fromBuffer(buf).toc.postings;
    const bad = Buffer.from(buf);
    const len = bad.readUInt32BE(off);
    bad.writeUInt32BE(1000, off + 4);
    bad.writeUInt32BE(crc32c(bad, off + 4, off + 4 + len), off + 4 + len);
    expect(() => IndexReader.fromBuffer(bad, 'idx')).toThrow(/idx: postings list .* entry count exceeds its length/);
    let caught: unknown = null;
    try {
      IndexReader.fromBuffer(bad, 'idx');
    } catch (err) {
      caught = err;
    }
    expect(isStorageError(caught, 'corruption')).toBe(true);
  });

  it('refuses a symbol count larger than the symbol table at once (a flipped count took seconds allocating)', async () => {
    const { crc32c } = await import('../encoding/crc32c.js');
    const { buf } = build(fixture().slice(0, 3));
    const off = IndexReader.fromBuffer(buf).toc.symbols;
    const bad = Buffer.from(buf);
    const len = bad.readUInt32BE(off);
    bad.writeUInt32BE(0x7fffffff, off + 4);
    bad.writeUInt32BE(crc32c(bad, off + 4, off + 4 + len), off + 4 + len);
    const start = performance.now();
    expect(() => IndexReader.fromBuffer(bad, 'idx')).toThrow(/idx: symbol table declares 2147483647 symbols/);
    expect(performance.now() - start).toBeLessThan(100);
  });
});
