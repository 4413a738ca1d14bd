import type { FastifyInstance, HTTPMethods } from 'fastify';
import { ENDPOINT_ACTIONS } from '../../auth/actions.js';
import type { AccountScope } from '../arn.js';
import { AmpError } from '../errors.js';
import { ampRoute, type RouteContext } from './http.js';
import { rawParam } from './params.js';

/** PlaceholderGroup is an AMP resource family whose engine is not built yet. */
export type PlaceholderGroup = 'scrapers' | 'ruleGroupsNamespaces' | 'alertManagerDefinitions' | 'anomalyDetectors';

/** ALL_PLACEHOLDER_GROUPS lists every resource family answered as not available yet. */
export const ALL_PLACEHOLDER_GROUPS: readonly PlaceholderGroup[] = ['scrapers', 'ruleGroupsNamespaces', 'alertManagerDefinitions', 'anomalyDetectors'];

/** PlaceholderOperation is one AMP operation answered as not available yet. */
export interface PlaceholderOperation {
  readonly method: HTTPMethods;
  readonly url: string;
  readonly name: string;
}

const W = '/workspaces/:workspaceId';

/** GROUP_PATHS picks each group's endpoints out of the action table by path. */
const GROUP_PATHS: Readonly<Record<PlaceholderGroup, (path: string) => boolean>> = {
  scrapers: (p) => p.startsWith('/scrapers') || p === '/scraperconfiguration',
  ruleGroupsNamespaces: (p) => p.startsWith(`${W}/rulegroupsnamespaces`),
  alertManagerDefinitions: (p) => p === `${W}/alertmanager/definition`,
  anomalyDetectors: (p) => p.startsWith(`${W}/anomalydetectors`),
};

/** placeholderOperations lists a group's AMP operations (method, path, name) from the one endpoint action table. */
export function placeholderOperations(group: PlaceholderGroup): PlaceholderOperation[] {
  const inGroup = GROUP_PATHS[group];
  return ENDPOINT_ACTIONS.filter((e) => e.errorShape === 'aws-json' && inGroup(e.path)).map((e) => ({ method: e.method, url: e.path, name: e.action.slice('aps:'.length) }));
}

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
    for (const op of placeholderOperations(group)) {
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
