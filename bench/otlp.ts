// OTLP ingest benchmark: the same node_exporter-like series and samples written in process through
// remote write 1.0 (snappy protobuf) and through OTLP/HTTP (protobuf, gzip protobuf, gzip JSON) into
// a workspace TSDB (WAL without fsync), in one run; reports samples/s, CPU per million samples and
// the OTLP/remote-write ratios. OTLP is decoded, translated to a remote-write 2.0 request and
// ingested through the remote-write path, so the ratio is the cost of the OTLP layer.
import { gzipSync } from 'node:zlib';
import { defaultWorkspaceLimits } from '../src/controlplane/limits.js';
import { nopLogger } from '../src/model/logger.js';
import { OtlpHandler } from '../src/otlp/handler.js';
import { encodeProtobuf } from '../src/otlp/test-support.js';
import { newTestEnv, dumpSeries } from '../src/remote/test-env.js';
import { otlpNodeRequests } from './otlp-data.js';
import { benchQuick } from './tools.js';
import { encodeWriteRequests, nodeSeriesLabels } from './write-request.js';

const BATCH = 2000;
const STEP_MS = 15_000;

interface Variant {
  readonly name: string;
  readonly bodies: Buffer[];
  post(env: ReturnType<typeof newTestEnv>, otlp: OtlpHandler, body: Buffer): Promise<number>;
}

async function measure(v: Variant, series: number, perPoint: number): Promise<{ figures: Record<string, number>; check: string }> {
  const env = newTestEnv(['ws-bench']);
  env.workspaces.limitsById.set('ws-bench', { ...defaultWorkspaceLimits(), ingestionRate: 1e12, ingestionBurstSize: 1e12 });
  const otlp = new OtlpHandler({ remoteWrite: env.handler, workspaces: env.workspaces, logger: nopLogger });
  try {
    for (let i = 0; i < perPoint; i++) await v.post(env, otlp, v.bodies[i]!);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = perPoint; i < v.bodies.length; i++) {
      const status = await v.post(env, otlp, v.bodies[i]!);
      if (status !== 204 && status !== 200) throw new Error(`${v.name}: status ${status}`);
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const samples = (v.bodies.length - perPoint) * BATCH;
    const stored = await dumpSeries(env.storage, 'ws-bench');
    const names = Object.keys(stored);
    const check = `${names.length} series, ${Object.values(stored).reduce((n, s) => n + s.length, 0)} samples, first ${names[0]}`;
    if (names.length !== series) throw new Error(`${v.name}: stored ${names.length} series, want ${series}`);
    return {
      figures: {
        steady_samples_per_s: Math.round(samples / (ms / 1000)),
        cpu_s_per_million: +((cpu.user + cpu.system) / 1e6 / (samples / 1e6)).toFixed(3),
        mean_body_bytes: Math.round(v.bodies.reduce((n, b) => n + b.length, 0) / v.bodies.length),
      },
      check,
    };
  } finally {
    await env.close();
  }
}

/** runOtlpBench writes equivalent data through remote write and OTLP in the same run and reports throughput and ratios. */
export async function runOtlpBench(): Promise<Record<string, unknown>> {
  const series = Number(process.env.OTLP_BENCH_SERIES ?? (benchQuick() ? 4000 : 20_000));
  const points = Number(process.env.OTLP_BENCH_POINTS ?? (benchQuick() ? 4 : 10));
  const start = Date.now() - points * STEP_MS;
  const perPoint = series / BATCH;
  const rw = encodeWriteRequests(nodeSeriesLabels(series), { points, start, stepMs: STEP_MS, batch: BATCH });
  const json = otlpNodeRequests(series, { points, start, stepMs: STEP_MS, batch: BATCH });
  const pb = json.map((r) => Buffer.from(encodeProtobuf(r)));
  const otlpPost = (contentType: string, encoding: string | undefined) => async (_env: ReturnType<typeof newTestEnv>, h: OtlpHandler, body: Buffer) =>
    (await h.handle({ workspaceId: 'ws-bench', contentType, contentEncoding: encoding, body })).status;
  const variants: Variant[] = [
    { name: 'remote_write_1_0', bodies: rw, post: async (env, _h, body) => (await env.handler.handle({ workspaceId: 'ws-bench', contentType: 'application/x-protobuf', contentEncoding: 'snappy', body })).status },
    { name: 'otlp_protobuf', bodies: pb, post: otlpPost('application/x-protobuf', undefined) },
    { name: 'otlp_protobuf_gzip', bodies: pb.map((b) => gzipSync(b)), post: otlpPost('application/x-protobuf', 'gzip') },
    { name: 'otlp_json_gzip', bodies: json.map((r) => gzipSync(JSON.stringify(r))), post: otlpPost('application/json', 'gzip') },
  ];
  const out: Record<string, unknown> = { series, points, batch: BATCH, load: `${series} node_exporter-like series, ${points} points (the first creates the series and is not timed), ${BATCH} samples per request, WAL without fsync` };
  const results: Record<string, Record<string, number>> = {};
  for (const v of variants) {
    const r = await measure(v, series, perPoint);
    results[v.name] = r.figures;
    out[v.name] = { ...r.figures, stored: r.check };
  }
  const base = results.remote_write_1_0!.steady_samples_per_s!;
  for (const v of variants.slice(1)) out[`ratio_${v.name}_vs_remote_write`] = +(results[v.name]!.steady_samples_per_s! / base).toFixed(2);
  return out;
}

if (process.argv[1]?.endsWith('otlp.js') || process.argv[1]?.endsWith('otlp.ts')) {
  runOtlpBench().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
