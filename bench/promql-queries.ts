// The PromQL benchmark's query set and the two ways of running it: Amphora's in-process
// engine and Prometheus's HTTP API; results are normalised to one shape to compare them.

import { labelsFromRecord, labelsKey, type Labels } from '../src/model/labels.js';
import type { Engine } from '../src/promql/engine/engine.js';
import type { Value } from '../src/promql/engine/value.js';
import type { Queryable } from '../src/storage/interface.js';

/** BenchQuery is one named query of the fixed set. */
export interface BenchQuery {
  readonly name: string;
  readonly expr: string;
}

/** PROMQL_BENCH_QUERIES is the fixed query set: realistic node_exporter dashboard queries over rwload's families. */
export const PROMQL_BENCH_QUERIES: readonly BenchQuery[] = [
  { name: 'rate', expr: 'rate(node_network_receive_bytes_total[5m])' },
  { name: 'sum_by_rate', expr: 'sum by (mode) (rate(node_cpu_seconds_total[5m]))' },
  { name: 'histogram_quantile', expr: 'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))' },
  { name: 'topk', expr: 'topk(10, sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])))' },
  { name: 'subquery', expr: 'max_over_time(rate(node_network_transmit_bytes_total[5m])[30m:1m])' },
  { name: 'regex_selector', expr: 'sum by (instance, path) (rate(http_requests_total{path=~"path[0-2]",code=~"5.."}[5m]))' },
  { name: 'binary_on', expr: '1 - node_filesystem_avail_bytes / on(instance, mountpoint) node_filesystem_size_bytes' },
];

/** QueryMode is an instant query at `end`, or a range query over [start, end] at `step` (ms). */
export type QueryMode = { readonly kind: 'instant'; readonly t: number } | { readonly kind: 'range'; readonly start: number; readonly end: number; readonly step: number };

/** ResultSeries is one series of a normalised result: its label key and its points. */
export interface ResultSeries {
  readonly key: string;
  readonly ts: number[];
  readonly vs: number[];
}

/** runAmphora evaluates a query with the in-process engine. */
export function runAmphora(engine: Engine, q: Queryable, expr: string, mode: QueryMode): Value {
  switch (mode.kind) {
    case 'instant':
      return engine.instantQuery(q, expr, mode.t).value;
    case 'range':
      return engine.rangeQuery(q, expr, mode.start, mode.end, mode.step).value;
  }
}

/** formatValue renders a float as Prometheus's JSON does (strings, with +Inf/-Inf/NaN). */
function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function metricRecord(ls: Labels): Record<string, string> {
  const o: Record<string, string> = {};
  for (const l of ls) o[l.name] = l.value;
  return o;
}

/** toPrometheusJSON serialises a result in the /api/v1/query(_range) response shape, as an HTTP API would. */
export function toPrometheusJSON(v: Value): string {
  let data: unknown;
  switch (v.kind) {
    case 'scalar':
      data = { resultType: 'scalar', result: [v.t / 1000, formatValue(v.v)] };
      break;
    case 'string':
      data = { resultType: 'string', result: [v.t / 1000, v.v] };
      break;
    case 'vector':
      data = { resultType: 'vector', result: v.samples.map((s) => ({ metric: metricRecord(s.metric), value: [s.t / 1000, formatValue(s.f)] })) };
      break;
    case 'matrix':
      data = { resultType: 'matrix', result: v.series.map((s) => ({ metric: metricRecord(s.metric), values: s.ts.map((t, i) => [t / 1000, formatValue(s.vs[i]!)]) })) };
      break;
  }
  return JSON.stringify({ status: 'success', data });
}

/** normaliseAmphora turns an engine value into comparable series. */
export function normaliseAmphora(v: Value): ResultSeries[] {
  switch (v.kind) {
    case 'scalar':
      return [{ key: '', ts: [v.t], vs: [v.v] }];
    case 'string':
      return [];
    case 'vector':
      return v.samples.map((s) => ({ key: labelsKey(s.metric), ts: [s.t], vs: [s.f] }));
    case 'matrix':
      return v.series.map((s) => ({ key: labelsKey(s.metric), ts: s.ts, vs: s.vs }));
  }
}

