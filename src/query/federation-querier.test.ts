import { describe, expect, it } from 'vitest';
import { getLabel, labelsFromRecord, labelsToString, type Labels } from '../model/labels.js';
import { newMatcher, type Matcher } from '../model/matcher.js';
import type { Queryable } from '../storage/interface.js';
import { sampleIteratorFromArrays } from '../storage/merge/array-iterator.js';
import { seriesSetFromArray } from '../storage/series.js';
import { federatedQueryable, withWorkspace } from './federation-querier.js';

/** memQueryable is a plain in-memory Queryable over label sets with one sample each. */
function memQueryable(records: Record<string, string>[]): Queryable & { selects: number } {
  const all = records.map((r) => labelsFromRecord(r));
  const match = (ms: readonly Matcher[]) => all.filter((ls) => ms.every((m) => m.matches(getLabel(ls, m.name))));
  const self = {
    selects: 0,
    querier: () => ({
      select: (_sorted: boolean, _h: unknown, ms: readonly Matcher[]) => {
        self.selects++;
        return seriesSetFromArray(match(ms).map((labels) => ({ labels, iterator: () => sampleIteratorFromArrays([1000], [1]) })), ['w']);
      },
      labelNames: (ms: readonly Matcher[]) => [...new Set(match(ms).flatMap((ls) => ls.map((l) => l.name)))].sort(),
      labelValues: (name: string, ms: readonly Matcher[]) => [...new Set(match(ms).map((ls) => getLabel(ls, name)).filter((v) => v !== ''))].sort(),
      close: () => {},
    }),
  };
  return self;
}

const A = memQueryable([{ __name__: 'up', job: 'a' }, { __name__: 'up', job: 'b', Zone: 'z' }]);
const B = memQueryable([{ __name__: 'up', job: 'a' }, { __name__: 'other', __workspace_id__: 'inner' }]);
const fq = federatedQueryable([
  { workspaceId: 'ws-a', queryable: A },
  { workspaceId: 'ws-b', queryable: B },
]);

const names = (ls: Labels[]) => ls.map(labelsToString);
function select(ms: Matcher[], sorted = true): Labels[] {
  const q = fq.querier(0, 10_000);
  const set = q.select(sorted, undefined, ms);
  const out: Labels[] = [];
  while (set.next()) out.push(set.at().labels);
  q.close();
  return out;
}

describe('federatedQueryable', () => {
  it('unions the workspaces and adds __workspace_id__ to every series, sorted', () => {
    // Sorted as Prometheus sorts label sets: "Zone" < "__name__".
    expect(names(select([newMatcher('=', '__name__', 'up')]))).toEqual([
      'up{Zone="z", __workspace_id__="ws-a", job="b"}',
      'up{__workspace_id__="ws-a", job="a"}',
      'up{__workspace_id__="ws-b", job="a"}',
    ]);
  });

  it('picks workspaces by matchers on __workspace_id__ without passing them down', () => {
    const selectsB = B.selects;
    expect(names(select([newMatcher('=', '__name__', 'up'), newMatcher('=', '__workspace_id__', 'ws-a')]))).toEqual([
      'up{Zone="z", __workspace_id__="ws-a", job="b"}',
      'up{__workspace_id__="ws-a", job="a"}',
    ]);
    expect(B.selects).toBe(selectsB);
    expect(select([newMatcher('=~', '__workspace_id__', 'ws-.*'), newMatcher('=', 'job', 'a')])).toHaveLength(2);
    expect(select([newMatcher('=', '__workspace_id__', 'ws-a')])).toEqual([]);
  });

  it("renames a stored __workspace_id__ label to original___workspace_id__", () => {
    expect(names(select([newMatcher('=', '__name__', 'other')]))).toEqual(['other{__workspace_id__="ws-b", original___workspace_id__="inner"}']);
    expect(withWorkspace(labelsFromRecord({ a: '1' }), 'w')).toEqual([{ name: '__workspace_id__', value: 'w' }, { name: 'a', value: '1' }]);
  });

  it('lists label names and values across workspaces, __workspace_id__ included', () => {
    const q = fq.querier(0, 10_000);
    expect(q.labelNames([newMatcher('=', '__name__', 'up')])).toEqual(['Zone', '__name__', '__workspace_id__', 'job']);
    expect(q.labelNames([newMatcher('=', '__name__', 'other')])).toEqual(['__name__', '__workspace_id__', 'original___workspace_id__']);
    expect(q.labelValues('job', [newMatcher('=', '__name__', 'up')])).toEqual(['a', 'b']);
    expect(q.labelValues('job', [newMatcher('=', '__workspace_id__', 'ws-b')])).toEqual(['a']);
    expect(q.labelValues('__workspace_id__', [])).toEqual(['ws-a', 'ws-b']);
    expect(q.labelValues('__workspace_id__', [newMatcher('=', '__name__', 'other')])).toEqual(['ws-b']);
    expect(q.labelValues('job', [], { limit: 1 })).toEqual(['a']);
    q.close();
  });

  it('prefixes member warnings with their workspace', () => {
    const q = fq.querier(0, 10_000);
    expect(q.select(false, undefined, [newMatcher('=', '__name__', 'up')]).warnings()).toEqual(['workspace ws-a: w', 'workspace ws-b: w']);
    q.close();
  });
});
