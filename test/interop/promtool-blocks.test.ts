// Interop with the real Prometheus: promtool reads blocks Amphora writes, Amphora reads blocks
// promtool writes, and a stock Prometheus server serves an Amphora block over its HTTP API.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, onPath } from './prometheus-peer.js';
import { compareLabels, labelsFromRecord, labelsKey, labelsToString, type Label, type Labels } from '../../src/model/labels.js';
import { newMatcher } from '../../src/model/matcher.js';
import { STALE_NAN, isStaleNaN } from '../../src/model/sample.js';
import { Block } from '../../src/tsdb/block/block.js';
import { writeBlock, type ChunkSeries } from '../../src/tsdb/block/writer.js';
import { ENCODING_XOR, chunkFromSamples } from '../../src/tsdb/chunkenc/xor.js';

const HAVE_PROMTOOL = onPath('promtool');
const HAVE_PROMETHEUS = onPath('prometheus');
if (!HAVE_PROMTOOL) console.warn('skipping promtool block interop tests: promtool is not on PATH');
if (!HAVE_PROMETHEUS) console.warn('skipping Prometheus server block interop test: prometheus is not on PATH');

const HOUR = 3_600_000;
// Recent, 2h-aligned data so a Prometheus server's retention keeps it and it fits one block range.
const T0 = Math.floor((Date.now() - 6 * HOUR) / (2 * HOUR)) * (2 * HOUR);
const STEP = 15_000;
const SAMPLES = 200; // 50 minutes per series: two chunks of 120 + 80
const NUM_SERIES = 300;

interface Written {
  labels: Labels;
  ts: number[];
  vs: number[];
}

function fixture(): Written[] {
  const out: Written[] = [];
  for (let i = 0; i < NUM_SERIES; i++) {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      ts.push(T0 + k * STEP + (i % 7) * 13);
      let v = Math.round(Math.sin(i + k / 10) * 1e6) / 64 + i;
      if (i === 1 && k === 100) v = STALE_NAN;
      if (i === 2 && k === 50) v = NaN;
      if (i === 3 && k === 7) v = Infinity;
      if (i === 3 && k === 8) v = -Infinity;
      if (i === 4) v = k; // a counter
      vs.push(v);
    }
    const labels = labelsFromRecord({ __name__: i % 2 === 0 ? 'amphora_test_a' : 'amphora_test_b', series: String(i).padStart(4, '0'), job: `job${i % 5}` });
    out.push({ labels, ts, vs });
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

function toChunkSeries(w: Written): ChunkSeries {
  const chunks = [];
  for (let s = 0; s < w.ts.length; s += 120) {
    const ts = w.ts.slice(s, s + 120);
    chunks.push({ mint: ts[0]!, maxt: ts[ts.length - 1]!, encoding: ENCODING_XOR, data: chunkFromSamples(ts, w.vs.slice(s, s + 120)).bytes().slice() });
  }
  return { labels: w.labels, chunks };
}

/** parseGoLabels parses Prometheus's labels.String() output: {a="b", c="d"}. */
function parseGoLabels(s: string): Labels {
  const out: Label[] = [];
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const m of s.matchAll(re)) out.push({ name: m[1]!, value: JSON.parse(`"${m[2]!}"`) as string });
  return labelsFromRecord(Object.fromEntries(out.map((l) => [l.name, l.value])));
}