interface PromSeriesJSON {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** promURL builds the query URL for Prometheus's HTTP API (seconds at the edge). */
export function promURL(base: string, expr: string, mode: QueryMode): string {
  const p = new URLSearchParams({ query: expr });
  if (mode.kind === 'instant') {
    p.set('time', String(mode.t / 1000));
    return `${base}/api/v1/query?${p}`;
  }
  p.set('start', String(mode.start / 1000));
  p.set('end', String(mode.end / 1000));
  p.set('step', String(mode.step / 1000));
  return `${base}/api/v1/query_range?${p}`;
}

/** fetchPrometheus runs one query over HTTP and returns the body once it is fully received. */
export async function fetchPrometheus(url: string): Promise<string> {
  const r = await fetch(url);
  const body = await r.text();
  if (!r.ok) throw new Error(`prometheus ${r.status}: ${body.slice(0, 300)}`);
  return body;
}

/** normalisePrometheus parses a Prometheus query response into comparable series. */
export function normalisePrometheus(body: string): ResultSeries[] {
  const j = JSON.parse(body) as { status: string; data: { resultType: string; result: unknown } };
  if (j.status !== 'success') throw new Error(`prometheus query failed: ${body.slice(0, 300)}`);
  if (j.data.resultType === 'scalar') {
    const [t, v] = j.data.result as [number, string];
    return [{ key: '', ts: [Math.round(t * 1000)], vs: [Number(v)] }];
  }
  return (j.data.result as PromSeriesJSON[]).map((s) => {
    const pts = s.values ?? (s.value ? [s.value] : []);
    return { key: labelsKey(labelsFromRecord(s.metric)), ts: pts.map((p) => Math.round(p[0] * 1000)), vs: pts.map((p) => Number(p[1])) };
  });
}

/** Comparison summarises how two results differ. */
export interface Comparison {
  amphoraSeries: number;
  prometheusSeries: number;
  amphoraPoints: number;
  prometheusPoints: number;
  /** missingSeries counts series present in only one result. */
  missingSeries: number;
  /** maxRelDiff is the largest relative difference over points present in both (NaN equals NaN). */
  maxRelDiff: number;
  /** mismatchedPoints counts points at the same time whose values differ by more than 1e-9 relatively, or present in one only. */
  mismatchedPoints: number;
}

/** compareResults matches series by label set and points by timestamp. */
export function compareResults(a: ResultSeries[], p: ResultSeries[]): Comparison {
  const byKey = new Map(p.map((s) => [s.key, s]));
  const c: Comparison = {
    amphoraSeries: a.length,
    prometheusSeries: p.length,
    amphoraPoints: a.reduce((n, s) => n + s.ts.length, 0),
    prometheusPoints: p.reduce((n, s) => n + s.ts.length, 0),
    missingSeries: 0,
    maxRelDiff: 0,
    mismatchedPoints: 0,
  };
  for (const s of a) {
    const o = byKey.get(s.key);
    if (!o) {
      c.missingSeries++;
      c.mismatchedPoints += s.ts.length;
      continue;
    }
    byKey.delete(s.key);
    const at = new Map(o.ts.map((t, i) => [t, o.vs[i]!]));
    for (let i = 0; i < s.ts.length; i++) {
      const w = at.get(s.ts[i]!);
      const v = s.vs[i]!;
      if (w === undefined) {
        c.mismatchedPoints++;
        continue;
      }
      at.delete(s.ts[i]!);
      if (Number.isNaN(v) && Number.isNaN(w)) continue;
      if (v === w) continue;
      const d = Math.abs(v - w) / Math.max(Math.abs(v), Math.abs(w));
      if (!(d <= 1e-9)) c.mismatchedPoints++;
      c.maxRelDiff = Math.max(c.maxRelDiff, Number.isNaN(d) ? Infinity : d);
    }
    c.mismatchedPoints += at.size;
  }
  for (const o of byKey.values()) {
    c.missingSeries++;
    c.mismatchedPoints += o.ts.length;
  }
  return c;
}
