import { describe, expect, it } from 'vitest';
import { encodeWriteRequestV1, encodeWriteRequestV2, type TestSeries } from '../remote/pb-writer.js';
import { countSamples, firstSeriesHALabels, stripLabel } from './wire.js';

const series = (replica: string | null, cluster: string | null = 'c1', extra: [string, string][] = []): TestSeries[] => [
  {
    labels: [['__name__', 'up'], ...(replica !== null ? ([['__replica__', replica]] as [string, string][]) : []), ...(cluster !== null ? ([['cluster', cluster]] as [string, string][]) : []), ['job', 'node'], ...extra],
    samples: [{ value: 1, timestamp: 1000 }, { value: 2, timestamp: 2000 }],
    exemplars: [{ labels: [['__replica__', 'kept-on-exemplar']], value: 1, timestamp: 1000 }],
  },
  { labels: [['__name__', 'x'], ...(replica !== null ? ([['__replica__', replica]] as [string, string][]) : [])], samples: [{ value: 3, timestamp: 1000 }], histograms: [{ value: 1, timestamp: 1000 }] },
  { labels: [['__name__', 'y']], samples: [{ value: 4, timestamp: 1000 }] },
];

describe('firstSeriesHALabels', () => {
  const f = (raw: Uint8Array, v: '1.0' | '2.0', cl = 'cluster', rl = '__replica__') => firstSeriesHALabels(raw, v, cl, rl);
  for (const [v, enc] of [['1.0', encodeWriteRequestV1], ['2.0', (s: TestSeries[]) => encodeWriteRequestV2(s)]] as const) {
    it(`reads the first series' cluster and replica (${v})`, () => {
      expect(f(enc(series('a')), v)).toEqual({ cluster: 'c1', replica: 'a' });
      expect(f(enc(series(null)), v)).toEqual({ cluster: 'c1', replica: '' });
      expect(f(enc(series('b', null)), v)).toEqual({ cluster: '', replica: 'b' });
      expect(f(enc([]), v)).toEqual({ cluster: '', replica: '' });
      expect(f(enc(series('a', 'c1', [['dc', 'eu']])), v, 'dc', 'job')).toEqual({ cluster: 'eu', replica: 'node' });
    });
  }
});

describe('stripLabel (1.0)', () => {
  it('drops the label from every series and leaves exemplars, samples and histograms alone', () => {
    const got = stripLabel(encodeWriteRequestV1(series('a')), '1.0', '__replica__');
    // The 1.0 encoding of the same series without the label, byte for byte.
    expect(Buffer.from(got).equals(Buffer.from(encodeWriteRequestV1(series(null))))).toBe(true);
  });
  it('returns the same array when no series carries the label', () => {
    const raw = encodeWriteRequestV1(series(null));
    expect(stripLabel(raw, '1.0', '__replica__')).toBe(raw);
  });
  it('keeps metadata after the series', () => {
    const raw = encodeWriteRequestV1(series('a'), [{ type: 1, family: 'up', help: 'h' }]);
    const want = encodeWriteRequestV1(series(null), [{ type: 1, family: 'up', help: 'h' }]);
    expect(Buffer.from(stripLabel(raw, '1.0', '__replica__')).equals(Buffer.from(want))).toBe(true);
  });
});

describe('stripLabel (2.0)', () => {
  it('drops the label refs and keeps the other fields', () => {
    const raw = encodeWriteRequestV2(series('a'));
    const got = stripLabel(raw, '2.0', '__replica__');
    expect(firstSeriesHALabels(got, '2.0', 'cluster', '__replica__')).toEqual({ cluster: 'c1', replica: '' });
    expect(countSamples(got, '2.0')).toBe(5);
    // Each of the two series loses one name/value ref pair (2 bytes each).
    expect(raw.length - got.length).toBe(4);
  });
  it('returns the same array when the name is not a symbol', () => {
    const raw = encodeWriteRequestV2(series(null));
    expect(stripLabel(raw, '2.0', '__replica__')).toBe(raw);
  });
});

describe('countSamples', () => {
  it('counts float and histogram samples', () => {
    expect(countSamples(encodeWriteRequestV1(series('a')), '1.0')).toBe(5);
    expect(countSamples(encodeWriteRequestV2(series('a')), '2.0')).toBe(5);
  });
});

describe('stripLabel on malformed input', () => {
  it('throws DecodeError for a truncated series', () => {
    const raw = encodeWriteRequestV1(series('a'));
    expect(() => stripLabel(raw.subarray(0, raw.length - 3), '1.0', '__replica__')).toThrow(/overruns|unexpected end/);
  });
});
