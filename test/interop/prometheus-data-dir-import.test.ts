// A Prometheus 2.42 data directory (promtool-made blocks plus the compressed WAL of a running
// Prometheus) imported whole: promtool dumps the same samples from the import as from the original.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrometheus, stopProcess } from '../../bench/tools.js';
import { labelsFromRecord } from '../../src/model/labels.js';
import { TSDB } from '../../src/tsdb/db.js';
import { importPrometheusDataDir } from '../../src/tsdb/import/data-dir.js';
import { readRecords } from '../../src/tsdb/wal/reader.js';

const onPath = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HAVE = onPath('prometheus') && onPath('promtool');
if (!HAVE) console.warn('skipping the Prometheus data directory import test: prometheus or promtool is not on PATH');

const MIN = 60_000;

function dump(dir: string): string[] {
  const r = spawnSync('promtool', ['tsdb', 'dump', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '').sort();
}

describe.skipIf(!HAVE)('amphora tsdb import of a Prometheus 2.42 data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'amphora-import-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('imports blocks and the compressed WAL whole, and refuses what it cannot import safely', { timeout: 120_000 }, async () => {
    const prom = join(root, 'prometheus');
    mkdirSync(prom);
    // Blocks: a day old, made by promtool into the data directory.
    const t0 = Math.floor((Date.now() - 24 * 3_600_000) / (2 * 3_600_000)) * (2 * 3_600_000);
    const om = ['# TYPE imported_gauge gauge', ...['a', 'b'].flatMap((i, n) => Array.from({ length: 30 }, (_, k) => `imported_gauge{i="${i}"} ${n * 100 + k} ${(t0 + k * MIN) / 1000}`)), '# EOF', ''].join('\n');
    writeFileSync(join(root, 'data.om'), om);
    const made = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(root, 'data.om'), prom], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    // WAL: Prometheus scrapes a small exporter every second, WAL compression on (2.42's default, made explicit).
    let scrapes = 0;
    const exporter = createServer((_req, res) => {
      scrapes++;
      res.end(`# TYPE scraped_counter counter\nscraped_counter{i="1"} ${scrapes}\nscraped_counter{i="2"} ${scrapes * 2}\n`);
    });
    await new Promise<void>((res) => exporter.listen(0, '127.0.0.1', res));
    const config = join(root, 'prometheus.yml');
    writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: exporter\n    static_configs:\n      - targets: ['127.0.0.1:${(exporter.address() as AddressInfo).port}']\n`);
    const p = await startPrometheus(prom, config, ['--storage.tsdb.wal-compression']);
    try {
      const deadline = Date.now() + 60_000;
      while (scrapes < 5) {
        if (Date.now() > deadline) throw new Error(`no scrapes: ${p.log()}`);
        await new Promise((res) => setTimeout(res, 300));
      }
    } finally {
      await stopProcess(p.proc);
      exporter.close();
    }
    expect((await readRecords(join(prom, 'wal'), {}, () => {})).compressed).toBeGreaterThan(0);
    const expected = dump(prom);
    expect(expected.some((l) => l.startsWith('{__name__="imported_gauge"'))).toBe(true);
    expect(expected.some((l) => l.startsWith('{__name__="scraped_counter"'))).toBe(true);

    const ws = join(root, 'amphora', 'workspaces', 'ws-import');
    const r = await importPrometheusDataDir({ src: prom, dst: ws });
    expect(r.blocks.length).toBeGreaterThan(0);
    expect(r.walSamples).toBeGreaterThan(0);
    mkdirSync(join(ws, 'wal'));
    expect(dump(ws)).toEqual(expected);
    const db = await TSDB.open(ws, { compactionInterval: 0 });
    expect(db.corrupt()).toEqual([]);
    expect(db.blockMetas().length).toBe(r.blocks.length + r.walBlocks.length);
    await db.close();

    await expect(importPrometheusDataDir({ src: prom, dst: ws })).rejects.toThrow(/already exists/);
    // A workspace whose own WAL holds older samples than the import's newest: refused, nothing written.
    const busy = join(root, 'amphora', 'workspaces', 'ws-busy');
    const own = await TSDB.open(busy, { compactionInterval: 0 });
    const app = own.appender();
    app.append(0, labelsFromRecord({ __name__: 'own' }), Date.now() - 3_600_000, 1);
    await app.commit();
    await own.close();
    await expect(importPrometheusDataDir({ src: prom, dst: busy })).rejects.toThrow(/past the oldest sample .* in the workspace's WAL/);
    expect(dump(busy).filter((l) => !l.startsWith('{__name__="own"'))).toEqual([]);
  });
});
