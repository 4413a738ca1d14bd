import { describe, expect, it } from 'vitest';
import { warmUp } from './warm-up.js';

describe('warmUp', () => {
  it('evaluates every standard shape, instant and range, at least once and stops near its budget', async () => {
    const r = await warmUp(50);
    expect(r.queries).toBeGreaterThanOrEqual(20);
    expect(r.ms).toBeLessThan(5_000);
  });
});
