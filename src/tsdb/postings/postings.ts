/** Postings is a strictly ascending list of series refs. */
export type Postings = readonly number[];

/** EMPTY_POSTINGS is the empty postings list. */
export const EMPTY_POSTINGS: Postings = Object.freeze([]) as Postings;

/** intersect returns the refs present in every list. */
export function intersect(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return EMPTY_POSTINGS;
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let acc = sorted[0]!;
  for (let k = 1; k < sorted.length && acc.length > 0; k++) acc = intersectTwo(acc, sorted[k]!);
  return acc;
}

function intersectTwo(a: Postings, b: Postings): Postings {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      i = gallop(a, i + 1, y);
    } else {
      j = gallop(b, j + 1, x);
    }
  }
  return out;
}

/** gallop returns the first index >= from whose value is >= target (exponential then binary search). */
function gallop(list: Postings, from: number, target: number): number {
  let step = 1;
  let lo = from;
  let hi = from;
  while (hi < list.length && list[hi]! < target) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > list.length) hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** merge returns the sorted union of the lists without duplicates. */
export function merge(lists: readonly Postings[]): Postings {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return EMPTY_POSTINGS;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  if (nonEmpty.length === 2) return mergeTwo(nonEmpty[0]!, nonEmpty[1]!);
  const all: number[] = [];
  for (const l of nonEmpty) for (const r of l) all.push(r);
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const r of all) if (out.length === 0 || out[out.length - 1] !== r) out.push(r);
  return out;
}

function mergeTwo(a: Postings, b: Postings): Postings {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** without returns the refs of a that are not in b. */
export function without(a: Postings, b: Postings): Postings {
  if (b.length === 0 || a.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    j = gallop(b, j, x);
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}
