import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlockUploadResult } from '../../storage/admin.js';
import { isStorageError } from '../../storage/errors.js';
import { Block } from '../block/block.js';
import { fsyncDir } from '../block/fsutil.js';
import { META_FILENAME, readMeta, writeMeta, type BlockMeta } from '../block/meta.js';
import type { TSDB } from '../db.js';
import { blockMember, BlockLayoutError } from './layout.js';
import { readTar, TarError } from './tar.js';
import { defaultBlockUploadLimits, type BlockUploadLimits } from './upload-options.js';

/** BlockUploadError is an uploaded block refused: malformed tar, wrong layout, corrupt block, or a time range not accepted. */
export class BlockUploadError extends Error {
  override name = 'BlockUploadError';
}

/** STAGING_SUFFIX ends staging directories; TSDB.open removes leftovers of interrupted uploads (`*.tmp`). */
const STAGING_SUFFIX = '.upload.tmp';

/** extract writes the tar members into staging, checking layout and sizes; returns the archive's root ULID ('' when none). */
async function extract(tar: AsyncIterable<Uint8Array>, staging: string, limits: BlockUploadLimits): Promise<string> {
  let root: string | null = null;
  let total = 0;
  const seen = new Set<string>();
  for await (const e of readTar(tar, { maxEntrySize: limits.maxFileBytes, maxEntries: limits.maxFiles })) {
    const m = blockMember(e.path, e.kind);
    if (root !== null && m.root !== root) throw new BlockLayoutError(`tar member ${JSON.stringify(e.path)} is outside the block directory ${JSON.stringify(root)}`);
    root = m.root;
    if (e.kind === 'directory') {
      if (m.rel !== '') mkdirSync(join(staging, m.rel), { recursive: true });
      continue;
    }
    if (seen.has(m.rel)) throw new BlockLayoutError(`tar member ${JSON.stringify(e.path)} appears twice`);
    seen.add(m.rel);
    total += e.size;
    if (total > limits.maxBytes) throw new BlockUploadError(`the block is larger than the ${limits.maxBytes}-byte upload limit`);
    if (m.rel.startsWith('chunks/')) mkdirSync(join(staging, 'chunks'), { recursive: true });
    await pipeline(e.chunks(), createWriteStream(join(staging, m.rel), { flags: 'wx' }));
  }
  for (const f of [META_FILENAME, 'index']) if (!seen.has(f)) throw new BlockUploadError(`the block has no ${f}`);
  if (![...seen].some((f) => f.startsWith('chunks/'))) throw new BlockUploadError('the block has no chunk segment (chunks/000001)');
  return root ?? '';
}

/** DataRange is the time range the chunks of a block actually cover (inclusive). */
interface DataRange {
  min: number;
  max: number;
}

/** YIELD_EVERY is how many chunks verify checks between yields to the event loop (other workspaces' writes and queries run in between). */
const YIELD_EVERY = 20_000;

/** verify opens the staged block (index TOC and CRCs, meta.json, tombstones) and reads every chunk (CRC), checking chunks lie inside meta's range. */
async function verify(staging: string): Promise<{ meta: BlockMeta; data: DataRange }> {
  const block = Block.open(staging);
  try {
    const meta = block.meta;
    const data: DataRange = { min: Infinity, max: -Infinity };
    let checked = 0;
    for (const s of block.chunkSeries(-Infinity, Infinity)) {
      if ((checked += s.chunks.length) >= YIELD_EVERY) {
        checked = 0;
        await new Promise((r) => setImmediate(r));
      }
      for (const c of s.chunks) {
        if (c.mint < meta.minTime || c.maxt >= meta.maxTime) {
          throw new BlockUploadError(`series ${JSON.stringify(s.labels)} has a chunk [${c.mint}, ${c.maxt}] outside the block's range [${meta.minTime}, ${meta.maxTime})`);
        }
        if (c.mint < data.min) data.min = c.mint;
        if (c.maxt > data.max) data.max = c.maxt;
      }
    }
    if (!Number.isFinite(data.min)) throw new BlockUploadError('the block holds no samples');
    return { meta, data };
  } finally {
    block.close();
  }
}

