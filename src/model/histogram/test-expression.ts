import { compactFloatHistogram } from './compact.js';
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from './types.js';

const HINT_NAMES: Record<number, string> = {
  [CounterResetHint.CounterReset]: 'reset',
  [CounterResetHint.NotCounterReset]: 'not_reset',
  [CounterResetHint.Gauge]: 'gauge',
};

function g(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x === Infinity ? '+Inf' : x === -Infinity ? '-Inf' : String(x);
}

/** histogramTestExpression renders h in promqltest's `{{...}}` notation (compacted, one span per side as written). */
export function histogramTestExpression(h: FloatHistogram): string {
  const c = compactFloatHistogram(h);
  const parts: string[] = [];
  if (c.schema !== 0) parts.push(`schema:${c.schema}`);
  if (c.count !== 0) parts.push(`count:${g(c.count)}`);
  if (c.sum !== 0) parts.push(`sum:${g(c.sum)}`);
  if (c.zeroCount !== 0) parts.push(`z_bucket:${g(c.zeroCount)}`);
  if (c.zeroThreshold !== 0) parts.push(`z_bucket_w:${g(c.zeroThreshold)}`);
  if (c.schema === CUSTOM_BUCKETS_SCHEMA) parts.push(`custom_values:[${(c.customValues ?? []).map(g).join(' ')}]`);
  const side = (spans: FloatHistogram['positiveSpans'], buckets: number[], prefix: string): void => {
    if (buckets.length === 0) return;
    const out: string[] = [];
    let idx = 0;
    let first = true;
    for (const s of spans) {
      idx += s.offset;
      if (first) {
        if (idx !== 0) parts.push(`${prefix}offset:${idx}`);
        first = false;
      } else for (let k = 0; k < s.offset; k++) out.push('0');
      idx += s.length;
    }
    let b = 0;
    const vals: string[] = [];
    first = true;
    for (const s of spans) {
      if (!first) for (let k = 0; k < s.offset; k++) vals.push('0');
      first = false;
      for (let k = 0; k < s.length; k++) vals.push(g(buckets[b++]!));
    }
    parts.push(`${prefix}buckets:[${vals.join(' ')}]`);
  };
  side(c.positiveSpans, c.positiveBuckets, '');
  side(c.negativeSpans, c.negativeBuckets, 'n_');
  const hint = HINT_NAMES[c.counterResetHint];
  if (hint !== undefined) parts.push(`counter_reset_hint:${hint}`);
  return `{{${parts.join(' ')}}}`;
}
