import { nopLogger, type Logger } from '../model/logger.js';
import type { WALFileSystem } from './wal/fs.js';

/** HOUR is one hour in milliseconds. */
export const HOUR = 3_600_000;
/** DAY is one day in milliseconds. */
export const DAY = 24 * HOUR;

/** TSDBOptions configure one TSDB (one workspace's storage). */
export interface TSDBOptions {
  /** blockRange is the duration of a freshly cut block, in ms (Prometheus's min block duration, 2h). */
  blockRange: number;
  /** retention returns the live retention period in ms (default 150 days). */
  retention: () => number;
  /** outOfOrderWindow returns the live out-of-order acceptance window in ms (default 0). */
  outOfOrderWindow: () => number;
  /** walSegmentSize is the WAL segment size in bytes. */
  walSegmentSize: number;
  /** walCompression stores WAL records snappy-compressed (when smaller), as Prometheus does by default; off: as they are. Reading handles both. */
  walCompression: boolean;
  /** sync is false only in benchmarks: it skips fsync. */
  sync: boolean;
  /** walFileSystem is the WAL's file I/O (default: the real file system); tests inject ENOSPC through it. */
  walFileSystem?: WALFileSystem;
  /** compactionInterval is how often the background loop checks for work, in ms (0 disables it). */
  compactionInterval: number;
  logger: Logger;
  now: () => number;
}

/** defaultTSDBOptions returns the defaults: 2h blocks, 150-day retention, no out-of-order window, snappy-compressed WAL. */
export function defaultTSDBOptions(): TSDBOptions {
  return {
    blockRange: 2 * HOUR,
    retention: () => 150 * DAY,
    outOfOrderWindow: () => 0,
    walSegmentSize: 128 * 1024 * 1024,
    walCompression: true,
    sync: true,
    compactionInterval: 60_000,
    logger: nopLogger,
    now: () => Date.now(),
  };
}
