// The TSDB admin API against the real server: snapshot (promtool dumps every sample of it),
// delete_series (gone from queries at once, from blocks after clean_tombstones) and bad input.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { listBlockDirs } from '../../src/tsdb/block-dirs.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

const HAVE_PROMTOOL = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;
if (!HAVE_PROMTOOL) console.warn('skipping the promtool checks of the TSDB admin test: promtool is not on PATH');

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Math.floor(Date.now() / MIN) * MIN;
const START = NOW - 5 * HOUR;
const POINTS = 300; // one a minute: [START, NOW - 1 min]
const times = Array.from({ length: POINTS }, (_, k) => START + k * MIN);
// Deleted: an old range (in blocks by then) and a recent one (still in the head).
const OLD = { start: START + 10 * MIN, end: START + 60 * MIN };
const RECENT = { start: NOW - 30 * MIN, end: NOW - 20 * MIN };
const deleted = (t: number): boolean => (t >= OLD.start && t <= OLD.end) || (t >= RECENT.start && t <= RECENT.end);

/** promtoolDump returns `series timestamp` for every sample promtool reads from a TSDB dir of blocks. */
function promtoolDump(dir: string): string[] {
  const r = spawnSync('promtool', ['tsdb', 'dump', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const parts = l.split(' ');
      return `${parts.slice(0, -2).join(' ')} ${parts.at(-1)}`;
    })
    .sort();
}

describe('TSDB admin API (the real server)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let ws = '';
  const post = (path: string, form?: Record<string, string | string[]>): Promise<Response> => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form ?? {})) for (const x of [v].flat()) body.append(k, x);
    return signedFetch(amphora.address, 'POST', `/workspaces/${ws}/api/v1/admin/tsdb/${path}`, Buffer.from(body.toString()), { 'content-type': 'application/x-www-form-urlencoded' });
  };
  const sampleTimes = async (metric: string): Promise<number[]> => {
    const q = new URLSearchParams({ query: `${metric}[6h]`, time: String(NOW / 1000) });
    const r = await signedFetch(amphora.address, 'GET', `/workspaces/${ws}/api/v1/query?${q}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { data: { result: { values: [number, string][] }[] } };
    return body.data.result.flatMap((s) => s.values.map(([t]) => Math.round(t * 1000)));
  };

  beforeAll(async () => {
    amphora = await startTestAmphora();
    const amp = new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    ws = (await amp.send(new CreateWorkspaceCommand({ alias: 'admin' }))).workspaceId!;
    await new Promise((r) => setTimeout(r, 1100));
    const series = ['keep_me', 'drop_me'].map((name) => ({ labels: [['__name__', name], ['job', 'admin']] as [string, string][], samples: times.map((timestamp, k) => ({ timestamp, value: k })) }));
    const r = await signedFetch(amphora.address, 'POST', `/workspaces/${ws}/api/v1/remote_write`, compressSync(Buffer.from(encodeWriteRequestV1(series))), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
    });
    expect(r.status).toBe(204);
    await (await amphora.storage.get(ws)).compact();
    expect(listBlockDirs(amphora.storage.dirOf(ws)).length).toBeGreaterThan(0);
  }, 60_000);

  afterAll(async () => {
    await amphora?.stop();
  });

  it.skipIf(!HAVE_PROMTOOL)('snapshot: returns the name of a directory from which promtool dumps every sample (skip_head leaves the head out)', async () => {
    const r = await post('snapshot');
    expect(r.status).toBe(200);
    const { name } = ((await r.json()) as { data: { name: string } }).data;
    expect(name).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{16}$/);
    const dir = join(amphora.storage.dirOf(ws), 'snapshots', name);
    const dumped = promtoolDump(dir);
    const expected = ['drop_me', 'keep_me'].flatMap((m) => times.map((t) => `{__name__="${m}", job="admin"} ${t}`)).sort();
    expect(dumped).toEqual(expected);

    const blocksOnly = await post('snapshot', { skip_head: 'true' });
    const dir2 = join(amphora.storage.dirOf(ws), 'snapshots', ((await blocksOnly.json()) as { data: { name: string } }).data.name);
    const inBlocks = promtoolDump(dir2);
    expect(inBlocks.length).toBeGreaterThan(0);
    expect(inBlocks.length).toBeLessThan(expected.length);
    expect(listBlockDirs(dir2).map((d) => basename(d)).sort()).toEqual(listBlockDirs(amphora.storage.dirOf(ws)).map((d) => basename(d)).sort());
  });

  it('delete_series: deleted samples vanish from queries at once (blocks and head); others stay', async () => {
    for (const range of [OLD, RECENT]) {
      const r = await post('delete_series', { 'match[]': 'drop_me', start: String(range.start / 1000), end: String(range.end / 1000) });
      expect(r.status).toBe(204);
    }
    expect(await sampleTimes('drop_me')).toEqual(times.filter((t) => !deleted(t)));
    expect(await sampleTimes('keep_me')).toEqual(times);
  });

  it.skipIf(!HAVE_PROMTOOL)('clean_tombstones: the blocks promtool reads no longer hold the deleted samples', async () => {
    const r = await post('clean_tombstones');
    expect(r.status).toBe(204);
    const wsDir = amphora.storage.dirOf(ws);
    const copy = mkdtempSync(join(tmpdir(), 'amphora-admin-blocks-'));
    try {
      for (const b of listBlockDirs(wsDir)) cpSync(b, join(copy, basename(b)), { recursive: true });
      mkdirSync(join(copy, 'wal'));
      const dumped = promtoolDump(copy);
      const drop = dumped.filter((l) => l.startsWith('{__name__="drop_me"')).map((l) => Number(l.split(' ').at(-1)));
      const keep = dumped.filter((l) => l.startsWith('{__name__="keep_me"')).map((l) => Number(l.split(' ').at(-1)));
      expect(keep.length).toBeGreaterThan(60);
      expect(drop.length).toBeGreaterThan(0);
      expect(drop.filter(deleted)).toEqual([]);
      expect(drop).toEqual(keep.filter((t) => !deleted(t)));
      for (const b of listBlockDirs(wsDir)) expect(existsSync(join(b, 'tombstones'))).toBe(true);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    // Still gone from queries after the rewrite.
    expect(await sampleTimes('drop_me')).toEqual(times.filter((t) => !deleted(t)));
  });

  it('bad input: clear Prometheus-shaped errors, nothing deleted', async () => {
    const cases: [string, Record<string, string | string[]> | undefined, string][] = [
      ['delete_series', undefined, 'no match[] parameter provided'],
      ['delete_series', { 'match[]': '{}' }, 'at least one non-empty matcher'],
      ['delete_series', { 'match[]': 'keep_me{' }, ''],
      ['delete_series', { 'match[]': 'keep_me', start: 'yesterday' }, "Invalid time value for 'start'"],
      ['snapshot', { skip_head: 'maybe' }, "unable to parse boolean 'skip_head' argument"],
    ];
    for (const [path, form, message] of cases) {
      const r = await post(path, form);
      expect(r.status, `${path} ${JSON.stringify(form)}`).toBe(400);
      const body = (await r.json()) as { status: string; errorType: string; error: string };
      expect(body).toMatchObject({ status: 'error', errorType: 'bad_data' });
      expect(body.error).toContain(message);
    }
    expect(await sampleTimes('keep_me')).toEqual(times);
    const unknown = await signedFetch(amphora.address, 'POST', '/workspaces/ws-00000000-0000-0000-0000-000000000000/api/v1/admin/tsdb/snapshot');
    expect(unknown.status).toBe(404);
  });
});
