import { mkdir } from 'node:fs/promises';
import { StorageError } from '../../storage/errors.js';
import { lastCheckpoint } from './checkpoint-dirs.js';
import { DEFAULT_SEGMENT_SIZE, PAGE_SIZE, firstGap, listSegments, segmentPath, type WALCompression } from './format.js';
import { FragmentEncoder, type PendingBatch } from './fragments.js';
import { nodeFileSystem, type WALFileSystem } from './fs.js';
import { noopLogger, type Logger } from './logger.js';
import { scanSegment } from './segment-scan.js';

/** WALOptions configures a WAL; every field has a default. */
export interface WALOptions {
  /** segmentSize is the segment size in bytes, a multiple of 32 KiB (default 128 MiB). */
  segmentSize?: number;
  /** logger receives repair warnings and notable events. */
  logger?: Logger;
  /** sync fdatasyncs every batch before acknowledging it (default true; false only for benchmarks). */
  sync?: boolean;
  /** fs is the file I/O layer (default: the real file system); tests inject failures here. */
  fs?: WALFileSystem;
  /** compression stores records snappy-compressed when smaller, as Prometheus by default (default 'none'; reading handles both). */
  compression?: WALCompression;
}

/** WALStats counts the writer's work since open. */
export interface WALStats {
  /** records is how many records were handed to log(). */
  records: number;
  /** batches is how many group commits were written. */
  batches: number;
  /** fsyncs is how many fdatasync calls were made on segments. */
  fsyncs: number;
  /** bytes is how many bytes were written to segments. */
  bytes: number;
  /** failures is how many batches failed. */
  failures: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** toStorageError classifies an I/O failure: ENOSPC/EDQUOT is disk_full, anything else io. */
function toStorageError(err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const msg = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError('disk_full', `WAL write: ${msg}`, { cause: err });
  return new StorageError('io', `WAL write: ${msg}`, { cause: err });
}

/**
 * WAL is a write-ahead log in Prometheus's on-disk format (wal/ segments of 32 KiB pages).
 * log() encodes synchronously into memory; one background loop writes and fdatasyncs, and
 * every log() that arrives while a sync runs joins the next one (group commit).
 */
export class WAL {
  private readonly fs: WALFileSystem;
  private readonly sync: boolean;
  private readonly logger: Logger;
  private readonly enc: FragmentEncoder;
  /** compression is how this WAL stores the records it writes (a checkpoint of it uses the same). */
  readonly compression: WALCompression;
  private waiters: Waiter[] = [];
  private idleWaiters: (() => void)[] = [];
  private running = false;
  private scheduled = false;
  private closed = false;
  private fd = -1;
  private fdSeg = -1;
  /** syncedSeg/syncedOff is the end of the log as durably written. */
  private syncedSeg: number;
  private syncedOff = 0;
  /** dirty means a failed batch may have left bytes past syncedOff (or newer segment files). */
  private dirty = false;
  private createdUpTo: number;
  private firstSeg: number;
  private readonly counters: WALStats = { records: 0, batches: 0, fsyncs: 0, bytes: 0, failures: 0 };

  private constructor(
    /** dir is the WAL directory. */
    readonly dir: string,
    opts: Required<WALOptions>,
    seg: number,
    fd: number,
    firstSeg: number,
  ) {
    this.fs = opts.fs;
    this.sync = opts.sync;
    this.logger = opts.logger;
    this.compression = opts.compression;
    this.enc = new FragmentEncoder(opts.segmentSize, seg, 0, opts.compression);
    this.fd = fd;
    this.fdSeg = seg;
    this.syncedSeg = seg;
    this.createdUpTo = seg;
    this.firstSeg = firstSeg;
  }

