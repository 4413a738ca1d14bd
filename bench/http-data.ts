// The PromQL benchmark's data set (rwload's node_exporter series) behind real HTTP servers: one
// Amphora workspace loaded through SigV4-signed remote write and, when installed, Prometheus 2.42
// loaded through its remote-write receiver, plus the query URLs and timed query calls for both.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPromqlBenchOptions } from './promql.js';
import { runRwload, RWLOAD_SCRIPT, type RwloadShape } from './promql-data.js';
import { PROMQL_BENCH_QUERIES, promURL, type QueryMode } from './promql-queries.js';
import { createWorkspace, remoteWriteURL, startAmphoraServer, type AmphoraServer } from './server.js';
import { sigv4Headers } from './sigv4-client.js';
import { benchQuick, hasCommand, startPrometheus, stopProcess } from './tools.js';

const TWO_HOURS = 7_200_000;

/** QueryCell is one standard query in one mode (instant or range). */
export interface QueryCell {
  readonly key: string;
  readonly expr: string;
  readonly mode: QueryMode;
}

/** HttpBenchData is the loaded data set: the Amphora server and workspace, Prometheus when installed, and the query cells. */
export interface HttpBenchData {
  readonly amphora: AmphoraServer;
  readonly workspaceId: string;
  /** prometheus is the Prometheus 2.42 server, or null with skipped saying why. */
  readonly prometheus: { readonly url: string; readonly pid: number | undefined } | null;
  readonly skipped?: string;
  readonly shape: RwloadShape;
  readonly cells: readonly QueryCell[];
  /** figures are the data's description and each side's load rate (both loaded at the same time). */
  readonly figures: Record<string, unknown>;
  /** amphoraURL and prometheusURL are a cell's query URL on each side. */
  amphoraURL(c: QueryCell): URL;
  prometheusURL(c: QueryCell): URL;
  /** stop ends both servers and removes their data. */
  stop(): Promise<void>;
}

/** httpBenchShape is the promql bench's shape (20,000 series x 480 points at 15 s; BENCH_QUICK=1 or QUERY_BENCH_SERIES shrink it) ending before now on a 2 h boundary, so both servers accept it as recent data. */
export function httpBenchShape(now = Date.now()): RwloadShape {
  const d = defaultPromqlBenchOptions();
  const series = Number(process.env.QUERY_BENCH_SERIES ?? (benchQuick() ? 5000 : d.series));
  return { series, points: d.points, stepMs: d.stepMs, shards: d.shards, batch: d.batch, seed: d.seed, start: Math.floor((now - TWO_HOURS) / TWO_HOURS) * TWO_HOURS };
}

/** queryCells are the standard queries as instant queries at the end of the data and 1 h range queries, evaluated evalOffsetMs after the sample grid as in the promql bench. */
export function queryCells(shape: RwloadShape): QueryCell[] {
  const d = defaultPromqlBenchOptions();
  const end = shape.start + (shape.points - 1) * shape.stepMs + d.evalOffsetMs;
  const modes: [string, QueryMode][] = [
    ['instant', { kind: 'instant', t: end }],
    ['range', { kind: 'range', start: end - d.rangeMs, end, step: d.rangeStepMs }],
  ];
  return PROMQL_BENCH_QUERIES.flatMap((q) => modes.map(([m, mode]) => ({ key: `${q.name}/${m}`, expr: q.expr, mode })));
}

