import type { FastifyRequest } from 'fastify';
import type { ErrorShape, RouteAuth, RouteAuthExtras } from '../http/route-auth.js';
import { ARNS, eksClusterArn, type ArnScope } from './arn.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** arnScope is the region and account of this Amphora, set by the authentication hook before resources are resolved. */
    arnScope?: ArnScope;
  }
}

/**
 * ResourceKind names how an endpoint's resource ARN is found:
 * - 'none': actions without a resource type ('*': ListWorkspaces, ListScrapers, GetDefaultScraperConfiguration);
 * - 'workspace' (param workspaceId), 'new-workspace' (workspace/* on create), 'rulegroupsnamespace' (workspaceId + name),
 *   'new-rulegroupsnamespace' (name from the JSON body), 'scraper' (scraperId), 'new-scraper', 'anomalydetector'
 *   (workspaceId + anomalyDetectorId), 'new-anomalydetector', 'tagged' (the URL-encoded ARN of /tags/{resourceArn}),
 *   'cluster' (EKS cluster ARN from the name param), 'new-cluster' (from the JSON body's name),
 * - 'iam-sts': the IAM/STS query API, whose handler authorises each `Action=` itself.
 */
export type ResourceKind =
  | 'none'
  | 'workspace'
  | 'new-workspace'
  | 'rulegroupsnamespace'
  | 'new-rulegroupsnamespace'
  | 'scraper'
  | 'new-scraper'
  | 'anomalydetector'
  | 'new-anomalydetector'
  | 'tagged'
  | 'cluster'
  | 'new-cluster'
  | 'iam-sts';

/** EndpointAuth is one row of the action table: an endpoint and the IAM action it needs. */
export interface EndpointAuth {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** path is the Fastify route pattern; parameter names are fixed here: workspaceId, name, scraperId, anomalyDetectorId, resourceArn, silenceId, labelName. */
  readonly path: string;
  /** action is the IAM action, or null for the IAM/STS query API (the handler authorises the request's Action). */
  readonly action: string | null;
  readonly resource: ResourceKind;
  readonly errorShape: ErrorShape;
  /** tagsOnCreate marks a create operation whose `tags` need aps:TagResource too (a dependent action in AWS's service authorization reference). */
  readonly tagsOnCreate?: boolean;
  /** service is the SigV4 signing name other than aps ('eks' for the cluster registry). */
  readonly service?: 'eks';
}

const W = '/workspaces/:workspaceId';
const API = `${W}/api/v1`;
const AM = `${W}/alertmanager/api/v2`;

function cp(method: EndpointAuth['method'], path: string, action: string, resource: ResourceKind): EndpointAuth {
  return { method, path, action: `aps:${action}`, resource, errorShape: 'aws-json', ...(TAGGED_CREATES.has(action) ? { tagsOnCreate: true } : {}) };
}

/** TAGGED_CREATES are the create operations taking `tags`, for which AWS lists aps:TagResource as a dependent action. */
const TAGGED_CREATES: ReadonlySet<string> = new Set(['CreateWorkspace', 'CreateRuleGroupsNamespace', 'CreateScraper', 'CreateAnomalyDetector']);

/** TAG_ON_CREATE_ACTION is the dependent action a create with tags needs as well. */
export const TAG_ON_CREATE_ACTION = 'aps:TagResource';
function eks(method: EndpointAuth['method'], path: string, action: string, resource: ResourceKind): EndpointAuth {
  return { method, path, action: `eks:${action}`, resource, errorShape: 'aws-json', service: 'eks' };
}
function dp(method: EndpointAuth['method'], path: string, action: string): EndpointAuth {
  return { method, path, action: `aps:${action}`, resource: 'workspace', errorShape: 'prometheus' };
}
function both(path: string, action: string): EndpointAuth[] {
  return [dp('GET', path, action), dp('POST', path, action)];
}

