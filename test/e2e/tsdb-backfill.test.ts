// Backfill against the real server: blocks made by `promtool tsdb create-blocks-from openmetrics`
// uploaded with the CLI's signed upload, overlapping blocks compacted vertically, and bad uploads
// (truncated, path traversal, corrupt, oversize, from the future, beyond retention) refused whole.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadBlockDir } from '../../src/cli/tsdb-upload.js';
import { labelsFromRecord } from '../../src/model/labels.js';
import { listBlockDirs } from '../../src/tsdb/block-dirs.js';
import { writeBlock } from '../../src/tsdb/block/writer.js';
import { blockDirMembers, writeTar, type TarMember } from '../../src/tsdb/backfill/tar-writer.js';
import { ENCODING_XOR, chunkFromSamples } from '../../src/tsdb/chunkenc/xor.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

const HAVE_PROMTOOL = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;
if (!HAVE_PROMTOOL) console.warn('skipping the backfill test: promtool is not on PATH');

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Two days ago, aligned to 2h so promtool's blocks are predictable.
const T0 = Math.floor((Date.now() - 2 * DAY) / (2 * HOUR)) * (2 * HOUR);

/** openMetrics renders one gauge's samples (ms timestamps) as an OpenMetrics file. */
function openMetrics(name: string, series: { labels: Record<string, string>; samples: [number, number][] }[]): string {
  const lines = [`# HELP ${name} backfill test`, `# TYPE ${name} gauge`];
  for (const s of series) {
    const l = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',');
    for (const [t, v] of s.samples) lines.push(`${name}{${l}} ${v} ${t / 1000}`);
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

/** promtoolBlocks runs promtool create-blocks-from openmetrics and returns the block dirs it made. */
function promtoolBlocks(work: string, name: string, text: string): string[] {
  const input = join(work, `${name}.om`);
  const out = join(work, name);
  writeFileSync(input, text);
  const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, out], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return listBlockDirs(out);
}

const minutes = (from: number, n: number, value: (k: number) => number): [number, number][] => Array.from({ length: n }, (_, k) => [from + k * MIN, value(k)]);

