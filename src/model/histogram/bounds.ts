import { CUSTOM_BUCKETS_SCHEMA } from './types.js';

// EXPONENTIAL_FRACTIONS[s][j] is 2^(j/2^s)/2 rounded to 16 significant digits, as Prometheus's bounds table holds it.
const EXPONENTIAL_FRACTIONS: number[][] = [];
for (let s = 0; s <= 8; s++) {
  const n = 1 << s;
  const row: number[] = [];
  for (let j = 0; j < n; j++) row.push(Number((Math.pow(2, j / n) / 2).toPrecision(16)));
  EXPONENTIAL_FRACTIONS.push(row);
}

/** ldexp returns frac * 2^exp without overflowing intermediate powers. */
function ldexp(frac: number, exp: number): number {
  if (exp > 1023) return frac * Math.pow(2, 1023) * Math.pow(2, exp - 1023);
  if (exp < -1022) return frac * Math.pow(2, -1022) * Math.pow(2, exp + 1022);
  return frac * Math.pow(2, exp);
}

/** exponentialBound is the upper bound of bucket idx of an exponential schema (MaxFloat64 for the last finite bucket). */
export function exponentialBound(idx: number, schema: number): number {
  if (schema < 0) {
    const exp = idx * Math.pow(2, -schema);
    if (exp === 1024) return Number.MAX_VALUE;
    return ldexp(1, exp);
  }
  const n = 1 << schema;
  const fracIdx = ((idx % n) + n) % n;
  const frac = EXPONENTIAL_FRACTIONS[schema]![fracIdx]!;
  const exp = Math.floor(idx / n) + 1;
  if (frac === 0.5 && exp === 1025) return Number.MAX_VALUE;
  return ldexp(frac, exp);
}

/** bucketBound is the upper bound of bucket idx: exponential, or the custom bound (+Inf past the last, -Inf before the first). */
export function bucketBound(idx: number, schema: number, customValues: readonly number[] | undefined): number {
  if (schema === CUSTOM_BUCKETS_SCHEMA) {
    const cv = customValues ?? [];
    if (idx < 0) return -Infinity;
    if (idx >= cv.length) return Infinity;
    return cv[idx]!;
  }
  return exponentialBound(idx, schema);
}

/** targetIndex maps an exponential bucket index of originSchema to the index of targetSchema (coarser) holding it. */
export function targetIndex(idx: number, originSchema: number, targetSchema: number): number {
  return Math.floor((idx - 1) / Math.pow(2, originSchema - targetSchema)) + 1;
}
