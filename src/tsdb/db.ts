import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Matcher } from '../model/matcher.js';
import type { Queryable, Querier, RawAppender } from '../storage/interface.js';
import type { HeadSummary, SeriesIndex } from '../storage/series-index.js';
import type { CorruptBlock, TSDBStats, WorkspaceTSDB } from '../storage/workspaces.js';
import { StorageError } from '../storage/errors.js';
import { mergeQueriers } from '../storage/merge/merge-querier.js';
import { Block } from './block/block.js';
import type { BlockMeta } from './block/meta.js';
import { writeBlock } from './block/writer.js';
import { listBlockDirs, removeTemporaryDirs } from './block-dirs.js';
import { DBAppender } from './db-appender.js';
import { linkTree } from './hardlink.js';
import { compactionRanges } from './compact/ranges.js';
import { plan, type PlanBlock } from './compact/planner.js';
import { blocksBeyondRetention } from './compact/retention.js';
import { mergeChunkSeries } from './compact/merge-chunks.js';
import { Head } from './head/head.js';
import { headSeriesIndex } from './series-index.js';
import { defaultTSDBOptions, type TSDBOptions } from './options.js';
import { WAL } from './wal/wal.js';
import { createCheckpoint } from './wal/checkpoint.js';

// CorruptBlock and TSDBStats belong to the storage seam (src/storage/workspaces.ts): readiness and self-metrics read them.
export type { CorruptBlock, TSDBStats } from '../storage/workspaces.js';

/** TSDB is one workspace's storage: a head with its WAL, and immutable blocks on disk. */
export class TSDB implements WorkspaceTSDB {
  private blocks: Block[] = [];
  private corruptBlocks: CorruptBlock[] = [];
  private work: Promise<void> = Promise.resolve();
  private workPending = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly counters = { headCuts: 0, compactions: 0, compactionFailures: 0, retentionDeletions: 0 };
  private index: SeriesIndex | null = null;

  private constructor(
    readonly dir: string,
    readonly opts: TSDBOptions,
    readonly head: Head,
    private readonly wal: WAL,
  ) {}

  /** open opens (or creates) a TSDB directory: loads blocks, replays the WAL and starts background compaction. */
  static async open(dir: string, options: Partial<TSDBOptions> = {}): Promise<TSDB> {
    const opts = { ...defaultTSDBOptions(), ...options };
    mkdirSync(dir, { recursive: true });
    const removed = removeTemporaryDirs(dir);
    if (removed.length > 0) opts.logger.warn({ dir, removed }, 'removed leftovers of interrupted block operations');
    const walDir = join(dir, 'wal');
    const head = new Head({ chunkRange: opts.blockRange, outOfOrderWindow: opts.outOfOrderWindow, wal: null, now: opts.now });
    const blocks = TSDB.loadBlocks(dir, opts, new Set(), []);
    head.setMinValidTime(maxBlockTime(blocks.loaded));
    const replay = await head.replayWAL(walDir, { logger: opts.logger });
    if (replay.corruption) opts.logger.warn({ dir, corruption: replay.corruption }, 'WAL had a corrupt tail; replayed up to it');
    opts.logger.info({ dir, series: replay.series, samples: replay.samples, blocks: blocks.loaded.length }, 'TSDB opened');
    const wal = await WAL.open(walDir, {
      segmentSize: opts.walSegmentSize,
      logger: opts.logger,
      sync: opts.sync,
      compression: opts.walCompression ? 'snappy' : 'none',
      ...(opts.walFileSystem ? { fs: opts.walFileSystem } : {}),
    });
    head.setWAL(wal);
    const db = new TSDB(dir, opts, head, wal);
    db.blocks = blocks.loaded;
    db.corruptBlocks = blocks.corrupt;
    if (opts.compactionInterval > 0) {
      db.timer = setInterval(() => db.scheduleWork(), opts.compactionInterval);
      db.timer.unref();
    }
    db.scheduleWork();
    return db;
  }

