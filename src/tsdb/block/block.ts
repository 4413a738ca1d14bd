import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../model/logger.js';
import { nopLogger } from '../../model/logger.js';
import type { Matcher } from '../../model/matcher.js';
import { StorageError } from '../../storage/errors.js';
import type { Querier } from '../../storage/interface.js';
import { ChunkSegmentReader } from '../chunks/reader.js';
import { INDEX_FILENAME } from '../index/format.js';
import { IndexReader } from '../index/reader.js';
import { readTombstones, writeTombstones, type MemTombstones } from '../tombstones/tombstones.js';
import { BlockTombstones } from './block-tombstones.js';
import { META_FILENAME, readMeta, writeMeta, type BlockMeta } from './meta.js';
import { BlockQuerier, selectPostings, type BlockReaders } from './querier.js';
import { trimChunk } from './rewrite.js';
import { writeBlock, type ChunkData, type ChunkSeries } from './writer.js';

/** BlockOpenOptions tune Block.open. */
export interface BlockOpenOptions {
  logger?: Logger;
}

/** CleanTombstonesOptions tune Block.cleanTombstones. */
export interface CleanTombstonesOptions {
  /** parentDir receives the new block (default: this block's parent directory). */
  parentDir?: string;
  /** now gives the new ULID's time. */
  now?: () => number;
}

/** Block is an open, immutable on-disk block in the Prometheus format (plus its mutable tombstones). */
export class Block {
  private metaValue: BlockMeta;
  private readonly index: IndexReader;
  private readonly chunks: ChunkSegmentReader;
  private tomb: MemTombstones;
  private tombSize: number;
  private blockTombstones: BlockTombstones;
  private closed = false;

  private constructor(
    readonly dir: string,
    meta: BlockMeta,
    index: IndexReader,
    chunks: ChunkSegmentReader,
    tomb: { tombstones: MemTombstones; size: number },
    private readonly logger: Logger,
  ) {
    this.metaValue = meta;
    this.index = index;
    this.chunks = chunks;
    this.tomb = tomb.tombstones;
    this.tombSize = tomb.size;
    this.blockTombstones = new BlockTombstones(this.tomb, index);
  }

  /**
   * open verifies meta.json, the index (TOC and every section's CRC), the chunk segment
   * headers and the tombstones; throws StorageError('corruption', '<dir>/<file>: <what>').
   */
  static open(dir: string, opts: BlockOpenOptions = {}): Block {
    const logger = opts.logger ?? nopLogger;
    const meta = readMeta(dir);
    if (basename(dir) !== meta.ulid) logger.warn({ dir, ulid: meta.ulid }, 'block directory name differs from its ULID');
    const index = IndexReader.open(join(dir, INDEX_FILENAME));
    const chunks = new ChunkSegmentReader(join(dir, 'chunks'));
    try {
      const tomb = readTombstones(dir);
      return new Block(dir, meta, index, chunks, tomb, logger);
    } catch (err) {
      chunks.close();
      throw err;
    }
  }

  /** meta is the block's current metadata. */
  get meta(): BlockMeta {
    return this.metaValue;
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('closed', this.dir);
  }

  private readers(): BlockReaders {
    return { index: this.index, chunks: this.chunks, tombstones: this.tomb };
  }

  /** querier reads [mint, maxt] (inclusive); chunks outside are not decoded and iterators clip to the range. */
  querier(mint: number, maxt: number): Querier {
    this.assertOpen();
    return new BlockQuerier(this.readers(), mint, maxt);
  }

  /**
   * chunkSeries yields every series with its raw chunks overlapping [mint, maxt] (inclusive;
   * default the whole block), sorted, for compaction. Chunks are not trimmed and tombstones
   * are not applied (see tombstones().forLabels). Chunk data may be a view into a buffer
   * owned by the block: copy it to keep it past close(). A bad chunk CRC throws
   * StorageError('corruption') naming the segment file and chunk ref.
   */
  *chunkSeries(mint = this.metaValue.minTime, maxt = this.metaValue.maxTime - 1): Iterable<ChunkSeries> {
    this.assertOpen();
    for (const ref of this.index.postings('', '')) {
      const s = this.index.series(ref);
      const chunks: ChunkData[] = [];
      for (const c of s.chunks) {
        if (c.maxt < mint || c.mint > maxt) continue;
        const raw = this.chunks.chunk(c.ref);
        chunks.push({ mint: c.mint, maxt: c.maxt, encoding: raw.encoding, data: raw.data });
      }
      if (chunks.length > 0) yield { labels: s.labels, chunks };
    }
  }

