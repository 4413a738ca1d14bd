import type { WorkspaceLookup } from '../../controlplane/limits.js';
import type { Logger } from '../../model/logger.js';
import type { ExemplarSource } from '../../storage/exemplars.js';
import type { MetadataSource } from '../../storage/metadata.js';
import type { Engine } from '../../promql/engine/engine.js';
import type { WorkspaceStore } from '../../storage/workspaces.js';
import type { RouteAuthLookup } from '../route-auth.js';

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
  readonly storage: WorkspaceStore;
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
