import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/prometheus/api-error.js';
import { formatSampleValue, formatTimestamp } from '../http/prometheus/gofloat.js';
import { writeValueJSON } from '../http/prometheus/values.js';
import type { Value } from '../promql/engine/value.js';
import { STALE_NAN } from '../model/sample.js';
import { BodyWriter, writeTimestamp } from './body-writer.js';

function collect(flushBytes?: number): { w: BodyWriter; text: () => string; pieces: Uint8Array[] } {
  const pieces: Uint8Array[] = [];
  const w = new BodyWriter({ maxBytes: 1e9, flushBytes, emit: (c) => pieces.push(c) });
  return {
    w,
    pieces,
    text: () => {
      w.flush();
      return Buffer.concat(pieces).toString('utf8');
    },
  };
}

describe('BodyWriter', () => {
  it('emits the text in pieces of about flushBytes that concatenate to the whole', () => {
    const { w, pieces, text } = collect(100);
    let want = '';
    for (let i = 0; i < 500; i++) {
      const s = `{"i":${i},"s":"é€😀"},`;
      want += s;
      w.write(s);
    }
    expect(text()).toBe(want);
    expect(pieces.length).toBeGreaterThan(50);
    expect(w.bytes).toBe(Buffer.byteLength(want));
    // Each piece owns its memory, so it can be transferred.
    for (const p of pieces) expect(p.byteOffset === 0 && p.buffer.byteLength < 2 * p.length + 64).toBe(true);
  });

  it('writes strings longer than its buffer, ASCII or not, whole', () => {
    const { w, text } = collect(1000);
    const long = 'ab€'.repeat(50_000) + 'x'.repeat(70_000);
    w.write('[');
    w.write(long);
    w.write(']');
    expect(text()).toBe(`[${long}]`);
  });

  it('fails with an execution error naming the limit once the body passes maxBytes', () => {
    const w = new BodyWriter({ maxBytes: 1000, flushBytes: 64, emit: () => {} });
    const overflow = (): void => {
      for (let i = 0; i < 100; i++) w.write('x'.repeat(30));
    };
    expect(overflow).toThrow(ApiError);
    expect(overflow).toThrow(/1000 bytes \(query\.maxResultBytes\)/);
  });

  it('renders a matrix byte for byte as the string renderer does', () => {
    const ts: number[] = [];
    const vs: number[] = [];
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 30_000; i++) {
      ts.push(Math.round((rnd() - 0.2) * 2e12));
      vs.push([rnd() * 1e6, Math.round(rnd() * 100), -rnd() * 1e-9, 1e22 * rnd(), NaN, STALE_NAN, Infinity, -Infinity, 0, -0][i % 10]!);
    }
    const v: Value = {
      kind: 'matrix',
      series: [
        { metric: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'ü "q"' }], ts, vs },
        { metric: [], ts: [], vs: [] },
        { metric: [{ name: 'a', value: 'b' }], ts: [1000], vs: [1.5] },
      ],
    } as unknown as Value;
    let want = '';
    writeValueJSON(v, (s) => (want += s));
    const { w, text } = collect(4096);
    writeValueJSON(v, w.write);
    expect(text()).toBe(want);
    expect(want).toContain('"values":[');
  });

  it.each([0, 1, 999, 1000, 1001, 1700000000123, 1700000000100, 1700000000010, 1700000000001, -1, -1500, -1700000000123, 2147483647999, 2147483648000, 2147483648001, 8.64e15, -8.64e15])('writes timestamp %s as formatTimestamp', (ms) => {
    const buf = new Uint8Array(32);
    const end = writeTimestamp(buf, 3, ms);
    expect(Buffer.from(buf.subarray(3, end)).toString('latin1')).toBe(formatTimestamp(ms));
  });

  it('uses formatSampleValue for every value', () => {
    const { w, text } = collect();
    w.write.points!([1000, 2000], [0.1, -0]);
    expect(text()).toBe(`[1,"${formatSampleValue(0.1)}"],[2,"-0"]`);
  });
});
