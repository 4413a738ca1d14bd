import type { FloatHistogram, Histogram } from '../../model/histogram/types.js';
import type { ChunkData } from '../block/writer.js';
import { floatHistogramChunksFromSamples } from '../chunkenc/float-histogram.js';
import { histogramChunksFromSamples } from '../chunkenc/histogram.js';
import type { HistSamples } from './hist-samples.js';

/**
 * histogramChunks encodes a series' histogram samples with mint <= t <= maxt (outside the deleted intervals) into
 * Prometheus's histogram (integer runs) and float histogram (float runs) chunks: a new chunk where the kind changes
 * and every samplesPerChunk samples (as 2.42's head cuts them), and wherever the codec cuts (counter resets,
 * schema or threshold changes).
 */
export function histogramChunks(hs: HistSamples, mint: number, maxt: number, samplesPerChunk: number, tombstones: readonly number[] | null): ChunkData[] {
  const out: ChunkData[] = [];
  let ints: { t: number; h: Histogram }[] = [];
  let floats: { t: number; h: FloatHistogram }[] = [];
  const flushInts = (): void => {
    if (ints.length === 0) return;
    for (const c of histogramChunksFromSamples(ints)) out.push(chunkData(c.bytes(), c.encoding(), c.iterator()));
    ints = [];
  };
  const flushFloats = (): void => {
    if (floats.length === 0) return;
    for (const c of floatHistogramChunksFromSamples(floats)) out.push(chunkData(c.bytes(), c.encoding(), c.iterator()));
    floats = [];
  };
  for (let i = 0; i < hs.n; i++) {
    const t = hs.t[i]!;
    if (t < mint) continue;
    if (t > maxt) break;
    if (tombstones !== null && deleted(tombstones, t)) continue;
    if (hs.isInt(i)) {
      flushFloats();
      ints.push({ t, h: hs.intAt(i) });
      if (ints.length >= samplesPerChunk) flushInts();
    } else {
      flushInts();
      floats.push({ t, h: hs.floatAt(i) });
      if (floats.length >= samplesPerChunk) flushFloats();
    }
  }
  flushInts();
  flushFloats();
  return out;
}

/** chunkData copies a chunk's bytes and finds its first and last timestamps by iterating it. */
function chunkData(bytes: Uint8Array, encoding: number, it: { next(): boolean; atT(): number }): ChunkData {
  let mint = Infinity;
  let maxt = -Infinity;
  while (it.next()) {
    const t = it.atT();
    if (t < mint) mint = t;
    maxt = t;
  }
  return { mint, maxt, encoding, data: bytes.slice() };
}

function deleted(ts: readonly number[], t: number): boolean {
  for (let i = 0; i < ts.length; i += 2) if (t >= ts[i]! && t <= ts[i + 1]!) return true;
  return false;
}
