import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labelsToString, type Labels } from '../model/labels.js';
import { isStaleNaN } from '../model/sample.js';
import type { Appendable } from '../storage/interface.js';
import { compileRelabel } from './relabel.js';
import { ScrapeLoop, type ScrapeTarget } from './scrape-loop.js';

/** Recorder is an Appendable that keeps committed samples as `labels -> [t, v][]`, stale markers as 'stale' (V8 may canonicalise NaN payloads in arrays). */
function recorder(): Appendable & { series: Map<string, [number, number | 'stale'][]> } {
  const series = new Map<string, [number, number | 'stale'][]>();
  return {
    series,
    appender() {
      const batch: [string, number, number | 'stale'][] = [];
      return {
        append(_ref: number, l: Labels, t: number, v: number) {
          batch.push([labelsToString(l), t, isStaleNaN(v) ? 'stale' : v]);
          return 0;
        },
        async commit() {
          for (const [k, t, v] of batch) series.set(k, [...(series.get(k) ?? []), [t, v]]);
        },
        rollback() {},
      };
    },
  };
}

let server: Server;
let body = '';
let status = 200;
let gzip = false;
let address = '';
beforeEach(async () => {
  server = createServer((req, res) => {
    const headers: Record<string, string> = { 'content-type': 'text/plain; version=0.0.4' };
    let payload: Buffer = Buffer.from(body);
    if (gzip && /gzip/.test(String(req.headers['accept-encoding']))) {
      headers['content-encoding'] = 'gzip';
      payload = gzipSync(payload);
    }
    res.writeHead(status, headers).end(payload);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  body = '';
  status = 200;
  gzip = false;
});
afterEach(() => server.close());

function target(extra: Partial<ScrapeTarget> = {}): ScrapeTarget {
  return {
    labels: { __address__: address, __scheme__: 'http', __metrics_path__: '/metrics', job: 'j', instance: address },
    intervalMs: 15_000,
    timeoutMs: 2_000,
    honorLabels: false,
    honorTimestamps: true,
    metricRelabel: [],
    sampleLimit: 0,
    labelLimit: 0,
    bodySizeLimit: 0,
    ...extra,
  };
}

describe('ScrapeLoop', () => {
  it('appends samples with target labels, report series, and stale markers for series that disappear', async () => {
    const rec = recorder();
    let clock = 1_000_000;
    const loop = new ScrapeLoop(target(), { appendable: rec, now: () => clock });
    body = '# HELP a A\n# TYPE a counter\na{x="1"} 5\na{x="2",job="exposed"} 6\nb 1.5e3 999\n';
    expect((await loop.scrapeOnce()).health).toBe('up');
    const inst = `instance="${address}"`;
    expect(rec.series.get(`a{${inst}, job="j", x="1"}`)).toEqual([[1_000_000, 5]]);
    expect(rec.series.get(`a{exported_job="exposed", ${inst}, job="j", x="2"}`)).toEqual([[1_000_000, 6]]);
    expect(rec.series.get(`b{${inst}, job="j"}`)).toEqual([[999, 1500]]);
    expect(rec.series.get(`up{${inst}, job="j"}`)).toEqual([[1_000_000, 1]]);
    expect(rec.series.get(`scrape_samples_scraped{${inst}, job="j"}`)).toEqual([[1_000_000, 3]]);
    expect(rec.series.get(`scrape_series_added{${inst}, job="j"}`)).toEqual([[1_000_000, 3]]);
    clock += 15_000;
    body = 'a{x="1"} 7\n';
    gzip = true;
    await loop.scrapeOnce();
    expect(rec.series.get(`a{${inst}, job="j", x="1"}`)?.[1]).toEqual([1_015_000, 7]);
    const staled = rec.series.get(`b{${inst}, job="j"}`)!;
    expect(staled[1]![0]).toBe(1_015_000);
    expect(staled[1]![1]).toBe('stale');
    expect(rec.series.get(`scrape_series_added{${inst}, job="j"}`)?.[1]).toEqual([1_015_000, 0]);
    clock += 15_000;
    await loop.stop();
    expect(rec.series.get(`up{${inst}, job="j"}`)!.at(-1)![1]).toBe('stale');
    expect(rec.series.get(`a{${inst}, job="j", x="1"}`)!.at(-1)![1]).toBe('stale');
  });

  it('fails a scrape (up 0, every series stale, lastError) on HTTP errors, malformed exposition and limits', async () => {
    const rec = recorder();
    let clock = 0;
    const loop = new ScrapeLoop(target({ sampleLimit: 2, bodySizeLimit: 200 }), { appendable: rec, now: () => clock });
    const inst = `instance="${address}"`;
    body = 'm 1\n';
    await loop.scrapeOnce();
    const cases: [() => void, RegExp][] = [
      [() => ((status = 503), (body = '')), /HTTP status 503/],
      [() => ((status = 200), (body = 'm{x="1" 1\n')), /line 1: expected ',' or '}'/],
      [() => (body = 'm{a="1"} 1\nm{a="2"} 1\nm{a="3"} 1\n'), /sample limit exceeded: 3 samples, limit 2/],
      [() => (body = `m 1\n# ${'x'.repeat(300)}\n`), /body size limit exceeded/],
    ];
    for (const [setup, want] of cases) {
      setup();
      clock += 1000;
      const h = await loop.scrapeOnce();
      expect(h.health).toBe('down');
      expect(h.lastError).toMatch(want);
      expect(rec.series.get(`up{${inst}, job="j"}`)!.at(-1)).toEqual([clock, 0]);
    }
    expect(rec.series.get(`m{${inst}, job="j"}`)![1]![1]).toBe('stale');
  });

  it('applies metric_relabel_configs and honor_labels', async () => {
    const rec = recorder();
    const loop = new ScrapeLoop(target({ honorLabels: true, metricRelabel: [compileRelabel({ source_labels: ['__name__'], regex: 'drop_.*', action: 'drop' })] }), { appendable: rec, now: () => 5 });
    body = 'keep{job="mine"} 1\ndrop_me 2\n';
    await loop.scrapeOnce();
    expect([...rec.series.keys()].filter((k) => k.startsWith('keep') || k.startsWith('drop'))).toEqual([`keep{instance="${address}", job="mine"}`]);
    expect(rec.series.get(`scrape_samples_post_metric_relabeling{instance="${address}", job="j"}`)).toEqual([[5, 1]]);
  });
});
