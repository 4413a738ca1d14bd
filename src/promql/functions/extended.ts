// anchored / smoothed range selectors (Prometheus 3.7): the window is widened by the lookback
// delta, and the values at the window's boundaries are picked (anchored) or interpolated (smoothed).

/** searchFirst returns the smallest i in [lo, hi) with pred(i), or hi (Go's sort.Search). */
function searchFirst(lo: number, hi: number, pred: (i: number) => boolean): number {
  let i = lo;
  let j = hi;
  while (i < j) {
    const h = (i + j) >>> 1;
    if (!pred(h)) i = h + 1;
    else j = h;
  }
  return i;
}

function interpolate(t1: number, y1In: number, t2: number, y2: number, t: number, isCounter: boolean): number {
  const y1 = isCounter && y2 < y1In ? 0 : y1In;
  return y1 + ((y2 - y1) * (t - t1)) / (t2 - t1);
}

function pickLeft(ts: number[], vs: number[], first: number, rangeStart: number, smoothed: boolean, isCounter: boolean): number {
  if (smoothed && ts[first]! < rangeStart) return interpolate(ts[first]!, vs[first]!, ts[first + 1]!, vs[first + 1]!, rangeStart, isCounter);
  return vs[first]!;
}

function pickRight(ts: number[], vs: number[], last: number, lo: number, rangeEnd: number, smoothed: boolean, isCounter: boolean): number {
  if (smoothed && last > lo && ts[last]! > rangeEnd) return interpolate(ts[last - 1]!, vs[last - 1]!, ts[last]!, vs[last]!, rangeEnd, isCounter);
  return vs[last]!;
}

/** boundaryIndexes finds the first sample at or before rangeStart and the last sample used, or null for no result. */
function boundaryIndexes(ts: number[], lo: number, hi: number, rangeStart: number, rangeEnd: number, smoothed: boolean): [number, number] | null {
  let last = hi - 1;
  const first = Math.max(lo, searchFirst(lo, last, (i) => ts[i]! > rangeStart) - 1);
  if (smoothed) last = searchFirst(lo, last, (i) => ts[i]! >= rangeEnd);
  if (ts[last]! <= rangeStart) return null;
  if (smoothed && ts[first]! > rangeEnd) return null;
  return [first, last];
}

/** extendedRate is rate/increase/delta over an anchored or smoothed window [lo, hi) (no extrapolation). */
export function extendedRate(
  ts: number[], vs: number[], lo: number, hi: number, rangeStart: number, rangeEnd: number,
  smoothed: boolean, isCounter: boolean, isRate: boolean,
): number | null {
  if (hi <= lo) return null;
  const b = boundaryIndexes(ts, lo, hi, rangeStart, rangeEnd, smoothed);
  if (b === null) return null;
  let [first, last] = b;
  const left = pickLeft(ts, vs, first, rangeStart, smoothed, isCounter);
  const right = pickRight(ts, vs, last, lo, rangeEnd, smoothed, isCounter);
  let result = right - left;
  if (isCounter) {
    if (ts[first]! <= rangeStart) first++;
    if (ts[last]! >= rangeEnd) last--;
    let prev = left;
    let correction = 0;
    for (let i = first; i <= last; i++) {
      if (vs[i]! < prev) correction += prev;
      prev = vs[i]!;
    }
    if (right < prev) correction += prev;
    result += correction;
  }
  if (isRate) result /= (rangeEnd - rangeStart) / 1000;
  return result;
}

/** extendFloats trims an anchored/smoothed window back to [mint, maxt] with a synthetic point at each end. */
export function extendFloats(
  ts: number[], vs: number[], lo: number, hi: number, mint: number, maxt: number, smoothed: boolean,
): { ts: number[]; vs: number[] } {
  if (hi <= lo) return { ts: [], vs: [] };
  const b = boundaryIndexes(ts, lo, hi, mint, maxt, smoothed);
  if (b === null) return { ts: [], vs: [] };
  let [first, last] = b;
  const left = pickLeft(ts, vs, first, mint, smoothed, false);
  const right = pickRight(ts, vs, last, lo, maxt, smoothed, false);
  if (ts[first]! <= mint) first++;
  if (ts[last]! >= maxt) last--;
  const outT = [mint];
  const outV = [left];
  for (let i = first; i <= last; i++) {
    outT.push(ts[i]!);
    outV.push(vs[i]!);
  }
  outT.push(maxt);
  outV.push(right);
  return { ts: outT, vs: outV };
}
