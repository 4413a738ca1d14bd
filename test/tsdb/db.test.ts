import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord, type Labels } from '../../src/model/labels.js';
import { newMatcher, type Matcher } from '../../src/model/matcher.js';
import { STALE_NAN, isStaleNaN } from '../../src/model/sample.js';
import { TSDB } from '../../src/tsdb/db.js';
import { WorkspaceStorage } from '../../src/tsdb/workspaces.js';

const HOUR = 3_600_000;
const dirs: string[] = [];
const open: TSDB[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'amphora-db-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function openDB(dir: string, extra: Parameters<typeof TSDB.open>[1] = {}): Promise<TSDB> {
  const db = await TSDB.open(dir, { compactionInterval: 0, sync: false, ...extra });
  open.push(db);
  return db;
}

/** ingest writes one sample per series every stepMs over [from, to). */
async function ingest(db: TSDB, series: Labels[], from: number, to: number, stepMs: number, value = (s: number, t: number) => s * 1000 + t / 1000): Promise<number> {
  let n = 0;
  const refs = new Array<number>(series.length).fill(0);
  for (let t = from; t < to; t += stepMs) {
    const app = db.appender();
    series.forEach((l, i) => {
      refs[i] = app.append(refs[i]!, l, t, value(i, t));
      n++;
    });
    await app.commit();
  }
  return n;
}

function read(db: TSDB, matchers: Matcher[], mint = -Infinity, maxt = Infinity): Map<string, [number, number][]> {
  const q = db.querier(mint, maxt);
  const set = q.select(true, undefined, matchers);
  const out = new Map<string, [number, number][]>();
  while (set.next()) {
    const s = set.at();
    const pts: [number, number][] = [];
    const it = s.iterator();
    while (it.next()) pts.push([it.atT(), it.atV()]);
    out.set(s.labels.map((l) => `${l.name}=${l.value}`).join(','), pts);
  }
  q.close();
  return out;
}

const series = (n: number) => Array.from({ length: n }, (_, i) => labelsFromRecord({ __name__: 'm', i: String(i), job: i % 2 ? 'odd' : 'even' }));
const NAME = [newMatcher('=', '__name__', 'm')];