/** ENDPOINT_ACTIONS is the one table of every authenticated Amphora endpoint and its IAM action (AMP's names; aps:Admin* are Amphora's own). */
export const ENDPOINT_ACTIONS: readonly EndpointAuth[] = [
  // AMP control plane (restJson1)
  cp('POST', '/workspaces', 'CreateWorkspace', 'new-workspace'),
  cp('GET', '/workspaces', 'ListWorkspaces', 'none'),
  cp('GET', W, 'DescribeWorkspace', 'workspace'),
  cp('DELETE', W, 'DeleteWorkspace', 'workspace'),
  cp('POST', `${W}/alias`, 'UpdateWorkspaceAlias', 'workspace'),
  cp('GET', `${W}/configuration`, 'DescribeWorkspaceConfiguration', 'workspace'),
  cp('PATCH', `${W}/configuration`, 'UpdateWorkspaceConfiguration', 'workspace'),
  cp('PUT', `${W}/policy`, 'PutResourcePolicy', 'workspace'),
  cp('GET', `${W}/policy`, 'DescribeResourcePolicy', 'workspace'),
  cp('DELETE', `${W}/policy`, 'DeleteResourcePolicy', 'workspace'),
  cp('POST', `${W}/alertmanager/definition`, 'CreateAlertManagerDefinition', 'workspace'),
  cp('GET', `${W}/alertmanager/definition`, 'DescribeAlertManagerDefinition', 'workspace'),
  cp('PUT', `${W}/alertmanager/definition`, 'PutAlertManagerDefinition', 'workspace'),
  cp('DELETE', `${W}/alertmanager/definition`, 'DeleteAlertManagerDefinition', 'workspace'),
  cp('POST', `${W}/rulegroupsnamespaces`, 'CreateRuleGroupsNamespace', 'new-rulegroupsnamespace'),
  cp('GET', `${W}/rulegroupsnamespaces`, 'ListRuleGroupsNamespaces', 'workspace'),
  cp('GET', `${W}/rulegroupsnamespaces/:name`, 'DescribeRuleGroupsNamespace', 'rulegroupsnamespace'),
  cp('PUT', `${W}/rulegroupsnamespaces/:name`, 'PutRuleGroupsNamespace', 'rulegroupsnamespace'),
  cp('DELETE', `${W}/rulegroupsnamespaces/:name`, 'DeleteRuleGroupsNamespace', 'rulegroupsnamespace'),
  cp('POST', `${W}/logging`, 'CreateLoggingConfiguration', 'workspace'),
  cp('GET', `${W}/logging`, 'DescribeLoggingConfiguration', 'workspace'),
  cp('PUT', `${W}/logging`, 'UpdateLoggingConfiguration', 'workspace'),
  cp('DELETE', `${W}/logging`, 'DeleteLoggingConfiguration', 'workspace'),
  cp('POST', `${W}/logging/query`, 'CreateQueryLoggingConfiguration', 'workspace'),
  cp('GET', `${W}/logging/query`, 'DescribeQueryLoggingConfiguration', 'workspace'),
  cp('PUT', `${W}/logging/query`, 'UpdateQueryLoggingConfiguration', 'workspace'),
  cp('DELETE', `${W}/logging/query`, 'DeleteQueryLoggingConfiguration', 'workspace'),
  cp('POST', `${W}/anomalydetectors`, 'CreateAnomalyDetector', 'new-anomalydetector'),
  cp('GET', `${W}/anomalydetectors`, 'ListAnomalyDetectors', 'workspace'),
  cp('GET', `${W}/anomalydetectors/:anomalyDetectorId`, 'DescribeAnomalyDetector', 'anomalydetector'),
  cp('PUT', `${W}/anomalydetectors/:anomalyDetectorId`, 'PutAnomalyDetector', 'anomalydetector'),
  cp('DELETE', `${W}/anomalydetectors/:anomalyDetectorId`, 'DeleteAnomalyDetector', 'anomalydetector'),
  cp('GET', '/tags/:resourceArn', 'ListTagsForResource', 'tagged'),
  cp('POST', '/tags/:resourceArn', 'TagResource', 'tagged'),
  cp('DELETE', '/tags/:resourceArn', 'UntagResource', 'tagged'),
  cp('POST', '/scrapers', 'CreateScraper', 'new-scraper'),
  cp('GET', '/scrapers', 'ListScrapers', 'none'),
  cp('GET', '/scrapers/:scraperId', 'DescribeScraper', 'scraper'),
  cp('PUT', '/scrapers/:scraperId', 'UpdateScraper', 'scraper'),
  cp('DELETE', '/scrapers/:scraperId', 'DeleteScraper', 'scraper'),
  cp('GET', '/scrapers/:scraperId/logging-configuration', 'DescribeScraperLoggingConfiguration', 'scraper'),
  cp('PUT', '/scrapers/:scraperId/logging-configuration', 'UpdateScraperLoggingConfiguration', 'scraper'),
  cp('DELETE', '/scrapers/:scraperId/logging-configuration', 'DeleteScraperLoggingConfiguration', 'scraper'),
  cp('GET', '/scraperconfiguration', 'GetDefaultScraperConfiguration', 'none'),
  // EKS-compatible cluster registry (restJson1, SigV4 service eks)
  eks('POST', '/cluster-registrations', 'RegisterCluster', 'new-cluster'),
  eks('DELETE', '/cluster-registrations/:name', 'DeregisterCluster', 'cluster'),
  eks('GET', '/clusters', 'ListClusters', 'none'),
  eks('GET', '/clusters/:name', 'DescribeCluster', 'cluster'),
  // Data plane (Prometheus API shapes)
  dp('POST', `${API}/remote_write`, 'RemoteWrite'),
  dp('POST', `${API}/otlp/v1/metrics`, 'RemoteWrite'),
  dp('POST', `${API}/read`, 'RemoteRead'),
  ...both(`${API}/query`, 'QueryMetrics'),
  ...both(`${API}/query_range`, 'QueryMetrics'),
  ...both(`${API}/query_exemplars`, 'QueryMetrics'),
  ...both(`${API}/format_query`, 'QueryMetrics'),
  ...both(`${API}/parse_query`, 'QueryMetrics'),
  dp('GET', `${API}/status/buildinfo`, 'QueryMetrics'),
  dp('GET', `${API}/status/tsdb`, 'QueryMetrics'),
  ...both(`${API}/series`, 'GetSeries'),
  ...both(`${API}/labels`, 'GetLabels'),
  dp('GET', `${API}/label/:labelName/values`, 'GetLabels'),
  dp('GET', `${API}/metadata`, 'GetMetricMetadata'),
  dp('GET', `${API}/targets`, 'QueryMetrics'),
  dp('GET', `${API}/rules`, 'ListRules'),
  dp('GET', `${API}/alerts`, 'ListAlerts'),
  // Alertmanager v2
  dp('GET', `${AM}/alerts`, 'ListAlertManagerAlerts'),
  dp('POST', `${AM}/alerts`, 'CreateAlertManagerAlerts'),
  dp('GET', `${AM}/alerts/groups`, 'ListAlertManagerAlertGroups'),
  dp('GET', `${AM}/receivers`, 'ListAlertManagerReceivers'),
  dp('GET', `${AM}/silences`, 'ListAlertManagerSilences'),
  dp('POST', `${AM}/silences`, 'PutAlertManagerSilences'),
  dp('GET', `${AM}/silence/:silenceId`, 'GetAlertManagerSilence'),
  dp('DELETE', `${AM}/silence/:silenceId`, 'DeleteAlertManagerSilence'),
  dp('GET', `${AM}/status`, 'GetAlertManagerStatus'),
  // Amphora admin (its own aps:Admin* actions)
  dp('POST', `${API}/admin/tsdb/snapshot`, 'AdminSnapshot'),
  dp('PUT', `${API}/admin/tsdb/snapshot`, 'AdminSnapshot'),
  dp('POST', `${API}/admin/tsdb/blocks`, 'AdminUploadBlocks'),
  dp('PUT', `${API}/admin/tsdb/blocks`, 'AdminUploadBlocks'),
  dp('POST', `${API}/admin/tsdb/delete_series`, 'AdminDeleteSeries'),
  dp('PUT', `${API}/admin/tsdb/delete_series`, 'AdminDeleteSeries'),
  dp('POST', `${API}/admin/tsdb/clean_tombstones`, 'AdminCleanTombstones'),
  dp('PUT', `${API}/admin/tsdb/clean_tombstones`, 'AdminCleanTombstones'),
  // Self-monitoring, when metrics.requireAuth is set (otherwise GET /metrics is public)
  cp('GET', '/metrics', 'AdminGetMetrics', 'none'),
  // IAM and STS (AWS query protocol; the handler authorises each Action)
  { method: 'POST', path: '/', action: null, resource: 'iam-sts', errorShape: 'aws-xml' },
  { method: 'GET', path: '/', action: null, resource: 'iam-sts', errorShape: 'aws-xml' },
];

