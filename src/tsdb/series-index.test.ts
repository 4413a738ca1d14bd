import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { TSDB } from './db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('TSDB.seriesIndex and headSummary (the storage seam over the head)', () => {
  it('answers the series index and head summary from the active series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amphora-seriesindex-'));
    dirs.push(dir);
    const db = await TSDB.open(dir);
    try {
      const a = labelsFromRecord({ __name__: 'up', job: 'a' });
      const b = labelsFromRecord({ __name__: 'up', job: 'b' });
      const c = labelsFromRecord({ __name__: 'down', job: 'a' });
      const app = db.appender();
      for (const [i, ls] of [a, b, c].entries()) app.append(0, ls, 1000 + i, i);
      await app.commit();
      const ix = db.seriesIndex();
      expect(ix).toBe(db.seriesIndex());
      expect(ix.numSeries()).toBe(3);
      expect(ix.exists(a)).toBe(true);
      expect(ix.exists(labelsFromRecord({ __name__: 'up' }))).toBe(false);
      expect(ix.refsMatching(labelsFromRecord({ job: 'a' }))).toHaveLength(2);
      expect(ix.refsMatching([])).toHaveLength(3);
      expect(ix.labelNames()).toEqual(['__name__', 'job']);
      expect(ix.labelValues('__name__')).toEqual(['down', 'up']);
      expect(ix.seriesCount('__name__', 'up')).toBe(2);
      expect(ix.seriesCount('job', 'c')).toBe(0);
      expect(db.headSummary()).toEqual({ numSeries: 3, numChunks: 3, minTime: 1000, maxTime: 1002 });
    } finally {
      await db.close();
    }
  });
});
