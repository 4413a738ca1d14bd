import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compareLabels, labelsToString, type Labels } from '../../model/labels.js';
import { ChunkSegmentWriter } from '../chunks/writer.js';
import type { ChunkMeta } from '../index/format.js';
import { INDEX_FILENAME } from '../index/format.js';
import { IndexWriter, collectSymbols } from '../index/writer.js';
import { MemTombstones, writeTombstones } from '../tombstones/tombstones.js';
import { fsyncDir, writeFileAtomic } from './fsutil.js';
import { writeMeta, type BlockMeta } from './meta.js';
import { chunkNumSamples, trimChunk } from './rewrite.js';
import { newULID } from './ulid.js';

/** ChunkData is one encoded chunk with the times of its first and last samples (inclusive). */
export interface ChunkData {
  mint: number;
  maxt: number;
  encoding: number;
  data: Uint8Array;
}

/** ChunkSeries is a series with its chunks in time order, non-overlapping. */
export interface ChunkSeries {
  labels: Labels;
  chunks: ChunkData[];
}

/** BlockWriteInput describes a block to write. */
export interface BlockWriteInput {
  /** mint is the block's first timestamp (inclusive). */
  mint: number;
  /** maxt is the block's end (exclusive, as Prometheus). */
  maxt: number;
  /** series sorted by compareLabels, unique. */
  series: Iterable<ChunkSeries>;
  /** compaction defaults to level 1 with the new block as its only source. */
  compaction?: BlockMeta['compaction'];
  /** now gives the ULID's time (default Date.now). */
  now?: () => number;
  /** maxSegmentSize caps chunk segment files (default 512 MiB). */
  maxSegmentSize?: number;
}

/** TMP_FOR_CREATION_SUFFIX marks a block directory still being written. */
export const TMP_FOR_CREATION_SUFFIX = '.tmp-for-creation';

const YIELD_EVERY = 1000;

/**
 * writeBlock writes <parentDir>/<ulid>.tmp-for-creation then fsyncs and renames it to
 * <parentDir>/<ulid>; returns the meta. Series with no chunks are skipped. Chunks reaching
 * outside [mint, maxt) are trimmed (re-encoded), chunks entirely outside dropped.
 */
export async function writeBlock(parentDir: string, input: BlockWriteInput): Promise<BlockMeta> {
  if (!(input.maxt > input.mint)) throw new RangeError(`writeBlock: maxt ${input.maxt} must be after mint ${input.mint}`);
  const now = input.now ?? Date.now;
  const ulid = newULID(now());
  const tmp = join(parentDir, ulid + TMP_FOR_CREATION_SUFFIX);
  const final = join(parentDir, ulid);
  if (existsSync(final)) throw new Error(`writeBlock: ${final} already exists`);
  mkdirSync(join(tmp, 'chunks'), { recursive: true });
  try {
    const cw = new ChunkSegmentWriter(join(tmp, 'chunks'), { maxSegmentSize: input.maxSegmentSize });
    const kept: { labels: Labels; chunks: ChunkMeta[] }[] = [];
    let numSamples = 0;
    let numChunks = 0;
    let prev: Labels | null = null;
    let n = 0;
    try {
      for (const s of input.series) {
        if (prev !== null && compareLabels(prev, s.labels) >= 0) {
          throw new Error(`writeBlock: series ${labelsToString(s.labels)} is not after ${labelsToString(prev)} (series must be sorted and unique)`);
        }
        prev = s.labels;
        const metas: ChunkMeta[] = [];
        let lastMaxt = -Infinity;
        for (const c0 of s.chunks) {
          const c = trimChunk(c0, input.mint, input.maxt - 1, [], () => `series ${labelsToString(s.labels)}`);
          if (c === null) continue;
          if (c.mint <= lastMaxt || c.maxt < c.mint) {
            throw new Error(`writeBlock: series ${labelsToString(s.labels)}: chunk [${c.mint}, ${c.maxt}] overlaps or precedes the previous chunk`);
          }
          lastMaxt = c.maxt;
          metas.push({ mint: c.mint, maxt: c.maxt, ref: cw.write(c.encoding, c.data) });
          numSamples += chunkNumSamples(c.data);
        }
        if (metas.length === 0) continue;
        numChunks += metas.length;
        kept.push({ labels: s.labels, chunks: metas });
        if (++n % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      cw.close();
    }

    const iw = new IndexWriter(collectSymbols(kept.map((s) => s.labels)));
    for (const s of kept) iw.addSeries(s.labels, s.chunks);
    writeFileAtomic(join(tmp, INDEX_FILENAME), iw.finish());
    writeTombstones(tmp, new MemTombstones());
    const meta: BlockMeta = {
      ulid,
      minTime: input.mint,
      maxTime: input.maxt,
      stats: { numSamples, numSeries: kept.length, numChunks },
      compaction: input.compaction ?? { level: 1, sources: [ulid] },
      version: 1,
    };
    writeMeta(tmp, meta);
    fsyncDir(join(tmp, 'chunks'));
    fsyncDir(tmp);
    renameSync(tmp, final);
    fsyncDir(parentDir);
    return meta;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
