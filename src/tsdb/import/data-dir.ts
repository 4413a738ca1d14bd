import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { nopLogger, type Logger } from '../../model/logger.js';
import { Block } from '../block/block.js';
import { fsyncDir } from '../block/fsutil.js';
import { readMeta, writeMeta } from '../block/meta.js';
import { TMP_FOR_CREATION_SUFFIX, writeBlock } from '../block/writer.js';
import { listBlockDirs } from '../block-dirs.js';
import { Head } from '../head/head.js';
import { findLastCheckpoint } from '../head/replay.js';
import { readRecords } from '../wal/reader.js';
import { RECORD_SAMPLES, decodeSamplesRecord, recordType } from '../wal/records.js';

/** ImportDataDirOptions say which Prometheus data directory goes into which TSDB directory. */
export interface ImportDataDirOptions {
  /** src is a Prometheus data directory (`--storage.tsdb.path`): block directories and `wal/`. */
  src: string;
  /** dst is the workspace's TSDB directory (`<data-dir>/workspaces/<id>`). */
  dst: string;
  /** blockRange is the range the WAL's samples are cut into blocks by (default 2h, aligned as Prometheus). */
  blockRange?: number;
  logger?: Logger;
}

/** ImportDataDirResult lists what was imported. */
export interface ImportDataDirResult {
  /** blocks are the ULIDs of the Prometheus blocks copied. */
  blocks: string[];
  /** walBlocks are the ULIDs of the blocks written from the WAL's samples. */
  walBlocks: string[];
  walSeries: number;
  walSamples: number;
}

/** ImportError is a data directory that cannot be imported as it is (nothing was changed). */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** walMinTime returns the oldest sample time in a WAL directory (checkpoint and segments), or Infinity when it has none. */
async function walMinTime(walDir: string): Promise<number> {
  let min = Infinity;
  const onRecord = (rec: Buffer): void => {
    if (recordType(rec) === RECORD_SAMPLES) decodeSamplesRecord(rec, (_ref, t) => void (t < min && (min = t)));
  };
  const cp = findLastCheckpoint(walDir);
  if (cp) await readRecords(cp.dir, {}, onRecord);
  await readRecords(walDir, cp ? { from: cp.index + 1 } : {}, onRecord);
  return min;
}

/**
 * importPrometheusDataDir imports a whole Prometheus data directory into a TSDB directory: every block
 * (verified, copied, meta.json without compaction parents) and the WAL (checkpoint and segments,
 * snappy-compressed or not) replayed as Prometheus would (samples older than the newest block dropped)
 * and cut into 2h-aligned blocks. It refuses, before changing anything, blocks whose ULID exists and
 * data newer than the oldest sample in the destination's own WAL (its replay would drop those samples).
 */
export async function importPrometheusDataDir(o: ImportDataDirOptions): Promise<ImportDataDirResult> {
  const logger = o.logger ?? nopLogger;
  const range = o.blockRange ?? 2 * 3_600_000;
  const srcBlocks = listBlockDirs(o.src);
  const srcWal = join(o.src, 'wal');
  if (srcBlocks.length === 0 && !existsSync(srcWal)) throw new ImportError(`${o.src} is neither a block directory nor a Prometheus data directory (no blocks, no wal/)`);
  let maxBlockTime = -Infinity;
  for (const dir of srcBlocks) {
    const b = Block.open(dir);
    maxBlockTime = Math.max(maxBlockTime, b.meta.maxTime);
    b.close();
    if (existsSync(join(o.dst, basename(dir)))) throw new ImportError(`block ${basename(dir)} already exists in ${o.dst}`);
  }
  const head = new Head({ chunkRange: range, wal: null });
  head.setMinValidTime(maxBlockTime);
  const replay = existsSync(srcWal) ? await head.replayWAL(srcWal, { logger }) : { series: 0, samples: 0 };
  if ('corruption' in replay && replay.corruption) logger.warn({ wal: srcWal, corruption: replay.corruption }, 'the WAL has a corrupt tail; imported up to it');
  const newest = Math.max(maxBlockTime - 1, head.maxTime());
  const ownWalMin = await walMinTime(join(o.dst, 'wal'));
  if (Number.isFinite(newest) && newest >= ownWalMin) {
    throw new ImportError(
      `the data reaches ${new Date(newest).toISOString()}, past the oldest sample (${new Date(ownWalMin).toISOString()}) in the workspace's WAL; the workspace's next start would drop its own newer WAL samples. Import into a workspace without recent data`,
    );
  }
  mkdirSync(o.dst, { recursive: true });
  const blocks: string[] = [];
  for (const dir of srcBlocks) {
    const ulid = basename(dir);
    const tmp = join(o.dst, ulid + TMP_FOR_CREATION_SUFFIX);
    cpSync(dir, tmp, { recursive: true });
    const meta = readMeta(tmp);
    writeMeta(tmp, { ...meta, compaction: { level: meta.compaction.level, sources: meta.compaction.sources } });
    fsyncDir(tmp);
    renameSync(tmp, join(o.dst, ulid));
    blocks.push(ulid);
  }
  const walBlocks: string[] = [];
  const min = head.minTime();
  const max = head.maxTime();
  if (Number.isFinite(min)) {
    for (let lo = Math.floor(min / range) * range; lo <= max; lo += range) {
      const meta = await writeBlock(o.dst, { mint: Math.max(lo, min), maxt: Math.min(lo + range, max + 1), series: head.chunkSeries(lo, lo + range) });
      if (meta.stats.numSamples === 0) rmSync(join(o.dst, meta.ulid), { recursive: true, force: true });
      else walBlocks.push(meta.ulid);
    }
  }
  fsyncDir(o.dst);
  logger.info({ src: o.src, dst: o.dst, blocks, walBlocks, walSamples: replay.samples }, 'imported a Prometheus data directory');
  return { blocks, walBlocks, walSeries: replay.series, walSamples: replay.samples };
}
