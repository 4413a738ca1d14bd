import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { STALE_NAN, isStaleNaN } from '../../model/sample.js';
import { ByteWriter, EncodingError } from '../encoding/buffers.js';
import {
  RECORD_SAMPLES,
  RECORD_SERIES,
  RECORD_TOMBSTONES,
  decodeSamplesInto,
  decodeSamplesRecord,
  decodeSeriesRecord,
  SampleColumns,
  decodeTombstonesRecord,
  encodeSamplesRecord,
  encodeSeriesRecord,
  encodeTombstonesRecord,
  recordType,
} from './records.js';

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function decodeAll(rec: Uint8Array): [number, number, number][] {
  const out: [number, number, number][] = [];
  decodeSamplesRecord(rec, (ref, t, v) => out.push([ref, t, v]));
  return out;
}

describe('golden bytes (hand-derived from tsdb/record/record.go)', () => {
  it('series record: type, BE64 ref, uvarint count, uvarint-length strings', () => {
    const rec = encodeSeriesRecord([{ ref: 1, labels: labelsFromRecord({ __name__: 'up', job: 'a' }) }]);
    expect(hex(rec)).toBe(
      '01' + '0000000000000001' + '02' + '08' + Buffer.from('__name__').toString('hex') + '02' + '7570' + '03' + '6a6f62' + '01' + '61',
    );
  });

  it('samples record: base ref and time as BE64, then zig-zag deltas to the base and BE64 float bits', () => {
    const rec = encodeSamplesRecord([5, 3], [1000, 1005], [1, 2.5], 2);
    expect(hex(rec)).toBe(
      '02' + '0000000000000005' + '00000000000003e8' + '00' + '00' + '3ff0000000000000' + '03' + '0a' + '4004000000000000',
    );
  });

  it('tombstones record: one BE64 ref + zig-zag mint/maxt per interval', () => {
    const rec = encodeTombstonesRecord([{ ref: 7, intervals: [{ mint: -10, maxt: 20 }] }]);
    expect(hex(rec)).toBe('03' + '0000000000000007' + '13' + '28');
  });

  it('empty samples record is just the type byte', () => {
    expect(hex(encodeSamplesRecord([], [], [], 0))).toBe('02');
    expect(decodeAll(new Uint8Array([2]))).toEqual([]);
  });
});

describe('round trips', () => {
  const cases: { name: string; refs: number[]; ts: number[]; vs: number[] }[] = [
    { name: 'one sample', refs: [0], ts: [0], vs: [0] },
    { name: 'negative base time and negative deltas', refs: [10, 2, 10], ts: [-5000, -6000, 1_700_000_000_000], vs: [-1, Infinity, -Infinity] },
    { name: 'refs beyond 2^32 and big deltas', refs: [2 ** 40 + 3, 1, 2 ** 52], ts: [1_700_000_000_000, 1, 2 ** 50], vs: [1e300, 5e-324, -0] },
    { name: 'deltas around the 2^30 fast-path edge', refs: [0, 2 ** 30 - 1, 2 ** 30, 2 ** 31], ts: [0, -(2 ** 30), -(2 ** 30) - 1, 2 ** 31 + 7], vs: [1, 2, 3, 4] },
  ];
  for (const c of cases) {
    it(`samples: ${c.name}`, () => {
      const rec = encodeSamplesRecord(c.refs, c.ts, c.vs, c.refs.length);
      expect(recordType(rec)).toBe(RECORD_SAMPLES);
      const got = decodeAll(rec);
      expect(got.map((s) => s[0])).toEqual(c.refs);
      expect(got.map((s) => s[1])).toEqual(c.ts);
      expect(got.map((s) => s[2])).toEqual(c.vs);
    });
  }

  it('samples from typed arrays, n smaller than the arrays, into a reused writer', () => {
    const n = 2000;
    const refs = new Float64Array(n + 5);
    const ts = new Float64Array(n + 5);
    const vs = new Float64Array(n + 5);
    for (let i = 0; i < n + 5; i++) {
      refs[i] = (i * 7919) % 5000;
      ts[i] = 1_700_000_000_000 + i * 15;
      vs[i] = i / 3;
    }
    const w = new ByteWriter(16);
    encodeSamplesRecord([1], [1], [1], 1, w);
    const rec = encodeSamplesRecord(refs, ts, vs, n, w);
    const got = decodeAll(rec);
    expect(got.length).toBe(n);
    for (let i = 0; i < n; i++) expect(got[i]).toEqual([refs[i], ts[i], vs[i]]);
  });

  it('keeps the stale NaN bit pattern', () => {
    const rec = encodeSamplesRecord([1, 2], [10, 20], [STALE_NAN, NaN], 2);
    const got: number[] = [];
    decodeSamplesRecord(rec, (_r, _t, v) => got.push(v));
    expect(isStaleNaN(got[0]!)).toBe(true);
    expect(isStaleNaN(got[1]!)).toBe(false);
    expect(Buffer.from(rec).subarray(19, 27).toString('hex')).toBe('7ff0000000000002');
  });

  it('series with unicode and empty label sets', () => {
    const series = [
      { ref: 3, labels: labelsFromRecord({ __name__: 'http_requests_total', path: '/ä/ß/😀', code: '200' }) },
      { ref: 2 ** 40, labels: [] },
    ];
    const rec = encodeSeriesRecord(series, new ByteWriter(4));
    expect(recordType(rec)).toBe(RECORD_SERIES);
    expect(decodeSeriesRecord(rec)).toEqual(series);
  });

  it('tombstones with several intervals come back one per interval', () => {
    const rec = encodeTombstonesRecord([
      { ref: 1, intervals: [{ mint: 0, maxt: 10 }, { mint: 20, maxt: 30 }] },
      { ref: 9, intervals: [{ mint: -(2 ** 40), maxt: 2 ** 45 }] },
    ]);
    expect(recordType(rec)).toBe(RECORD_TOMBSTONES);
    expect(decodeTombstonesRecord(rec)).toEqual([
      { ref: 1, intervals: [{ mint: 0, maxt: 10 }] },
      { ref: 1, intervals: [{ mint: 20, maxt: 30 }] },
      { ref: 9, intervals: [{ mint: -(2 ** 40), maxt: 2 ** 45 }] },
    ]);
  });
});

