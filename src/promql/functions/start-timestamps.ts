/**
 * Start-timestamp (ST) semantics of rate/increase/irate/resets, as Prometheus 3.12: a sample's start timestamp
 * (0 = unknown) says since when its counter has been counting, so a start timestamp after the previous sample is a
 * reset even when the value did not drop (delta-like series, restarts between scrapes), and a start timestamp inside
 * the window replaces extrapolation towards the window's start by a zero at the start time.
 */

/**
 * isStartTimestampReset reports whether the current sample's start timestamp marks a counter reset since the
 * previous sample. Unknown (0), invalid (ST > T) and OTel's "unknown start" (ST == T) are no reset; ST after the
 * previous sample is one; ST equal to the previous sample's time is a reset (a delta) only when the previous start
 * timestamp is known and valid (otherwise it is a cumulative series with an unknown start).
 */
export function isStartTimestampReset(prevST: number, prevT: number, currST: number, currT: number): boolean {
  if (currST === 0 || currST >= currT) return false;
  if (currST < prevT) return false;
  if (currST > prevT) return true;
  if (prevST > prevT) return false;
  return prevST !== 0 && prevST !== prevT;
}

/** startTimeOverlaps reports a start timestamp overlapping the previous sample (neither a delta nor the same cumulative start). */
export function startTimeOverlaps(prevST: number, prevT: number, currST: number): boolean {
  return currST !== 0 && currST < prevT && currST !== prevST;
}

/** windowStartTimeOverlaps reports whether any consecutive pair of samples in [lo, hi) has overlapping start timestamps. */
export function windowStartTimeOverlaps(ts: ArrayLike<number>, st: ArrayLike<number>, lo: number, hi: number): boolean {
  for (let i = lo + 1; i < hi; i++) if (startTimeOverlaps(st[i - 1]!, ts[i - 1]!, st[i]!)) return true;
  return false;
}

/**
 * counterRateST is rate (isRate) or increase over the window [lo, hi) (at least 1 sample) of a counter whose samples
 * carry start timestamps st (0 = unknown), or null when it cannot be computed. Resets are value drops or start
 * timestamp resets; when the first sample's start timestamp lies inside the window (after rangeStart, before the
 * sample) the counter is taken to be 0 at that time instead of extrapolating to the window's start, which also lets
 * a single sample give a result.
 */
export function counterRateST(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  st: ArrayLike<number>,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  isRate: boolean,
): number | null {
  const n = hi - lo;
  if (n < 1) return null;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  let result = vs[hi - 1]! - vs[lo]!;
  for (let i = lo + 1; i < hi; i++) {
    const prev = vs[i - 1]!;
    if (vs[i]! < prev || isStartTimestampReset(st[i - 1]!, ts[i - 1]!, st[i]!, ts[i]!)) result += prev;
  }
  let durationToStart = (firstT - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - lastT) / 1000;
  let sampledInterval = (lastT - firstT) / 1000;
  const avg = n > 1 ? sampledInterval / (n - 1) : 0;
  const threshold = avg * 1.1;
  const st0 = st[lo]!;
  if (st0 !== 0 && st0 > rangeStart && st0 < firstT) {
    durationToStart = 0;
    sampledInterval = (lastT - st0) / 1000;
    result += vs[lo]!;
  } else if (n === 1) {
    return null;
  } else {
    if (durationToStart >= threshold) durationToStart = avg / 2;
    let durationToZero = durationToStart;
    if (result > 0 && vs[lo]! >= 0) durationToZero = sampledInterval * (vs[lo]! / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = sampledInterval !== 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
  if (isRate) factor /= (rangeEnd - rangeStart) / 1000;
  return result * factor;
}
