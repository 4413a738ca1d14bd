/** FailureLimiterOptions configure a FailureLimiter. */
export interface FailureLimiterOptions {
  /** maxFailures is how many failures a key may have within windowMs before it is refused. */
  maxFailures: number;
  windowMs: number;
  /** maxKeys bounds memory: past it, the oldest tracked keys are forgotten. */
  maxKeys?: number;
  now: () => number;
}

interface Entry {
  start: number;
  failures: number;
}

/**
 * FailureLimiter counts authentication failures per key (a source IP, a user name) in fixed
 * windows; once a key reaches maxFailures it is blocked until its window ends, so a password
 * cannot be guessed at speed. Memory is bounded by maxKeys.
 */
export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;

  constructor(private readonly o: FailureLimiterOptions) {
    this.maxKeys = o.maxKeys ?? 10_000;
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && this.o.now() - e.start >= this.o.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** retryAfterMs returns how long the key stays blocked, or 0 when it may try. */
  retryAfterMs(key: string): number {
    const e = this.live(key);
    if (!e || e.failures < this.o.maxFailures) return 0;
    return Math.max(1, e.start + this.o.windowMs - this.o.now());
  }

  /** fail records one failure for the key. */
  fail(key: string): void {
    const e = this.live(key);
    if (e) {
      e.failures++;
      return;
    }
    if (this.entries.size >= this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { start: this.o.now(), failures: 1 });
  }
}
