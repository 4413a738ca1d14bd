import { describe, expect, it } from 'vitest';
import { openMetaDB } from '../metadb/metadb.js';
import { sqliteElectionStore } from './store.js';
import { HATracker, memoryElectionStore, type Election } from './tracker.js';

const T = { failoverTimeoutMs: 30_000, updateTimeoutMs: 15_000, forgetAfterMs: 1_800_000 };

describe('HATracker', () => {
  it('elects the first replica, dedupes the other until the failover timeout, then fails over', () => {
    const changes: [string, string | null][] = [];
    const tr = new HATracker(T, memoryElectionStore(), { elected: (e, prev) => changes.push([e.replica, prev]) });
    expect(tr.check('w', 'c', 'a', 0, 0)).toEqual({ kind: 'accept' });
    expect(tr.check('w', 'c', 'b', 1_000, 0)).toEqual({ kind: 'dedupe', elected: 'a' });
    expect(tr.check('w', 'c', 'a', 10_000, 0)).toEqual({ kind: 'accept' });
    // a was last seen at 10 s: b is still refused just before 40 s and elected at 40 s.
    expect(tr.check('w', 'c', 'b', 39_999, 0)).toEqual({ kind: 'dedupe', elected: 'a' });
    expect(tr.check('w', 'c', 'b', 40_000, 0)).toEqual({ kind: 'accept' });
    expect(tr.check('w', 'c', 'a', 40_001, 0)).toEqual({ kind: 'dedupe', elected: 'b' });
    expect(changes).toEqual([['a', null], ['b', 'a']]);
  });

  it('keeps clusters and workspaces apart', () => {
    const tr = new HATracker(T, memoryElectionStore());
    expect(tr.check('w1', 'c', 'a', 0, 0).kind).toBe('accept');
    expect(tr.check('w2', 'c', 'b', 0, 0).kind).toBe('accept');
    expect(tr.check('w1', 'd', 'b', 0, 0).kind).toBe('accept');
    expect(tr.check('w1', 'c', 'b', 0, 0).kind).toBe('dedupe');
  });

  it('refuses a new cluster over the limit, until a silent cluster is forgotten', () => {
    const tr = new HATracker(T, memoryElectionStore());
    expect(tr.check('w', 'c1', 'a', 0, 2).kind).toBe('accept');
    expect(tr.check('w', 'c2', 'a', 0, 2).kind).toBe('accept');
    expect(tr.check('w', 'c3', 'a', 1_000, 2)).toEqual({ kind: 'too_many_clusters', limit: 2 });
    expect(tr.check('w', 'c1', 'a', 1_000, 2).kind).toBe('accept');
    expect(tr.check('w', 'c3', 'a', 1_800_500, 2).kind).toBe('accept'); // c2 silent for 30 min
    expect(tr.elected('w', 'c2')).toBeNull();
  });

  it('writes the elected replica through to the store at most every updateTimeout, and loads it back', () => {
    const store = memoryElectionStore();
    const puts: Election[] = [];
    const spy = { ...store, put: (e: Election) => (puts.push(e), store.put(e)) };
    const tr = new HATracker(T, spy);
    tr.check('w', 'c', 'a', 0, 0);
    tr.check('w', 'c', 'a', 5_000, 0);
    tr.check('w', 'c', 'a', 15_000, 0);
    expect(puts.map((p) => p.receivedAt)).toEqual([0, 15_000]);
    const again = new HATracker(T, store);
    expect(again.check('w', 'c', 'b', 20_000, 0)).toEqual({ kind: 'dedupe', elected: 'a' });
    expect(again.check('w', 'c', 'b', 45_000, 0)).toEqual({ kind: 'accept' });
  });

  it('refuses a failover timeout not above the update timeout', () => {
    expect(() => new HATracker({ ...T, failoverTimeoutMs: 15_000 }, memoryElectionStore())).toThrow(/must be greater than ha.updateTimeout/);
  });
});

describe('sqliteElectionStore', () => {
  it('persists elections across reopenings of the metadata database', () => {
    const db = openMetaDB(':memory:');
    const s = sqliteElectionStore(db);
    s.put({ workspaceId: 'w', cluster: 'c', replica: 'a', receivedAt: 1 });
    s.put({ workspaceId: 'w', cluster: 'c', replica: 'b', receivedAt: 2 });
    s.put({ workspaceId: 'w2', cluster: 'c', replica: 'x', receivedAt: 3 });
    const s2 = sqliteElectionStore(db); // migration already applied: a no-op
    expect(s2.loadAll().sort((x, y) => x.receivedAt - y.receivedAt)).toEqual([
      { workspaceId: 'w', cluster: 'c', replica: 'b', receivedAt: 2 },
      { workspaceId: 'w2', cluster: 'c', replica: 'x', receivedAt: 3 },
    ]);
    s2.deleteWorkspace('w2');
    s2.delete('w', 'c');
    expect(s2.loadAll()).toEqual([]);
  });
});
