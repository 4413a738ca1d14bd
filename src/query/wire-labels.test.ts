import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { readSeries, SeriesWriter } from './head-wire.js';
import { useWireLabelCache, WireLabelCache } from './wire-labels.js';

function reply(sets: ReturnType<typeof labelsFromRecord>[]): ArrayBuffer {
  const w = new SeriesWriter();
  for (const [i, l] of sets.entries()) w.add(l, [{ mint: i, maxt: i + 1, data: new Uint8Array([0, 1, i]) }], null);
  return w.finish();
}

afterEach(() => useWireLabelCache(null));

describe('WireLabelCache', () => {
  it('readSeries through the cache decodes the same labels and chunks, and a set seen before is the same object', () => {
    const a = labelsFromRecord({ __name__: 'm', job: 'api', note: 'héllo ☃ 𝄞', empty: '' });
    const b = labelsFromRecord({ __name__: 'm', job: 'api2' });
    const c = labelsFromRecord({ __name__: 'x'.repeat(70_000) });
    const want = readSeries(reply([a, b, c, a]));
    const cache = new WireLabelCache(100);
    useWireLabelCache(cache);
    const first = readSeries(reply([a, b, c, a]));
    const second = readSeries(reply([b, a, c]));
    expect(first.map((s) => s.labels)).toEqual(want.map((s) => s.labels));
    expect(first.map((s) => [...s.chunks[0]!.data])).toEqual(want.map((s) => [...s.chunks[0]!.data]));
    expect(second.map((s) => s.labels)).toEqual([b, a, c]);
    expect(second[1]!.labels).toBe(first[0]!.labels);
    expect(second[0]!.labels).toBe(first[1]!.labels);
    expect(cache.size).toBe(3);
  });

  it('starts over when full and still decodes every set right', () => {
    const cache = new WireLabelCache(4);
    useWireLabelCache(cache);
    const sets = Array.from({ length: 10 }, (_, i) => labelsFromRecord({ __name__: 'm', i: String(i) }));
    for (let round = 0; round < 2; round++) expect(readSeries(reply(sets)).map((s) => s.labels)).toEqual(sets);
    expect(cache.size).toBeLessThanOrEqual(4);
  });
});
