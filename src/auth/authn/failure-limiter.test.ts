import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './failure-limiter.js';

describe('FailureLimiter', () => {
  it('blocks a key after maxFailures in its window, until the window ends, and keys apart', () => {
    let now = 1000;
    const l = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 2; i++) l.fail('a');
    expect(l.retryAfterMs('a')).toBe(0);
    l.fail('a');
    now += 10_000;
    expect(l.retryAfterMs('a')).toBe(50_000);
    expect(l.retryAfterMs('b')).toBe(0);
    now += 50_000;
    expect(l.retryAfterMs('a')).toBe(0);
  });

  it('forgets the oldest keys past maxKeys', () => {
    const l = new FailureLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 2, now: () => 0 });
    l.fail('a');
    l.fail('b');
    l.fail('c');
    expect(l.retryAfterMs('a')).toBe(0);
    expect(l.retryAfterMs('c')).toBeGreaterThan(0);
  });
});
