/** PlanBlock is what the planner needs to know of a block (times as in meta.json: maxTime exclusive). */
export interface PlanBlock {
  ulid: string;
  minTime: number;
  maxTime: number;
  numTombstones: number;
  numSeries: number;
  /** compactionFailed marks a block whose last compaction failed; ranges holding it are not selected. */
  compactionFailed?: boolean;
}

/**
 * plan returns the ULID groups to compact next (Prometheus LeveledCompactor.Plan semantics:
 * overlapping blocks first (vertical compaction), else the oldest group of adjacent blocks that fills a
 * larger range, excluding the newest block; a single block with many tombstones (>5% of series, or
 * whole block deleted) is rewritten). At most one group is returned: compact it, reload, call again.
 */
export function plan(blocks: readonly PlanBlock[], ranges: readonly number[]): string[][] {
  if (ranges.length === 0) throw new RangeError('plan: at least one block range is required');
  if (blocks.length === 0) return [];
  const sorted = [...blocks].sort((a, b) => a.minTime - b.minTime);

  const overlapping = selectOverlapping(sorted);
  if (overlapping.length > 0) return [overlapping];

  // Leave out the block with the greatest minTime: it was most likely just cut from the head, and
  // keeping it gives a full block range to back it up before it is merged.
  const candidates = sorted.slice(0, -1);
  const group = selectLeveled(candidates, ranges);
  if (group.length > 0) return [group.map((b) => b.ulid)];

  const tomb = selectTombstoned(candidates, ranges);
  return tomb === undefined ? [] : [[tomb]];
}

/** selectOverlapping returns the first run of blocks (sorted by minTime) whose time ranges overlap. */
function selectOverlapping(sorted: readonly PlanBlock[]): string[] {
  if (sorted.length < 2) return [];
  const out: string[] = [];
  let maxt = sorted[0]!.maxTime;
  for (let i = 1; i < sorted.length; i++) {
    const b = sorted[i]!;
    if (b.minTime < maxt) {
      if (out.length === 0) out.push(sorted[i - 1]!.ulid);
      out.push(b.ulid);
    } else if (out.length > 0) {
      break;
    }
    if (b.maxTime > maxt) maxt = b.maxTime;
  }
  return out;
}

/**
 * selectLeveled tries each larger range in turn and returns the first aligned group of 2+ blocks that
 * either spans the whole range or lies entirely before the newest candidate's start.
 */
function selectLeveled(blocks: readonly PlanBlock[], ranges: readonly number[]): PlanBlock[] {
  if (ranges.length < 2 || blocks.length < 1) return [];
  const highTime = blocks[blocks.length - 1]!.minTime;
  for (const iv of ranges.slice(1)) {
    for (const part of splitByRange(blocks, iv)) {
      if (part.length < 2 || part.some((b) => b.compactionFailed)) continue;
      const mint = part[0]!.minTime;
      const maxt = part[part.length - 1]!.maxTime;
      if (maxt - mint === iv || maxt <= highTime) return part;
    }
  }
  return [];
}

/**
 * splitByRange groups blocks (sorted by minTime) into the aligned windows [k·tr, (k+1)·tr) that hold
 * them entirely; blocks crossing a window end are skipped. Exported for tests.
 */
export function splitByRange<T extends { minTime: number; maxTime: number }>(blocks: readonly T[], tr: number): T[][] {
  const out: T[][] = [];
  let i = 0;
  while (i < blocks.length) {
    const t0 = Math.floor(blocks[i]!.minTime / tr) * tr;
    if (blocks[i]!.maxTime > t0 + tr) {
      i++;
      continue;
    }
    const group: T[] = [];
    while (i < blocks.length && blocks[i]!.maxTime <= t0 + tr) group.push(blocks[i++]!);
    if (group.length > 0) out.push(group);
  }
  return out;
}

/** selectTombstoned picks, newest first, a big-enough block with >5% tombstones, or a small one entirely deleted. */
function selectTombstoned(blocks: readonly PlanBlock[], ranges: readonly number[]): string | undefined {
  const bigEnough = ranges[ranges.length >> 1]!;
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i]!;
    if (b.maxTime - b.minTime < bigEnough) {
      if (b.numTombstones > 0 && b.numTombstones >= b.numSeries) return b.ulid;
      return undefined;
    }
    if (b.numTombstones / (b.numSeries + 1) > 0.05) return b.ulid;
  }
  return undefined;
}
