import { describe, expect, it } from 'vitest';
import { MemPostings } from './postings.js';

describe('MemPostings.add interning', () => {
  it('adopts the first Label object of a pair, returns interned labels, and keeps the caller array when it is already interned', () => {
    const p = new MemPostings();
    const job = { name: 'job', value: 'a' };
    const first = [{ name: '__name__', value: 'up' }, job];
    expect(p.add(1, first)).toBe(first);
    // Equal labels in fresh objects come back as the interned ones.
    const second = [{ name: '__name__', value: 'up' }, { name: 'job', value: 'a' }, { name: 'x', value: '1' }];
    const got = p.add(2, second);
    expect(got).not.toBe(second);
    expect(got[0]).toBe(first[0]);
    expect(got[1]).toBe(job);
    expect(got[2]).toBe(second[2]);
    // Labels made of the interned objects (as the remote-write label cache hands out) are kept as they are.
    const third = [first[0]!, job, second[2]!];
    expect(p.add(3, third)).toBe(third);
    expect([...p.postings('job', 'a')]).toEqual([1, 2, 3]);
    expect([...p.postings('x', '1')]).toEqual([2, 3]);
  });
});
