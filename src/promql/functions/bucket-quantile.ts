/** Bucket is one classic-histogram bucket: its upper bound (le) and cumulative count. */
export interface Bucket {
  upperBound: number;
  count: number;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/** almostEqual is Prometheus's util/almost.Equal: relative comparison with NaN == NaN. */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** BucketQuantileResult is the quantile and whether the buckets had to be forced monotonic. */
export interface BucketQuantileResult {
  value: number;
  forcedMonotonic: boolean;
}

/**
 * sortAndCoalesce sorts buckets by upper bound and merges buckets with the same bound (in place);
 * false when the highest bucket is not +Inf, which makes every classic-bucket estimate NaN.
 */
function sortAndCoalesce(buckets: Bucket[]): boolean {
  buckets.sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  if (buckets[buckets.length - 1]!.upperBound !== Infinity) return false;
  let w = 0;
  let last = { ...buckets[0]! };
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (b.upperBound === last.upperBound) last.count += b.count;
    else {
      buckets[w++] = last;
      last = { ...b };
    }
  }
  buckets[w++] = last;
  buckets.length = w;
  return true;
}

/** bucketQuantile computes a quantile over classic buckets as Prometheus's BucketQuantile (mutates buckets). */
export function bucketQuantile(q: number, buckets: Bucket[]): BucketQuantileResult {
  if (Number.isNaN(q)) return { value: NaN, forcedMonotonic: false };
  if (q < 0) return { value: -Infinity, forcedMonotonic: false };
  if (q > 1) return { value: Infinity, forcedMonotonic: false };
  if (!sortAndCoalesce(buckets)) return { value: NaN, forcedMonotonic: false };
  let forcedMonotonic = false;
  let prev = buckets[0]!.count;
  for (let i = 1; i < buckets.length; i++) {
    const curr = buckets[i]!.count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, 1e-12)) {
      buckets[i]!.count = prev;
      continue;
    }
    if (curr < prev) {
      buckets[i]!.count = prev;
      forcedMonotonic = true;
      continue;
    }
    prev = curr;
  }
  if (buckets.length < 2) return { value: NaN, forcedMonotonic };
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return { value: NaN, forcedMonotonic };
  let rank = q * observations;
  // sort.Search over buckets[0 .. len-2] for the first count >= rank.
  let b = buckets.length - 1;
  for (let i = 0; i < buckets.length - 1; i++) {
    if (buckets[i]!.count >= rank) {
      b = i;
      break;
    }
  }
  if (b === buckets.length - 1) return { value: buckets[buckets.length - 2]!.upperBound, forcedMonotonic };
  if (b === 0 && buckets[0]!.upperBound <= 0) return { value: buckets[0]!.upperBound, forcedMonotonic };
  let bucketStart = 0;
  const bucketEnd = buckets[b]!.upperBound;
  let count = buckets[b]!.count;
  if (b > 0) {
    bucketStart = buckets[b - 1]!.upperBound;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return { value: bucketStart + (bucketEnd - bucketStart) * (rank / count), forcedMonotonic };
}

/** parseGoFloat parses a float as Go's strconv.ParseFloat accepts it (Inf, NaN, hex, underscores excluded); null when malformed. */
export function parseGoFloat(s: string): number | null {
  const t = s.trim();
  if (t !== s || t === '') return null;
  const lower = t.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(lower)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return Number(t);
  if (/^[+-]?0x[0-9a-f]+$/.test(lower)) return Number.parseInt(t, 16);
  return null;
}

/** bucketFraction estimates the fraction of observations in [lower, upper] from classic buckets (mutates buckets). */
export function bucketFraction(lower: number, upper: number, buckets: Bucket[]): number {
  if (buckets.length === 0) return NaN;
  if (!sortAndCoalesce(buckets)) return NaN;
  const count = buckets[buckets.length - 1]!.count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  // Buckets whose first upper bound is positive are taken to start at 0.
  let lowerBound = buckets[0]!.upperBound <= 0 ? -Infinity : 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (i > 0) lowerBound = buckets[i - 1]!.upperBound;
    const upperBound = b.upperBound;
    const interp = (v: number): number =>
      lowerBound === -Infinity ? b.count : rank + ((b.count - rank) * (v - lowerBound)) / (upperBound - lowerBound);
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interp(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interp(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}
