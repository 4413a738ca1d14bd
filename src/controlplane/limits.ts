/** LabelSetLimit is one entry of AMP's limitsPerLabelSet: an active-series cap for series carrying labelSet. */
export interface LabelSetLimit {
  /** labelSet is the label name/value pairs a series must carry to count (an empty set is the default bucket). */
  readonly labelSet: Readonly<Record<string, string>>;
  /** maxSeries caps active series matching labelSet. */
  readonly maxSeries: number;
}

/** WorkspaceLimits are the live per-workspace limits the ingestion path, the query API and the TSDB read. */
export interface WorkspaceLimits {
  /** retentionPeriodInDays is AMP's retention setting (1-1095). */
  readonly retentionPeriodInDays: number;
  /** ingestionRate is the sustained samples/s allowed (token bucket refill). */
  readonly ingestionRate: number;
  /** ingestionBurstSize is the token bucket size in samples. */
  readonly ingestionBurstSize: number;
  /** maxActiveSeries caps active series per workspace. */
  readonly maxActiveSeries: number;
  /** maxLabelNamesPerSeries caps labels per series. */
  readonly maxLabelNamesPerSeries: number;
  /** maxLabelNameLength caps a label name's length in bytes. */
  readonly maxLabelNameLength: number;
  /** maxLabelValueLength caps a label value's length in bytes. */
  readonly maxLabelValueLength: number;
  /** maxSeriesPerRequest caps the series one remote-write request may carry (a larger request is refused whole, 400). */
  readonly maxSeriesPerRequest: number;
  /** maxSamplesPerRequest caps the samples (and histogram samples) one remote-write request may carry (400). */
  readonly maxSamplesPerRequest: number;
  /** maxQuerySamples caps samples a single query may load. */
  readonly maxQuerySamples: number;
  /** maxQueryTimeoutMs caps a query's `timeout` (ms); 0 takes the server's `query.maxTimeout` (2m by default). */
  readonly maxQueryTimeoutMs: number;
  /** maxQueryTimeRangeMs caps end - start of a query (ms). */
  readonly maxQueryTimeRangeMs: number;
  /** outOfOrderWindowMs accepts out-of-order samples this far behind the newest (0 = none). */
  readonly outOfOrderWindowMs: number;
  /** limitsPerLabelSet are AMP's per-label-set active series limits. */
  readonly limitsPerLabelSet: readonly LabelSetLimit[];
}

/** defaultWorkspaceLimits returns AMP's default quotas (see the AMP service quotas documentation). */
export function defaultWorkspaceLimits(): WorkspaceLimits {
  return {
    retentionPeriodInDays: 150,
    ingestionRate: 170_000,
    ingestionBurstSize: 1_000_000,
    maxActiveSeries: 10_000_000,
    maxLabelNamesPerSeries: 70,
    maxLabelNameLength: 1024,
    maxLabelValueLength: 2048,
    // Not AMP quotas (AMP bounds a request by its size): a sender's batch is thousands of samples
    // (Prometheus's max_samples_per_send is 2000); more than the ingestion burst size could never pass the rate limit.
    maxSeriesPerRequest: 200_000,
    maxSamplesPerRequest: 1_000_000,
    maxQuerySamples: 50_000_000,
    maxQueryTimeRangeMs: 32 * 24 * 3_600_000,
    maxQueryTimeoutMs: 0,
    outOfOrderWindowMs: 0,
    limitsPerLabelSet: [],
  };
}

/** WorkspaceInfo is what the data plane needs to know about a workspace. */
export interface WorkspaceInfo {
  readonly workspaceId: string;
  readonly arn: string;
  /** status is AMP's status code: CREATING, ACTIVE, UPDATING, DELETING, CREATION_FAILED. */
  readonly status: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** WorkspaceLookup lets the data plane resolve workspaces and their live limits (implemented by the control plane). */
export interface WorkspaceLookup {
  /** get returns the workspace, or null when it does not exist (or is being deleted). */
  get(workspaceId: string): WorkspaceInfo | null;
  /** limits returns the workspace's live limits (defaults merged with its configuration). */
  limits(workspaceId: string): WorkspaceLimits;
}
