import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { readSeries, SeriesWriter } from './head-wire.js';

describe('head wire format', () => {
  it('round-trips labels (ASCII and not), chunks and start timestamps', () => {
    const w = new SeriesWriter();
    const a = labelsFromRecord({ __name__: 'm', job: 'api', note: 'héllo ☃ 𝄞', empty: '' });
    const b = labelsFromRecord({ __name__: 'x'.repeat(70_000) });
    w.add(a, [{ mint: 1, maxt: 2, data: new Uint8Array([0, 2, 9, 9]) }, { mint: 3, maxt: 4, data: new Uint8Array([0, 1, 7]) }], [1, 100, 2, 200]);
    w.add(b, [], null);
    const got = readSeries(w.finish());
    expect(got).toHaveLength(2);
    expect(got[0]!.labels).toEqual(a);
    expect(got[0]!.chunks.map((c) => [c.mint, c.maxt, [...c.data]])).toEqual([
      [1, 2, [0, 2, 9, 9]],
      [3, 4, [0, 1, 7]],
    ]);
    expect(got[0]!.startTs).toEqual(new Map([[1, 100], [2, 200]]));
    expect(got[1]!.labels).toEqual(b);
    expect(got[1]!.startTs).toBeNull();
  });

  it('writes a label set seen before (cached bytes) the same as the first time, in any writer', () => {
    const a = labelsFromRecord({ __name__: 'm', note: 'héllo ☃', zone: 'z' });
    const w1 = new SeriesWriter();
    w1.add(a, [], null);
    const first = new Uint8Array(w1.finish(), 0, w1.size).slice();
    const w2 = new SeriesWriter();
    w2.add(labelsFromRecord({ __name__: 'other' }), [], null);
    w2.add(a, [{ mint: 5, maxt: 6, data: new Uint8Array([0, 1, 3]) }], null);
    w2.add(a, [], null);
    const w3 = new SeriesWriter();
    w3.add(a, [], null);
    expect(new Uint8Array(w3.finish(), 0, w3.size)).toEqual(first);
    const got = readSeries(w2.finish());
    expect(got.map((s) => s.labels)).toEqual([labelsFromRecord({ __name__: 'other' }), a, a]);
    expect([...got[1]!.chunks[0]!.data]).toEqual([0, 1, 3]);
  });
});
