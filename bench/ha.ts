// HA deduplication cost on the remote-write path: the same steady-state requests (2,000 series
// per request, node_exporter-like labels plus cluster/__replica__ external labels) through the
// in-process handler with HA off (labels stored as they are) and on (elected replica: its
// requests are rewritten without the replica label), and the cost of answering the standby's
// requests (202, dropped). CPU time of this process, measured in one run.
import { Registry } from 'prom-client';
import { defaultWorkspaceLimits } from '../src/controlplane/limits.js';
import { HAConfigSchema } from '../src/ha/config.js';
import { HADeduper } from '../src/ha/dedupe.js';
import { memoryElectionStore } from '../src/ha/tracker.js';
import { nopLogger } from '../src/model/logger.js';
import { RemoteWriteHandler } from '../src/remote/handler.js';
import { PbWriter } from '../src/remote/pb-writer.js';
import { newTestEnv } from '../src/remote/test-env.js';
import { encodeWriteRequests, nodeSeriesLabels } from './write-request.js';

const SERIES = Number(process.env.HA_BENCH_SERIES ?? 20_000);
const POINTS = Number(process.env.HA_BENCH_POINTS ?? 6);
const BATCH = 2000;

function withExternal(labels: Uint8Array[], replica: string): Uint8Array[] {
  const extra = new PbWriter();
  extra.messageField(1, (l) => l.stringField(1, '__replica__').stringField(2, replica));
  extra.messageField(1, (l) => l.stringField(1, 'cluster').stringField(2, 'prod-eu'));
  const e = extra.finish();
  return labels.map((b) => {
    const out = new Uint8Array(b.length + e.length);
    out.set(b, 0);
    out.set(e, b.length);
    return out;
  });
}

async function run(ha: boolean, replica: string, prime: string | null): Promise<{ cpuMsPerRequest: number; status: number }> {
  const env = newTestEnv(['ws-bench']);
  env.workspaces.limitsById.set('ws-bench', { ...defaultWorkspaceLimits(), ingestionRate: 1e12, ingestionBurstSize: 1e12 });
  const dedupe = ha ? new HADeduper({ config: HAConfigSchema.parse({}), store: memoryElectionStore(), registry: new Registry(), logger: nopLogger }) : undefined;
  const handler = new RemoteWriteHandler({ storage: env.storage, workspaces: env.workspaces, metadata: env.metadata, exemplars: env.exemplars, registry: new Registry(), logger: nopLogger, ...(dedupe ? { ha: dedupe } : {}) });
  const start = Date.now() - POINTS * 15_000;
  const labels = nodeSeriesLabels(SERIES);
  const post = async (body: Buffer) => (await handler.handle({ workspaceId: 'ws-bench', contentType: 'application/x-protobuf', contentEncoding: 'snappy', body })).status;
  if (prime !== null) for (const b of encodeWriteRequests(withExternal(labels, prime), { points: 1, start: start - 15_000, stepMs: 15_000, batch: BATCH })) await post(b);
  const bodies = encodeWriteRequests(withExternal(labels, replica), { points: POINTS, start, stepMs: 15_000, batch: BATCH });
  const perPoint = SERIES / BATCH;
  let status = 0;
  for (let i = 0; i < perPoint; i++) status = await post(bodies[i]!); // series creation, not measured
  const cpu0 = process.cpuUsage();
  for (let i = perPoint; i < bodies.length; i++) status = await post(bodies[i]!);
  const cpu = process.cpuUsage(cpu0);
  await env.close();
  return { cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / (bodies.length - perPoint), status };
}

// Interleaved rounds, the best of each kind (the machine is shared; the first round warms the JIT).
const best = { off: Infinity, on: Infinity, standby: Infinity };
const statuses = new Set<string>();
for (let round = 0; round < Number(process.env.HA_BENCH_ROUNDS ?? 3); round++) {
  const off = await run(false, 'a', null);
  const on = await run(true, 'a', 'a');
  const standby = await run(true, 'b', 'a');
  best.off = Math.min(best.off, off.cpuMsPerRequest);
  best.on = Math.min(best.on, on.cpuMsPerRequest);
  best.standby = Math.min(best.standby, standby.cpuMsPerRequest);
  statuses.add(`${off.status},${on.status},${standby.status}`);
}
console.log(
  JSON.stringify({
    series_per_request: BATCH,
    ha_off_cpu_ms_per_request: +best.off.toFixed(3),
    ha_elected_cpu_ms_per_request: +best.on.toFixed(3),
    ha_standby_cpu_ms_per_request: +best.standby.toFixed(3),
    elected_vs_off_ratio: +(best.on / best.off).toFixed(3),
    statuses: [...statuses],
  }),
);
