import { labelsFromList, type Labels } from '../../src/model/labels.js';

/** GeneratedSeries is one node_exporter-shaped series with its evolving value. */
export interface GeneratedSeries {
  readonly labels: Labels;
  readonly kind: 'counter' | 'gauge' | 'const';
  value: number;
}

/** Families mirror ../shared/tools/rwload: name, kind, and sub-label dimensions with cardinalities. */
const FAMILIES: [string, GeneratedSeries['kind'], [string, number][]][] = [
  ['node_cpu_seconds_total', 'counter', [['cpu', 8], ['mode', 8]]],
  ['node_network_receive_bytes_total', 'counter', [['device', 4]]],
  ['node_network_transmit_bytes_total', 'counter', [['device', 4]]],
  ['node_network_receive_packets_total', 'counter', [['device', 4]]],
  ['node_disk_read_bytes_total', 'counter', [['device', 4]]],
  ['node_disk_written_bytes_total', 'counter', [['device', 4]]],
  ['node_disk_io_time_seconds_total', 'counter', [['device', 4]]],
  ['node_filesystem_avail_bytes', 'gauge', [['mountpoint', 6]]],
  ['node_filesystem_size_bytes', 'const', [['mountpoint', 6]]],
  ['node_memory_MemAvailable_bytes', 'gauge', []],
  ['node_memory_MemTotal_bytes', 'const', []],
  ['node_load1', 'gauge', []],
  ['node_load5', 'gauge', []],
  ['node_load15', 'gauge', []],
  ['http_requests_total', 'counter', [['path', 6], ['code', 3]]],
  ['http_request_duration_seconds_bucket', 'counter', [['le', 12]]],
];
const MODES = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];
const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const CODES = ['200', '404', '500'];

/** xorshift32 returns the same pseudo-random stream as rwload for a seed. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function dimValue(dim: string, k: number): string {
  if (dim === 'mode') return MODES[k]!;
  if (dim === 'le') return LES[k]!;
  if (dim === 'code') return CODES[k]!;
  return `${dim}${k}`;
}

/** nodeExporterSeries generates n series shaped and seeded exactly as rwload does. */
export function nodeExporterSeries(n: number, rnd: () => number): GeneratedSeries[] {
  const perHost: { name: string; kind: GeneratedSeries['kind']; extra: [string, string][] }[] = [];
  for (const [name, kind, dims] of FAMILIES) {
    let combos: [string, string][][] = [[]];
    for (const [dim, card] of dims) {
      const next: [string, string][][] = [];
      for (const c of combos) for (let k = 0; k < card; k++) next.push([...c, [dim, dimValue(dim, k)]]);
      combos = next;
    }
    for (const extra of combos) perHost.push({ name, kind, extra });
  }
  const out: GeneratedSeries[] = [];
  for (let i = 0; out.length < n; i++) {
    const f = perHost[i % perHost.length]!;
    const host = Math.floor(i / perHost.length);
    const pairs = [['__name__', f.name], ...f.extra, ['instance', `host-${host}.example.internal:9100`], ['job', 'node']];
    const value = f.kind === 'const' ? Math.floor(rnd() * 1e11) : f.kind === 'gauge' ? Math.round(rnd() * 1e4) / 100 : Math.floor(rnd() * 1e6);
    out.push({ labels: labelsFromList(pairs.map(([name, v]) => ({ name: name!, value: v! }))), kind: f.kind, value });
  }
  return out;
}

/** advance moves a series to its next value exactly as rwload does. */
export function advance(s: GeneratedSeries, rnd: () => number): number {
  if (s.kind === 'counter') s.value += Math.floor(rnd() * 100);
  else if (s.kind === 'gauge') s.value = Math.round((s.value + (rnd() - 0.5) * 2) * 100) / 100;
  return s.value;
}
