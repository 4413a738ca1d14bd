/** MetricType is a metric family's type as /api/v1/metadata prints it. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

/** MetricMetadata is one entry of /api/v1/metadata: { type, help, unit }. */
export interface MetricMetadata {
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/** MetricMetadataEntry is one metric family's metadata with its name. */
export interface MetricMetadataEntry {
  readonly metric: string;
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** MetadataAppender stores a workspace's metric metadata (the write path). */
export interface MetadataAppender {
  /** set stores a family's metadata; false when a limit refused it. */
  set(workspace: string, family: string, md: MetricMetadata): boolean;
}

/** MetadataSource serves a workspace's metric metadata (the query API's /metadata). */
export interface MetadataSource {
  /** list returns the workspace's metadata entries, only those of `metric` when given. */
  list(workspaceId: string, metric?: string): Iterable<MetricMetadataEntry>;
}