describe.skipIf(!HAVE_PROMTOOL)('block upload (the real server, promtool-made blocks)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let ws = '';
  let work = '';
  const env = { AWS_ACCESS_KEY_ID: ROOT.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey };
  const upload = (dir: string): Promise<string> => uploadBlockDir({ url: amphora.address, workspace: ws, blockDir: dir, region: 'us-east-1', env });
  const uploadTar = (body: Buffer): Promise<Response> =>
    signedFetch(amphora.address, 'POST', `/workspaces/${ws}/api/v1/admin/tsdb/blocks`, body, { 'content-type': 'application/x-tar' });
  const values = async (query: string, at: number): Promise<Record<string, [number, number][]>> => {
    const r = await signedFetch(amphora.address, 'GET', `/workspaces/${ws}/api/v1/query?${new URLSearchParams({ query, time: String(at / 1000) })}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
    return Object.fromEntries(body.data.result.map((s) => [s.metric['i']!, s.values.map(([t, v]) => [Math.round(t * 1000), Number(v)] as [number, number])]));
  };
  const blockNames = (): string[] => listBlockDirs(amphora.storage.dirOf(ws)).sort();
  const leftovers = (): string[] => readdirSync(amphora.storage.dirOf(ws)).filter((n) => n.endsWith('.tmp'));

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'amphora-backfill-'));
    amphora = await startTestAmphora();
    const amp = new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    ws = (await amp.send(new CreateWorkspaceCommand({ alias: 'backfill' }))).workspaceId!;
    await new Promise((r) => setTimeout(r, 1100));
  }, 60_000);

  afterAll(async () => {
    await amphora?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a promtool-made block uploaded with the CLI answers queries', async () => {
    const a = minutes(T0, 90, (k) => k);
    const b = minutes(T0, 90, (k) => 1000 + k);
    const dirs = promtoolBlocks(work, 'first', openMetrics('backfilled', [{ labels: { i: 'a' }, samples: a }, { labels: { i: 'b' }, samples: b }]));
    expect(dirs).toHaveLength(1);
    const answer = JSON.parse(await upload(dirs[0]!)) as { status: string; data: { ulid: string; numSamples: number } };
    expect(answer).toMatchObject({ status: 'success', data: { numSamples: 180 } });
    expect(existsSync(join(amphora.storage.dirOf(ws), answer.data.ulid, 'index'))).toBe(true);
    expect(await values('backfilled[2h]', T0 + 2 * HOUR - 1)).toEqual({ a, b });
  });

  it('an overlapping block is merged into the existing one by vertical compaction', async () => {
    const a2 = minutes(T0 + 90 * MIN, 20, (k) => 90 + k);
    const c = minutes(T0, 30, (k) => -1 - k);
    const dirs = promtoolBlocks(work, 'second', openMetrics('backfilled', [{ labels: { i: 'a' }, samples: a2 }, { labels: { i: 'c' }, samples: c }]));
    await upload(dirs[0]!);
    await (await amphora.storage.get(ws)).compact();
    const blocks = (await amphora.storage.get(ws)).blockMetas();
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.stats.numSamples).toBe(180 + 20 + 30);
    const got = await values('backfilled[2h]', T0 + 2 * HOUR - 1);
    expect(got['a']).toEqual(minutes(T0, 110, (k) => k));
    expect(got['c']).toEqual(c);
  });

  it('refuses bad uploads with a clear 400 and leaves the workspace as it was', async () => {
    const before = blockNames();
    const good = promtoolBlocks(work, 'third', openMetrics('other', [{ labels: { i: 'x' }, samples: minutes(T0 - DAY, 10, (k) => k) }]))[0]!;
    const ulid = good.split('/').at(-1)!;
    const goodTar = Buffer.concat([...writeTar(blockDirMembers(good, ulid))]);
    const members = [...blockDirMembers(good, ulid)];
    const tarOf = (ms: TarMember[]): Buffer => Buffer.concat([...writeTar(ms)]);
    const withIndex = (mutate: (b: Buffer) => Buffer): Buffer =>
      tarOf(members.map((m) => (m.kind === 'file' && m.path.endsWith('/index') ? { ...m, data: mutate(Buffer.from(m.data)) } : m)));
    const oversize = Buffer.from(tarOf([{ kind: 'file', path: `${ulid}/index`, data: Buffer.alloc(0) }]));
    oversize.write(`${(300 * 1024 * 1024).toString(8).padStart(11, '0')}\0`, 124, 'ascii');
    let sum = 0;
    oversize.write('        ', 148, 'ascii');
    for (let i = 0; i < 512; i++) sum += oversize[i]!;
    oversize.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    const futureDir = join(work, 'future');
    const now = Date.now();
    const fts = [now + HOUR, now + HOUR + MIN];
    const oldTs = [now - 200 * DAY, now - 200 * DAY + MIN];
    const blockOf = async (ts: number[]): Promise<string> => {
      const m = await writeBlock(futureDir, {
        mint: ts[0]!,
        maxt: ts[1]! + 1,
        series: [{ labels: labelsFromRecord({ __name__: 'odd', i: 'z' }), chunks: [{ mint: ts[0]!, maxt: ts[1]!, encoding: ENCODING_XOR, data: chunkFromSamples(ts, [1, 2]).bytes().slice() }] }],
      });
      return join(futureDir, m.ulid);
    };
    const future = await blockOf(fts);
    const old = await blockOf(oldTs);
    const cases: [string, Buffer, string][] = [
      ['truncated', goodTar.subarray(0, Math.floor(goodTar.length / 2)), 'truncated'],
      ['not a tar', Buffer.from('hello, this is not a tar stream'.repeat(40)), 'tar'],
      ['path traversal', tarOf([...members.slice(0, -1), { kind: 'file', path: '../../evil', data: Buffer.from('x') }]), '".." would leave the block directory'],
      ['absolute path', tarOf([{ kind: 'file', path: '/etc/evil', data: Buffer.from('x') }]), 'absolute paths are not allowed'],
      ['stray file', tarOf([...members, { kind: 'file', path: `${ulid}/notes.txt`, data: Buffer.from('x') }]), 'is not part of a Prometheus block'],
      ['corrupt index', withIndex((b) => {
        b[b.length - 10] = b[b.length - 10]! ^ 0xff;
        return b;
      }), 'corrupt'],
      ['truncated index', withIndex((b) => b.subarray(0, b.length - 100)), 'corrupt'],
      ['no meta.json', tarOf(members.filter((m) => !m.path.endsWith('meta.json'))), 'no meta.json'],
      ['oversize member', oversize, 'over the 268435456-byte limit'],
      ['from the future', Buffer.concat([...writeTar(blockDirMembers(future, future.split('/').at(-1)!))]), 'from the future'],
      ['beyond retention', Buffer.concat([...writeTar(blockDirMembers(old, old.split('/').at(-1)!))]), 'beyond the workspace\'s retention'],
    ];
    for (const [what, body, message] of cases) {
      const r = await uploadTar(body);
      const answer = (await r.json()) as { status: string; errorType: string; error: string };
      expect(r.status, `${what}: ${answer.error}`).toBe(400);
      expect(answer.errorType).toBe('bad_data');
      expect(answer.error, what).toContain(message);
      expect(blockNames(), what).toEqual(before);
      expect(leftovers(), what).toEqual([]);
    }
    expect(existsSync(join(amphora.storage.dirOf(ws), '..', 'evil'))).toBe(false);
    // The good block goes in once; a second upload of it is refused.
    expect((await uploadTar(goodTar)).status).toBe(200);
    const again = await uploadTar(goodTar);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toContain('already exists');
    expect(Object.keys(await values('backfilled[2h]', T0 + 2 * HOUR - 1)).sort()).toEqual(['a', 'b', 'c']);
    expect(readFileSync(join(amphora.storage.dirOf(ws), ulid, 'meta.json'), 'utf8')).toContain(ulid);
  });
});
