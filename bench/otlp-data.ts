// OTLP requests equivalent to bench/write-request.ts's node_exporter-like remote-write requests:
// the same series (400 per host: node_cpu_seconds_total{cpu, mode} and node_metric_N_total{device})
// as OTLP gauges whose resource (service.name = job, service.instance.id = instance) gives job and
// instance, so both protocols store exactly the same Prometheus series and samples.
import { attr, nanos, type JsonMetric, type JsonPoint, type JsonRequest } from '../src/otlp/test-support.js';

const MODES = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];

/** otlpNodeRequests builds one OTLP/JSON request per batch of hosts (batch series each, a multiple of 400) per point, values as encodeWriteRequests writes them (i * 10 + point). */
export function otlpNodeRequests(series: number, o: { points: number; start: number; stepMs: number; batch: number; job?: string }): JsonRequest[] {
  const hostsPerBatch = Math.max(1, Math.floor(o.batch / 400));
  const hosts = Math.ceil(series / 400);
  const out: JsonRequest[] = [];
  for (let p = 0; p < o.points; p++) {
    const time = nanos(o.start + p * o.stepMs);
    for (let h0 = 0; h0 < hosts; h0 += hostsPerBatch) {
      const req: JsonRequest = { resourceMetrics: [] };
      for (let h = h0; h < Math.min(hosts, h0 + hostsPerBatch); h++) {
        const cpu: JsonPoint[] = [];
        const others = new Map<number, JsonPoint[]>();
        for (let k = 0; k < 400 && h * 400 + k < series; k++) {
          const i = h * 400 + k;
          const asDouble = i * 10 + p;
          if (k < 64) cpu.push({ attributes: [attr('cpu', String(k >> 3)), attr('mode', MODES[k & 7]!)], timeUnixNano: time, asDouble });
          else {
            const list = others.get(k % 40) ?? [];
            list.push({ attributes: [attr('device', `dev${k}`)], timeUnixNano: time, asDouble });
            others.set(k % 40, list);
          }
        }
        const metrics: JsonMetric[] = [{ name: 'node_cpu_seconds_total', gauge: { dataPoints: cpu } }];
        for (const [m, dataPoints] of others) metrics.push({ name: `node_metric_${m}_total`, gauge: { dataPoints } });
        req.resourceMetrics.push({ resource: { attributes: [attr('service.name', o.job ?? 'node'), attr('service.instance.id', `host-${h}.example.internal:9100`)] }, scopeMetrics: [{ metrics }] });
      }
      out.push(req);
    }
  }
  return out;
}
