import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../model/logger.js';
import { CHECKPOINT_PREFIX } from '../wal/format.js';
import { readRecords, type WALCorruption } from '../wal/reader.js';
import {
  decodeSamplesInto,
  decodeSeriesRecord,
  decodeTombstonesRecord,
  RECORD_SAMPLES,
  RECORD_SERIES,
  RECORD_TOMBSTONES,
  recordType,
  SampleColumns,
} from '../wal/records.js';
import type { Head } from './head.js';
import { decodeHistogramRecord, isHistogramRecordType } from '../wal/histogram-records.js';

/** ReplayResult counts what a WAL replay loaded; corruption locates a torn or corrupt tail, if any. */
export interface ReplayResult {
  series: number;
  samples: number;
  /** histograms counts the native histogram samples among samples. */
  histograms: number;
  /** unknownRefs counts samples and tombstones for series never defined in the WAL (dropped). */
  unknownRefs: number;
  /** dropped counts samples refused on replay (out of order beyond the window, duplicates, older than minValidTime). */
  dropped: number;
  /** checkpoint is the segment number of the checkpoint replayed first, or -1. */
  checkpoint: number;
  corruption?: WALCorruption;
}

/** findLastCheckpoint returns the newest complete checkpoint directory in walDir, or null. */
export function findLastCheckpoint(walDir: string): { dir: string; index: number } | null {
  let names: string[];
  try {
    names = readdirSync(walDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let best = -1;
  for (const n of names) {
    if (!n.startsWith(CHECKPOINT_PREFIX)) continue;
    const rest = n.slice(CHECKPOINT_PREFIX.length);
    if (!/^\d+$/.test(rest)) continue;
    const i = Number(rest);
    if (i > best) best = i;
  }
  if (best < 0) return null;
  return { dir: join(walDir, CHECKPOINT_PREFIX + String(best).padStart(8, '0')), index: best };
}

/** replayWALInto loads the last checkpoint and the later segments of walDir into the head. */
export async function replayWALInto(head: Head, walDir: string, opts: { logger?: Logger }): Promise<ReplayResult> {
  const res: ReplayResult = { series: 0, samples: 0, histograms: 0, unknownRefs: 0, dropped: 0, checkpoint: -1 };
  const logger = opts.logger;
  const cols = new SampleColumns();
  const onRecord = (rec: Uint8Array, segment: number): void => {
    try {
      applyRecord(head, rec, res, cols);
    } catch (err) {
      const message = `segment ${segment}: undecodable record: ${(err as Error).message}`;
      logger?.warn({ walDir, segment, err: (err as Error).message }, 'skipped an undecodable WAL record');
      res.corruption ??= { segment, offset: -1, message };
    }
  };
  const cp = findLastCheckpoint(walDir);
  const readerOpts = logger ? { logger } : {};
  if (cp !== null) {
    res.checkpoint = cp.index;
    const r = await readRecords(cp.dir, readerOpts, onRecord);
    if (r.corruption) res.corruption ??= r.corruption;
  }
  const r = await readRecords(walDir, cp !== null ? { ...readerOpts, from: cp.index + 1 } : readerOpts, onRecord);
  if (r.corruption) res.corruption ??= r.corruption;
  if (res.unknownRefs > 0) logger?.warn({ walDir, unknownRefs: res.unknownRefs }, 'WAL replay met samples of unknown series');
  return res;
}

function applyRecord(head: Head, rec: Uint8Array, res: ReplayResult, cols: SampleColumns): void {
  switch (recordType(rec)) {
    case RECORD_SERIES:
      for (const s of decodeSeriesRecord(rec)) {
        head.createWithRef(s.ref, s.labels);
        res.series++;
      }
      return;
    case RECORD_SAMPLES: {
      // Decode into reused columns, then apply in a plain loop (no per-sample callback).
      const n = decodeSamplesInto(rec, cols);
      const { refs, ts, vs } = cols;
      let samples = 0;
      let dropped = 0;
      let unknown = 0;
      for (let i = 0; i < n; i++) {
        const s = head.resolveRef(refs[i]!);
        if (s === undefined) unknown++;
        else if (head.appendReplayed(s, ts[i]!, vs[i]!)) samples++;
        else dropped++;
      }
      res.samples += samples;
      res.dropped += dropped;
      res.unknownRefs += unknown;
      return;
    }
    case RECORD_TOMBSTONES:
      for (const st of decodeTombstonesRecord(rec)) {
        const s = head.resolveRef(st.ref);
        if (s === undefined) {
          res.unknownRefs++;
          continue;
        }
        for (const iv of st.intervals) s.addTombstone(iv.mint, iv.maxt);
      }
      return;
    default:
      if (isHistogramRecordType(rec[0] ?? 0)) {
        for (const hs of decodeHistogramRecord(rec)) {
          const s = head.resolveRef(hs.ref);
          if (s === undefined) res.unknownRefs++;
          else if (head.appendReplayedHistogram(s, hs.t, hs.h, hs.fh)) {
            res.samples++;
            res.histograms++;
          } else res.dropped++;
        }
      }
      return; // other record types (exemplars, metadata) are not kept by the head
  }
}
