// The PromQL benchmark's data set: exactly what ../shared/tools/rwload sends, loaded into an
// in-process TSDB for Amphora and sent through remote write to Prometheus.

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TSDB } from '../src/tsdb/db.js';
import type { Credentials } from './sigv4-client.js';
import { advance, nodeExporterSeries, xorshift32, type GeneratedSeries } from './data/node-exporter.js';

/** RwloadShape is rwload's command line: the data set's size, order and seed. */
export interface RwloadShape {
  series: number;
  points: number;
  stepMs: number;
  shards: number;
  batch: number;
  /** start is the first timestamp (ms); fixed so runs are comparable. */
  start: number;
  seed: number;
}

/** RwloadData is the generated data set: series and their values, values[i * points + p]. */
export interface RwloadData {
  readonly shape: RwloadShape;
  readonly series: GeneratedSeries[];
  readonly values: Float64Array;
}

/** generateRwloadData replays rwload's random stream: base values in series order, then shard by shard, point by point. */
export function generateRwloadData(shape: RwloadShape): RwloadData {
  const { series: n, points, shards } = shape;
  const rnd = xorshift32(shape.seed);
  const series = nodeExporterSeries(n, rnd);
  const values = new Float64Array(n * points);
  for (let c = 0; c < shards; c++) {
    for (let p = 0; p < points; p++) {
      for (let i = c; i < n; i += shards) values[i * points + p] = advance(series[i]!, rnd);
    }
  }
  return { shape, series, values };
}

/** loadIntoTSDB appends the data set in time order (every series stays in order, as with rwload's shards); returns samples/s. */
export async function loadIntoTSDB(db: TSDB, data: RwloadData, batch = 20_000): Promise<number> {
  const { series, values, shape } = data;
  const n = series.length;
  const refs = new Float64Array(n);
  let app = db.appender();
  let inBatch = 0;
  const t0 = performance.now();
  for (let p = 0; p < shape.points; p++) {
    const t = shape.start + p * shape.stepMs;
    for (let i = 0; i < n; i++) {
      refs[i] = app.append(refs[i]!, series[i]!.labels, t, values[i * shape.points + p]!);
      if (++inBatch === batch) {
        await app.commit();
        app = db.appender();
        inBatch = 0;
      }
    }
  }
  await app.commit();
  return (n * shape.points) / ((performance.now() - t0) / 1000);
}

/** RwloadResult is rwload's one-line JSON report. */
export interface RwloadResult {
  samples: number;
  requests: number;
  samples_per_s: number;
  errors: number;
  err_samples: string[];
  start: number;
  end: number;
}

/** RWLOAD_SCRIPT is the rwload tool: $RWLOAD, else ../shared/tools/rwload/rwload.mjs from the working directory. */
export const RWLOAD_SCRIPT = process.env.RWLOAD ?? localRwloadCopy(resolve(process.cwd(), '../shared/tools/rwload/rwload.mjs'));

/**
 * localRwloadCopy copies the shared rwload script under this project's node_modules/.cache, so its
 * imports (snappy, @smithy/signature-v4) resolve from the project's packages: ../shared is read-only
 * and has no node_modules of its own. A missing script is returned as is (runRwload reports it).
 */
function localRwloadCopy(shared: string): string {
  if (!existsSync(shared)) return shared;
  const dir = resolve(process.cwd(), 'node_modules/.cache/amphora-bench');
  mkdirSync(dir, { recursive: true });
  const copy = resolve(dir, 'rwload.mjs');
  copyFileSync(shared, copy);
  return copy;
}

/** runRwload sends the data set to a remote-write URL with the rwload tool (SigV4-signed when given credentials) and fails on any rejected request. */
export function runRwload(script: string, url: string, shape: RwloadShape, o: { sigv4?: Credentials } = {}): Promise<RwloadResult> {
  const args = [
    script,
    '--url', url,
    '--series', String(shape.series),
    '--points', String(shape.points),
    '--step', String(shape.stepMs),
    '--shards', String(shape.shards),
    '--batch', String(shape.batch),
    '--start', String(shape.start),
    '--seed', String(shape.seed),
    ...(o.sigv4 ? ['--sigv4'] : []),
  ];
  const env = o.sigv4 ? { ...process.env, AWS_ACCESS_KEY_ID: o.sigv4.accessKeyId, AWS_SECRET_ACCESS_KEY: o.sigv4.secretAccessKey } : process.env;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 20, env }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let res: RwloadResult | undefined;
      try {
        res = JSON.parse(line) as RwloadResult;
      } catch {
        // reported below
      }
      if (res && res.errors > 0) return reject(new Error(`rwload: ${res.errors} rejected requests: ${res.err_samples.join(' | ')}`));
      if (err || !res) return reject(new Error(`rwload failed: ${err?.message ?? 'no JSON output'} ${stderr.slice(-1000)}`));
      resolve(res);
    });
  });
}
