import { describe, expect, it } from 'vitest';
import { TopN } from './tsdb-status.js';

describe('TopN', () => {
  it('keeps the n largest values, ties by name, in output order, whatever the input order', () => {
    const rand = (() => {
      let x = 42;
      return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    })();
    for (const n of [1, 3, 10]) {
      const all = Array.from({ length: 200 }, (_, i) => ({ name: `k${String(i).padStart(3, '0')}`, value: Math.floor(rand() * 20) }));
      const top = new TopN(n);
      for (const s of all) if (top.wants(s.value)) top.push(s.name, s.value);
      const want = [...all].sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1)).slice(0, n);
      expect(top.get()).toEqual(want);
    }
  });
});
