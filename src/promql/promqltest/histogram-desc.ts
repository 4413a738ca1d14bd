import { addFloatHistograms } from '../../model/histogram/add.js';
import { emptyFloatHistogram } from '../../model/histogram/copy.js';
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type CounterResetHintValue, type FloatHistogram } from '../../model/histogram/types.js';

/** HistogramValue is a native histogram written in a script, with whether its counter-reset hint was given. */
export interface HistogramValue {
  h: FloatHistogram;
  hintSet: boolean;
}

/** HistogramDescError reports a malformed `{{...}}` histogram description. */
export class HistogramDescError extends Error {
  override name = 'HistogramDescError';
}

const HINTS: Record<string, CounterResetHintValue> = {
  unknown: CounterResetHint.Unknown,
  reset: CounterResetHint.CounterReset,
  not_reset: CounterResetHint.NotCounterReset,
  gauge: CounterResetHint.Gauge,
};

function num(s: string): number {
  const l = s.toLowerCase();
  if (l === 'inf' || l === '+inf') return Infinity;
  if (l === '-inf') return -Infinity;
  if (l === 'nan') return NaN;
  const n = Number(s);
  if (s === '' || Number.isNaN(n)) throw new HistogramDescError(`invalid number ${JSON.stringify(s)} in histogram description`);
  return n;
}

/** parseHistogramDesc parses one `{{key:value ...}}` description (promqltest's histogram notation). */
export function parseHistogramDesc(text: string): HistogramValue {
  const t = text.trim();
  if (!t.startsWith('{{') || !t.endsWith('}}')) throw new HistogramDescError(`invalid histogram description ${JSON.stringify(text)}`);
  const body = t.slice(2, -2);
  const h: FloatHistogram = emptyFloatHistogram();
  let hintSet = false;
  let offset = 0;
  let nOffset = 0;
  const re = /([a-z_]+):\s*(\[[^\]]*\]|\S+)/g;
  let rest = body;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    rest = rest.replace(m[0], '');
    const key = m[1]!;
    const val = m[2]!;
    const list = (): number[] => {
      if (!val.startsWith('[')) throw new HistogramDescError(`${key} needs a list: ${val}`);
      return val.slice(1, -1).trim().split(/\s+/).filter((x) => x !== '').map(num);
    };
    switch (key) {
      case 'schema': h.schema = Math.trunc(num(val)); break;
      case 'sum': h.sum = num(val); break;
      case 'count': h.count = num(val); break;
      case 'z_bucket': h.zeroCount = num(val); break;
      case 'z_bucket_w': h.zeroThreshold = num(val); break;
      case 'buckets': h.positiveBuckets = list(); break;
      case 'n_buckets': h.negativeBuckets = list(); break;
      case 'offset': offset = Math.trunc(num(val)); break;
      case 'n_offset': nOffset = Math.trunc(num(val)); break;
      case 'custom_values': h.customValues = list(); break;
      case 'counter_reset_hint': {
        const v = HINTS[val];
        if (v === undefined) throw new HistogramDescError(`error parsing counter_reset_hint: unknown value ${val}`);
        h.counterResetHint = v;
        hintSet = true;
        break;
      }
      default:
        throw new HistogramDescError(`unknown histogram description key ${JSON.stringify(key)}`);
    }
  }
  if (rest.trim() !== '') throw new HistogramDescError(`invalid histogram description ${JSON.stringify(text)}`);
  if (h.positiveBuckets.length > 0) h.positiveSpans = [{ offset, length: h.positiveBuckets.length }];
  if (h.negativeBuckets.length > 0) h.negativeSpans = [{ offset: nOffset, length: h.negativeBuckets.length }];
  if (h.schema === CUSTOM_BUCKETS_SCHEMA && h.customValues === undefined) h.customValues = [];
  return { h, hintSet };
}

/** splitHistogramToken splits a token into its `{{...}}` parts and what follows each (`+`, `-`, `xN`). */
function splitDescs(tok: string): { descs: string[]; ops: string[]; tail: string } {
  const descs: string[] = [];
  const ops: string[] = [];
  let i = 0;
  while (tok.startsWith('{{', i)) {
    const end = tok.indexOf('}}', i);
    if (end < 0) throw new HistogramDescError(`unterminated histogram description in ${JSON.stringify(tok)}`);
    descs.push(tok.slice(i, end + 2));
    i = end + 2;
    if (tok[i] === '+' || tok[i] === '-') {
      ops.push(tok[i]!);
      i++;
    }
  }
  return { descs, ops, tail: tok.slice(i) };
}

/** expandHistogramToken expands `{{A}}`, `{{A}}xN` and `{{A}}+{{B}}xN` / `{{A}}-{{B}}xN` into histogram values. */
export function expandHistogramToken(tok: string): HistogramValue[] {
  const { descs, ops, tail } = splitDescs(tok);
  let times = 0;
  if (tail !== '') {
    const m = /^x(\d+)$/.exec(tail);
    if (!m) throw new HistogramDescError(`invalid histogram series item ${JSON.stringify(tok)}`);
    times = Number(m[1]);
  }
  const base = parseHistogramDesc(descs[0]!);
  if (descs.length === 1) {
    const out: HistogramValue[] = [];
    for (let i = 0; i <= times; i++) out.push(base);
    return out;
  }
  if (descs.length !== 2 || tail === '') throw new HistogramDescError(`invalid histogram series item ${JSON.stringify(tok)}`);
  const inc = parseHistogramDesc(descs[1]!);
  const hintSet = inc.hintSet;
  const out: HistogramValue[] = [{ h: base.h, hintSet }];
  let cur = base.h;
  for (let i = 1; i <= times; i++) {
    if (cur.schema > inc.h.schema) throw new HistogramDescError(`error combining histograms: cannot merge from schema ${inc.h.schema} to ${cur.schema}`);
    cur = addFloatHistograms(cur, inc.h, ops[0] === '-').h;
    out.push({ h: cur, hintSet });
  }
  return out;
}