  /** loadBlocks opens the block dirs not yet known; corrupt ones are reported and skipped, parents of compacted blocks deleted. */
  private static loadBlocks(dir: string, opts: TSDBOptions, known: Set<string>, current: Block[]): { loaded: Block[]; corrupt: CorruptBlock[] } {
    const loaded = [...current];
    const corrupt: CorruptBlock[] = [];
    for (const blockDir of listBlockDirs(dir)) {
      if (known.has(basename(blockDir))) continue;
      try {
        loaded.push(Block.open(blockDir, { logger: opts.logger }));
      } catch (err) {
        const error = (err as Error).message;
        opts.logger.error({ block: blockDir, err: error }, 'skipping corrupt block');
        corrupt.push({ dir: blockDir, error });
      }
    }
    const parents = new Set(loaded.flatMap((b) => (b.meta.compaction.parents ?? []).map((p) => p.ulid)));
    const kept = loaded.filter((b) => {
      if (!parents.has(b.meta.ulid) && !b.meta.compaction.deletable) return true;
      b.close();
      deleteBlockDir(b.dir);
      return false;
    });
    kept.sort((a, b) => a.meta.minTime - b.meta.minTime || a.meta.maxTime - b.meta.maxTime);
    return { loaded: kept, corrupt };
  }

  /** appender opens a batch; commit resolves once the batch is durable in the WAL. */
  appender(): RawAppender {
    this.assertOpen();
    return new DBAppender(this.head.appender(), () => {
      if (this.headCompactable()) this.scheduleWork();
    });
  }

  /** seriesIndex is the index of the head's active series (the storage seam's SeriesIndex). */
  seriesIndex(): SeriesIndex {
    return (this.index ??= headSeriesIndex(this.head));
  }

  /** headSummary tells what the head holds: series, chunks and its samples' time range. */
  headSummary(): HeadSummary {
    const st = this.head.stats();
    return { numSeries: st.numSeries, numChunks: st.numChunks, minTime: st.minTime, maxTime: st.maxTime };
  }

  /** querier reads blocks and head over [mint, maxt], merging overlaps. */
  querier(mint: number, maxt: number): Querier {
    this.assertOpen();
    return blocksAndHeadQuerier(this.blocks, this.head, mint, maxt, this.corruptWarnings());
  }

  /** corruptWarnings are the warnings every select carries while corrupt blocks are skipped. */
  corruptWarnings(): string[] {
    return this.corruptBlocks.map((c) => `skipped corrupt block ${c.dir}: ${c.error}`);
  }

  /** blockRefs lists the loaded blocks (directory, ULID and time range), oldest first, for readers in other threads. */
  blockRefs(): { ulid: string; dir: string; minTime: number; maxTime: number }[] {
    return this.blocks.map((b) => ({ ulid: b.meta.ulid, dir: b.dir, minTime: b.meta.minTime, maxTime: b.meta.maxTime }));
  }

  /** blockMetas lists the loaded blocks' metadata, oldest first. */
  blockMetas(): BlockMeta[] {
    return this.blocks.map((b) => b.meta);
  }

  /** corrupt lists blocks skipped because they failed verification. */
  corrupt(): readonly CorruptBlock[] {
    return this.corruptBlocks;
  }

  /** headCompactable reports whether the head spans more than 1.5 block ranges (Prometheus's rule). */
  private headCompactable(): boolean {
    const min = this.head.minTime();
    const max = this.head.maxTime();
    return Number.isFinite(min) && max - min > (this.opts.blockRange / 2) * 3;
  }

  /** scheduleWork queues one round of head cutting, compaction, retention and block reload. */
  scheduleWork(): void {
    if (this.workPending || this.closed) return;
    this.workPending = true;
    this.work = this.work.then(async () => {
      this.workPending = false;
      if (this.closed) return;
      try {
        await this.runWork();
      } catch (err) {
        this.counters.compactionFailures++;
        this.opts.logger.error({ dir: this.dir, err: (err as Error).message }, 'background compaction failed');
      }
    });
  }

  /** compact runs head cutting, block compaction and retention now, and resolves when done. */
  async compact(): Promise<void> {
    this.scheduleWork();
    await this.work;
  }

  private async runWork(): Promise<void> {
    this.reloadBlocks();
    while (this.headCompactable() && !this.closed) await this.cutHead();
    await this.compactBlocks();
    this.applyRetention();
  }

  /** reloadBlocks picks up block dirs added from outside (imports) and drops deleted ones. */
  reloadBlocks(): void {
    const known = new Set(this.blocks.map((b) => b.meta.ulid));
    for (const c of this.corruptBlocks) known.add(basename(c.dir));
    const { loaded, corrupt } = TSDB.loadBlocks(this.dir, this.opts, known, this.blocks);
    this.blocks = loaded;
    this.corruptBlocks.push(...corrupt);
  }

