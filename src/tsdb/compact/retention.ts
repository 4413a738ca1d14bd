import type { PlanBlock } from './planner.js';

/**
 * blocksBeyondRetention returns ULIDs whose maxTime <= newest maxTime - retention (Prometheus semantics:
 * blocks ordered by maxTime, newest first; the first older block at least retentionMs behind the newest
 * and every block after it are returned; the newest block is never returned; retention 0 disables).
 */
export function blocksBeyondRetention(blocks: readonly PlanBlock[], retentionMs: number): string[] {
  if (blocks.length === 0 || !(retentionMs > 0)) return [];
  const sorted = [...blocks].sort((a, b) => b.maxTime - a.maxTime);
  const newest = sorted[0]!.maxTime;
  for (let i = 1; i < sorted.length; i++) {
    if (newest - sorted[i]!.maxTime >= retentionMs) return sorted.slice(i).map((b) => b.ulid);
  }
  return [];
}

/** SizedBlock is a block with its size on disk, for size-based retention. */
export interface SizedBlock {
  readonly ulid: string;
  readonly maxTime: number;
  /** sizeBytes is the block's total size on disk (index, chunks, tombstones, meta). */
  readonly sizeBytes: number;
}

/**
 * blocksBeyondSize returns ULIDs to delete so that the blocks plus extraBytes (WAL and head chunks)
 * fit in maxBytes (Prometheus BeyondSizeRetention: newest first, the first block that overflows and
 * every older one go); maxBytes <= 0 disables.
 */
export function blocksBeyondSize(blocks: readonly SizedBlock[], maxBytes: number, extraBytes = 0): string[] {
  if (blocks.length === 0 || !(maxBytes > 0)) return [];
  const sorted = [...blocks].sort((a, b) => b.maxTime - a.maxTime);
  let total = extraBytes;
  for (let i = 0; i < sorted.length; i++) {
    total += sorted[i]!.sizeBytes;
    if (total > maxBytes) return sorted.slice(i).map((b) => b.ulid);
  }
  return [];
}
