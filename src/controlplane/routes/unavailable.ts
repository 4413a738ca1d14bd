import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { AccountScope } from '../arn.js';
import { AmpError } from '../errors.js';
import { ampRoute, type RouteContext } from './http.js';
import { rawParam } from './params.js';

/** PlaceholderGroup is an AMP resource family whose engine is not built yet. */
export type PlaceholderGroup = 'scrapers' | 'ruleGroupsNamespaces' | 'alertManagerDefinitions' | 'anomalyDetectors';

/** ALL_PLACEHOLDER_GROUPS lists every resource family answered as not available yet. */
export const ALL_PLACEHOLDER_GROUPS: readonly PlaceholderGroup[] = ['scrapers', 'ruleGroupsNamespaces', 'alertManagerDefinitions', 'anomalyDetectors'];

interface Op {
  readonly method: HTTPMethods;
  readonly url: string;
  readonly name: string;
}

/** OPERATIONS are the AMP operations of each placeholder group (paths and methods from AMP's model). */
const OPERATIONS: Readonly<Record<PlaceholderGroup, readonly Op[]>> = {
  scrapers: [
    { method: 'POST', url: '/scrapers', name: 'CreateScraper' },
    { method: 'GET', url: '/scrapers', name: 'ListScrapers' },
    { method: 'GET', url: '/scrapers/:scraperId', name: 'DescribeScraper' },
    { method: 'PUT', url: '/scrapers/:scraperId', name: 'UpdateScraper' },
    { method: 'DELETE', url: '/scrapers/:scraperId', name: 'DeleteScraper' },
    { method: 'GET', url: '/scrapers/:scraperId/logging-configuration', name: 'DescribeScraperLoggingConfiguration' },
    { method: 'PUT', url: '/scrapers/:scraperId/logging-configuration', name: 'UpdateScraperLoggingConfiguration' },
    { method: 'DELETE', url: '/scrapers/:scraperId/logging-configuration', name: 'DeleteScraperLoggingConfiguration' },
    { method: 'GET', url: '/scraperconfiguration', name: 'GetDefaultScraperConfiguration' },
  ],
  ruleGroupsNamespaces: [
    { method: 'POST', url: '/workspaces/:workspaceId/rulegroupsnamespaces', name: 'CreateRuleGroupsNamespace' },
    { method: 'GET', url: '/workspaces/:workspaceId/rulegroupsnamespaces', name: 'ListRuleGroupsNamespaces' },
    { method: 'GET', url: '/workspaces/:workspaceId/rulegroupsnamespaces/:name', name: 'DescribeRuleGroupsNamespace' },
    { method: 'PUT', url: '/workspaces/:workspaceId/rulegroupsnamespaces/:name', name: 'PutRuleGroupsNamespace' },
    { method: 'DELETE', url: '/workspaces/:workspaceId/rulegroupsnamespaces/:name', name: 'DeleteRuleGroupsNamespace' },
  ],
  alertManagerDefinitions: [
    { method: 'POST', url: '/workspaces/:workspaceId/alertmanager/definition', name: 'CreateAlertManagerDefinition' },
    { method: 'GET', url: '/workspaces/:workspaceId/alertmanager/definition', name: 'DescribeAlertManagerDefinition' },
    { method: 'PUT', url: '/workspaces/:workspaceId/alertmanager/definition', name: 'PutAlertManagerDefinition' },
    { method: 'DELETE', url: '/workspaces/:workspaceId/alertmanager/definition', name: 'DeleteAlertManagerDefinition' },
  ],
  anomalyDetectors: [
    { method: 'POST', url: '/workspaces/:workspaceId/anomalydetectors', name: 'CreateAnomalyDetector' },
    { method: 'GET', url: '/workspaces/:workspaceId/anomalydetectors', name: 'ListAnomalyDetectors' },
    { method: 'GET', url: '/workspaces/:workspaceId/anomalydetectors/:anomalyDetectorId', name: 'DescribeAnomalyDetector' },
    { method: 'PUT', url: '/workspaces/:workspaceId/anomalydetectors/:anomalyDetectorId', name: 'PutAnomalyDetector' },
    { method: 'DELETE', url: '/workspaces/:workspaceId/anomalydetectors/:anomalyDetectorId', name: 'DeleteAnomalyDetector' },
  ],
};

/** resourceOf is the ARN an operation's authorisation names (best effort until the real module owns the route). */
function resourceOf(scope: AccountScope, group: PlaceholderGroup): (req: Parameters<typeof rawParam>[0]) => string {
  const prefix = `arn:aws:aps:${scope.region}:${scope.accountId}`;
  switch (group) {
    case 'scrapers':
      return (req) => `${prefix}:scraper/${rawParam(req, 'scraperId') || '*'}`;
    case 'ruleGroupsNamespaces':
      return (req) => `${prefix}:rulegroupsnamespace/${rawParam(req, 'workspaceId')}/${rawParam(req, 'name') || '*'}`;
    case 'alertManagerDefinitions':
      return (req) => `${prefix}:workspace/${rawParam(req, 'workspaceId')}`;
    case 'anomalyDetectors':
      return (req) => `${prefix}:anomalydetector/${rawParam(req, 'workspaceId')}/${rawParam(req, 'anomalyDetectorId') || '*'}`;
    default: {
      const never: never = group;
      throw new Error(`unknown group ${String(never)}`);
    }
  }
}

/** registerPlaceholderRoutes answers the operations of groups not built yet with a 501 AWS error naming the operation. */
export function registerPlaceholderRoutes(app: FastifyInstance, ctx: RouteContext, scope: AccountScope, groups: readonly PlaceholderGroup[]): void {
  for (const group of groups) {
    for (const op of OPERATIONS[group]) {
      ampRoute(app, ctx, {
        method: op.method,
        url: op.url,
        action: `aps:${op.name}`,
        resource: resourceOf(scope, group),
        handler: () => {
          throw new AmpError({ kind: 'NotImplementedException', message: `${op.name} is not available yet in Amphora` });
        },
      });
    }
  }
}
