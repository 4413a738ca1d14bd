import { describe, expect, it } from 'vitest';
import { decodeLabelPairs } from './decode-v1.js';
import { LabelPairCache } from './label-cache.js';
import { PbReader } from './pb.js';
import { PbWriter } from './pb-writer.js';
import { checkLabels, type LabelLimits } from './validate.js';

const K_LABELS = 0x0a;
const LIMITS: LabelLimits = { maxLabelNamesPerSeries: 4, maxLabelNameLength: 10, maxLabelValueLength: 12 };

/** encode lays label pairs out as the Label fields of a TimeSeries (raw bytes, so invalid UTF-8 can be written too). */
function encode(pairs: [string | Uint8Array, string | Uint8Array][]): Uint8Array {
  const w = new PbWriter();
  const bytes = (x: string | Uint8Array) => (typeof x === 'string' ? new TextEncoder().encode(x) : x);
  for (const [n, v] of pairs) w.messageField(1, (l) => l.bytesField(1, bytes(n)).bytesField(2, bytes(v)));
  return w.finish();
}

// Every case is checked against checkLabels over freshly decoded pairs: same labels, same issue and message.
const CASES: [string, [string | Uint8Array, string | Uint8Array][]][] = [
  ['valid, sorted', [['__name__', 'up'], ['job', 'node']]],
  ['valid, unsorted', [['job', 'node'], ['__name__', 'up'], ['a', 'b']]],
  ['empty value dropped', [['__name__', 'up'], ['empty', ''], ['job', 'x']]],
  ['missing metric name', [['job', 'x']]],
  ['metric name only empty', [['__name__', ''], ['job', 'x']]],
  ['invalid metric name', [['__name__', '1up'], ['job', 'x']]],
  ['invalid label name', [['__name__', 'up'], ['bad-name', 'x']]],
  ['duplicate label name', [['__name__', 'up'], ['job', 'a'], ['job', 'b']]],
  ['too many labels', [['__name__', 'up'], ['a', '1'], ['b', '1'], ['c', '1'], ['d', '1']]],
  ['label name too long', [['__name__', 'up'], ['abcdefghijk', '1']]],
  ['label value too long', [['__name__', 'up'], ['job', 'abcdefghijklm']]],
  ['invalid UTF-8 value', [['__name__', 'up'], ['job', new Uint8Array([0xff, 0xfe])]]],
  ['invalid UTF-8 name', [['__name__', 'up'], [new Uint8Array([0xc3]), 'x']]],
];

describe('LabelPairCache', () => {
  const cache = new LabelPairCache();
  for (const [title, pairs] of CASES) {
    it(`answers as checkLabels: ${title} (cold and cached)`, () => {
      const buf = encode(pairs);
      const want = checkLabels(decodeLabelPairs(new PbReader(buf), 0, buf.length, K_LABELS), LIMITS);
      expect(cache.labels(new PbReader(buf), 0, buf.length, K_LABELS, LIMITS)).toEqual(want);
      expect(cache.labels(new PbReader(encode(pairs)), 0, buf.length, K_LABELS, LIMITS)).toEqual(want);
    });
  }

  it('shares one Label object per distinct pair, applies the limits in force, and starts afresh when full', () => {
    const c = new LabelPairCache(3);
    const a = encode([['__name__', 'up'], ['job', 'abcdefghijkl']]);
    const first = c.labels(new PbReader(a), 0, a.length, K_LABELS, LIMITS) as { name: string }[];
    const again = c.labels(new PbReader(a), 0, a.length, K_LABELS, LIMITS) as { name: string }[];
    expect(again[0]).toBe(first[0]);
    expect(c.labels(new PbReader(a), 0, a.length, K_LABELS, { ...LIMITS, maxLabelValueLength: 5 })).toMatchObject({ reason: 'label_value_too_long' });
    const b = encode([['__name__', 'down'], ['zone', 'z']]);
    c.labels(new PbReader(b), 0, b.length, K_LABELS, LIMITS);
    expect(c.size).toBeLessThanOrEqual(3);
    expect(c.labels(new PbReader(a), 0, a.length, K_LABELS, LIMITS)).toEqual(first);
  });
});