describe('TSDB', () => {
  it('cuts the head into 2h blocks once it spans 3h, and reads across head and blocks', async () => {
    const dir = tmp();
    const db = await openDB(dir);
    const n = await ingest(db, series(10), 0, 4 * HOUR, 60_000);
    await db.compact();
    const metas = db.blockMetas();
    expect(metas.length).toBeGreaterThanOrEqual(1);
    expect(metas[0]!.minTime).toBe(0);
    expect(metas[0]!.maxTime).toBe(2 * HOUR);
    const got = read(db, NAME);
    let total = 0;
    for (const pts of got.values()) total += pts.length;
    expect(total).toBe(n);
    const s3 = got.get('__name__=m,i=3,job=odd')!;
    expect(s3[0]).toEqual([0, 3000]);
    expect(s3.at(-1)).toEqual([4 * HOUR - 60_000, 3000 + (4 * HOUR - 60_000) / 1000]);
    // ordered strictly by time across the block boundary
    for (let i = 1; i < s3.length; i++) expect(s3[i]![0]).toBeGreaterThan(s3[i - 1]![0]);
  });

  it('rejects samples older than the cut blocks as out of bounds', async () => {
    const db = await openDB(tmp());
    await ingest(db, series(2), 0, 4 * HOUR, 60_000);
    await db.compact();
    const app = db.appender();
    expect(() => app.append(0, series(1)[0]!, 60_000, 1)).toThrow(/out of bounds/);
    app.rollback();
  });

  it('survives a restart: blocks reloaded, head replayed from the WAL', async () => {
    const dir = tmp();
    const db = await openDB(dir);
    await ingest(db, series(5), 0, 4 * HOUR, 60_000);
    await db.compact();
    const before = read(db, NAME);
    await db.close();
    open.pop();
    const again = await openDB(dir);
    expect(read(again, NAME)).toEqual(before);
  });

  it('keeps stale markers', async () => {
    const db = await openDB(tmp());
    const app = db.appender();
    const l = series(1)[0]!;
    app.append(0, l, 1000, 1);
    app.append(0, l, 2000, STALE_NAN);
    await app.commit();
    const pts = [...read(db, NAME).values()][0]!;
    expect(pts[0]).toEqual([1000, 1]);
    expect(isStaleNaN(pts[1]![1])).toBe(true);
  });

  it('compacts adjacent blocks into larger ranges and applies retention', async () => {
    const db = await openDB(tmp(), { retention: () => 1000 * HOUR });
    await ingest(db, series(3), 0, 16 * HOUR, 5 * 60_000);
    await db.compact();
    const metas = db.blockMetas();
    expect(metas.some((m) => m.maxTime - m.minTime === 6 * HOUR && m.compaction.level >= 2)).toBe(true);
    const pts = read(db, NAME);
    for (const v of pts.values()) expect(v.length).toBe((16 * HOUR) / (5 * 60_000));
  });

  it('deletes blocks beyond retention', async () => {
    const db = await openDB(tmp(), { retention: () => 4 * HOUR });
    await ingest(db, series(2), 0, 12 * HOUR, 10 * 60_000);
    await db.compact();
    expect(Math.min(...db.blockMetas().map((m) => m.minTime))).toBeGreaterThanOrEqual(4 * HOUR);
  });

  it('honours deletions in head and blocks, and clean tombstones removes the data', async () => {
    const db = await openDB(tmp());
    await ingest(db, series(4), 0, 4 * HOUR, 60_000);
    await db.compact();
    await db.deleteSeries(HOUR, 3 * HOUR, [newMatcher('=', 'job', 'odd')]);
    const check = () => {
      const got = read(db, NAME);
      for (const [k, pts] of got) {
        const deleted = pts.filter(([t]) => t >= HOUR && t <= 3 * HOUR);
        expect(deleted.length > 0, k).toBe(k.includes('job=even'));
      }
    };
    check();
    await db.cleanTombstones();
    check();
  });

  it('applies head deletions when the head is cut into a block (the data is gone, not tombstoned)', async () => {
    const db = await openDB(tmp());
    await ingest(db, series(4), 0, 2 * HOUR, 60_000);
    await db.deleteSeries(HOUR / 2, HOUR, [newMatcher('=', 'job', 'odd')]);
    await ingest(db, series(4), 2 * HOUR, 4 * HOUR, 60_000);
    await db.compact();
    const first = db.blockMetas().find((m) => m.minTime === 0);
    expect(first).toBeDefined();
    expect(first!.stats.numTombstones ?? 0).toBe(0);
    for (const [k, pts] of read(db, NAME, 0, 2 * HOUR - 1)) {
      const deleted = pts.filter(([t]) => t >= HOUR / 2 && t <= HOUR);
      expect(deleted.length > 0, k).toBe(k.includes('job=even'));
    }
  });

  it('writes a snapshot with the head as a block', async () => {
    const db = await openDB(tmp());
    await ingest(db, series(3), 0, 4 * HOUR, 60_000);
    await db.compact();
    const snap = join(tmp(), 'snap');
    await db.snapshot(snap, true);
    const copy = await openDB(snap);
    expect(read(copy, NAME)).toEqual(read(db, NAME));
  });

  it('reports a corrupt block and serves the rest', async () => {
    const dir = tmp();
    const db = await openDB(dir);
    await ingest(db, series(3), 0, 4 * HOUR, 60_000);
    await db.compact();
    const ulid = db.blockMetas()[0]!.ulid;
    await db.close();
    open.pop();
    const chunk = join(dir, ulid, 'chunks', '000001');
    const bytes = readFileSync(chunk);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(chunk, bytes);
    const index = join(dir, ulid, 'index');
    const ib = readFileSync(index);
    ib[20] ^= 0xff;
    writeFileSync(index, ib);
    const again = await openDB(dir);
    expect(again.corrupt().map((c) => c.dir)).toEqual([join(dir, ulid)]);
    const q = again.querier(-Infinity, Infinity);
    const set = q.select(false, undefined, NAME);
    let n = 0;
    while (set.next()) n++;
    expect(n).toBe(3);
    expect(set.warnings().join()).toContain(ulid);
  });

  it('keeps workspaces apart and deletes one with its data', async () => {
    const dataDir = tmp();
    const ws = new WorkspaceStorage({ dataDir, settings: () => ({ retention: 1e12, outOfOrderWindow: 0 }), tsdb: { compactionInterval: 0, sync: false } });
    const a = await ws.get('ws-a');
    const b = await ws.get('ws-b');
    expect(await ws.get('ws-a')).toBe(a);
    await ingest(a, series(2), 0, 60_000, 10_000);
    expect(read(b, NAME).size).toBe(0);
    expect(read(a, NAME).size).toBe(2);
    await ws.delete('ws-a');
    expect(existsSync(join(dataDir, 'workspaces', 'ws-a'))).toBe(false);
    expect(readdirSync(join(dataDir, 'workspaces'))).toEqual(['ws-b']);
    expect(() => ws.dirOf('../etc')).toThrow(/invalid workspace id/);
    await ws.closeAll();
  });
});
