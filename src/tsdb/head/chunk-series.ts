import { compareLabels } from '../../model/labels.js';
import type { ChunkData, ChunkSeries } from '../block/writer.js';
import { ENCODING_XOR, XORChunk } from '../chunkenc/xor.js';
import { HeadSeriesIterator } from './iterator.js';
import { snapshotSeries } from './querier.js';
import type { MemSeries } from './series.js';

/**
 * chunkSeriesOf yields, sorted by labels, each series' chunks restricted to [mint, maxt):
 * chunks wholly inside are passed through; chunks straddling a boundary, series with
 * out-of-order samples or tombstones in range are re-encoded from the merged samples.
 */
export function* chunkSeriesOf(
  all: readonly MemSeries[],
  mint: number,
  maxt: number,
  samplesPerChunk: number,
): Generator<ChunkSeries> {
  const last = maxt - 1;
  const picked = all.filter((s) => s.minT <= last && s.maxT >= mint);
  picked.sort((a, b) => compareLabels(a.labels, b.labels));
  for (const s of picked) {
    const chunks = seriesChunks(s, mint, last, samplesPerChunk);
    if (chunks.length > 0) yield { labels: s.labels, chunks };
  }
}

function seriesChunks(s: MemSeries, mint: number, last: number, samplesPerChunk: number): ChunkData[] {
  const snap = snapshotSeries(s, mint, last);
  if (snap === null) return [];
  const out: ChunkData[] = [];
  if (snap.oooN > 0 || snap.tombstones !== null) {
    reencode(new HeadSeriesIterator(snap), samplesPerChunk, out);
    return out;
  }
  for (const c of snap.chunks) {
    if (c.mint >= mint && c.maxt <= last) {
      const data = c.data ?? c.chunk!.bytes().slice();
      out.push({ mint: c.mint, maxt: c.maxt, encoding: ENCODING_XOR, data });
    } else {
      const it = new HeadSeriesIterator({
        chunks: [c],
        oooT: null,
        oooV: null,
        oooN: 0,
        tombstones: null,
        startTs: null,
        mint,
        maxt: Math.min(last, c.maxt),
      });
      reencode(it, samplesPerChunk, out);
    }
  }
  return out;
}

function reencode(it: HeadSeriesIterator, samplesPerChunk: number, out: ChunkData[]): void {
  let c: XORChunk | null = null;
  let app: { append(t: number, v: number): void } | null = null;
  let n = 0;
  let cmin = 0;
  let cmax = 0;
  while (it.next()) {
    const t = it.atT();
    if (c === null || n >= samplesPerChunk) {
      if (c !== null) out.push({ mint: cmin, maxt: cmax, encoding: ENCODING_XOR, data: c.bytes().slice() });
      c = new XORChunk();
      app = c.appender();
      n = 0;
      cmin = t;
    }
    app!.append(t, it.atV());
    cmax = t;
    n++;
  }
  if (c !== null) out.push({ mint: cmin, maxt: cmax, encoding: ENCODING_XOR, data: c.bytes().slice() });
}