/** loadHttpBenchData starts Amphora (and Prometheus unless withPrometheus is false) and loads the same rwload data into both at once (load rates are side by side, not alone). */
export async function loadHttpBenchData(o: { withPrometheus?: boolean } = {}): Promise<HttpBenchData> {
  const shape = httpBenchShape();
  const amphora = await startAmphoraServer();
  const stops: (() => Promise<void>)[] = [() => amphora.stop()];
  const stop = async (): Promise<void> => {
    for (const s of stops) await s();
  };
  try {
    const workspaceId = await createWorkspace(amphora, 'bench-query');
    const figures: Record<string, unknown> = {
      data: `rwload --series ${shape.series} --points ${shape.points} --step ${shape.stepMs} --shards ${shape.shards} --batch ${shape.batch} --start ${shape.start} --seed ${shape.seed}`,
      samples: shape.series * shape.points,
      data_loaded: 'once per run, shared by the query-http and query-throughput sections; both servers loaded at the same time',
    };
    const loads: Promise<unknown>[] = [runRwload(RWLOAD_SCRIPT, remoteWriteURL(amphora, workspaceId), shape, { sigv4: amphora.credentials }).then((r) => (figures.amphora_load_samples_per_s = r.samples_per_s))];
    let prometheus: HttpBenchData['prometheus'] = null;
    let skipped: string | undefined;
    if (o.withPrometheus === false) skipped = 'skipped: not requested';
    else if (!hasCommand('prometheus')) skipped = 'skipped: prometheus not installed';
    else {
      const dir = mkdtempSync(join(tmpdir(), 'amphora-query-bench-prom-'));
      const cfg = join(dir, 'prometheus.yml');
      writeFileSync(cfg, 'global: {}\n');
      const p = await startPrometheus(join(dir, 'data'), cfg, ['--web.enable-remote-write-receiver']);
      stops.push(async () => {
        await stopProcess(p.proc);
        rmSync(dir, { recursive: true, force: true });
      });
      loads.push(runRwload(RWLOAD_SCRIPT, `${p.url}/api/v1/write`, shape).then((r) => (figures.prometheus_load_samples_per_s = r.samples_per_s)));
      prometheus = { url: p.url, pid: p.proc.pid };
    }
    await Promise.all(loads);
    const base = `${amphora.url}/workspaces/${workspaceId}`;
    return {
      amphora,
      workspaceId,
      prometheus,
      skipped,
      shape,
      cells: queryCells(shape),
      figures,
      amphoraURL: (c) => new URL(promURL(base, c.expr, c.mode)),
      prometheusURL: (c) => new URL(promURL(prometheus!.url, c.expr, c.mode)),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** QueryCall is one timed query: wall time (signing, request, body and, when parsed, JSON.parse included) and the body. */
export interface QueryCall {
  readonly ms: number;
  readonly body: string;
}

/** queryAmphora signs and sends one query, reads the body and parses it unless parse is false; fails on a non-200 answer. */
export async function queryAmphora(data: HttpBenchData, c: QueryCell, parse = true): Promise<QueryCall> {
  const t0 = performance.now();
  const url = data.amphoraURL(c);
  const r = await fetch(url, { headers: sigv4Headers({ credentials: data.amphora.credentials }, { method: 'GET', url }) });
  return finish(r, t0, parse, `amphora ${c.key}`);
}

/** queryPrometheus sends one unsigned query to Prometheus, reads the body and parses it unless parse is false. */
export async function queryPrometheus(data: HttpBenchData, c: QueryCell, parse = true): Promise<QueryCall> {
  const t0 = performance.now();
  const r = await fetch(data.prometheusURL(c));
  return finish(r, t0, parse, `prometheus ${c.key}`);
}

async function finish(r: Response, t0: number, parse: boolean, what: string): Promise<QueryCall> {
  const body = await r.text();
  if (parse) JSON.parse(body);
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`${what}: ${r.status} ${body.slice(0, 300)}`);
  return { ms, body };
}

let shared: { withPrometheus: boolean; data: Promise<HttpBenchData> } | null = null;

/**
 * sharedHttpBenchData loads the data set once per process, so the HTTP query sections of one run share it
 * (loading 9.6M samples into both servers is most of their time); run.ts calls stopSharedHttpBenchData at the end.
 */
export async function sharedHttpBenchData(o: { withPrometheus?: boolean } = {}): Promise<HttpBenchData> {
  const withPrometheus = o.withPrometheus !== false;
  if (shared && shared.withPrometheus !== withPrometheus) await stopSharedHttpBenchData();
  if (!shared) {
    const data = loadHttpBenchData({ withPrometheus });
    shared = { withPrometheus, data };
    data.catch(() => (shared = null));
  }
  return shared.data;
}

/** stopSharedHttpBenchData stops the shared data set's servers, if one was loaded. */
export async function stopSharedHttpBenchData(): Promise<void> {
  const s = shared;
  shared = null;
  if (s) await (await s.data.catch(() => null))?.stop();
}
