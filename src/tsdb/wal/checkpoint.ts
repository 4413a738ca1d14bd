import { readdirSync } from 'node:fs';
import { lastCheckpoint, listCheckpoints } from './checkpoint-dirs.js';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../../storage/errors.js';
import { CHECKPOINT_PREFIX, checkpointDirName, type WALCompression } from './format.js';
import { nodeFileSystem } from './fs.js';
import { noopLogger, type Logger } from './logger.js';
import { readRecords, type WALCorruption } from './reader.js';
import { decodeHistogramRecord, encodeHistogramRecords, isHistogramRecordType } from './histogram-records.js';
import {
  RECORD_SAMPLES,
  RECORD_SERIES,
  RECORD_TOMBSTONES,
  decodeSamplesRecord,
  decodeSeriesRecord,
  decodeTombstonesRecord,
  encodeSamplesRecord,
  encodeSeriesRecord,
  encodeTombstonesRecord,
  recordType,
  type RefTombstone,
} from './records.js';
import { WAL } from './wal.js';

/** CheckpointOptions says which segments to fold in and what to keep. */
export interface CheckpointOptions {
  /** from is the first WAL segment to include (raised to just after the previous checkpoint). */
  from: number;
  /** to is the last WAL segment to include; the checkpoint is named after it. */
  to: number;
  /** mint drops samples with t < mint and tombstones whose intervals all end before it. */
  mint: number;
  /** keepSeries decides which series (and their tombstones) survive. */
  keepSeries: (ref: number) => boolean;
  logger?: Logger;
  /** compression of the checkpoint's records (Prometheus writes a checkpoint as its WAL; default 'none'). */
  compression?: WALCompression;
}

/** CheckpointResult names the new checkpoint and what it dropped. */
export interface CheckpointResult {
  dir: string;
  droppedSeries: number;
  droppedSamples: number;
}

const TMP_SUFFIX = '.tmp';
const FLUSH_BYTES = 1 << 20;

export { lastCheckpoint, listCheckpoints } from './checkpoint-dirs.js';

// Column scratch for filtering samples without per-sample objects (used synchronously per record).
let refs: Float64Array = new Float64Array(4096);
let ts: Float64Array = new Float64Array(4096);
let vs: Float64Array = new Float64Array(4096);
let kept = 0;
let keepMint = 0;
function collect(ref: number, t: number, v: number): void {
  if (t < keepMint) return;
  if (kept === refs.length) {
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    refs = grow(refs);
    ts = grow(ts);
    vs = grow(vs);
  }
  refs[kept] = ref;
  ts[kept] = t;
  vs[kept] = v;
  kept++;
}

/**
 * createCheckpoint writes `checkpoint.NNNNNNNN` (NNNNNNNN = to) from the previous checkpoint
 * plus segments [from..to]: series kept when keepSeries(ref), samples kept when t >= mint,
 * tombstones kept when keepSeries(ref) and an interval ends at or after mint; other record
 * types are dropped. It is written to a .tmp dir, fsynced and renamed; older checkpoints are
 * then removed. Corruption in what it reads fails the checkpoint (nothing is replaced).
 * The caller then truncates segments <= to.
 */
