/** run executes every benchmark section and prints one JSON object of figures; a failing section reports its error. */
type Section = [name: string, load: () => Promise<Record<string, unknown>>];

const SECTIONS: Section[] = [
  ['chunkenc', async () => (await import('./chunkenc.js')).runChunkencBench()],
  ['histogram-chunks', async () => (await import('./histogram-chunks.js')).runHistogramChunksBench()],
  ['head', async () => (await import('./head.js')).runHeadBench()],
  ['wal', async () => (await import('./wal.js')).runWalBench()],
  ['wal-bytes', async () => (await import('./wal-bytes.js')).runWalBytesBench()],
  ['storage', async () => (await import('./storage.js')).runStorageBench()],
  ['remote-write', async () => (await import('./remote-write.js')).runRemoteWriteBench()],
  ['remote-write-histograms', async () => (await import('./remote-write-histograms.js')).runHistogramRemoteWriteBench()],
  ['otlp', async () => (await import('./otlp.js')).runOtlpBench()],
  ['remote-read', async () => (await import('./remote-read.js')).runRemoteReadBench()],
  ['regex', async () => (await import('./regex.js')).runRegexBench()],
  ['promql', async () => (await import('./promql.js')).runPromqlBench()],
  ['query-http', async () => (await import('./query-http.js')).runQueryHttpBench()],
  ['query-throughput', async () => (await import('./query-throughput.js')).runQueryThroughputBench()],
  ['isolation', async () => (await import('./isolation.js')).runIsolationBench()],
  ['console', async () => (await import('./console-bundle.js')).runConsoleBundleBench()],
];

const only = process.argv.slice(2);
const results: Record<string, unknown> = { node: process.version, date: new Date().toISOString() };
for (const [name, load] of SECTIONS) {
  if (only.length > 0 && !only.includes(name)) continue;
  const t0 = performance.now();
  try {
    results[name] = await load();
  } catch (err) {
    results[name] = { error: err instanceof Error ? err.message : String(err) };
  }
  process.stderr.write(`bench ${name}: ${Math.round(performance.now() - t0)} ms\n`);
}
// The HTTP query sections share one loaded Amphora and Prometheus per run; stop them once all sections are done.
await (await import('./http-data.js')).stopSharedHttpBenchData();
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
