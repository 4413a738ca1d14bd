// Remote-write 1.0 request bodies for the benchmarks: node_exporter-like series whose label bytes
// are encoded once, and snappy-compressed WriteRequests of one sample per series and point.

import { PbWriter } from '../src/remote/pb-writer.js';
import { snappy } from '../src/remote/test-env.js';

const MODES = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];

/** nodeSeriesLabels encodes n series' labels (400 per host: 64 node_cpu_seconds_total, then 336 others), hosts numbered from hostOffset. */
export function nodeSeriesLabels(n: number, o: { hostOffset?: number; job?: string } = {}): Uint8Array[] {
  const out: Uint8Array[] = [];
  const job = o.job ?? 'node';
  for (let i = 0; i < n; i++) {
    const host = Math.floor(i / 400) + (o.hostOffset ?? 0);
    const k = i % 400;
    const labels: [string, string][] =
      k < 64
        ? [['__name__', 'node_cpu_seconds_total'], ['cpu', String(k >> 3)], ['instance', `host-${host}.example.internal:9100`], ['job', job], ['mode', MODES[k & 7]!]]
        : [['__name__', `node_metric_${k % 40}_total`], ['device', `dev${k}`], ['instance', `host-${host}.example.internal:9100`], ['job', job]];
    const w = new PbWriter();
    for (const [name, value] of labels) w.messageField(1, (l) => l.stringField(1, name).stringField(2, value));
    out.push(w.finish());
  }
  return out;
}

/** addTimeSeries appends one TimeSeries (pre-encoded labels and one sample) to a WriteRequest under construction. */
function addTimeSeries(w: PbWriter, labels: Uint8Array, v: number, t: number): void {
  const sample = new PbWriter().doubleField(1, v).uintField(2, t).finish();
  const ts = new Uint8Array(labels.length + 2 + sample.length);
  ts.set(labels, 0);
  ts[labels.length] = 0x12;
  ts[labels.length + 1] = sample.length;
  ts.set(sample, labels.length + 2);
  w.bytesField(1, ts);
}

/** encodeWriteRequest builds one compressed WriteRequest with one sample at t per series (value i * 10 + offset). */
export function encodeWriteRequest(labels: readonly Uint8Array[], t: number, offset = 0): Buffer {
  const w = new PbWriter();
  for (let i = 0; i < labels.length; i++) addTimeSeries(w, labels[i]!, i * 10 + offset, t);
  return snappy(w.finish());
}

/** encodeWriteRequests builds compressed WriteRequests: every series gets one sample per point (stepMs apart from start), batch samples per request. */
export function encodeWriteRequests(labels: readonly Uint8Array[], o: { points: number; start: number; stepMs: number; batch: number }): Buffer[] {
  const bodies: Buffer[] = [];
  let w = new PbWriter();
  let inBatch = 0;
  for (let p = 0; p < o.points; p++) {
    const t = o.start + p * o.stepMs;
    for (let i = 0; i < labels.length; i++) {
      addTimeSeries(w, labels[i]!, i * 10 + p, t);
      if (++inBatch === o.batch) {
        bodies.push(snappy(w.finish()));
        w = new PbWriter();
        inBatch = 0;
      }
    }
  }
  if (inBatch > 0) bodies.push(snappy(w.finish()));
  return bodies;
}
