import { reduceSparse } from './add.js';
import { compressBuckets, expandBuckets } from './buckets.js';
import { copyFloatHistogram } from './copy.js';
import type { FloatHistogram } from './types.js';

/** reduceResolution returns h at a coarser exponential schema (h itself when the schema is not finer). */
export function reduceResolution(h: FloatHistogram, targetSchema: number): FloatHistogram {
  if (h.schema <= targetSchema) return h;
  const r = copyFloatHistogram(h);
  const p = compressBuckets(reduceSparse(expandBuckets(h.positiveSpans, h.positiveBuckets), h.schema, targetSchema));
  const n = compressBuckets(reduceSparse(expandBuckets(h.negativeSpans, h.negativeBuckets), h.schema, targetSchema));
  r.schema = targetSchema;
  r.positiveSpans = p.spans;
  r.positiveBuckets = p.buckets;
  r.negativeSpans = n.spans;
  r.negativeBuckets = n.buckets;
  return r;
}
