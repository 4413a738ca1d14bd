import type { WorkspaceLookup } from '../../controlplane/limits.js';
import type { Logger } from '../../model/logger.js';
import type { Matcher } from '../../model/matcher.js';
import type { ExemplarSeries } from '../../remote/exemplar-store.js';
import type { Engine } from '../../promql/engine/engine.js';
import type { WorkspaceStorage } from '../../tsdb/workspaces.js';
import type { RouteAuthLookup } from '../route-auth.js';

/** MetricMetadataEntry is one metric's metadata as stored from remote write (type, help, unit). */
export interface MetricMetadataEntry {
  readonly metric: string;
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** MetadataSource serves a workspace's metric metadata (implemented by the remote-write metadata store). */
export interface MetadataSource {
  /** list returns the workspace's metadata entries, only those of `metric` when given. */
  list(workspaceId: string, metric?: string): Iterable<MetricMetadataEntry>;
}

// Exemplar and ExemplarSeries are the remote-write exemplar store's result shapes.
export type { Exemplar, ExemplarSeries } from '../../remote/exemplar-store.js';

/** ExemplarSource serves a workspace's exemplars (implemented by the remote-write exemplar store). */
export interface ExemplarSource {
  /** select returns exemplars in [start, end] (ms) of series matching any of the matcher sets. */
  select(workspaceId: string, start: number, end: number, matcherSets: readonly (readonly Matcher[])[]): readonly ExemplarSeries[];
}

/** BuildInfo is the body of /status/buildinfo (Prometheus's PrometheusVersion). */
export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** PrometheusApiDeps are what the query API needs. */
export interface PrometheusApiDeps {
  readonly storage: WorkspaceStorage;
  readonly workspaces: WorkspaceLookup;
  /** engine provides the engine options (lookback, default timeout); per-request limits derive from it. */
  readonly engine: Engine;
  readonly metadata?: MetadataSource;
  readonly exemplars?: ExemplarSource;
  /** auth gives each route its auth from the route → IAM action table (routeAuth), or 'public' in tests. */
  readonly auth: RouteAuthLookup;
  readonly logger: Logger;
  /** now is the clock for default query times (ms). */
  readonly now?: () => number;
  /** buildInfo overrides /status/buildinfo. */
  readonly buildInfo?: Partial<BuildInfo>;
  /** onQuery is told of every evaluated query (query logging: the control plane keeps those over a workspace's threshold). */
  readonly onQuery?: (workspaceId: string, entry: { query: string; samplesProcessed: number; evalSeconds: number }) => void;
  /** prefix is where the routes live (default /workspaces/:workspaceId/api/v1). */
  readonly prefix?: string;
}

/** defaultBuildInfo is what /status/buildinfo reports unless overridden: the Prometheus API level Amphora implements. */
export function defaultBuildInfo(): BuildInfo {
  return { version: '3.0.0', revision: 'amphora', branch: 'main', buildUser: 'amphora', buildDate: '', goVersion: `node${process.versions.node}` };
}
