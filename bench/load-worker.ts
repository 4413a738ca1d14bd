// A load generator in a worker thread, so that the thread measuring latencies is never busy with
// it: `clients` loops send SigV4-signed requests (round robin over a list) until told to stop, or
// each request once; the worker then posts every request's timing.

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { sigv4Headers, type Credentials } from './sigv4-client.js';

/** LoadRequest is one request of the load: method, server-relative path and query, optional body and headers. */
export interface LoadRequest {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: Uint8Array;
  readonly headers?: Record<string, string>;
}

/** LoadSpec is what the worker runs: requests against base, `clients` at a time, in a loop until stopped or each once. */
export interface LoadSpec {
  readonly base: string;
  readonly credentials: Credentials;
  readonly requests: readonly LoadRequest[];
  readonly clients: number;
  readonly loop: boolean;
}

/** LoadResult is one completed request: its name, status (0 when the connection failed), wall ms and response bytes. */
export interface LoadResult {
  readonly name: string;
  readonly status: number;
  readonly ms: number;
  readonly bytes: number;
}

/** LoadWorker is a running load generator: stop() lets in-flight requests finish and resolves with every result; done resolves the same when it ends on its own. */
export interface LoadWorker {
  readonly started: Promise<void>;
  readonly done: Promise<LoadResult[]>;
  stop(): Promise<LoadResult[]>;
}

/** startLoadWorker runs a LoadSpec in a new worker thread. */
export function startLoadWorker(spec: LoadSpec): LoadWorker {
  const w = new Worker(new URL(import.meta.url), { workerData: spec });
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const done = new Promise<LoadResult[]>((resolve, reject) => {
    w.on('message', (m: { kind: 'started' } | { kind: 'results'; results: LoadResult[] }) => {
      if (m.kind === 'started') started();
      else resolve(m.results);
    });
    w.on('error', reject);
    w.on('exit', (code) => reject(new Error(`load worker exited with ${code} before reporting`)));
  });
  return {
    started: startedP,
    done,
    stop: () => {
      w.postMessage('stop');
      return done;
    },
  };
}

async function runSpec(spec: LoadSpec): Promise<void> {
  let stopping = false;
  parentPort!.on('message', () => (stopping = true));
  const results: LoadResult[] = [];
  let next = 0;
  const client = async (): Promise<void> => {
    while (!stopping && (spec.loop || next < spec.requests.length)) {
      const req = spec.requests[next++ % spec.requests.length]!;
      const url = new URL(req.path, spec.base);
      const headers = sigv4Headers({ credentials: spec.credentials }, { method: req.method, url, body: req.body, headers: req.headers });
      const t0 = performance.now();
      let status = 0;
      let bytes = 0;
      try {
        const r = await fetch(url, { method: req.method, headers, body: req.body });
        status = r.status;
        bytes = (await r.arrayBuffer()).byteLength;
      } catch {
        // status 0: the connection failed
      }
      results.push({ name: req.name, status, ms: performance.now() - t0, bytes });
    }
  };
  parentPort!.postMessage({ kind: 'started' });
  await Promise.all(Array.from({ length: spec.clients }, client));
  parentPort!.postMessage({ kind: 'results', results });
  parentPort!.close();
}

if (!isMainThread && (workerData as LoadSpec | undefined)?.requests) await runSpec(workerData as LoadSpec);
