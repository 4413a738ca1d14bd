import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteWriter } from '../src/tsdb/encoding/buffers.js';
import { readRecords } from '../src/tsdb/wal/reader.js';
import { RECORD_SAMPLES, decodeSamplesRecord, encodeSamplesRecord, recordType } from '../src/tsdb/wal/records.js';
import { WAL } from '../src/tsdb/wal/wal.js';

/** WalBenchOptions sizes the WAL benchmark. */
export interface WalBenchOptions {
  /** loggers is the number of concurrent log() callers (default 8). */
  loggers?: number;
  /** samplesPerRecord is the samples in one record (default 2000). */
  samplesPerRecord?: number;
  /** recordsPerLogger is how many records each logger writes (default 80, so 8 x 80 x 2000 = 1.28M samples). */
  recordsPerLogger?: number;
  /** dir is where the WAL goes (default: a fresh temporary directory, removed after). */
  dir?: string;
}

/** fillColumns makes realistic columns: many series, scrape-like timestamps, slowly changing values. */
function fillColumns(n: number, seed: number) {
  const refs = new Float64Array(n);
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    refs[i] = 1 + ((seed * 7919 + i) % 100_000);
    ts[i] = 1_700_000_000_000 + seed * 15_000 + (i % 17);
    vs[i] = (i % 3 === 0 ? i : i * 0.25) + seed;
  }
  return { refs, ts, vs };
}

/**
 * runWalBench measures encode+log throughput of samples records with concurrent loggers and
 * real fdatasync (group commit), the encoder alone, and replay (read + CRC + decode) speed.
 */
export async function runWalBench(opts: WalBenchOptions = {}): Promise<Record<string, number>> {
  const loggers = opts.loggers ?? 8;
  const n = opts.samplesPerRecord ?? 2000;
  const perLogger = opts.recordsPerLogger ?? 80;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'amphora-walbench-'));
  const own = opts.dir === undefined;
  try {
    // Encoder alone.
    const cols = fillColumns(n, 1);
    const w0 = new ByteWriter(64 * 1024);
    const encRounds = 500;
    let t0 = performance.now();
    let encBytes = 0;
    for (let r = 0; r < encRounds; r++) encBytes += encodeSamplesRecord(cols.refs, cols.ts, cols.vs, n, w0).length;
    const encodeSecs = (performance.now() - t0) / 1000;

    // Encode + log with group commit and real fdatasync.
    const wal = await WAL.open(join(dir, 'wal'));
    const columns = Array.from({ length: loggers }, (_, l) => fillColumns(n, l + 1));
    const writers = Array.from({ length: loggers }, () => new ByteWriter(64 * 1024));
    t0 = performance.now();
    await Promise.all(
      columns.map(async (c, l) => {
        for (let r = 0; r < perLogger; r++) {
          c.ts[0] = c.ts[0]! + 15_000;
          await wal.log([encodeSamplesRecord(c.refs, c.ts, c.vs, n, writers[l])]);
        }
      }),
    );
    const logSecs = (performance.now() - t0) / 1000;
    const stats = wal.stats();
    await wal.close();
    const totalSamples = loggers * perLogger * n;

    // Replay (read + CRC + decode), twice: the first pass warms the JIT and the page cache; the second is reported.
    let replaySamples = 0;
    let replayBytes = 0;
    let sink = 0;
    let replaySecs = 0;
    for (let pass = 0; pass < 2; pass++) {
      replaySamples = 0;
      replayBytes = 0;
      t0 = performance.now();
      await readRecords(join(dir, 'wal'), {}, (rec) => {
        replayBytes += rec.length;
        if (recordType(rec) !== RECORD_SAMPLES) return;
        decodeSamplesRecord(rec, (ref, t, v) => {
          replaySamples++;
          sink += ref + (t & 1) + (v > 0 ? 1 : 0);
        });
      });
      replaySecs = (performance.now() - t0) / 1000;
    }
    if (replaySamples !== totalSamples || sink === 0) throw new Error(`WAL bench replayed ${replaySamples} of ${totalSamples} samples`);

    return {
      wal_encode_samples_per_sec: Math.round((encRounds * n) / encodeSecs),
      wal_encode_bytes_per_sample: +(encBytes / (encRounds * n)).toFixed(2),
      wal_log_samples_per_sec: Math.round(totalSamples / logSecs),
      wal_log_mb_per_sec: +(stats.bytes / 1e6 / logSecs).toFixed(1),
      wal_log_records_per_sec: Math.round(stats.records / logSecs),
      wal_log_fsyncs_per_sec: Math.round(stats.fsyncs / logSecs),
      wal_log_records_per_fsync: +(stats.records / Math.max(1, stats.fsyncs)).toFixed(1),
      wal_log_loggers: loggers,
      wal_replay_samples: replaySamples,
      wal_replay_samples_per_sec: Math.round(replaySamples / replaySecs),
      wal_replay_mb_per_sec: +(replayBytes / 1e6 / replaySecs).toFixed(1),
    };
  } finally {
    if (own) rmSync(dir, { recursive: true, force: true });
  }
}
