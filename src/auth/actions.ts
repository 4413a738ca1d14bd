import type { FastifyRequest } from 'fastify';
import type { ErrorShape, RouteAuth } from '../http/route-auth.js';

/** ArnScope is the partition, region and account resource ARNs are built in (set on each request by the auth hook). */
export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** arnScope is the region and account of this Amphora, set by the authentication hook before resources are resolved. */
    arnScope?: ArnScope;
  }
}

/** apsArn builds an AMP resource ARN: arn:aws:aps:<region>:<account>:<resource>. */
export function apsArn(scope: ArnScope, resource: string): string {
  return `arn:aws:aps:${scope.region}:${scope.accountId}:${resource}`;
}

/** ARNS builds the ARN of each AMP resource type as AMP names them. */
export const ARNS = {
  /** workspace is arn:aws:aps:<r>:<a>:workspace/<id>. */
  workspace: (s: ArnScope, id: string) => apsArn(s, `workspace/${id}`),
  /** ruleGroupsNamespace is arn:aws:aps:<r>:<a>:rulegroupsnamespace/<workspaceId>/<name>. */
  ruleGroupsNamespace: (s: ArnScope, workspaceId: string, name: string) => apsArn(s, `rulegroupsnamespace/${workspaceId}/${name}`),
  /** scraper is arn:aws:aps:<r>:<a>:scraper/<id>. */
  scraper: (s: ArnScope, id: string) => apsArn(s, `scraper/${id}`),
  /** anomalyDetector is arn:aws:aps:<r>:<a>:anomalydetector/<workspaceId>/<id>. */
  anomalyDetector: (s: ArnScope, workspaceId: string, id: string) => apsArn(s, `anomalydetector/${workspaceId}/${id}`),
} as const;

/**
 * ResourceKind names how an endpoint's resource ARN is found:
 * - 'none': actions without a resource type ('*': ListWorkspaces, ListScrapers, GetDefaultScraperConfiguration);
 * - 'workspace' (param workspaceId), 'new-workspace' (workspace/* on create), 'rulegroupsnamespace' (workspaceId + name),
 *   'new-rulegroupsnamespace' (name from the JSON body), 'scraper' (scraperId), 'new-scraper', 'anomalydetector'
 *   (workspaceId + anomalyDetectorId), 'new-anomalydetector', 'tagged' (the URL-encoded ARN of /tags/{resourceArn}).
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
  | 'tagged';

/** EndpointAuth is one row of the action table: an endpoint and the IAM action it needs. */
export interface EndpointAuth {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** path is the Fastify route pattern; parameter names are fixed here: workspaceId, name, scraperId, anomalyDetectorId, resourceArn, silenceId, labelName. */
  readonly path: string;
  readonly action: string;
  readonly resource: ResourceKind;
  readonly errorShape: ErrorShape;
}

const W = '/workspaces/:workspaceId';
const API = `${W}/api/v1`;
const AM = `${W}/alertmanager/api/v2`;

function cp(method: EndpointAuth['method'], path: string, action: string, resource: ResourceKind): EndpointAuth {
  return { method, path, action: `aps:${action}`, resource, errorShape: 'aws-json' };
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
  // Data plane (Prometheus API shapes)
  dp('POST', `${API}/remote_write`, 'RemoteWrite'),
  dp('POST', `${API}/otlp/v1/metrics`, 'RemoteWrite'),
  ...both(`${API}/query`, 'QueryMetrics'),
  ...both(`${API}/query_range`, 'QueryMetrics'),
  ...both(`${API}/query_exemplars`, 'QueryMetrics'),
  ...both(`${API}/format_query`, 'QueryMetrics'),
  ...both(`${API}/parse_query`, 'QueryMetrics'),
  dp('GET', `${API}/status/buildinfo`, 'QueryMetrics'),
  ...both(`${API}/series`, 'GetSeries'),
  ...both(`${API}/labels`, 'GetLabels'),
  dp('GET', `${API}/label/:labelName/values`, 'GetLabels'),
  dp('GET', `${API}/metadata`, 'GetMetricMetadata'),
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
  dp('POST', `${API}/admin/tsdb/delete_series`, 'AdminDeleteSeries'),
  dp('PUT', `${API}/admin/tsdb/delete_series`, 'AdminDeleteSeries'),
  dp('POST', `${API}/admin/tsdb/clean_tombstones`, 'AdminCleanTombstones'),
  dp('PUT', `${API}/admin/tsdb/clean_tombstones`, 'AdminCleanTombstones'),
];

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

/** routeAuth returns the RouteAuth for a listed endpoint: `config: { auth: routeAuth('GET', '/workspaces/:workspaceId/api/v1/query') }`. */
export function routeAuth(method: string, path: string): RouteAuth {
  const e = endpointAuth(method, path);
  return apsRoute(e.action, e.resource, e.errorShape);
}

/** apsRoute builds a RouteAuth for an aps action on a resource kind, e.g. apsRoute('aps:QueryMetrics', 'workspace', 'prometheus'). */
export function apsRoute(action: string, resource: ResourceKind, errorShape: ErrorShape): RouteAuth {
  return { service: 'aps', action, resource: (req) => resourceArn(req, resource), errorShape };
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
    default:
      return assertNever(kind);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled resource kind ${String(x)}`);
}

/** IAM_STS_ROUTE_AUTH is the RouteAuth of the IAM/STS query API (`POST /`, `GET /`): the handler authorises each Action itself. */
export const IAM_STS_ROUTE_AUTH: RouteAuth = { service: 'iam-sts', action: null, resource: () => '*', errorShape: 'aws-xml' };
