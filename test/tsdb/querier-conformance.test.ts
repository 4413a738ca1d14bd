import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { runQuerierConformance } from '../../src/storage/querier-conformance.js';
import { TSDB } from '../../src/tsdb/db.js';

const parent = mkdtempSync(join(tmpdir(), 'amphora-db-conf-'));
const dbs: TSDB[] = [];
afterAll(async () => {
  for (const db of dbs) await db.close();
  rmSync(parent, { recursive: true, force: true });
});

// 2-minute blocks over ~7 minutes of data: the DB answers from several blocks plus the head.
runQuerierConformance('TSDB (blocks + head)', async (data, mint, maxt) => {
  const db = await TSDB.open(mkdtempSync(join(parent, 'db-')), { blockRange: 120_000, compactionInterval: 0, sync: false });
  dbs.push(db);
  const app = db.appender();
  for (const s of data) {
    let ref = 0;
    for (const [t, v] of s.samples) ref = app.append(ref, s.labels, t, v);
  }
  await app.commit();
  await db.compact();
  if (data.length > 0) expect(db.blockMetas().length).toBeGreaterThan(0);
  return db.querier(mint, maxt);
});