  /** cutHead writes the oldest block range of the head as a block, then truncates head and WAL. */
  private async cutHead(): Promise<void> {
    const range = this.opts.blockRange;
    const mint = this.head.minTime();
    const maxt = Math.floor(mint / range) * range + range;
    this.head.setMinValidTime(maxt);
    const meta = await writeBlock(this.dir, {
      mint,
      maxt,
      series: this.head.chunkSeries(mint, maxt),
      now: this.opts.now,
    });
    this.addWrittenBlock(meta);
    this.counters.headCuts++;
    this.head.truncate(maxt);
    await this.truncateWAL(maxt);
  }

  private addWrittenBlock(meta: BlockMeta): void {
    const dir = join(this.dir, meta.ulid);
    if (meta.stats.numSamples === 0) {
      deleteBlockDir(dir);
      return;
    }
    this.blocks.push(Block.open(dir, { logger: this.opts.logger }));
    this.blocks.sort((a, b) => a.meta.minTime - b.meta.minTime || a.meta.maxTime - b.meta.maxTime);
  }

  /** truncateWAL checkpoints the WAL up to the current segment, keeping live series and samples >= mint. */
  private async truncateWAL(mint: number): Promise<void> {
    const { first } = this.wal.segments();
    const current = await this.wal.nextSegment();
    const to = current - 1;
    if (to < first) return;
    try {
      await createCheckpoint(this.wal.dir, { from: first, to, mint, keepSeries: (ref) => this.head.isLive(ref), logger: this.opts.logger, compression: this.wal.compression });
      await this.wal.truncate(to + 1);
    } catch (err) {
      this.opts.logger.error({ dir: this.dir, err: (err as Error).message }, 'WAL checkpoint failed; segments kept');
    }
  }

  /** compactBlocks merges groups of blocks chosen by the planner into larger blocks. */
  private async compactBlocks(): Promise<void> {
    const ranges = compactionRanges(this.opts.retention(), this.opts.blockRange);
    for (let round = 0; round < 16 && !this.closed; round++) {
      const groups = plan(this.blocks.map(planBlock), ranges);
      if (groups.length === 0) return;
      await this.compactGroup(groups[0]!);
    }
  }

  /** compactGroup writes the merge of the given blocks (tombstoned data removed) and deletes them. */
  private async compactGroup(ulids: readonly string[]): Promise<void> {
    const group = this.blocks.filter((b) => ulids.includes(b.meta.ulid));
    if (group.length === 0) return;
    const mint = Math.min(...group.map((b) => b.meta.minTime));
    const maxt = Math.max(...group.map((b) => b.meta.maxTime));
    const tombstones = group.map((b) => b.tombstones());
    const meta = await writeBlock(this.dir, {
      mint,
      maxt,
      series: mergeChunkSeries(
        group.map((b) => b.chunkSeries()),
        { deleted: (src, labels) => tombstones[src]!.forLabels(labels) },
      ),
      compaction: {
        level: Math.max(...group.map((b) => b.meta.compaction.level)) + 1,
        sources: [...new Set(group.flatMap((b) => b.meta.compaction.sources))].sort(),
        parents: group.map((b) => ({ ulid: b.meta.ulid, minTime: b.meta.minTime, maxTime: b.meta.maxTime })),
      },
      now: this.opts.now,
    });
    this.blocks = this.blocks.filter((b) => !group.includes(b));
    for (const b of group) {
      b.close();
      deleteBlockDir(b.dir);
    }
    this.addWrittenBlock(meta);
    this.counters.compactions++;
    this.opts.logger.info({ dir: this.dir, from: ulids, to: meta.ulid }, 'compacted blocks');
  }

  /** applyRetention deletes blocks entirely older than the retention period. */
  private applyRetention(): void {
    const doomed = new Set(blocksBeyondRetention(this.blocks.map(planBlock), this.opts.retention()));
    if (doomed.size === 0) return;
    for (const b of this.blocks) {
      if (!doomed.has(b.meta.ulid)) continue;
      b.close();
      deleteBlockDir(b.dir);
      this.counters.retentionDeletions++;
      this.opts.logger.info({ block: b.dir }, 'deleted block beyond retention');
    }
    this.blocks = this.blocks.filter((b) => !doomed.has(b.meta.ulid));
  }

