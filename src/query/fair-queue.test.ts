import { describe, expect, it } from 'vitest';
import { FairQueue, QueueFullError } from './fair-queue.js';

/** run pushes [workspace, item] pairs, then takes `take` items (releasing none) and returns them in order. */
function order(cap: number, pushes: [string, string][], take: number, running: string[] = []): string[] {
  const q = new FairQueue<string>({ maxQueuedPerWorkspace: 100, maxRunningPerWorkspace: cap });
  for (const ws of running) {
    q.push(ws, 'pre');
    q.next();
  }
  for (const [ws, item] of pushes) q.push(ws, item);
  const out: string[] = [];
  for (let i = 0; i < take; i++) out.push(q.next()?.item ?? '-');
  return out;
}

describe('FairQueue', () => {
  it.each([
    ['one workspace is first-in first-out', 2, [['A', 'a1'], ['A', 'a2'], ['A', 'a3']], 3, [], ['a1', 'a2', 'a3']],
    ['workspaces alternate', 9, [['A', 'a1'], ['A', 'a2'], ['A', 'a3'], ['B', 'b1'], ['B', 'b2']], 5, [], ['a1', 'b1', 'a2', 'b2', 'a3']],
    ['a workspace at its cap is passed over while another waits', 1, [['A', 'a1'], ['B', 'b1']], 2, ['A'], ['b1', 'a1']],
    ['a workspace at its cap still runs when nobody else waits', 1, [['A', 'a1']], 1, ['A'], ['a1']],
    ['an empty queue yields nothing', 1, [], 1, [], ['-']],
  ] as [string, number, [string, string][], number, string[], string[]][])('%s', (_name, cap, pushes, take, running, want) => {
    expect(order(cap, pushes, take, running)).toEqual(want);
  });

  it('bounds each workspace’s queue and names the limit', () => {
    const q = new FairQueue<number>({ maxQueuedPerWorkspace: 2, maxRunningPerWorkspace: 1 });
    q.push('A', 1);
    q.push('A', 2);
    expect(() => q.push('A', 3)).toThrow(QueueFullError);
    expect(() => q.push('A', 3)).toThrow(/maxQueuedPerWorkspace/);
    q.push('B', 1);
    expect(q.depths()).toEqual(new Map([['A', 2], ['B', 1]]));
    expect(q.size).toBe(3);
  });

  it('removes queued items and frees running slots', () => {
    const q = new FairQueue<number>({ maxQueuedPerWorkspace: 5, maxRunningPerWorkspace: 1 });
    q.push('A', 1);
    q.push('A', 2);
    q.push('B', 3);
    expect(q.remove('A', 1)).toBe(true);
    expect(q.remove('A', 1)).toBe(false);
    expect(q.next()).toEqual({ workspaceId: 'A', item: 2 });
    q.push('A', 4);
    expect(q.next()).toEqual({ workspaceId: 'B', item: 3 });
    q.done('A');
    expect(q.next()).toEqual({ workspaceId: 'A', item: 4 });
    expect(q.next()).toBeNull();
  });
});
