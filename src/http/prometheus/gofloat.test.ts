import { describe, expect, it } from 'vitest';
import { STALE_NAN } from '../../model/sample.js';
import { formatFloatGo, formatSampleValue, formatScalarValue, formatTimestamp, jsonFloat } from './gofloat.js';
import { jsonString } from './gojson.js';

describe('Go float formatting', () => {
  it.each([
    [0, '0', '0e+00'],
    [-0, '-0', '-0e+00'],
    [1, '1', '1e+00'],
    [-2.5, '-2.5', '-2.5e+00'],
    [0.1, '0.1', '1e-01'],
    [1e21, '1000000000000000000000', '1e+21'],
    [1.5e-7, '0.00000015', '1.5e-07'],
    [123456789.125, '123456789.125', '1.23456789125e+08'],
    [5e-324, `0.${'0'.repeat(323)}5`, '5e-324'],
    [1.7976931348623157e308, `17976931348623157${'0'.repeat(292)}`, '1.7976931348623157e+308'],
    [NaN, 'NaN', 'NaN'],
    [Infinity, '+Inf', '+Inf'],
    [-Infinity, '-Inf', '-Inf'],
  ])('FormatFloat(%s)', (v, f, e) => {
    expect(formatFloatGo(v, 'f')).toBe(f);
    expect(formatFloatGo(v, 'e')).toBe(e);
  });

  it.each([
    [1, '1'],
    [0, '0'],
    [1e-6, '0.000001'],
    [9.99e-7, '9.99e-07'],
    [1e21, '1e+21'],
    [9.99e20, '999000000000000000000'],
    [-1e21, '-1e+21'],
    [STALE_NAN, 'NaN'],
  ])('sample value %s', (v, s) => expect(formatSampleValue(v)).toBe(s));

  it('sample values in the fixed range match the exponent-based rendering, bit pattern after bit pattern', () => {
    const bits = new DataView(new ArrayBuffer(8));
    let seed = 12345;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const values = [1e-6, 1e21 - 65536 * 2, 0.1 + 0.2, 2 ** 53, 2 ** 53 + 2, 123456789012345680000];
    for (let i = 0; i < 5000; i++) {
      bits.setUint32(0, rnd());
      bits.setUint32(4, rnd());
      const v = bits.getFloat64(0);
      // Random exponents around the fixed range, and random decimal-looking values.
      values.push(v, (rnd() / 2 ** 32) * 10 ** ((rnd() % 30) - 8), Math.round(rnd() / 1000) / 1000);
    }
    for (const v of values) {
      const a = Math.abs(v);
      expect(formatSampleValue(v)).toBe(formatFloatGo(v, a !== 0 && (a < 1e-6 || a >= 1e21) ? 'e' : 'f'));
    }
  });

  it('scalars never use an exponent', () => expect(formatScalarValue(1e21)).toBe('1000000000000000000000'));

  it.each([
    [1700000000123, '1700000000.123'],
    [1700000000100, '1700000000.100'],
    [1700000000010, '1700000000.010'],
    [1700000000001, '1700000000.001'],
    [1700000000000, '1700000000'],
    [0, '0'],
    [-1500, '-1.500'],
    [-1, '-0.001'],
  ])('timestamp %s', (ms, s) => expect(formatTimestamp(ms)).toBe(s));

  it.each([
    [1700000000.1, '1700000000.1'],
    [1e-7, '1e-7'],
    [1e21, '1e+21'],
    [1.5, '1.5'],
  ])('encoding/json float %s', (v, s) => expect(jsonFloat(v)).toBe(s));
});

describe('Go JSON strings', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['<a&b>', '"\\u003ca\\u0026b\\u003e"'],
    ['\n\r\t\b\f\x01', '"\\n\\r\\t\\u0008\\u000c\\u0001"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['é😀', '"é😀"'],
    ['x\ud800y', '"x\\ufffdy"'],
  ])('%j', (s, out) => expect(jsonString(s)).toBe(out));
});
