// WAL bytes per sample, Amphora (snappy-compressed and not) beside Prometheus 2.42 (its default,
// snappy-compressed WAL), on the same rwload-shaped data sent in the same 2,000-sample batches.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressSync } from 'snappy';
import { TSDB } from '../src/tsdb/db.js';
import { advance, nodeExporterSeries, xorshift32, type GeneratedSeries } from './data/node-exporter.js';
import { benchQuick, dirSize, hasCommand, startPrometheus, stopProcess } from './tools.js';
import { encodeWriteRequestV1 } from '../src/remote/pb-writer.js';

/** WalBytesBenchOptions size the data set (default rwload's 20,000 series, 2h at 15 s, in 2,000-sample batches). */
export interface WalBytesBenchOptions {
  series: number;
  points: number;
  stepMs: number;
  batch: number;
}

/** Batch is one commit's worth of samples: series index, timestamp, value. */
interface Batch {
  idx: Int32Array;
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

/** batches yields the data set in commit order: every series at each point in turn, cut every `size` samples. */
function* batches(series: GeneratedSeries[], o: WalBytesBenchOptions, start: number): Generator<Batch> {
  const rnd = xorshift32(4242);
  let b: Batch = { idx: new Int32Array(o.batch), ts: new Float64Array(o.batch), vs: new Float64Array(o.batch), n: 0 };
  for (let p = 0; p < o.points; p++) {
    for (let i = 0; i < series.length; i++) {
      b.idx[b.n] = i;
      b.ts[b.n] = start + p * o.stepMs;
      b.vs[b.n] = advance(series[i]!, rnd);
      if (++b.n === o.batch) {
        yield b;
        b = { idx: new Int32Array(o.batch), ts: new Float64Array(o.batch), vs: new Float64Array(o.batch), n: 0 };
      }
    }
  }
  if (b.n > 0) yield b;
}

async function amphoraWalBytes(dir: string, compression: boolean, o: WalBytesBenchOptions, start: number): Promise<number> {
  const series = nodeExporterSeries(o.series, xorshift32(42));
  const refs = new Array<number>(series.length).fill(0);
  const db = await TSDB.open(dir, { compactionInterval: 0, sync: false, walCompression: compression });
  for (const b of batches(series, o, start)) {
    const app = db.appender();
    for (let k = 0; k < b.n; k++) refs[b.idx[k]!] = app.append(refs[b.idx[k]!]!, series[b.idx[k]!]!.labels, b.ts[k]!, b.vs[k]!);
    await app.commit();
  }
  await db.close();
  return dirSize(join(dir, 'wal'));
}

async function prometheusWalBytes(root: string, o: WalBytesBenchOptions, start: number): Promise<number> {
  const config = join(root, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  const dataDir = join(root, 'prometheus');
  const prom = await startPrometheus(dataDir, config, ['--web.enable-remote-write-receiver', '--storage.tsdb.wal-compression']);
  try {
    const series = nodeExporterSeries(o.series, xorshift32(42));
    const labels = series.map((s) => s.labels.map((l) => [l.name, l.value] as [string, string]));
    for (const b of batches(series, o, start)) {
      const req = Array.from({ length: b.n }, (_, k) => ({ labels: labels[b.idx[k]!]!, samples: [{ value: b.vs[k]!, timestamp: b.ts[k]! }] }));
      const r = await fetch(`${prom.url}/api/v1/write`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
        body: compressSync(Buffer.from(encodeWriteRequestV1(req))),
      });
      if (r.status !== 204) throw new Error(`prometheus remote write answered ${r.status}: ${await r.text()}`);
    }
  } finally {
    await stopProcess(prom.proc);
  }
  return dirSize(join(dataDir, 'wal'));
}

/** runWalBytesBench measures WAL bytes per sample: Amphora with and without snappy compression, and Prometheus 2.42 (compressed, its default). */
export async function runWalBytesBench(options: Partial<WalBytesBenchOptions> = {}): Promise<Record<string, unknown>> {
  const o: WalBytesBenchOptions = { series: 20_000, points: benchQuick() ? 60 : 480, stepMs: 15_000, batch: 2000, ...options };
  const samples = o.series * o.points;
  const start = Math.floor((Date.now() - o.points * o.stepMs) / o.stepMs) * o.stepMs;
  const root = mkdtempSync(join(tmpdir(), 'amphora-walbytes-'));
  const out: Record<string, unknown> = { series: o.series, points: o.points, samples, batch: o.batch };
  try {
    const snappy = await amphoraWalBytes(join(root, 'amphora-snappy'), true, o, start);
    const plain = await amphoraWalBytes(join(root, 'amphora-plain'), false, o, start);
    out.amphora_wal_bytes = { snappy, uncompressed: plain };
    out.amphora_wal_bytes_per_sample_snappy = Number((snappy / samples).toFixed(3));
    out.amphora_wal_bytes_per_sample_uncompressed = Number((plain / samples).toFixed(3));
    if (!hasCommand('prometheus')) {
      out.prometheus = 'skipped: prometheus not installed (apt-get install -y prometheus)';
      return out;
    }
    const prom = await prometheusWalBytes(root, o, start);
    out.prometheus_wal_bytes = prom;
    out.prometheus_wal_bytes_per_sample = Number((prom / samples).toFixed(3));
    out.wal_bytes_ratio_amphora_over_prometheus = Number((snappy / prom).toFixed(4));
    out.note = 'Same samples in the same 2,000-sample commits (Prometheus through its remote-write receiver, one request per commit). Ratio: Amphora snappy / Prometheus (its default compressed WAL); < 1 is smaller.';
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
