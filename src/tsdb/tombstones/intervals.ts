/** Interval is a closed time range [mint, maxt] in milliseconds. */
export interface Interval {
  readonly mint: number;
  readonly maxt: number;
}

/** Intervals is a sorted list of non-overlapping, non-adjacent intervals. */
export type Intervals = readonly Interval[];

/** intervalContains reports whether t falls inside the closed interval. */
export function intervalContains(iv: Interval, t: number): boolean {
  return t >= iv.mint && t <= iv.maxt;
}

/** intervalsCover reports whether [mint, maxt] lies entirely inside one of the intervals. */
export function intervalsCover(ivs: Intervals, mint: number, maxt: number): boolean {
  for (const iv of ivs) if (mint >= iv.mint && maxt <= iv.maxt) return true;
  return false;
}

/** intervalsContain reports whether t falls inside any of the intervals. */
export function intervalsContain(ivs: Intervals, t: number): boolean {
  for (const iv of ivs) {
    if (t < iv.mint) return false;
    if (t <= iv.maxt) return true;
  }
  return false;
}

/** intervalsOverlap reports whether [mint, maxt] intersects any of the intervals. */
export function intervalsOverlap(ivs: Intervals, mint: number, maxt: number): boolean {
  for (const iv of ivs) if (iv.mint <= maxt && iv.maxt >= mint) return true;
  return false;
}

/** addInterval returns a new sorted list with n merged in; overlapping or adjacent intervals fuse. */
export function addInterval(ivs: Intervals, n: Interval): Intervals {
  if (n.maxt < n.mint) throw new RangeError(`invalid interval [${n.mint}, ${n.maxt}]`);
  const out: Interval[] = [];
  let mint = n.mint;
  let maxt = n.maxt;
  let placed = false;
  for (const iv of ivs) {
    if (iv.maxt < mint - 1) {
      out.push(iv);
    } else if (iv.mint > maxt + 1) {
      if (!placed) {
        out.push({ mint, maxt });
        placed = true;
      }
      out.push(iv);
    } else {
      mint = Math.min(mint, iv.mint);
      maxt = Math.max(maxt, iv.maxt);
    }
  }
  if (!placed) out.push({ mint, maxt });
  return out;
}

/** mergeIntervals returns the union of two interval lists. */
export function mergeIntervals(a: Intervals, b: Intervals): Intervals {
  let out = a;
  for (const iv of b) out = addInterval(out, iv);
  return out;
}
