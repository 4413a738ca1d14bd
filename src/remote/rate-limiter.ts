/** RateLimiterOptions configure the per-workspace ingestion token buckets. */
export interface RateLimiterOptions {
  now: () => number;
}

interface Bucket {
  tokens: number;
  last: number;
  rate: number;
  burst: number;
}

/**
 * IngestionRateLimiter keeps one token bucket per workspace (Cortex's local ingestion rate
 * strategy): tokens refill at `rate` per second up to `burst`; a request takes as many tokens
 * as it carries samples, exemplars and metadata, or is refused whole without taking any.
 */
export class IngestionRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(opts: Partial<RateLimiterOptions> = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** allow takes n tokens from the workspace's bucket, reading the live rate and burst; false when there are too few. */
  allow(workspace: string, n: number, rate: number, burst: number): boolean {
    const now = this.now();
    let b = this.buckets.get(workspace);
    if (b === undefined) {
      b = { tokens: burst, last: now, rate, burst };
      this.buckets.set(workspace, b);
    }
    if (b.rate !== rate || b.burst !== burst) {
      b.rate = rate;
      b.burst = burst;
      if (b.tokens > burst) b.tokens = burst;
    }
    const elapsed = Math.max(0, now - b.last) / 1000;
    b.tokens = Math.min(burst, b.tokens + elapsed * rate);
    b.last = now;
    if (n > b.tokens) return false;
    b.tokens -= n;
    return true;
  }

  /** forget drops a workspace's bucket (deleted workspace). */
  forget(workspace: string): void {
    this.buckets.delete(workspace);
  }
}

/** rateLimitMessage is Cortex's 429 text. */
export function rateLimitMessage(rate: number, samples: number, metadata: number): string {
  return `ingestion rate limit (${rate}) exceeded while adding ${samples} samples and ${metadata} metadata`;
}