export async function createCheckpoint(walDir: string, opts: CheckpointOptions): Promise<CheckpointResult> {
  const logger = opts.logger ?? noopLogger;
  const prev = lastCheckpoint(walDir);
  let from = opts.from;
  if (prev) {
    if (from > prev.index + 1) {
      throw new StorageError('corruption', `unexpected gap to last checkpoint ${prev.index}: requested segments from ${from}`);
    }
    from = prev.index + 1;
  }
  logger.info({ dir: walDir, from, to: opts.to, mint: opts.mint, previous: prev?.index ?? null }, 'Creating WAL checkpoint');

  for (const e of readdirSync(walDir)) {
    if (e.startsWith(CHECKPOINT_PREFIX) && e.endsWith(TMP_SUFFIX)) await rm(join(walDir, e), { recursive: true, force: true });
  }
  const cpdir = join(walDir, checkpointDirName(opts.to));
  const tmp = cpdir + TMP_SUFFIX;
  await mkdir(tmp, { recursive: true });
  const cp = await WAL.open(tmp, { sync: false, compression: opts.compression ?? 'none' });

  let droppedSeries = 0;
  let droppedSamples = 0;
  let droppedOther = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const writes: Promise<void>[] = [];
  let writeError: unknown;
  const emit = (rec: Uint8Array): void => {
    batch.push(rec);
    batchBytes += rec.length;
    if (batchBytes >= FLUSH_BYTES) flush();
  };
  const flush = (): void => {
    if (batch.length === 0) return;
    writes.push(cp.log(batch).catch((err: unknown) => void (writeError ??= err)));
    batch = [];
    batchBytes = 0;
  };
  const onRecord = (rec: Buffer): void => {
    switch (recordType(rec)) {
      case RECORD_SERIES: {
        const series = decodeSeriesRecord(rec);
        const keep = series.filter((s) => opts.keepSeries(s.ref));
        droppedSeries += series.length - keep.length;
        if (keep.length > 0) emit(encodeSeriesRecord(keep));
        break;
      }
      case RECORD_SAMPLES: {
        kept = 0;
        keepMint = opts.mint;
        let total = 0;
        decodeSamplesRecord(rec, (ref, t, v) => {
          total++;
          collect(ref, t, v);
        });
        droppedSamples += total - kept;
        if (kept > 0) emit(encodeSamplesRecord(refs, ts, vs, kept));
        break;
      }
      case RECORD_TOMBSTONES: {
        const stones = decodeTombstonesRecord(rec);
        const keep: RefTombstone[] = stones.filter((s) => opts.keepSeries(s.ref) && s.intervals.some((iv) => iv.maxt >= opts.mint));
        if (keep.length > 0) emit(encodeTombstonesRecord(keep));
        break;
      }
      default:
        if (isHistogramRecordType(rec.length > 0 ? rec[0]! : 0)) {
          // Histogram samples are kept as Prometheus's checkpoint keeps them: live series, at or after mint.
          const all = decodeHistogramRecord(rec);
          const keep = all.filter((s) => s.t >= opts.mint && opts.keepSeries(s.ref));
          droppedSamples += all.length - keep.length;
          for (const r of encodeHistogramRecords(keep)) emit(r);
        } else droppedOther++;
    }
  };

  try {
    const sources: { dir: string; from?: number; to?: number }[] = [];
    if (prev) sources.push({ dir: prev.dir });
    if (from <= opts.to) sources.push({ dir: walDir, from, to: opts.to });
    for (const src of sources) {
      let corruption: WALCorruption | undefined;
      try {
        ({ corruption } = await readRecords(src.dir, { from: src.from, to: src.to, logger }, onRecord));
      } catch (err) {
        if (err instanceof StorageError) throw err;
        throw new StorageError('corruption', `checkpoint: cannot decode a record in ${src.dir}: ${(err as Error).message}`, { cause: err });
      }
      if (corruption) {
        throw new StorageError('corruption', `checkpoint: segment ${corruption.segment} of ${src.dir} at ${corruption.offset}: ${corruption.message}`);
      }
    }
    flush();
    await Promise.all(writes);
    if (writeError !== undefined) throw writeError;
    await cp.close();
    await nodeFileSystem.syncDir(tmp);
    await rm(cpdir, { recursive: true, force: true });
    await rename(tmp, cpdir);
    await nodeFileSystem.syncDir(walDir);
  } catch (err) {
    await cp.close().catch(() => {});
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }

  for (const c of listCheckpoints(walDir)) {
    if (c.index < opts.to) await rm(join(walDir, c.name), { recursive: true, force: true });
  }
  if (droppedOther > 0) logger.warn({ dir: walDir, records: droppedOther }, 'WAL checkpoint dropped records of types it does not handle');
  logger.info({ dir: cpdir, droppedSeries, droppedSamples }, 'WAL checkpoint created');
  return { dir: cpdir, droppedSeries, droppedSamples };
}