  /** open creates dir if needed, repairs a torn or corrupt tail of the last segment, and starts a new segment after it. */
  static async open(dir: string, options: WALOptions = {}): Promise<WAL> {
    const opts: Required<WALOptions> = {
      segmentSize: options.segmentSize ?? DEFAULT_SEGMENT_SIZE,
      logger: options.logger ?? noopLogger,
      sync: options.sync ?? true,
      fs: options.fs ?? nodeFileSystem,
      compression: options.compression ?? 'none',
    };
    if (opts.segmentSize <= 0 || opts.segmentSize % PAGE_SIZE !== 0) {
      throw new RangeError(`WAL segment size ${opts.segmentSize} must be a positive multiple of ${PAGE_SIZE}`);
    }
    await mkdir(dir, { recursive: true });
    const segs = listSegments(dir);
    const gap = firstGap(segs);
    if (gap >= 0) throw new StorageError('corruption', `WAL segments in ${dir} are not sequential (gap before ${gap})`);
    // With no segments left, continue after the newest checkpoint so a replay from it sees new records.
    let next = (lastCheckpoint(dir)?.index ?? -1) + 1;
    if (segs.length > 0) {
      const last = segs[segs.length - 1]!;
      await repairLastSegment(dir, last, opts);
      next = last + 1;
    }
    const fd = await opts.fs.open(segmentPath(dir, next));
    if (opts.sync) await opts.fs.syncDir(dir);
    opts.logger.info({ dir, first: segs[0] ?? next, segment: next }, 'WAL opened');
    return new WAL(dir, opts, next, fd, segs[0] ?? next);
  }

