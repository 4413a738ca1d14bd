/** PendingLimits bound the request bodies being read before their signature could be verified. */
export interface PendingLimits {
  /** perSourceBytes caps the bytes one source IP may have in unauthenticated bodies at once (one request is always admitted). */
  readonly perSourceBytes: number;
  /** totalBytes caps the bytes of every unauthenticated body at once (one request is always admitted). */
  readonly totalBytes: number;
  /** perSourceRequests caps one source IP's unauthenticated bodies at once. */
  readonly perSourceRequests: number;
  /** totalRequests caps every unauthenticated body at once. */
  readonly totalRequests: number;
}

/** DEFAULT_PENDING_LIMITS are the defaults: 64 MiB and 64 requests per source, 256 MiB and 512 requests in all. */
export const DEFAULT_PENDING_LIMITS: PendingLimits = {
  perSourceBytes: 64 * 1024 * 1024,
  totalBytes: 256 * 1024 * 1024,
  perSourceRequests: 64,
  totalRequests: 512,
};

interface Use {
  bytes: number;
  requests: number;
}

/**
 * PendingBodies accounts for the request bodies read before authentication completes (requests whose
 * signature covers a body hash the headers do not declare, and unsigned STS calls): admit reserves a
 * body's size for its source and in total, and refuses beyond the limits, so unauthenticated work is
 * bounded in memory and concurrency.
 */
export class PendingBodies {
  private readonly bySource = new Map<string, Use>();
  private readonly total: Use = { bytes: 0, requests: 0 };

  constructor(private readonly limits: PendingLimits = DEFAULT_PENDING_LIMITS) {}

  /** admit reserves `bytes` for a source; returns the (idempotent) release, or null when over a limit. */
  admit(source: string, bytes: number): (() => void) | null {
    const use = this.bySource.get(source) ?? { bytes: 0, requests: 0 };
    const l = this.limits;
    if (use.requests > 0 && (use.bytes + bytes > l.perSourceBytes || use.requests + 1 > l.perSourceRequests)) return null;
    if (this.total.requests > 0 && (this.total.bytes + bytes > l.totalBytes || this.total.requests + 1 > l.totalRequests)) return null;
    use.bytes += bytes;
    use.requests += 1;
    this.total.bytes += bytes;
    this.total.requests += 1;
    this.bySource.set(source, use);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      use.bytes -= bytes;
      use.requests -= 1;
      this.total.bytes -= bytes;
      this.total.requests -= 1;
      if (use.requests === 0) this.bySource.delete(source);
    };
  }

  /** inUse reports the bytes and requests admitted now (in all, or for one source). */
  inUse(source?: string): { bytes: number; requests: number } {
    const u = source === undefined ? this.total : this.bySource.get(source);
    return { bytes: u?.bytes ?? 0, requests: u?.requests ?? 0 };
  }
}