function parseGoFloat(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

function sameValue(got: number, want: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  return got === want;
}

function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmpDirs: string[] = [];
function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!HAVE_PROMTOOL)('promtool reads Amphora blocks', () => {
  const written = fixture();
  let dataDir = '';
  let ulid = '';

  beforeAll(async () => {
    dataDir = tmp('amphora-interop-');
    const meta = await writeBlock(dataDir, { mint: T0, maxt: T0 + 2 * HOUR, series: written.map(toChunkSeries) });
    ulid = meta.ulid;
    expect(meta.stats.numSamples).toBe(NUM_SERIES * SAMPLES);
  });

  it('promtool tsdb analyze accepts the block', () => {
    const r = run('promtool', ['tsdb', 'analyze', dataDir, ulid]);
    expect(r.stderr + r.stdout).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Block ID: ${ulid}`);
    expect(r.stdout).toContain(`Series: ${NUM_SERIES}`);
    expect(r.stdout).toMatch(/Label names: 3/);
  });

  it('promtool tsdb dump prints every sample written', () => {
    const copy = tmp('amphora-interop-dump-');
    cpSync(join(dataDir, ulid), join(copy, ulid), { recursive: true });
    mkdirSync(join(copy, 'wal')); // promtool opens the directory as a read-only Prometheus DB
    const r = run('promtool', ['tsdb', 'dump', `--min-time=${T0}`, `--max-time=${T0 + 2 * HOUR}`, copy]);
    expect(r.status, r.stderr).toBe(0);
    const got = new Map<string, [number, number][]>();
    const keyOf = new Map<string, string>();
    for (const line of r.stdout.split('\n')) {
      if (line === '') continue;
      const m = /^(\{.*\}) (\S+) (-?\d+)$/.exec(line);
      if (m === null) throw new Error(`unparsable dump line: ${line}`);
      let key = keyOf.get(m[1]!);
      if (key === undefined) keyOf.set(m[1]!, (key = labelsKey(parseGoLabels(m[1]!))));
      let list = got.get(key);
      if (!list) got.set(key, (list = []));
      list.push([Number(m[3]!), parseGoFloat(m[2]!)]);
    }
    expect(got.size).toBe(NUM_SERIES);
    const mismatches: string[] = [];
    for (const w of written) {
      const samples = got.get(labelsKey(w.labels));
      expect(samples, labelsToString(w.labels)).toBeDefined();
      expect(samples!.map((s) => s[0])).toEqual(w.ts);
      samples!.forEach(([, v], k) => {
        if (!sameValue(v, w.vs[k]!)) mismatches.push(`${labelsToString(w.labels)} sample ${k}: ${v} vs ${w.vs[k]}`);
      });
    }
    expect(mismatches).toEqual([]);
  });
});

describe.skipIf(!HAVE_PROMTOOL)('Amphora reads promtool-created blocks', () => {
  it('reads every sample of a block made by promtool tsdb create-blocks-from openmetrics', () => {
    const dir = tmp('amphora-interop-om-');
    const out = join(dir, 'blocks');
    mkdirSync(out);
    const expected = new Map<string, { labels: Labels; samples: [number, number][] }>();
    const lines: string[] = ['# HELP om_gauge A test gauge.', '# TYPE om_gauge gauge'];
    const base = T0 - 4 * HOUR; // inside one 2h range
    for (let k = 0; k < 150; k++) {
      for (let i = 0; i < 40; i++) {
        const t = base + k * 30_000 + i; // ms precision in seconds
        const v = i === 5 && k === 3 ? NaN : Math.round((i * 17.25 + Math.cos(k) * 100) * 1000) / 1000;
        const labels = labelsFromRecord({ __name__: 'om_gauge', idx: String(i), zone: i % 2 ? 'b' : 'a' });
        const key = labelsKey(labels);
        let e = expected.get(key);
        if (!e) expected.set(key, (e = { labels, samples: [] }));
        e.samples.push([t, v]);
        lines.push(`om_gauge{idx="${i}",zone="${i % 2 ? 'b' : 'a'}"} ${Number.isNaN(v) ? 'NaN' : String(v)} ${(t / 1000).toFixed(3)}`);
      }
    }
    lines.push('# EOF');
    const file = join(dir, 'data.om');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, out]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const ulids = readdirSync(out).filter((n) => /^[0-9A-Z]{26}$/.test(n));
    expect(ulids.length).toBe(1);
    const block = Block.open(join(out, ulids[0]!));
    try {
      expect(block.meta.stats.numSeries).toBe(40);
      expect(block.meta.stats.numSamples).toBe(40 * 150);
      const q = block.querier(block.meta.minTime, block.meta.maxTime - 1);
      const ss = q.select(true, undefined, [newMatcher('=', '__name__', 'om_gauge')]);
      let n = 0;
      let prev: Labels | null = null;
      while (ss.next()) {
        const s = ss.at();
        const key = labelsKey(s.labels);
        if (prev !== null) expect(compareLabels(prev, s.labels)).toBeLessThan(0);
        prev = s.labels;
        const want = expected.get(key);
        expect(want, labelsToString(s.labels)).toBeDefined();
        const got: [number, number][] = [];
        const it = s.iterator();
        while (it.next()) got.push([it.atT(), it.atV()]);
        expect(got.map((x) => x[0])).toEqual(want!.samples.map((x) => x[0]));
        const bad = got.filter(([, v], k) => !sameValue(v, want!.samples[k]![1]));
        expect(bad, labelsToString(s.labels)).toEqual([]);
        n++;
      }
      expect(n).toBe(40);
      expect(q.labelValues('zone', [])).toEqual(['a', 'b']);
      expect(q.labelNames([])).toEqual(['__name__', 'idx', 'zone']);
    } finally {
      block.close();
    }
  });
});

async function waitReady(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${logs()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus not ready after 30s: ${logs()}`);
}

describe.skipIf(!HAVE_PROMETHEUS)('a stock Prometheus serves an Amphora block', () => {
  it('answers a range-selector query with the samples written', async () => {
    const written = fixture().slice(0, 40);
    const staging = tmp('amphora-interop-prom-');
    const meta = await writeBlock(staging, { mint: T0, maxt: T0 + 2 * HOUR, series: written.map(toChunkSeries) });
    const dataDir = join(staging, 'data');
    mkdirSync(dataDir);
    cpSync(join(staging, meta.ulid), join(dataDir, meta.ulid), { recursive: true });
    const config = join(staging, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1m\n');
    const port = await freePort();
    let logs = '';
    const child = spawn(
      'prometheus',
      [
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--config.file=${config}`,
        '--storage.tsdb.retention.time=100y',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitReady(`${base}/-/ready`, child, () => logs);
      const end = T0 + SAMPLES * STEP + 1000;
      const range = Math.ceil((end - T0 + 1000) / 1000);
      const url = `${base}/api/v1/query?query=${encodeURIComponent(`{__name__=~"amphora_test_.*"}[${range}s]`)}&time=${end / 1000}`;
      const res = await fetch(url);
      const body = (await res.json()) as { status: string; data: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] } };
      expect(body.status, JSON.stringify(body)).toBe('success');
      expect(body.data.resultType).toBe('matrix');
      expect(body.data.result.length).toBe(written.length);
      const byKey = new Map(body.data.result.map((r) => [labelsKey(labelsFromRecord(r.metric)), r.values]));
      for (const w of written) {
        const values = byKey.get(labelsKey(w.labels));
        expect(values, labelsToString(w.labels)).toBeDefined();
        // Range selectors drop stale markers, as Prometheus always does.
        const want = w.ts.map((t, k) => [t, w.vs[k]!] as const).filter(([, v]) => !isStaleNaN(v));
        expect(values!.map((v) => Math.round(v[0] * 1000))).toEqual(want.map((x) => x[0]));
        const bad = values!.filter(([, s], k) => !sameValue(parseGoFloat(s), want[k]![1]));
        expect(bad, labelsToString(w.labels)).toEqual([]);
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  });
});