describe('malformed input', () => {
  it('recordType is 0 for unknown or empty records', () => {
    expect(recordType(new Uint8Array([]))).toBe(0);
    expect(recordType(new Uint8Array([4]))).toBe(0);
    expect(recordType(new Uint8Array([255]))).toBe(0);
  });

  const samples = encodeSamplesRecord([1, 2], [100, 200], [1, 2], 2);
  const bad: [string, () => void][] = [
    ['samples: wrong type', () => decodeSamplesRecord(new Uint8Array([1, 0]), () => {})],
    ['samples: truncated header', () => decodeSamplesRecord(samples.subarray(0, 10), () => {})],
    ['samples: truncated value', () => decodeSamplesRecord(samples.subarray(0, samples.length - 1), () => {})],
    ['samples: truncated varint', () => decodeSamplesRecord(new Uint8Array([...samples.subarray(0, 17), 0x80]), () => {})],
    ['series: truncated', () => decodeSeriesRecord(encodeSeriesRecord([{ ref: 1, labels: labelsFromRecord({ a: 'b' }) }]).subarray(0, 12))],
    ['series: wrong type', () => decodeSeriesRecord(samples)],
    ['tombstones: truncated', () => decodeTombstonesRecord(encodeTombstonesRecord([{ ref: 1, intervals: [{ mint: 1, maxt: 2 }] }]).subarray(0, 9))],
  ];
  for (const [name, fn] of bad) {
    it(name, () => expect(fn).toThrow(EncodingError));
  }
});

describe('decodeSamplesInto', () => {
  it('decodes into reused columns, growing them for large records', () => {
    const cols = new SampleColumns();
    const n = 5000;
    const refs = Array.from({ length: n }, (_, i) => (i * 7919) % 3001);
    const ts = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 13 - (i % 5) * 1_000_000);
    const vs = new Float64Array(n).map((_, i) => (i % 11 === 0 ? STALE_NAN : Math.cos(i) * 1e9));
    expect(decodeSamplesInto(encodeSamplesRecord(refs, ts, vs, n), cols)).toBe(n);
    expect(cols.n).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(cols.refs[i]).toBe(refs[i]);
      expect(cols.ts[i]).toBe(ts[i]);
      if (i % 11 === 0) expect(isStaleNaN(cols.vs[i]!)).toBe(true);
      else expect(cols.vs[i]).toBe(vs[i]);
    }
    expect(decodeSamplesInto(encodeSamplesRecord([9], [-5], [1.5], 1), cols)).toBe(1);
    expect([cols.refs[0], cols.ts[0], cols.vs[0], cols.n]).toEqual([9, -5, 1.5, 1]);
    expect(decodeSamplesInto(Uint8Array.of(RECORD_SAMPLES), cols)).toBe(0);
  });

  it('throws on a truncated record and leaves n at 0', () => {
    const cols = new SampleColumns();
    const rec = encodeSamplesRecord([1, 2], [10, 20], [1, 2], 2);
    expect(() => decodeSamplesInto(rec.subarray(0, rec.length - 3), cols)).toThrow(EncodingError);
    expect(cols.n).toBe(0);
  });
});
