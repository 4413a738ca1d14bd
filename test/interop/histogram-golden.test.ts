// Golden bytes: a real Prometheus 2.42 (--enable-feature=native-histograms) scrapes native
// histograms from a protobuf fixture exporter on 127.0.0.1 and cuts a block; Amphora decodes
// every histogram chunk of that block to the samples served, re-encodes the decoded samples to
// the same bytes, and replays the served samples through its appenders (cutting where
// Prometheus cut) to the same chunks, counter-reset headers included.
// AMPHORA_RECORD_GOLDEN=1 rewrites src/tsdb/chunkenc/testdata/prometheus-2.42-histogram-chunks.json.

import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsToString } from '../../src/model/labels.js';
import { Block } from '../../src/tsdb/block/block.js';
import { ENCODING_FLOAT_HISTOGRAM, FloatHistogramChunk, type FloatHistogramAppender } from '../../src/tsdb/chunkenc/float-histogram.js';
import { ENCODING_HISTOGRAM, HistogramChunk, type HistogramAppender } from '../../src/tsdb/chunkenc/histogram.js';
import { canonicalSample, decodeChunk, reencodeChunk, type GoldenChunk } from '../../src/tsdb/chunkenc/test-support.js';
import { exposition, fixtureSeries, SCRAPE_CONTENT_TYPE, type FixtureSample, type FixtureSeries } from './histogram-fixture.js';
import { onPath, startPrometheus, type RunningPrometheus } from './prometheus-peer.js';

const HAVE_PROMETHEUS = onPath('prometheus');
if (!HAVE_PROMETHEUS) console.warn('skipping histogram golden-bytes test: prometheus (2.42) is not on PATH');

const HOUR = 3_600_000;
const RECORDED = '../../src/tsdb/chunkenc/testdata/prometheus-2.42-histogram-chunks.json';
const SAMPLES = 300;
// All samples go out in the first scrape: Prometheus's own series (up, …) are appended at the
// scrape time, after which the head refuses samples more than an hour older than that.
const T0 = Math.floor((Date.now() - 7 * HOUR) / (2 * HOUR)) * (2 * HOUR);

interface BlockChunk extends GoldenChunk {
  series: string;
}

