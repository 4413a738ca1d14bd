import type { MemSeries } from './series.js';

/** SERIES_FIXED_BYTES models a MemSeries object, its boxed doubles and labels array (measured on V8 x64, no pointer compression). */
export const SERIES_FIXED_BYTES = 360;

/** estimateSeriesBytes models the heap held by one series: fixed part, chunks and out-of-order samples. */
export function estimateSeriesBytes(s: MemSeries): number {
  let b = SERIES_FIXED_BYTES + s.labels.length * 8;
  // Closed chunks: 4 unboxed numbers each here; their bytes are counted with the arena (SeriesColumns.bytesUsed).
  if (s.closed !== null) b += 16 + s.closed.length * 8;
  if (s.head !== null) b += 200 + s.head.byteLength();
  if (s.ooo !== null) b += 100 + s.ooo.t.byteLength * 2;
  if (s.tombstones !== null) b += 40 + s.tombstones.length * 8;
  if (s.hist !== null) b += s.hist.bytesEstimate();
  return b;
}
