import { CUSTOM_BUCKETS_SCHEMA } from './types.js';

// Double-double arithmetic (hi + lo, ~31 significant digits) for the bounds table below.
type DD = [number, number];
function split(a: number): [number, number] {
  const c = 134217729 * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}
function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}
function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}
function ddSqrt(a: DD): DD {
  const q = Math.sqrt(a[0]);
  const [p, e] = twoProd(q, q);
  return quickTwoSum(q, (a[0] - p - e + a[1]) / (2 * q));
}

/** round16 truncates a double-double in [0.5, 1) to 16 significant decimal digits (as the table Prometheus carries) and parses the result. */
function round16(v: DD): number {
  const scaled = (BigInt(v[0] * 2 ** 53) << 57n) + BigInt(Math.round(v[1] * 2 ** 110));
  const n = (scaled * 10n ** 16n) >> 110n;
  return Number(`0.${n.toString().padStart(16, '0')}`);
}

// EXPONENTIAL_FRACTIONS[s][j] is 2^(j/2^s)/2 truncated to 16 significant digits, as Prometheus's precomputed bounds table.
const EXPONENTIAL_FRACTIONS: number[][] = (() => {
  const roots: DD[] = [];
  let r: DD = [2, 0];
  for (let i = 0; i < 8; i++) roots.push((r = ddSqrt(r)));
  // roots[i] = 2^(1/2^(i+1)); 2^(k/256) is the product of the roots of k's set bits.
  const row8: number[] = [];
  for (let k = 0; k < 256; k++) {
    let v: DD = [0.5, 0];
    for (let b = 0; b < 8; b++) if (k & (1 << (7 - b))) v = ddMul(v, roots[b]!);
    row8.push(round16(v));
  }
  const table: number[][] = [];
  for (let s = 0; s <= 8; s++) table.push(Array.from({ length: 1 << s }, (_, j) => row8[j << (8 - s)]!));
  return table;
})();

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
