import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/tools.js';
import { labelsFromRecord } from '../../model/labels.js';
import { STALE_NAN } from '../../model/sample.js';
import { createCheckpoint } from './checkpoint.js';
import { readRecords } from './reader.js';
import {
  RECORD_SAMPLES,
  RECORD_SERIES,
  decodeSamplesRecord,
  decodeSeriesRecord,
  encodeSamplesRecord,
  encodeSeriesRecord,
  encodeTombstonesRecord,
  recordType,
} from './records.js';
import { Cleanups } from './test-helpers.js';
import { WAL } from './wal.js';

// Interop with a real Prometheus (2.42 is what Debian ships): it must replay a WAL we wrote, and we
// must read one it wrote. Skips when no `prometheus` binary is installed.
const hasPrometheus = spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasPrometheus) console.warn('prometheus-interop: skipped, no `prometheus` binary on PATH (apt-get install prometheus)');

const cleanups = new Cleanups();
afterEach(cleanups.run);

interface Running {
  port: number;
  proc: ChildProcess;
  logs: () => string;
  stop: () => Promise<void>;
}

async function startPrometheus(dataDir: string, config: (port: number) => string, extraArgs: string[] = []): Promise<Running> {
  const port = await freePort();
  const cfg = join(dataDir, '..', 'prometheus.yml');
  writeFileSync(cfg, config(port));
  let out = '';
  const proc = spawn(
    'prometheus',
    [`--config.file=${cfg}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await exited;
  };
  cleanups.add(() => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  });
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited: ${out}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`prometheus not ready: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, proc, logs: () => out, stop };
}

async function query(port: number, q: string, time: number): Promise<{ metric: Record<string, string>; values: [number, string][] }[]> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}&time=${time / 1000}`);
  const body = (await r.json()) as { status: string; data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

describe.skipIf(!hasPrometheus)('Prometheus 2.42 interop', () => {
  it.each(['none', 'snappy'] as const)('Prometheus replays a WAL (with a checkpoint) that Amphora wrote (compression %s)', { timeout: 90_000 }, async (compression) => {
    const tmp = cleanups.tempDir();
    const data = join(tmp, 'data');
    const walDir = join(data, 'wal');
    mkdirSync(walDir, { recursive: true });
    const now = Date.now() - 60_000;
    const base = now - 10 * 60_000;
    const w = await WAL.open(walDir, { segmentSize: 64 * 1024, compression });
    const series = [1, 2, 3].map((ref) => ({ ref, labels: labelsFromRecord({ __name__: 'amphora_wal_test', i: String(ref) }) }));
    await w.log([encodeSeriesRecord(series)]);
    // 3 series x 40 samples each, 15 s apart, in several records; one big record spans pages.
    const refs: number[] = [];
    const ts: number[] = [];
    const vs: number[] = [];
    for (let k = 0; k < 40; k++) for (const s of series) {
      refs.push(s.ref);
      ts.push(base + k * 15_000);
      vs.push(s.ref * 1000 + k);
    }
    await w.log([encodeSamplesRecord(refs.slice(0, 30), ts.slice(0, 30), vs.slice(0, 30), 30)]);
    await w.nextSegment();
    await w.log([encodeSamplesRecord(refs.slice(30), ts.slice(30), vs.slice(30), refs.length - 30)]);
    const padding = new Uint8Array(70_000); // an unknown-type record Prometheus skips; forces a new segment
    padding[0] = 200;
    await w.log([padding]);
    // Series 3 goes stale at the end; series 2 has a tombstone over its first 5 minutes.
    // A Float64Array keeps the stale marker's payload bits (a JS array literal may canonicalise the NaN once V8 optimises).
    await w.log([encodeSamplesRecord([3], [base + 40 * 15_000], Float64Array.of(STALE_NAN), 1)]);
    await w.log([encodeTombstonesRecord([{ ref: 2, intervals: [{ mint: base, maxt: base + 5 * 60_000 - 1 }] }])]);
    await w.close();
    // Fold segment 0 into a checkpoint and drop it, as the head truncation does.
    await createCheckpoint(walDir, { from: 0, to: 0, mint: 0, keepSeries: () => true, compression });
    const w2 = await WAL.open(walDir, { compression });
    await w2.truncate(1);
    await w2.close();
    const written = await readRecords(walDir, {}, () => {});
    const inCheckpoint = await readRecords(join(walDir, 'checkpoint.00000000'), {}, () => {});
    if (compression === 'snappy') {
      expect(written.compressed).toBeGreaterThan(0);
      expect(inCheckpoint.compressed).toBeGreaterThan(0);
    } else {
      expect(written.compressed + inCheckpoint.compressed).toBe(0);
    }

    const p = await startPrometheus(data, () => 'global:\n  scrape_interval: 1h\n');
    try {
      const at = base + 40 * 15_000;
      const res = await query(p.port, 'amphora_wal_test[11m]', at - 1);
      const byI = new Map(res.map((r) => [r.metric.i!, r.values]));
      expect([...byI.keys()].sort()).toEqual(['1', '2', '3']);
      expect(byI.get('1')!.length).toBe(40);
      expect(byI.get('1')![39]).toEqual([(base + 39 * 15_000) / 1000, '1039']);
      expect(byI.get('2')!.length).toBe(20); // 20 samples inside the tombstone are deleted
      expect(byI.get('2')![0]![1]).toBe('2020');
      // The stale marker ends series 3; series 1 is still there.
      const instant = await query(p.port, 'amphora_wal_test', at + 1000);
      expect(instant.map((r) => r.metric.i).sort()).toEqual(['1', '2']);
      expect(p.logs()).not.toMatch(/corrupt|repair/i);
    } finally {
      await p.stop();
    }
  });

  it('Prometheus replays a WAL whose torn tail Amphora repaired', { timeout: 90_000 }, async () => {
    const tmp = cleanups.tempDir();
    const data = join(tmp, 'data');
    const walDir = join(data, 'wal');
    const base = Date.now() - 5 * 60_000;
    let w = await WAL.open(walDir);
    await w.log([encodeSeriesRecord([{ ref: 7, labels: labelsFromRecord({ __name__: 'amphora_repair_test' }) }])]);
    const n = 5000; // ~55 KB: spans pages
    const refs = new Array<number>(n).fill(7);
    const ts = Array.from({ length: n }, (_, i) => base + i);
    const vs = Array.from({ length: n }, (_, i) => i);
    await w.log([encodeSamplesRecord(refs.slice(0, 10), ts.slice(0, 10), vs.slice(0, 10), 10)]);
    await w.log([encodeSamplesRecord(refs.slice(10), ts.slice(10), vs.slice(10), n - 10)]);
    await w.close();
    // Tear the big record: keep its first page only.
    const { statSync, truncateSync } = await import('node:fs');
    const seg0 = join(walDir, '00000000');
    expect(statSync(seg0).size).toBeGreaterThan(40_000);
    truncateSync(seg0, 40_000);
    w = await WAL.open(walDir);
    await w.log([encodeSamplesRecord([7], [base + n], [42], 1)]);
    await w.close();
    const p = await startPrometheus(data, () => 'global:\n  scrape_interval: 1h\n');
    try {
      const res = await query(p.port, 'amphora_repair_test[10m]', base + n + 1);
      expect(res.length).toBe(1);
      expect(res[0]!.values.map((v) => v[1])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '42']);
      expect(p.logs()).not.toMatch(/corrupt|repair/i);
    } finally {
      await p.stop();
    }
  });

  it.each([true, false])('Amphora reads a WAL that Prometheus wrote (Prometheus compression %s)', { timeout: 90_000 }, async (compressed) => {
    const tmp = cleanups.tempDir();
    const data = join(tmp, 'data');
    mkdirSync(data, { recursive: true });
    const p = await startPrometheus(
      data,
      (port) => `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
      [compressed ? '--storage.tsdb.wal-compression' : '--no-storage.tsdb.wal-compression'],
    );
    // Wait until a few scrapes are in (the scrape manager starts targets after up to 5 s).
    const deadline = Date.now() + 40_000;
    for (;;) {
      const r = await query(p.port, 'count_over_time(up[1m])', Date.now());
      if (r.length > 0 && Number((r[0] as unknown as { value: [number, string] }).value[1]) >= 3) break;
      if (Date.now() > deadline) throw new Error(`no scrapes: ${p.logs()}`);
      await new Promise((res) => setTimeout(res, 300));
    }
    await p.stop();
    const names = new Map<number, string>();
    let samples = 0;
    let upSamples = 0;
    const res = await readRecords(join(data, 'wal'), {}, (rec) => {
      switch (recordType(rec)) {
        case RECORD_SERIES:
          for (const s of decodeSeriesRecord(rec)) names.set(s.ref, s.labels.find((l) => l.name === '__name__')?.value ?? '');
          break;
        case RECORD_SAMPLES:
          decodeSamplesRecord(rec, (ref, _t, v) => {
            samples++;
            if (names.get(ref) === 'up' && v === 1) upSamples++;
          });
          break;
        default:
      }
    });
    expect(res.corruption).toBeUndefined();
    if (compressed) expect(res.compressed).toBeGreaterThan(0);
    else expect(res.compressed).toBe(0);
    expect([...names.values()]).toContain('up');
    expect(samples).toBeGreaterThan(0);
    expect(upSamples).toBeGreaterThan(0);
  });
});
