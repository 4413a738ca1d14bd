import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMeta, parseMeta, readMeta, writeMeta, type BlockMeta } from './meta.js';
import { isULID, newULID, ulidTime } from './ulid.js';

describe('ulid', () => {
  it('encodes time in the first 10 characters and sorts by time', () => {
    const a = newULID(1_700_000_000_000, () => 0.999);
    const b = newULID(1_700_000_000_001, () => 0);
    expect(a).toHaveLength(26);
    expect(isULID(a)).toBe(true);
    expect(a < b).toBe(true);
    expect(ulidTime(a)).toBe(1_700_000_000_000);
    expect(newULID(0, () => 0)).toBe('00000000000000000000000000');
    expect(newULID(2 ** 48 - 1, () => 0.99999).slice(0, 10)).toBe('7ZZZZZZZZZ');
    expect(newULID(5)).not.toBe(newULID(5));
    expect(() => newULID(-1)).toThrow(RangeError);
  });
  it('matches a known ULID timestamp encoding', () => {
    // The ulid package's README: ulid(1469918176385) starts with 01ARYZ6S41.
    expect(newULID(1469918176385, () => 0).slice(0, 10)).toBe('01ARYZ6S41');
  });
});

describe('meta.json', () => {
  const meta: BlockMeta = {
    ulid: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    minTime: 1000,
    maxTime: 2000,
    stats: { numSamples: 10, numSeries: 2, numChunks: 3 },
    compaction: { level: 2, sources: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'], parents: [{ ulid: '01ARZ3NDEKTSV4RRFFQ69G5FAA', minTime: 1000, maxTime: 1500 }] },
    version: 1,
  };
  it('round-trips through a file in Prometheus layout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amphora-meta-'));
    try {
      writeMeta(dir, meta);
      expect(readMeta(dir)).toEqual(meta);
      const text = readFileSync(join(dir, 'meta.json'), 'utf8');
      expect(text).toContain('\t"ulid": "01ARZ3NDEKTSV4RRFFQ69G5FAV"');
      expect(text).not.toContain('deletable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('parses a Prometheus meta.json and rejects bad ones', () => {
    const prom = '{"ulid":"01ARZ3NDEKTSV4RRFFQ69G5FAV","minTime":1,"maxTime":2,"stats":{"numSamples":5,"numSeries":1,"numChunks":1},"compaction":{"level":1,"sources":["01ARZ3NDEKTSV4RRFFQ69G5FAV"]},"version":1}';
    expect(parseMeta(prom, 'x').stats.numSamples).toBe(5);
    expect(() => parseMeta('{', 'x')).toThrow(/invalid JSON/);
    expect(() => parseMeta(prom.replace('"version":1', '"version":3'), 'x')).toThrow(/version/);
    expect(() => parseMeta(prom.replace('"maxTime":2', '"maxTime":0'), 'x')).toThrow(/before minTime/);
    expect(() => parseMeta(prom.replace('01ARZ3NDEKTSV4RRFFQ69G5FAV"', 'nope"'), 'x')).toThrow(/ulid/);
    expect(formatMeta(meta)).toContain('"parents"');
  });
});
