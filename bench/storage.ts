import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelsKey } from '../src/model/labels.js';
import { TSDB } from '../src/tsdb/db.js';
import { advance, nodeExporterSeries, xorshift32, type GeneratedSeries } from './data/node-exporter.js';
import { dirSize, hasCommand, metricValue, startPrometheus, stopProcess } from './tools.js';

/** StorageBenchOptions size the data set (defaults: rwload's 20,000 series, 2h at 15s). */
export interface StorageBenchOptions {
  series: number;
  points: number;
  stepMs: number;
  /** promtoolSeries is the subset written as OpenMetrics for promtool's block builder. */
  promtoolSeries: number;
}

const DEFAULTS: StorageBenchOptions = { series: 20_000, points: 480, stepMs: 15_000, promtoolSeries: 2_000 };

async function load(db: TSDB, series: GeneratedSeries[], points: number, stepMs: number, start: number, seed: number): Promise<number> {
  const rnd = xorshift32(seed);
  const refs = new Array<number>(series.length).fill(0);
  const batch = 2000;
  let app = db.appender();
  let inBatch = 0;
  const t0 = performance.now();
  for (let p = 0; p < points; p++) {
    const t = start + p * stepMs;
    for (let i = 0; i < series.length; i++) {
      refs[i] = app.append(refs[i]!, series[i]!.labels, t, advance(series[i]!, rnd));
      if (++inBatch === batch) {
        await app.commit();
        app = db.appender();
        inBatch = 0;
      }
    }
  }
  await app.commit();
  return (series.length * points) / ((performance.now() - t0) / 1000);
}

function blockBytes(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) if (/^[0-9A-Z]{26}$/.test(name)) n += dirSize(join(dir, name));
  return n;
}

