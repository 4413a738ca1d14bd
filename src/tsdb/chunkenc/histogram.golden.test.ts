import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FloatHistogramChunk } from './float-histogram.js';
import { ENCODING_HISTOGRAM, HistogramChunk } from './histogram.js';
import { decodeChunk, reencodeChunk, type GoldenChunk } from './test-support.js';

// Chunks a real Prometheus 2.42 wrote into a block (recorded by test/interop/histogram-golden.test.ts
// with AMPHORA_RECORD_GOLDEN=1), with the samples they hold: counter, gauge and float histograms,
// recoded layouts, counter-reset / not-reset / gauge headers, a 9-byte zero threshold.
const recorded = JSON.parse(readFileSync(new URL('./testdata/prometheus-2.42-histogram-chunks.json', import.meta.url), 'utf8')) as { chunks: Array<GoldenChunk & { series: string }> };

describe('histogram chunks written by Prometheus 2.42 (recorded)', () => {
  it('covers every header and both encodings', () => {
    expect(new Set(recorded.chunks.map((c) => c.hex.slice(4, 6)))).toEqual(new Set(['00', '40', '80', 'c0']));
    expect(new Set(recorded.chunks.map((c) => c.encoding))).toEqual(new Set([2, 3]));
  });

  it.each(recorded.chunks.map((c) => [`${c.series} @${c.mint}`, c] as const))('decodes %s to the recorded samples', (_name, c) => {
    expect(decodeChunk(c)).toEqual(c.samples);
  });

  it.each(recorded.chunks.map((c) => [`${c.series} @${c.mint}`, c] as const))('re-encodes %s to the same bytes', (_name, c) => {
    expect(reencodeChunk(c)).toBe(c.hex);
  });

  it('reports truncated chunk bytes as an error, not as samples', () => {
    const c = recorded.chunks.find((x) => x.series === 'golden_hist_a')!;
    const data = Buffer.from(c.hex, 'hex').subarray(0, 40);
    const it = c.encoding === ENCODING_HISTOGRAM ? new HistogramChunk(data).iterator() : new FloatHistogramChunk(data).iterator();
    let n = 0;
    while (it.next()) n++;
    expect(n).toBeLessThan(c.samples.length);
    expect(it.err()?.message).toMatch(/histogram chunk: data ends early/);
  });
});
