import type { WorkspaceLookup } from '../../controlplane/limits.js';
import type { Logger } from '../../model/logger.js';
import type { ExemplarSource } from '../../storage/exemplars.js';
import type { MetadataSource } from '../../storage/metadata.js';
import type { WorkspaceStore } from '../../storage/workspaces.js';
import type { RouteAuthLookup } from '../route-auth.js';
import type { Answer } from '../../query/pool.js';
import type { QueryKind } from '../../query/protocol.js';
import type { Form } from './params.js';

/** BuildInfo is the body of /status/buildinfo (Prometheus's PrometheusVersion). */
export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** QueryServiceRequest is one query-API request for the query service. */
export interface QueryServiceRequest {
  readonly kind: QueryKind;
  readonly workspaceId: string;
  readonly form: Form;
  /** labelName is the raw label name of a label-values request. */
  readonly labelName?: string;
  /** now is the default evaluation time (ms). */
  readonly now: number;
  /** signal aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** workspaces are the workspaces of a cross-workspace query (the path's first), already authorised; absent for one workspace. */
  readonly workspaces?: readonly string[];
}

/** QueryService evaluates queries and index listings off the ingest thread (implemented by src/query's QueryFrontend). */
export interface QueryService {
  /** run resolves with the rendered response body or an error (both with the query-log entry of evaluated PromQL queries); throws ApiError for bad parameters. */
  run(req: QueryServiceRequest): Promise<Answer>;
}

/** PrometheusApiDeps are what the query API needs. */
export interface PrometheusApiDeps {
  readonly storage: WorkspaceStore;
  readonly workspaces: WorkspaceLookup;
  /** queries runs PromQL queries, series and label listings (in query workers). */
  readonly queries: QueryService;
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
  /** maxFederatedWorkspaces caps the workspaces one cross-workspace query reads (default 10). */
  readonly maxFederatedWorkspaces?: number;
  /** prefix is where the routes live (default /workspaces/:workspaceId/api/v1). */
  readonly prefix?: string;
}

/** defaultBuildInfo is what /status/buildinfo reports unless overridden: the Prometheus API level Amphora implements. */
export function defaultBuildInfo(): BuildInfo {
  return { version: '3.0.0', revision: 'amphora', branch: 'main', buildUser: 'amphora', buildDate: '', goVersion: `node${process.versions.node}` };
}