function goDurationMs(s: string): number {
  let ms = 0;
  for (const m of s.matchAll(/([\d.]+)(ns|µs|us|ms|s|m|h)/g)) {
    const v = Number(m[1]);
    ms += v * ({ ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[m[2]!]!;
  }
  return ms;
}

function openMetrics(series: GeneratedSeries[], points: number, stepMs: number, start: number, seed: number): string {
  const rnd = xorshift32(seed);
  const rows: string[][] = series.map(() => []);
  for (let p = 0; p < points; p++) {
    const t = start + p * stepMs;
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      const v = advance(s, rnd);
      const name = s.labels.find((l) => l.name === '__name__')!.value;
      const ls = s.labels.filter((l) => l.name !== '__name__').map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(',');
      rows[i]!.push(`${name}{${ls}} ${v} ${(t / 1000).toFixed(3)}`);
    }
  }
  // OpenMetrics wants each series' samples together and families contiguous; sort by label key.
  const order = series.map((s, i) => [labelsKey(s.labels), i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const byFamily = new Map<string, string[]>();
  for (const [, i] of order) {
    const name = series[i]!.labels.find((l) => l.name === '__name__')!.value;
    const list = byFamily.get(name) ?? [];
    list.push(...rows[i]!);
    byFamily.set(name, list);
  }
  let out = '';
  for (const [name, lines] of byFamily) out += `# TYPE ${name} unknown\n${lines.join('\n')}\n`;
  return `${out}# EOF\n`;
}

/** runStorageBench measures bytes/sample, WAL replay speed and memory per series, beside Prometheus 2.42 on the same data. */
export async function runStorageBench(options: Partial<StorageBenchOptions> = {}): Promise<Record<string, unknown>> {
  const o = { ...DEFAULTS, ...options };
  const root = mkdtempSync(join(tmpdir(), 'amphora-bench-'));
  const out: Record<string, unknown> = { series: o.series, points: o.points, samples: o.series * o.points };
  const start = Math.floor((Date.now() - o.points * o.stepMs) / o.stepMs) * o.stepMs;
  try {
    const dataDir = join(root, 'amphora');
    const db = await TSDB.open(dataDir, { compactionInterval: 0 });
    out.db_ingest_samples_per_s_fsync_per_2000 = Math.round(await load(db, nodeExporterSeries(o.series, xorshift32(42)), o.points, o.stepMs, start, 4242));
    const snap = join(root, 'snapshot');
    await db.snapshot(snap, true);
    await db.close();
    out.amphora_block_bytes_per_sample = blockBytes(snap) / (o.series * o.points);
    out.amphora_wal_bytes = dirSize(join(dataDir, 'wal'));

    const child = execFileSync(process.execPath, ['--expose-gc', join(import.meta.dirname, 'replay-child.js'), dataDir], { encoding: 'utf8' });
    const replay = JSON.parse(child) as { replayMs: number; series: number; rssBytes: number; heapBytes: number };
    out.amphora_wal_replay_ms = Math.round(replay.replayMs);
    out.amphora_wal_replay_samples_per_s = Math.round((o.series * o.points) / (replay.replayMs / 1000));
    out.amphora_rss_bytes_per_series = Math.round(replay.rssBytes / replay.series);
    out.amphora_heap_bytes_per_series = Math.round(replay.heapBytes / replay.series);

    if (!hasCommand('prometheus') || !hasCommand('promtool')) {
      out.prometheus = 'skipped: prometheus/promtool not installed (apt-get install -y prometheus)';
      return out;
    }
    const config = join(root, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
    // Prometheus replays Amphora's WAL: the same data, and a compatibility check.
    const promDir = join(root, 'prometheus');
    cpSync(join(dataDir, 'wal'), join(promDir, 'wal'), { recursive: true });
    const empty = await startPrometheus(join(root, 'prometheus-empty'), config);
    const emptyRss = metricValue(await (await fetch(`${empty.url}/metrics`)).text(), 'process_resident_memory_bytes');
    await stopProcess(empty.proc);
    const prom = await startPrometheus(promDir, config);
    const metrics = await (await fetch(`${prom.url}/metrics`)).text();
    const headSeries = metricValue(metrics, 'prometheus_tsdb_head_series');
    const rss = metricValue(metrics, 'process_resident_memory_bytes');
    const replayLine = /msg="WAL replay completed".*?wal_replay_duration=(\S+)/.exec(prom.log());
    await stopProcess(prom.proc);
    out.prometheus_head_series_after_replaying_amphora_wal = headSeries;
    if (replayLine) {
      const ms = goDurationMs(replayLine[1]!);
      out.prometheus_wal_replay_ms = Math.round(ms);
      out.replay_speed_ratio_amphora_over_prometheus = Number((ms / replay.replayMs).toFixed(3));
    }
    out.prometheus_rss_bytes_per_series = Math.round((rss - emptyRss) / headSeries);
    out.memory_ratio_amphora_over_prometheus = Number((replay.rssBytes / replay.series / ((rss - emptyRss) / headSeries)).toFixed(3));

    // Bytes per sample in blocks: promtool builds a Prometheus block from the same samples.
    const sub = nodeExporterSeries(o.promtoolSeries, xorshift32(42));
    const omFile = join(root, 'data.om');
    writeFileSync(omFile, openMetrics(sub.map((s) => ({ ...s })), o.points, o.stepMs, start, 4242));
    const promBlocks = join(root, 'promtool-blocks');
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', omFile, promBlocks], { stdio: 'ignore' });
    const subDb = await TSDB.open(join(root, 'amphora-sub'), { compactionInterval: 0, sync: false });
    await load(subDb, sub, o.points, o.stepMs, start, 4242);
    const subSnap = join(root, 'amphora-sub-snap');
    await subDb.snapshot(subSnap, true);
    await subDb.close();
    const samples = o.promtoolSeries * o.points;
    out.subset_series = o.promtoolSeries;
    out.subset_amphora_block_bytes_per_sample = blockBytes(subSnap) / samples;
    out.subset_prometheus_block_bytes_per_sample = blockBytes(promBlocks) / samples;
    out.bytes_per_sample_ratio_amphora_over_prometheus = Number((blockBytes(subSnap) / blockBytes(promBlocks)).toFixed(3));
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