/**
 * PUBLIC_ENDPOINTS are the only routes served without authentication: health, readiness and self-metrics
 * (as Prometheus's own), and the web console's static files (the browser signs every API call it makes).
 */
export const PUBLIC_ENDPOINTS: readonly string[] = ['GET /-/healthy', 'GET /-/ready', 'GET /metrics', 'GET /console', 'GET /console/*'];

const BY_ROUTE = new Map<string, EndpointAuth>();
for (const e of ENDPOINT_ACTIONS) {
  const key = `${e.method} ${e.path}`;
  if (BY_ROUTE.has(key)) throw new Error(`ENDPOINT_ACTIONS lists ${key} twice`);
  BY_ROUTE.set(key, e);
}

/** endpointAuth looks an endpoint up in the action table; throws when it is not listed (every endpoint must be). */
export function endpointAuth(method: string, path: string): EndpointAuth {
  const e = BY_ROUTE.get(`${method.toUpperCase()} ${path}`);
  if (!e) throw new Error(`no IAM action is declared for ${method} ${path}: add it to ENDPOINT_ACTIONS in src/auth/actions.ts`);
  return e;
}

/** FROM_TABLE holds every RouteAuth built from the table, so the start-up check can tell a route that built its own. */
const FROM_TABLE = new WeakSet<RouteAuth>();

