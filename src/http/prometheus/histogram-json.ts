import { allBuckets } from '../../model/histogram/buckets.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import { formatSampleValue } from './gofloat.js';

/**
 * histogramJSON renders a native histogram as Prometheus 3's query API does (jsonutil.MarshalHistogram):
 * `{"count":"<c>","sum":"<s>","buckets":[[<boundaryRule>,"<lower>","<upper>","<count>"],...]}`, empty buckets left
 * out, boundary rule 0 = (lower,upper], 1 = [lower,upper), 2 = (lower,upper), 3 = [lower,upper].
 */
export function histogramJSON(h: FloatHistogram): string {
  let out = `{"count":"${formatSampleValue(h.count)}","sum":"${formatSampleValue(h.sum)}"`;
  let found = false;
  for (const b of allBuckets(h)) {
    if (b.count === 0) continue;
    out += found ? ',' : ',"buckets":[';
    found = true;
    const rule = b.lowerInclusive ? (b.upperInclusive ? 3 : 1) : b.upperInclusive ? 0 : 2;
    out += `[${rule},"${formatSampleValue(b.lower)}","${formatSampleValue(b.upper)}","${formatSampleValue(b.count)}"]`;
  }
  if (found) out += ']';
  return out + '}';
}
