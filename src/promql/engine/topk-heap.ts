/**
 * before reports whether sample a ranks ahead of sample b for topk (desc) or bottomk: by value, NaN last, then by
 * position (earlier input first, as a stable sort of the input order would).
 */
function before(values: Float64Array, a: number, b: number, desc: boolean): boolean {
  const x = values[a]!;
  const y = values[b]!;
  if (x !== y) {
    const xn = x !== x;
    const yn = y !== y;
    if (xn || yn) {
      if (!(xn && yn)) return yn;
    } else return desc ? x > y : x < y;
  }
  return a < b;
}

/**
 * selectK offers sample p (an index into values) to a bounded heap of at most cap samples kept in
 * heap[base .. base+len), whose root is the lowest-ranked sample kept; returns the new length. Offering samples in
 * input order keeps the cap highest-ranked ones with ties going to the earlier sample.
 */
export function selectK(heap: Int32Array, base: number, len: number, cap: number, p: number, values: Float64Array, desc: boolean): number {
  if (len < cap) {
    // Sift up: the new sample rises while it ranks below its parent.
    let i = len;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const q = heap[base + parent]!;
      if (!before(values, q, p, desc)) break;
      heap[base + i] = q;
      i = parent;
    }
    heap[base + i] = p;
    return len + 1;
  }
  if (!before(values, p, heap[base]!, desc)) return len;
  // Replace the root and sift down: the lower-ranked child moves up while it ranks below p.
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= len) break;
    let w = l;
    const r = l + 1;
    if (r < len && before(values, heap[base + l]!, heap[base + r]!, desc)) w = r;
    const q = heap[base + w]!;
    if (!before(values, p, q, desc)) break;
    heap[base + i] = q;
    i = w;
  }
  heap[base + i] = p;
  return len;
}
