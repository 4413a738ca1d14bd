import { describe, expect, it } from 'vitest';
import { Slicer } from './slicer.js';

describe('Slicer', () => {
  it('is due only after checkEvery units once sliceMs has passed, and pause lets waiting work run first', async () => {
    let now = 0;
    const s = new Slicer({ sliceMs: 5, checkEvery: 4, now: () => now });
    for (let i = 0; i < 8; i++) expect(s.due()).toBe(false); // clock read every 4th unit, still within the slice
    now = 5;
    expect([s.due(), s.due(), s.due(), s.due()]).toEqual([false, false, false, true]);
    let ran = false;
    setImmediate(() => (ran = true));
    await s.pause();
    expect(ran).toBe(true);
    expect(s.pauses).toBe(1);
    for (let i = 0; i < 4; i++) expect(s.due()).toBe(false); // a new slice started at pause
  });
});
