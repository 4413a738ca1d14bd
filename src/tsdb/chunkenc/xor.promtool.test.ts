// Interop with real Prometheus code: promtool writes a block from OpenMetrics text; every XOR
// chunk it wrote must decode here to the input samples and re-encode to the same bytes.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENCODING_XOR, XORChunk, chunkFromSamples } from './xor.js';

function findPromtool(): string | null {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return 'promtool';
  } catch {
    return null;
  }
}

const promtool = findPromtool();
if (promtool === null) console.warn('xor.promtool.test: promtool not installed, skipping the Prometheus interop check');

/** readChunkSegment splits a block chunk segment file into (encoding, data) records. */
function readChunkSegment(buf: Buffer): { enc: number; data: Uint8Array }[] {
  expect(buf.readUInt32BE(0)).toBe(0x85bd40dd);
  const out: { enc: number; data: Uint8Array }[] = [];
  let p = 8;
  while (p < buf.length) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = buf[p++]!;
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    const enc = buf[p++]!;
    out.push({ enc, data: new Uint8Array(buf.subarray(p, p + len)) });
    p += len + 4; // data + CRC32
  }
  return out;
}

describe.skipIf(promtool === null)('chunks written by promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-chunkenc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decode to the input and re-encode byte for byte', () => {
    // Three series inside one 2h block, irregular intervals hitting every dod bucket.
    const start = 1_700_006_400_000; // a multiple of 2h
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const series: { name: string; ts: number[]; vs: string[] }[] = [];
    const special = ['+Inf', '-Inf', '-0', '0', '1e-300', '1.7976931348623157e+308', 'NaN'];
    for (let s = 0; s < 3; s++) {
      const ts: number[] = [];
      const vs: string[] = [];
      let t = start + s; // distinct first timestamps per series
      let v = 1000 * s;
      for (let i = 0; i < 380; i++) {
        ts.push(t);
        vs.push(i % 37 === 5 ? special[i % special.length]! : String(v));
        const r = rnd();
        t += r < 0.6 ? 15_000 : r < 0.8 ? 15_000 + Math.floor(rnd() * 9) - 4 : Math.floor(rnd() * 60_000) + 1;
        v = s === 0 ? v + Math.floor(rnd() * 100) : s === 1 ? Math.round(rnd() * 1e6) / 1000 : v;
      }
      expect(ts[ts.length - 1]! - start).toBeLessThan(7_200_000);
      series.push({ name: `interop_${s}`, ts, vs });
    }
    let om = '';
    for (const s of series) {
      om += `# TYPE ${s.name} gauge\n`;
      for (let i = 0; i < s.ts.length; i++) om += `${s.name} ${s.vs[i]} ${(s.ts[i]! / 1000).toFixed(3)}\n`;
    }
    om += '# EOF\n';
    const input = join(dir, 'input.om');
    writeFileSync(input, om);
    const out = join(dir, 'blocks');
    execFileSync(promtool!, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, out], { stdio: 'pipe' });
    const blocks = readdirSync(out).filter((d) => /^[0-9A-Z]{26}$/.test(d));
    expect(blocks.length).toBe(1);
    const chunks = readChunkSegment(readFileSync(join(out, blocks[0]!, 'chunks', '000001')));

    const seen = series.map(() => 0);
    for (const { enc, data } of chunks) {
      expect(enc).toBe(ENCODING_XOR);
      const it = new XORChunk(data).iterator();
      const ts: number[] = [];
      const vs: number[] = [];
      while (it.next()) {
        ts.push(it.atT());
        vs.push(it.atV());
      }
      expect(it.err()).toBeNull();
      const k = series.findIndex((s) => s.ts.includes(ts[0]!));
      expect(k).toBeGreaterThanOrEqual(0);
      const s = series[k]!;
      const from = s.ts.indexOf(ts[0]!);
      expect(ts).toEqual(s.ts.slice(from, from + ts.length));
      const parse = (x: string): number => (x === '+Inf' ? Infinity : x === '-Inf' ? -Infinity : Number(x));
      expect(vs).toEqual(s.vs.slice(from, from + ts.length).map(parse));
      seen[k]! += ts.length;
      // Our encoder writes exactly the bytes Prometheus wrote.
      const again = chunkFromSamples(ts, Float64Array.from(vs));
      expect(Buffer.from(again.bytes()).toString('hex')).toBe(Buffer.from(data).toString('hex'));
    }
    expect(seen).toEqual(series.map((s) => s.ts.length));
    expect(chunks.length).toBeGreaterThan(3);
  });
});