describe.skipIf(!HAVE_PROMETHEUS)('Prometheus 2.42 histogram chunks (golden bytes)', () => {
  const series = fixtureSeries(T0, SAMPLES);
  const dir = mkdtempSync(join(tmpdir(), 'amphora-hist-golden-'));
  let exporter: Server;
  let prom: RunningPrometheus | null = null;
  const chunks: BlockChunk[] = [];

  beforeAll(async () => {
    // Every scrape serves everything (in case one timed out); Prometheus drops the repeats as out of order.
    const body = exposition(series, 0, SAMPLES);
    let served = false;
    exporter = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': SCRAPE_CONTENT_TYPE });
      res.on('finish', () => (served = true));
      res.end(body);
    });
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const addr = exporter.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, `global: {scrape_interval: 2s, scrape_timeout: 2s}\nscrape_configs:\n  - job_name: golden\n    static_configs: [{targets: ['127.0.0.1:${port}']}]\n`);
    const data = join(dir, 'data');
    prom = await startPrometheus([`--config.file=${config}`, `--storage.tsdb.path=${data}`, '--enable-feature=native-histograms', '--storage.tsdb.retention.time=100y']);
    // Five hours of sample time, then Prometheus's own series at the scrape time: the head cuts 2h blocks.
    const deadline = Date.now() + 90_000;
    const blocks = (): string[] => readdirSync(data).filter((d) => existsSync(join(data, d, 'meta.json')));
    while (Date.now() < deadline && (!served || blocks().length === 0)) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 1000));
    await prom.stop();
    expect(blocks().length, prom.logs()).toBeGreaterThan(0);
    for (const d of blocks().sort()) {
      const b = Block.open(join(data, d));
      try {
        for (const s of b.chunkSeries()) {
          const name = s.labels.find((l) => l.name === '__name__')?.value ?? labelsToString(s.labels);
          for (const c of s.chunks) {
            if (c.encoding !== ENCODING_HISTOGRAM && c.encoding !== ENCODING_FLOAT_HISTOGRAM) continue;
            chunks.push({ series: name, encoding: c.encoding, mint: c.mint, maxt: c.maxt, hex: Buffer.from(c.data).toString('hex'), samples: [] });
          }
        }
      } finally {
        b.close();
      }
    }
    for (const c of chunks) c.samples = decodeChunk(c);
  }, 150_000);

  afterAll(async () => {
    await prom?.stop();
    await new Promise<void>((r) => (exporter ? exporter.close(() => r()) : r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes every histogram chunk to the samples served', () => {
    expect(new Set(chunks.map((c) => c.series))).toEqual(new Set(series.map((s) => s.name)));
    for (const c of chunks) {
      const served = series.find((s) => s.name === c.series)!.samples.filter((x) => x.t >= c.mint && x.t <= c.maxt);
      expect(c.samples.map(canonicalSample), `${c.series} ${c.mint}`).toEqual(served.map(canonicalSample));
    }
  });

  it('re-encodes the decoded samples of every chunk to the same bytes', () => {
    for (const c of chunks) expect(reencodeChunk(c), `${c.series} chunk at ${c.mint}`).toBe(c.hex);
  });

  it('replays the served samples to the same chunks, cutting where Prometheus cut', () => {
    for (const s of series) {
      const mine = replay(s, chunks.filter((c) => c.series === s.name));
      expect(mine, s.name).toEqual(chunks.filter((c) => c.series === s.name).map((c) => c.hex));
    }
  });

  it('records a selection of the chunks when asked', () => {
    if (process.env['AMPHORA_RECORD_GOLDEN'] !== '1') return;
    // Per series: its first three chunks and the first chunk of the second block (a "not a reset" header).
    const keep = chunks.filter((c) => {
      const mine = chunks.filter((x) => x.series === c.series);
      const i = mine.indexOf(c);
      return i < 3 || c === mine.find((x) => x.mint >= T0 + 2 * HOUR);
    });
    const lines = keep.map((c) => JSON.stringify(c));
    const source = JSON.stringify('prometheus 2.42 --enable-feature=native-histograms, scraped protobuf exposition (test/interop/histogram-golden.test.ts)');
    writeFileSync(fileURLToPath(new URL(RECORDED, import.meta.url)), `{"source": ${source},\n"chunks": [\n${lines.join(',\n')}\n]}\n`);
  });
});

/** replay appends a series' served samples with Amphora's appenders, starting a new chunk (with the old appender as prev) where Prometheus did. */
function replay(s: FixtureSeries, theirs: readonly GoldenChunk[]): string[] {
  const out: Array<HistogramChunk | FloatHistogramChunk> = [];
  let app: HistogramAppender | FloatHistogramAppender | null = null;
  for (const c of theirs) {
    const samples = s.samples.filter((x) => x.t >= c.mint && x.t <= c.maxt);
    samples.forEach((x: FixtureSample, i) => {
      if (i === 0) {
        const prev = app;
        if (x.fh !== undefined) {
          const chunk = new FloatHistogramChunk();
          app = chunk.appender();
          app.appendFloatHistogram(x.t, x.fh, { prev: prev as FloatHistogramAppender | null });
          out.push(chunk);
        } else {
          const chunk = new HistogramChunk();
          app = chunk.appender();
          app.appendHistogram(x.t, x.h!, { prev: prev as HistogramAppender | null });
          out.push(chunk);
        }
        return;
      }
      const r = x.fh !== undefined ? (app as FloatHistogramAppender).appendFloatHistogram(x.t, x.fh) : (app as HistogramAppender).appendHistogram(x.t, x.h!);
      if (r.chunk !== null) {
        if (!r.recoded) throw new Error(`${s.name}: Amphora cut a chunk at ${x.t} inside Prometheus's chunk ${c.mint}..${c.maxt}`);
        out[out.length - 1] = r.chunk;
      }
      app = r.appender;
    });
  }
  return out.map((c) => Buffer.from(c.bytes()).toString('hex'));
}
