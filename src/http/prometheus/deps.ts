import type { FastifyRequest } from 'fastify';
import type { WorkspaceLookup } from '../../controlplane/limits.js';
import type { Logger } from '../../model/logger.js';
import type { Matcher } from '../../model/matcher.js';
import type { ExemplarSeries } from '../../remote/exemplar-store.js';
import type { Answer } from '../../query/pool.js';
import type { QueryKind } from '../../query/protocol.js';
import type { TSDB } from '../../tsdb/db.js';
import type { Form } from './params.js';
import type { WorkspaceStorage } from '../../tsdb/workspaces.js';
import type { RouteAuth } from '../route-auth.js';

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

/** QueryServiceRequest is one query-API request for the query service. */
export interface QueryServiceRequest {
  readonly kind: QueryKind;
  readonly workspaceId: string;
  readonly form: Form;
  /** labelName is the raw label name of a label-values request. */
  readonly labelName?: string;
  readonly db: TSDB;
  /** now is the default evaluation time (ms). */
  readonly now: number;
  /** signal aborts when the client goes away. */
  readonly signal: AbortSignal;
}

/** QueryService evaluates queries and index listings off the ingest thread (implemented by src/query's QueryFrontend). */
export interface QueryService {
  /** run resolves with the rendered response body or an error (both with the query-log entry of evaluated PromQL queries); throws ApiError for bad parameters. */
  run(req: QueryServiceRequest): Promise<Answer>;
}

/** QueryApiAuth builds a route's auth declaration from its IAM action and the workspace ARN of a request. */
export type QueryApiAuth = (action: string, resource: (req: FastifyRequest) => string) => RouteAuth | 'public';

/** PrometheusApiDeps are what the query API needs. */
export interface PrometheusApiDeps {
  readonly storage: WorkspaceStorage;
  readonly workspaces: WorkspaceLookup;
  /** queries runs PromQL queries, series and label listings (in query workers). */
  readonly queries: QueryService;
  readonly metadata?: MetadataSource;
  readonly exemplars?: ExemplarSource;
  readonly auth: QueryApiAuth;
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