/** checkTimes refuses blocks from the future, beyond retention, or overlapping the head (a restart would drop the head's older WAL samples). */
function checkTimes(db: TSDB, meta: BlockMeta, data: DataRange, limits: BlockUploadLimits): void {
  const now = db.opts.now();
  const iso = (t: number): string => new Date(t).toISOString();
  if (data.max > now + limits.futureGraceMs) throw new BlockUploadError(`the block has samples from the future (up to ${iso(data.max)}; now is ${iso(now)})`);
  const oldest = now - db.opts.retention();
  if (data.max < oldest) throw new BlockUploadError(`the block's samples (up to ${iso(data.max)}) are beyond the workspace's retention (older than ${iso(oldest)})`);
  const headMin = db.head.minTime();
  if (Number.isFinite(headMin) && meta.maxTime > headMin) {
    throw new BlockUploadError(`the block's range ends at ${iso(meta.maxTime)}, inside the head's in-memory range (from ${iso(headMin)}); upload data older than the head, or wait until the head is cut into blocks`);
  }
}

/**
 * uploadBlock stages a tar-streamed Prometheus block under the TSDB dir, validates it (layout, sizes,
 * index, chunks, meta.json, time range), rewrites its meta.json without compaction parents (which would
 * make the TSDB delete existing blocks), renames it into place and reloads the blocks; overlaps with
 * existing blocks are merged by the next compaction (vertical compaction), which is scheduled at once.
 * On any failure the staging directory is removed and the TSDB is unchanged.
 */
export async function uploadBlock(db: TSDB, tar: AsyncIterable<Uint8Array>, limits: BlockUploadLimits = defaultBlockUploadLimits()): Promise<BlockUploadResult> {
  const staging = join(db.dir, `${randomBytes(8).toString('hex')}${STAGING_SUFFIX}`);
  mkdirSync(staging);
  let placed = false;
  try {
    let root: string;
    let verified: { meta: BlockMeta; data: DataRange };
    try {
      root = await extract(tar, staging, limits);
      verified = await verify(staging);
    } catch (err) {
      if (err instanceof TarError || err instanceof BlockLayoutError) throw new BlockUploadError(err.message, { cause: err });
      if (isStorageError(err, 'corruption')) throw new BlockUploadError(`the block is corrupt: ${err.message.replace(staging, '<upload>')}`, { cause: err });
      throw err;
    }
    const { meta, data } = verified;
    if (root !== '' && root !== meta.ulid) throw new BlockUploadError(`the archive's directory ${root} differs from meta.json's ulid ${meta.ulid}`);
    checkTimes(db, meta, data, limits);
    const dst = join(db.dir, meta.ulid);
    if (existsSync(dst) || db.blockMetas().some((b) => b.ulid === meta.ulid)) throw new BlockUploadError(`block ${meta.ulid} already exists in this workspace`);
    writeMeta(staging, { ...meta, compaction: { level: meta.compaction.level, sources: meta.compaction.sources.length > 0 ? meta.compaction.sources : [meta.ulid] } });
    fsyncDir(staging);
    renameSync(staging, dst);
    placed = true;
    fsyncDir(db.dir);
    db.reloadBlocks();
    db.scheduleWork();
    db.opts.logger.info({ dir: db.dir, ulid: meta.ulid, minTime: meta.minTime, maxTime: meta.maxTime }, 'uploaded block added');
    const stored = readMeta(dst);
    return { ulid: stored.ulid, minTime: stored.minTime, maxTime: stored.maxTime, numSamples: stored.stats.numSamples };
  } finally {
    if (!placed) rmSync(staging, { recursive: true, force: true });
  }
}