  /** tombstones returns the block's deletions, by series ref or label set. */
  tombstones(): BlockTombstones {
    return this.blockTombstones;
  }

  /**
   * delete adds tombstones for series matching matchers over [mint, maxt] (clamped to each
   * series' data) and rewrites the tombstones file and meta.json atomically; returns the
   * number of series affected.
   */
  delete(mint: number, maxt: number, matchers: readonly Matcher[]): number {
    this.assertOpen();
    const next = this.tomb.clone();
    let affected = 0;
    for (const ref of selectPostings(this.index, matchers)) {
      const chunks = this.index.series(ref).chunks;
      if (!chunks.some((c) => c.maxt >= mint && c.mint <= maxt)) continue;
      const lo = Math.max(mint, chunks[0]!.mint);
      const hi = Math.min(maxt, chunks[chunks.length - 1]!.maxt);
      next.addInterval(ref, { mint: lo, maxt: hi });
      affected++;
    }
    if (affected === 0) return 0;
    this.tombSize = writeTombstones(this.dir, next);
    this.tomb = next;
    this.blockTombstones = new BlockTombstones(next, this.index);
    const meta: BlockMeta = { ...this.metaValue, stats: { ...this.metaValue.stats, numTombstones: next.total() } };
    writeMeta(this.dir, meta);
    this.metaValue = meta;
    this.logger.debug({ block: this.dir, series: affected, mint, maxt }, 'added tombstones');
    return affected;
  }

  /**
   * cleanTombstones writes a new block without the deleted data (same time range, level and
   * sources; this block as its parent) and returns its meta, or null when there are no
   * tombstones. The caller swaps the blocks: it closes and deletes this one.
   */
  async cleanTombstones(opts: CleanTombstonesOptions = {}): Promise<BlockMeta | null> {
    this.assertOpen();
    if (this.tomb.total() === 0) return null;
    const m = this.metaValue;
    return writeBlock(opts.parentDir ?? dirname(this.dir), {
      mint: m.minTime,
      maxt: m.maxTime,
      series: this.liveChunkSeries(),
      compaction: { level: m.compaction.level, sources: [...m.compaction.sources], parents: [{ ulid: m.ulid, minTime: m.minTime, maxTime: m.maxTime }] },
      now: opts.now,
    });
  }

  /** liveChunkSeries yields the block's series with deleted samples removed (chunks re-encoded where needed). */
  private *liveChunkSeries(): Iterable<ChunkSeries> {
    for (const ref of this.index.postings('', '')) {
      const s = this.index.series(ref);
      const deleted = this.tomb.get(ref);
      const chunks: ChunkData[] = [];
      for (const c of s.chunks) {
        const raw = this.chunks.chunk(c.ref);
        const kept = trimChunk({ mint: c.mint, maxt: c.maxt, encoding: raw.encoding, data: raw.data }, -Infinity, Infinity, deleted, () => `${this.dir}: chunk ${c.ref}`);
        if (kept !== null) chunks.push(kept);
      }
      if (chunks.length > 0) yield { labels: s.labels, chunks };
    }
  }

  /** sizeBytes is the block's size on disk: index, chunks, tombstones and meta.json. */
  sizeBytes(): number {
    let metaSize = 0;
    try {
      metaSize = statSync(join(this.dir, META_FILENAME)).size;
    } catch {
      // meta.json vanished (block being deleted); count the rest.
    }
    return this.index.sizeBytes() + this.chunks.sizeBytes() + this.tombSize + metaSize;
  }

  /** close releases file handles; queriers and iterators from this block must not be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.chunks.close();
  }
}
