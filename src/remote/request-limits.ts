import type { WorkspaceLimits } from '../controlplane/limits.js';
import type { RequestCounts } from './decode-v1.js';

/** RequestCaps are the per-request ingestion limits the scanners check while they count (before any series is created). */
export interface RequestCaps {
  /** maxSeries is the workspace's maxSeriesPerRequest. */
  readonly maxSeries: number;
  /** maxSamples is the workspace's maxSamplesPerRequest (float and histogram samples). */
  readonly maxSamples: number;
}

/** requestCaps reads a workspace's per-request limits. */
export function requestCaps(limits: WorkspaceLimits): RequestCaps {
  return { maxSeries: limits.maxSeriesPerRequest, maxSamples: limits.maxSamplesPerRequest };
}

/** NO_CAPS puts no per-request limit (tests and tools). */
export const NO_CAPS: RequestCaps = { maxSeries: Infinity, maxSamples: Infinity };

/** RequestLimitError says that a request carries more series or samples than one request may; it is refused whole (400). */
export class RequestLimitError extends Error {
  override readonly name = 'RequestLimitError';

  constructor(
    /** limit is the limit's name in the workspace limits. */
    readonly limit: 'maxSeriesPerRequest' | 'maxSamplesPerRequest',
    /** value is the limit's value. */
    readonly value: number,
  ) {
    const what = limit === 'maxSeriesPerRequest' ? 'series' : 'samples';
    super(
      `the request carries more than ${value} ${what}: remote write ${what} per request limit of ${value} exceeded (${limit}); ` +
        'send smaller requests, for instance with a lower queue_config.max_samples_per_send, or ask the administrator to raise the limit',
    );
  }
}

/** checkRequestCaps throws RequestLimitError once the counts so far pass a cap (the scanners call it per series). */
export function checkRequestCaps(c: RequestCounts, caps: RequestCaps): void {
  if (c.series > caps.maxSeries) throw new RequestLimitError('maxSeriesPerRequest', caps.maxSeries);
  if (c.samples + c.histograms > caps.maxSamples) throw new RequestLimitError('maxSamplesPerRequest', caps.maxSamples);
}
