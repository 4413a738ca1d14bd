import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import { isStorageError } from '../storage/errors.js';
import { SNAPSHOTS_DIR, TSDBAdmin, snapshotName } from './admin.js';
import { TSDB } from './db.js';
import { Cleanups } from './test-dirs.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);

async function openWithData(): Promise<TSDB> {
  const db = await TSDB.open(cleanups.tempDir(), { compactionInterval: 0, sync: false });
  cleanups.add(() => db.close());
  const app = db.appender();
  for (let k = 0; k < 10; k++) app.append(0, labelsFromRecord({ __name__: 'm', i: String(k % 2) }), 1000 * k, k);
  await app.commit();
  return db;
}

describe('TSDBAdmin', () => {
  it("names snapshots as Prometheus: UTC time and 16 hex digits of a 63-bit number", () => {
    expect(snapshotName(Date.UTC(2017, 11, 10, 21, 12, 24), Buffer.from('ffeeddccbbaa9988', 'hex'))).toBe('20171210T211224Z-7feeddccbbaa9988');
    expect(snapshotName(Date.now())).toMatch(/^\d{8}T\d{6}Z-[0-7][0-9a-f]{15}$/);
  });

  it('writes a snapshot under the TSDB dir, with an empty wal/ for promtool', async () => {
    const db = await openWithData();
    const s = await new TSDBAdmin(db).snapshot({ skipHead: false });
    expect(s.dir).toBe(join(db.dir, SNAPSHOTS_DIR, s.name));
    expect(readdirSync(s.dir).sort()).toHaveLength(2);
    expect(existsSync(join(s.dir, 'wal'))).toBe(true);
    const copy = await TSDB.open(s.dir, { compactionInterval: 0, sync: false });
    cleanups.add(() => copy.close());
    expect(copy.blockMetas().reduce((n, m) => n + m.stats.numSamples, 0)).toBe(10);
  });

  it('a failed snapshot leaves nothing behind and the TSDB keeps serving', async () => {
    const db = await openWithData();
    writeFileSync(join(db.dir, SNAPSHOTS_DIR), 'not a directory');
    const err = await new TSDBAdmin(db).snapshot({ skipHead: false }).catch((e: unknown) => e);
    expect(isStorageError(err, 'io')).toBe(true);
    expect((err as Error).message).toContain('create snapshot');
    const app = db.appender();
    app.append(0, labelsFromRecord({ __name__: 'm', i: '0' }), 20_000, 1);
    await app.commit();
    expect(db.headSummary().maxTime).toBe(20_000);
  });

  it('deleteSeries applies every matcher set and counts the series', async () => {
    const db = await openWithData();
    const admin = new TSDBAdmin(db);
    expect(await admin.deleteSeries(0, 4000, [[newMatcher('=', 'i', '0')], [newMatcher('=', 'i', '1')]])).toBe(2);
    expect(await admin.deleteSeries(0, 4000, [[newMatcher('=', 'i', 'none')]])).toBe(0);
  });
});
