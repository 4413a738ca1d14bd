import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { compareLabels } from '../../model/labels.js';
import { CONFORMANCE_T0, runQuerierConformance, type ConformanceSeries } from '../../storage/querier-conformance.js';
import { ENCODING_XOR, chunkFromSamples } from '../chunkenc/xor.js';
import { Block } from './block.js';
import { writeBlock, type ChunkSeries } from './writer.js';

const parent = mkdtempSync(join(tmpdir(), 'amphora-block-conf-'));
const blocks: Block[] = [];
afterAll(() => {
  for (const b of blocks) b.close();
  rmSync(parent, { recursive: true, force: true });
});

function toChunkSeries(s: ConformanceSeries, perChunk: number): ChunkSeries {
  const chunks = [];
  for (let i = 0; i < s.samples.length; i += perChunk) {
    const part = s.samples.slice(i, i + perChunk);
    const ts = part.map((x) => x[0]);
    const vs = new Float64Array(part.map((x) => x[1])); // typed array keeps the stale NaN payload
    chunks.push({ mint: ts[0]!, maxt: ts[ts.length - 1]!, encoding: ENCODING_XOR, data: chunkFromSamples(ts, vs).bytes().slice() });
  }
  return { labels: s.labels, chunks };
}

// Small chunks (7 samples) so clipping and seeking cross chunk boundaries.
runQuerierConformance('Block', async (data, mint, maxt) => {
  const sorted = [...data].sort((a, b) => compareLabels(a.labels, b.labels));
  const ts = data.flatMap((s) => s.samples.map((x) => x[0]));
  const lo = ts.length ? Math.min(...ts) : CONFORMANCE_T0;
  const hi = ts.length ? Math.max(...ts) + 1 : CONFORMANCE_T0 + 1;
  const meta = await writeBlock(parent, { mint: lo, maxt: hi, series: sorted.map((s) => toChunkSeries(s, 7)) });
  const b = Block.open(join(parent, meta.ulid));
  blocks.push(b);
  return b.querier(mint, maxt);
});