/** routeAuth returns the RouteAuth of a listed endpoint from the table: `config: { auth: routeAuth('GET', '/workspaces/:workspaceId/api/v1/query') }`. */
export function routeAuth(method: string, path: string, extras: RouteAuthExtras = {}): RouteAuth {
  const e = endpointAuth(method, path);
  const auth: RouteAuth =
    e.resource === 'iam-sts'
      ? { service: 'iam-sts', action: null, resource: () => '*', errorShape: e.errorShape }
      : {
          service: e.service ?? 'aps',
          action: e.action,
          resource: (req) => resourceArn(req, e.resource),
          errorShape: e.errorShape,
          ...(extras.conditionKeys ? { conditionKeys: extras.conditionKeys } : {}),
          ...(e.tagsOnCreate ? { dependentActions: (req: FastifyRequest) => (hasBodyTags(req) ? [TAG_ON_CREATE_ACTION] : []) } : {}),
        };
  FROM_TABLE.add(auth);
  return auth;
}

/** RouteTableError says a registered route is missing from, or does not take its auth from, the route → action table. */
export class RouteTableError extends Error {
  override name = 'RouteTableError';
}

/**
 * checkRouteAuth is the start-up check of one registered route: it must declare `config.auth`, and
 * unless public its auth must be the table's (listed in ENDPOINT_ACTIONS and built by routeAuth).
 * A public route must be one of PUBLIC_ENDPOINTS unless `anyPublic` (tests that run routes without
 * the identity module). HEAD routes Fastify adds for GET routes are checked as the GET.
 */
