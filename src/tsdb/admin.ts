import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Matcher } from '../model/matcher.js';
import type { BlockUploadResult, SnapshotResult, WorkspaceAdmin } from '../storage/admin.js';
import { StorageError, isStorageError } from '../storage/errors.js';
import { uploadBlock } from './backfill/upload.js';
import type { TSDB } from './db.js';

/** SNAPSHOTS_DIR is the directory under a workspace's TSDB dir that holds its snapshots (as Prometheus's `<data>/snapshots`). */
export const SNAPSHOTS_DIR = 'snapshots';

/** snapshotName is Prometheus's snapshot name: the UTC time as 20060102T150405Z, a dash and 16 hex digits of a random 63-bit number. */
export function snapshotName(now: number, random: Buffer = randomBytes(8)): string {
  const iso = new Date(now).toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const r = Buffer.from(random);
  r[0] = r[0]! & 0x7f;
  return `${stamp}-${r.toString('hex')}`;
}

/** TSDBAdmin is one workspace's admin API over its TSDB. */
export class TSDBAdmin implements WorkspaceAdmin {
  constructor(private readonly db: TSDB) {}

  /** snapshot writes `<tsdb dir>/snapshots/<name>` (blocks, an empty wal/); on failure (a full disk) the partial directory is removed. */
  async snapshot(opts: { skipHead: boolean }): Promise<SnapshotResult> {
    const name = snapshotName(this.db.opts.now());
    const dir = join(this.db.dir, SNAPSHOTS_DIR, name);
    try {
      await this.db.snapshot(dir, !opts.skipHead);
      // An empty wal/ makes the snapshot a TSDB dir promtool 2.42 opens as is (its read-only open insists on one).
      mkdirSync(join(dir, 'wal'), { recursive: true });
    } catch (err) {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      if (isStorageError(err)) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new StorageError(code === 'ENOSPC' || code === 'EDQUOT' ? 'disk_full' : 'io', `create snapshot: ${(err as Error).message}`, { cause: err });
    }
    this.db.opts.logger.info({ dir }, 'created snapshot');
    return { name, dir };
  }

  /** deleteSeries tombstones each matcher set's series over [mint, maxt] in the head (logged to the WAL) and in the blocks. */
  async deleteSeries(mint: number, maxt: number, matcherSets: readonly (readonly Matcher[])[]): Promise<number> {
    let n = 0;
    for (const ms of matcherSets) n += await this.db.deleteSeries(mint, maxt, ms);
    this.db.opts.logger.info({ dir: this.db.dir, mint, maxt, series: n }, 'deleted series');
    return n;
  }

  /** cleanTombstones rewrites every block that has tombstones. */
  cleanTombstones(): Promise<void> {
    return this.db.cleanTombstones();
  }

  /** uploadBlock validates a tar-streamed block into a staging dir, then adds it to the TSDB (see backfill/upload.ts). */
  uploadBlock(tar: AsyncIterable<Uint8Array>): Promise<BlockUploadResult> {
    return uploadBlock(this.db, tar);
  }
}
