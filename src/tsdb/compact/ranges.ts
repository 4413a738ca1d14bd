/** HOUR_MS is one hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** DEFAULT_MIN_BLOCK_MS is the head block range: 2h, as Prometheus's DefaultBlockDuration. */
export const DEFAULT_MIN_BLOCK_MS = 2 * HOUR_MS;
/** MAX_BLOCK_CAP_MS caps the largest compacted block at 31 days, as Prometheus's default max block duration. */
export const MAX_BLOCK_CAP_MS = 31 * 24 * HOUR_MS;

/** exponentialBlockRanges(minSize, steps, stepSize) as Prometheus: minSize·stepSize^i for i < steps ([2h, 6h, 18h, 54h, ...] for 2h, 3). */
export function exponentialBlockRanges(minSize: number, steps: number, stepSize: number): number[] {
  const out: number[] = [];
  let cur = minSize;
  for (let i = 0; i < steps; i++) {
    out.push(cur);
    cur *= stepSize;
  }
  return out;
}

/** maxBlockDuration is Prometheus's default largest block: 10% of the retention, at most 31d, at least minBlock; retention 0 means unlimited. */
export function maxBlockDuration(retentionMs: number, minBlock = DEFAULT_MIN_BLOCK_MS): number {
  let max = MAX_BLOCK_CAP_MS;
  if (retentionMs > 0 && retentionMs / 10 < max) max = Math.floor(retentionMs / 10);
  return Math.max(max, minBlock);
}

/**
 * compactionRanges(retentionMs): minBlock·3^k (2h, 6h, 18h, ...) for k < 10, cut at the first range above
 * min(10% of retention, 31d), as Prometheus sizes its compaction levels; always holds minBlock.
 */
export function compactionRanges(retentionMs: number, minBlock = DEFAULT_MIN_BLOCK_MS): number[] {
  if (!(minBlock > 0) || !Number.isInteger(minBlock)) throw new RangeError(`compactionRanges: invalid minimum block duration ${minBlock}`);
  const max = maxBlockDuration(retentionMs, minBlock);
  const ranges = exponentialBlockRanges(minBlock, 10, 3);
  const cut = ranges.findIndex((r) => r > max);
  return cut < 0 ? ranges : ranges.slice(0, cut);
}