  /** log appends records (each one logical record, fragmented over pages as Prometheus does) and resolves once they are durable; it rejects with StorageError 'disk_full' or 'io', and then none of this batch is left on disk. */
  log(records: readonly Uint8Array[]): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('closed', 'WAL is closed'));
    for (let i = 0; i < records.length; i++) this.enc.add(records[i]!);
    this.counters.records += records.length;
    return this.commit();
  }

  /** segments returns [first, last] segment numbers present (last is the one being written). */
  segments(): { first: number; last: number } {
    return { first: this.firstSeg, last: this.enc.seg };
  }

  /** nextSegment closes the current segment (padding its last page as Prometheus) and starts a new one; it returns the new number. */
  async nextSegment(): Promise<number> {
    if (this.closed) throw new StorageError('closed', 'WAL is closed');
    const n = this.enc.nextSegment();
    await this.commit();
    return n;
  }

  /** truncate deletes segments with number < upTo (never the segment being written). */
  async truncate(upTo: number): Promise<void> {
    const active = Math.min(this.enc.seg, this.syncedSeg, this.fdSeg >= 0 ? this.fdSeg : Infinity);
    const limit = Math.min(upTo, active);
    let removed = 0;
    for (const s of listSegments(this.dir)) {
      if (s >= limit) break;
      try {
        await this.fs.unlink(segmentPath(this.dir, s));
        removed++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw toStorageError(err);
      }
    }
    if (removed > 0 && this.sync) await this.fs.syncDir(this.dir);
    this.firstSeg = Math.max(this.firstSeg, limit);
  }

  /** close pads the last page, writes and fsyncs what is pending and closes the segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.enc.padPage();
    let failure: unknown;
    try {
      await this.commit();
    } catch (err) {
      failure = err;
    }
    await this.idle();
    if (this.fd >= 0) {
      try {
        if (failure === undefined) await this.fs.fdatasync(this.fd);
      } catch (err) {
        failure = toStorageError(err);
      }
      await this.fs.close(this.fd).catch(() => {});
      this.fd = -1;
      this.fdSeg = -1;
    }
    if (failure !== undefined) throw failure;
  }

  /** stats returns counters of records, batches, fsyncs and bytes since open. */
  stats(): WALStats {
    return { ...this.counters };
  }

  private commit(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.running && !this.scheduled) {
        this.scheduled = true;
        // A microtask lets every log() of the current tick join the first batch.
        queueMicrotask(() => {
          this.scheduled = false;
          void this.run();
        });
      }
    });
  }

  private idle(): Promise<void> {
    if (!this.running && !this.scheduled) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.waiters.length > 0 || this.enc.hasPending()) {
      const batch = this.enc.take();
      const batchWaiters = this.waiters;
      this.waiters = [];
      const endSeg = this.enc.seg;
      const endOff = this.enc.off;
      try {
        await this.writeBatch(batch);
        this.syncedSeg = endSeg;
        this.syncedOff = endOff;
        for (const w of batchWaiters) w.resolve();
      } catch (err) {
        const e = toStorageError(err);
        this.counters.failures++;
        // Everything encoded after this batch sits on top of it: drop it too and restart from the durable end.
        const later = this.waiters;
        this.waiters = [];
        this.enc.resetTo(this.syncedSeg, this.syncedOff);
        this.dirty = true;
        this.logger.warn({ dir: this.dir, segment: this.syncedSeg, offset: this.syncedOff, err: e.message }, 'WAL write failed; batch rejected and rolled back');
        try {
          await this.rollback();
        } catch (rerr) {
          this.logger.warn({ dir: this.dir, err: (rerr as Error).message }, 'WAL rollback failed; retrying before the next write');
        }
        for (const w of batchWaiters) w.reject(e);
        for (const w of later) w.reject(e);
      }
    }
    this.running = false;
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of idle) f();
  }

  private async writeBatch(batch: PendingBatch): Promise<void> {
    if (this.dirty) await this.rollback();
    for (const span of batch.spans) {
      if (span.seg !== this.fdSeg) await this.switchTo(span.seg);
      let done = 0;
      const len = span.end - span.start;
      while (done < len) {
        const n = await this.fs.write(this.fd, batch.buf, span.start + done, len - done, span.fileOffset + done);
        if (n <= 0) throw new StorageError('io', `WAL write made no progress in segment ${span.seg}`);
        done += n;
      }
      this.counters.bytes += len;
    }
    if (this.sync && this.fd >= 0) {
      await this.fs.fdatasync(this.fd);
      this.counters.fsyncs++;
    }
    this.counters.batches++;
  }

  /** switchTo syncs and closes the current segment and opens (creating) segment seg. */
  private async switchTo(seg: number): Promise<void> {
    if (this.fd >= 0) {
      if (this.sync) {
        await this.fs.fdatasync(this.fd);
        this.counters.fsyncs++;
      }
      const fd = this.fd;
      this.fd = -1;
      this.fdSeg = -1;
      await this.fs.close(fd);
    }
    this.fd = await this.fs.open(segmentPath(this.dir, seg));
    this.fdSeg = seg;
    if (seg > this.createdUpTo) {
      this.createdUpTo = seg;
      if (this.sync) await this.fs.syncDir(this.dir);
    }
  }

  /** rollback puts the disk back to the durable end: newer segment files removed, the segment cut at syncedOff. */
  private async rollback(): Promise<void> {
    if (this.fd >= 0 && this.fdSeg !== this.syncedSeg) {
      const fd = this.fd;
      this.fd = -1;
      this.fdSeg = -1;
      await this.fs.close(fd).catch(() => {});
    }
    for (let s = this.createdUpTo; s > this.syncedSeg; s--) {
      try {
        await this.fs.unlink(segmentPath(this.dir, s));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      this.createdUpTo = s - 1;
    }
    if (this.fd < 0) {
      this.fd = await this.fs.open(segmentPath(this.dir, this.syncedSeg));
      this.fdSeg = this.syncedSeg;
    }
    await this.fs.ftruncate(this.fd, this.syncedOff);
    if (this.sync) await this.fs.fdatasync(this.fd);
    this.dirty = false;
  }
}

/** repairLastSegment cuts a torn or corrupt tail off the last segment and zero-pads its last page. */
async function repairLastSegment(dir: string, seg: number, opts: Required<WALOptions>): Promise<void> {
  const path = segmentPath(dir, seg);
  const scan = await scanSegment(path, () => {});
  if (!scan.error) return;
  const good = scan.goodOffset;
  opts.logger.warn(
    { dir, segment: seg, offset: good, size: scan.size, err: scan.error.message },
    'WAL last segment has a torn or corrupt tail; truncating to the last good record',
  );
  const fd = await opts.fs.open(path);
  try {
    await opts.fs.ftruncate(fd, good);
    const pad = good % PAGE_SIZE === 0 ? 0 : PAGE_SIZE - (good % PAGE_SIZE);
    if (pad > 0) {
      const zeros = Buffer.alloc(pad);
      let done = 0;
      while (done < pad) done += await opts.fs.write(fd, zeros, done, pad - done, good + done);
    }
    await opts.fs.fdatasync(fd);
  } finally {
    await opts.fs.close(fd);
  }
}
