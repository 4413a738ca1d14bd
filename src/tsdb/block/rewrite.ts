import { StorageError } from '../../storage/errors.js';
import { decodeMixed, encodeMixed } from '../chunkenc/mixed.js';
import { ENCODING_XOR, XORChunk, chunkFromSamples } from '../chunkenc/xor.js';
import { intervalsCover, intervalsOverlap, intervalsContain, type Intervals } from '../tombstones/intervals.js';
import type { ChunkData } from './writer.js';

/**
 * trimChunk returns the chunk restricted to samples in [mint, maxt] and outside the deleted
 * intervals: the chunk itself when nothing is removed, a re-encoded chunk of the same encoding
 * when some samples are, and null when none remain.
 */
export function trimChunk(c: ChunkData, mint: number, maxt: number, deleted: Intervals, name: () => string = () => 'chunk'): ChunkData | null {
  if (c.maxt < mint || c.mint > maxt) return null;
  if (intervalsCover(deleted, c.mint, c.maxt)) return null;
  const inRange = c.mint >= mint && c.maxt <= maxt;
  if (inRange && !intervalsOverlap(deleted, c.mint, c.maxt)) return c;
  if (c.encoding !== ENCODING_XOR) return trimHistogramChunk(c, mint, maxt, deleted, name);
  const ts: number[] = [];
  const vs = new Float64Array(c.data.length < 2 ? 0 : (c.data[0]! << 8) | c.data[1]!);
  const it = new XORChunk(c.data).iterator();
  while (it.next()) {
    const t = it.atT();
    if (t < mint || t > maxt || intervalsContain(deleted, t)) continue;
    vs[ts.length] = it.atV();
    ts.push(t);
  }
  const err = it.err();
  if (err !== null) throw new StorageError('corruption', `${name()}: ${err.message}`, { cause: err });
  if (ts.length === 0) return null;
  const out = chunkFromSamples(ts, vs.subarray(0, ts.length));
  return { mint: ts[0]!, maxt: ts[ts.length - 1]!, encoding: ENCODING_XOR, data: out.bytes().slice() };
}

/** chunkNumSamples reads the sample count from a chunk's 2-byte header (XOR and histogram chunks alike). */
export function chunkNumSamples(data: Uint8Array): number {
  return data.length < 2 ? 0 : (data[0]! << 8) | data[1]!;
}

/** trimHistogramChunk is trimChunk for (float) histogram chunks: a subset of a chunk's samples always fits one chunk. */
function trimHistogramChunk(c: ChunkData, mint: number, maxt: number, deleted: Intervals, name: () => string): ChunkData | null {
  let out;
  try {
    const kept = decodeMixed(c, (t) => t >= mint && t <= maxt && !intervalsContain(deleted, t));
    out = encodeMixed(kept, 0xffff);
  } catch (err) {
    throw new StorageError('corruption', `${name()}: ${(err as Error).message}`, { cause: err });
  }
  if (out.length > 1) throw new StorageError('corruption', `${name()}: trimmed samples of one histogram chunk needed ${out.length} chunks`);
  return out[0] ?? null;
}
