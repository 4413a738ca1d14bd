import { describe, expect, it } from 'vitest';
import { PendingBodies } from './pending.js';

describe('PendingBodies', () => {
  it('bounds unauthenticated bodies per source and in total, admitting one body when none is pending, and releases once', () => {
    const p = new PendingBodies({ perSourceBytes: 100, totalBytes: 250, perSourceRequests: 3, totalRequests: 5 });
    const a1 = p.admit('a', 60)!;
    expect(a1).not.toBeNull();
    expect(p.admit('a', 60)).toBeNull(); // 120 > 100 per source
    const a2 = p.admit('a', 40)!;
    expect(p.inUse('a')).toEqual({ bytes: 100, requests: 2 });
    expect(p.admit('b', 1000)).toBeNull(); // the total holds for every source (1100 > 250)
    const c = p.admit('c', 10)!;
    expect(c).not.toBeNull();
    a1();
    a1(); // idempotent
    expect(p.inUse('a')).toEqual({ bytes: 40, requests: 1 });
    a2();
    c();
    expect(p.inUse('a')).toEqual({ bytes: 0, requests: 0 });
    expect(p.inUse()).toEqual({ bytes: 0, requests: 0 });
    const big = p.admit('b', 1000); // with nothing pending, one body is admitted whatever its size (its route's limit bounds it)
    expect(big).not.toBeNull();
    expect(p.admit('d', 1)).toBeNull();
    const q = new PendingBodies({ perSourceBytes: 1e9, totalBytes: 1e9, perSourceRequests: 2, totalRequests: 3 });
    expect([q.admit('x', 1), q.admit('x', 1), q.admit('x', 1)].map((r) => r !== null)).toEqual([true, true, false]);
    expect([q.admit('y', 1), q.admit('z', 1)].map((r) => r !== null)).toEqual([true, false]);
  });
});
