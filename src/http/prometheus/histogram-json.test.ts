import { describe, expect, it } from 'vitest';
import { CounterResetHint, type FloatHistogram } from '../../model/histogram/types.js';
import { histogramJSON } from './histogram-json.js';
import { writeValueJSON } from './values.js';

const h: FloatHistogram = {
  counterResetHint: CounterResetHint.Unknown,
  schema: 2,
  zeroThreshold: 0.001,
  zeroCount: 12,
  count: 10,
  sum: 20,
  positiveSpans: [{ offset: 3, length: 2 }, { offset: 1, length: 3 }],
  negativeSpans: [{ offset: 2, length: 2 }],
  positiveBuckets: [1, 2, 2, 1, 1],
  negativeBuckets: [2, 1],
};

// Prometheus 3's encoding of the same histogram (its web/api/v1 codec test case).
const PROM =
  '{"count":"10","sum":"20","buckets":[[1,"-1.6817928305074288","-1.414213562373095","1"],[1,"-1.414213562373095","-1.189207115002721","2"],' +
  '[3,"-0.001","0.001","12"],[0,"1.414213562373095","1.6817928305074288","1"],[0,"1.6817928305074288","2","2"],' +
  '[0,"2.378414230005442","2.82842712474619","2"],[0,"2.82842712474619","3.3635856610148576","1"],[0,"3.3635856610148576","4","1"]]}';

/** numbersClose compares two JSON texts: same shape, numeric strings within 2 ulps (bounds of fractional schemas may differ in the last digit). */
function numbersClose(a: string, b: string): boolean {
  const na = a.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? [];
  const nb = b.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? [];
  if (a.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, '#') !== b.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, '#')) return false;
  return na.length === nb.length && na.every((x, i) => Math.abs(Number(x) - Number(nb[i])) <= 4.5e-16 * Math.abs(Number(x)));
}

describe('histogramJSON', () => {
  it('renders buckets with boundary rules and Go float text as Prometheus', () => {
    expect(numbersClose(histogramJSON(h), PROM)).toBe(true);
    // Schema 0 bounds are powers of two: exact text.
    const h0: FloatHistogram = { ...h, schema: 0, zeroCount: 0, negativeSpans: [], negativeBuckets: [], positiveSpans: [{ offset: 0, length: 2 }], positiveBuckets: [3, 4] };
    expect(histogramJSON(h0)).toBe('{"count":"10","sum":"20","buckets":[[0,"0.5","1","3"],[0,"1","2","4"]]}');
  });

  it('leaves out empty buckets and the buckets field when none is populated', () => {
    expect(histogramJSON({ ...h, zeroCount: 0, positiveSpans: [], positiveBuckets: [], negativeSpans: [], negativeBuckets: [] })).toBe('{"count":"10","sum":"20"}');
  });

  it('puts histogram samples under "histogram"/"histograms" beside float "values"', () => {
    let s = '';
    writeValueJSON({ kind: 'matrix', series: [{ metric: [{ name: '__name__', value: 'foo' }], ts: [1000, 2000], vs: [5, 0], hs: [undefined, h], dropName: false }] }, (t) => {
      s += t;
    });
    expect(numbersClose(s, `[{"metric":{"__name__":"foo"},"values":[[1,"5"]],"histograms":[[2,${PROM}]]}]`)).toBe(true);
    s = '';
    writeValueJSON({ kind: 'vector', samples: [{ metric: [], t: 1000, f: 0, h, dropName: false }] }, (t) => {
      s += t;
    });
    expect(numbersClose(s, `[{"metric":{},"histogram":[1,${PROM}]}]`)).toBe(true);
  });
});