  /** deleteSeries records tombstones for matching series over [mint, maxt] in head and blocks. */
  async deleteSeries(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number> {
    this.assertOpen();
    let n = await this.head.delete(mint, maxt, matchers);
    for (const b of this.blocks) {
      if (b.meta.maxTime > mint && b.meta.minTime <= maxt) n += b.delete(mint, maxt, matchers);
    }
    return n;
  }

  /** cleanTombstones rewrites every block that has tombstones without the deleted data. */
  async cleanTombstones(): Promise<void> {
    this.assertOpen();
    await this.work;
    for (const b of [...this.blocks]) {
      if (b.tombstones().isEmpty()) continue;
      await this.compactGroup([b.meta.ulid]);
    }
  }

  /** snapshot hard-links every block into dir and, when withHead, writes the head as one more block; returns dir. */
  async snapshot(dir: string, withHead: boolean): Promise<string> {
    this.assertOpen();
    await this.work;
    mkdirSync(dir, { recursive: true });
    for (const b of this.blocks) linkTree(b.dir, join(dir, b.meta.ulid));
    if (withHead && this.head.numSeries() > 0) {
      const mint = this.head.minTime();
      const maxt = this.head.maxTime() + 1;
      if (Number.isFinite(mint)) {
        const meta = await writeBlock(dir, { mint, maxt, series: this.head.chunkSeries(mint, maxt), now: this.opts.now });
        if (meta.stats.numSamples === 0) deleteBlockDir(join(dir, meta.ulid));
      }
    }
    return dir;
  }

  /** stats returns head, block, compaction and WAL figures for self-monitoring. */
  stats(): TSDBStats {
    const head = this.head.stats();
    const wal = this.wal.stats();
    return {
      headSeries: head.numSeries,
      headChunks: head.numChunks,
      blocks: this.blocks.length,
      corruptBlocks: this.corruptBlocks.length,
      ...this.counters,
      walRecords: wal.records,
      walFsyncs: wal.fsyncs,
      walBytes: wal.bytes,
      walFailures: wal.failures,
    };
  }

  /** close stops background work, waits for it, and closes WAL and blocks. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.work;
    await this.wal.close();
    for (const b of this.blocks) b.close();
    this.blocks = [];
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('closed', this.dir);
  }
}

function planBlock(b: Block): PlanBlock {
  return {
    ulid: b.meta.ulid,
    minTime: b.meta.minTime,
    maxTime: b.meta.maxTime,
    numTombstones: b.meta.stats.numTombstones ?? 0,
    numSeries: b.meta.stats.numSeries,
  };
}

function maxBlockTime(blocks: readonly Block[]): number {
  let t = -Infinity;
  for (const b of blocks) t = Math.max(t, b.meta.maxTime);
  return t;
}

/** deleteBlockDir removes a block dir via a rename first, so a crash never leaves half a block under its ULID. */
function deleteBlockDir(dir: string): void {
  const tmp = `${dir}.tmp-for-deletion`;
  renameSync(dir, tmp);
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * blocksAndHeadQuerier reads the blocks overlapping [mint, maxt] and the head, merging overlaps;
 * warnings (skipped corrupt blocks) are added to every select.
 */
export function blocksAndHeadQuerier(blocks: readonly Block[], head: Queryable, mint: number, maxt: number, warnings: readonly string[]): Querier {
  const parts: Querier[] = [];
  const names: string[] = [];
  for (const b of blocks) {
    if (b.meta.maxTime > mint && b.meta.minTime <= maxt) {
      parts.push(b.querier(mint, maxt));
      names.push(`block ${b.dir}`);
    }
  }
  parts.push(head.querier(mint, maxt));
  names.push('head');
  const q = parts.length === 1 ? parts[0]! : mergeQueriers(parts, { names });
  return warnings.length === 0 ? q : withWarnings(q, warnings);
}

function withWarnings(q: Querier, extra: readonly string[]): Querier {
  return {
    select: (sorted, hints, matchers) => {
      const set = q.select(sorted, hints, matchers);
      return { next: () => set.next(), at: () => set.at(), warnings: () => [...set.warnings(), ...extra] };
    },
    labelValues: (name, matchers, hints) => q.labelValues(name, matchers, hints),
    labelNames: (matchers, hints) => q.labelNames(matchers, hints),
    close: () => q.close(),
  };
}
