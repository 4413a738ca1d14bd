import type { FastifyInstance, HTTPMethods } from 'fastify';
import { ENDPOINT_ACTIONS } from '../../auth/actions.js';
import { AmpError } from '../errors.js';
import { ampRoute, type RouteContext } from './http.js';

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
  return ENDPOINT_ACTIONS.filter((e) => e.errorShape === 'aws-json' && inGroup(e.path)).map((e) => ({ method: e.method, url: e.path, name: (e.action ?? '').slice('aps:'.length) }));
}

/** registerPlaceholderRoutes answers the operations of groups not built yet with a 501 AWS error naming the operation. */
export function registerPlaceholderRoutes(app: FastifyInstance, ctx: RouteContext, groups: readonly PlaceholderGroup[]): void {
  for (const group of groups) {
    for (const op of placeholderOperations(group)) {
      ampRoute(app, ctx, {
        method: op.method,
        url: op.url,
        handler: () => {
          throw new AmpError({ kind: 'NotImplementedException', message: `${op.name} is not available yet in Amphora` });
        },
      });
    }
  }
}