export function checkRouteAuth(method: string, path: string, auth: RouteAuth | 'public' | undefined, opts: { anyPublic?: boolean } = {}): void {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  if (auth === undefined) throw new RouteTableError(`route ${method} ${path} declares no config.auth; add it to ENDPOINT_ACTIONS in src/auth/actions.ts and register it with routeAuth()`);
  if (auth === 'public') {
    if (opts.anyPublic || PUBLIC_ENDPOINTS.includes(`${m} ${path}`)) return;
    throw new RouteTableError(`route ${method} ${path} is declared public but only ${PUBLIC_ENDPOINTS.join(', ')} may be; take its auth from ENDPOINT_ACTIONS with routeAuth()`);
  }
  if (!BY_ROUTE.has(`${m} ${path}`)) throw new RouteTableError(`route ${method} ${path} has no entry in the route → IAM action table: add it to ENDPOINT_ACTIONS in src/auth/actions.ts`);
  if (!FROM_TABLE.has(auth)) throw new RouteTableError(`route ${method} ${path} builds its own auth; take it from the table with routeAuth('${m}', '${path}')`);
  const e = BY_ROUTE.get(`${m} ${path}`)!;
  if (auth.action !== e.action) throw new RouteTableError(`route ${method} ${path} authorises ${String(auth.action)} but the table says ${String(e.action)}`);
}

/** arnScopeOf returns the request's ARN scope (set by the authentication hook); throws when the hook did not run. */
export function arnScopeOf(req: FastifyRequest): ArnScope {
  if (!req.arnScope) throw new Error('request.arnScope is not set: the authentication hook must run before resources are resolved');
  return req.arnScope;
}

function param(req: FastifyRequest, name: string): string {
  const v = (req.params as Record<string, string | undefined> | undefined)?.[name];
  if (v === undefined || v === '') throw new Error(`route parameter :${name} is missing for ${req.method} ${req.routeOptions.url ?? req.url}`);
  return v;
}

function bodyName(req: FastifyRequest): string {
  const body = req.body;
  if (Buffer.isBuffer(body) && body.length > 0) {
    try {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && typeof (parsed as { name?: unknown }).name === 'string') return (parsed as { name: string }).name;
    } catch {
      // the handler reports the malformed body; authorise against the wildcard
    }
  }
  return '*';
}

/** hasBodyTags tells whether a JSON body carries a non-empty `tags` object. */
function hasBodyTags(req: FastifyRequest): boolean {
  const body = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0) return false;
  try {
    const tags = (JSON.parse(body.toString('utf8')) as { tags?: unknown } | null)?.tags;
    return tags !== null && typeof tags === 'object' && Object.keys(tags).length > 0;
  } catch {
    return false; // the handler reports the malformed body
  }
}

/** resourceArn resolves the ARN a request acts on for a resource kind. */
export function resourceArn(req: FastifyRequest, kind: ResourceKind): string {
  switch (kind) {
    case 'none':
      return '*';
    case 'workspace':
      return ARNS.workspace(arnScopeOf(req), param(req, 'workspaceId'));
    case 'new-workspace':
      return ARNS.workspace(arnScopeOf(req), '*');
    case 'rulegroupsnamespace':
      return ARNS.ruleGroupsNamespace(arnScopeOf(req), param(req, 'workspaceId'), param(req, 'name'));
    case 'new-rulegroupsnamespace':
      return ARNS.ruleGroupsNamespace(arnScopeOf(req), param(req, 'workspaceId'), bodyName(req));
    case 'scraper':
      return ARNS.scraper(arnScopeOf(req), param(req, 'scraperId'));
    case 'new-scraper':
      return ARNS.scraper(arnScopeOf(req), '*');
    case 'anomalydetector':
      return ARNS.anomalyDetector(arnScopeOf(req), param(req, 'workspaceId'), param(req, 'anomalyDetectorId'));
    case 'new-anomalydetector':
      return ARNS.anomalyDetector(arnScopeOf(req), param(req, 'workspaceId'), '*');
    case 'tagged':
      return param(req, 'resourceArn');
    case 'cluster':
      return eksClusterArn(arnScopeOf(req), param(req, 'name'));
    case 'new-cluster':
      return eksClusterArn(arnScopeOf(req), bodyName(req));
    case 'iam-sts':
      return '*';
    default:
      return assertNever(kind);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled resource kind ${String(x)}`);
}
