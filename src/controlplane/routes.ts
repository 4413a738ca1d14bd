import type { RoutePlugin } from '../http/server.js';
import type { MetaDB } from '../metadb/metadb.js';
import type { Logger } from '../model/logger.js';
import { ControlPlane, type WorkspaceDataRemover } from './control-plane.js';
import { registerConfigurationRoutes } from './routes/configuration.js';
import { TokenBucket, type RouteContext } from './routes/http.js';
import { routeAuth } from '../auth/actions.js';
import type { RouteAuthLookup } from '../http/route-auth.js';
import { registerLoggingRoutes } from './routes/logging.js';
import { registerPolicyRoutes } from './routes/policy.js';
import { registerScraperRoutes, type ScraperRouteOptions } from './routes/scrapers.js';
import { defaultManagedRuleOptions } from '../scrape/managed-rules.js';
import { registerTagRoutes } from './routes/tags.js';
import { registerPlaceholderRoutes, type PlaceholderGroup } from './routes/unavailable.js';
import { registerWorkspaceRoutes } from './routes/workspaces.js';

/** ControlPlaneRoutesDeps are what the AMP control plane routes need. */
export interface ControlPlaneRoutesDeps {
  readonly db: MetaDB;
  readonly region: string;
  readonly accountId: string;
  /** publicBaseUrl prefixes prometheusEndpoint (`<publicBaseUrl>/workspaces/<id>/`); a function when known only after listening. */
  readonly publicBaseUrl: string | (() => string);
  /** storage deletes a workspace's data when its deletion completes. */
  readonly storage: WorkspaceDataRemover;
  /** auth gives each route its auth; default: the route → IAM action table (routeAuth). */
  readonly auth?: RouteAuthLookup;
  readonly now?: () => number;
  readonly logger: Logger;
  /** controlPlane is the shared instance (create it first so the data plane gets its WorkspaceLookup); built from db otherwise. */
  readonly controlPlane?: ControlPlane;
  /** scrapers configure scraper validation (default: AMP's managed-collector rules, any cluster ARN accepted). */
  readonly scrapers?: ScraperRouteOptions;
  /** placeholders are the resource families answered with 501 until their modules register real routes (default: all but scrapers). */
  readonly placeholders?: readonly PlaceholderGroup[];
  /** rateLimit caps control plane requests per second (ThrottlingException beyond; default 50/s, burst 100). */
  readonly rateLimit?: { readonly ratePerSecond: number; readonly burst: number };
}

/** controlPlaneRoutes is the RoutePlugin of the AMP control plane REST API (restJson1, service aps, 2020-08-01). */
export function controlPlaneRoutes(deps: ControlPlaneRoutesDeps): RoutePlugin {
  const now = deps.now ?? Date.now;
  const cp =
    deps.controlPlane ??
    new ControlPlane({ db: deps.db, region: deps.region, accountId: deps.accountId, storage: deps.storage, now, logger: deps.logger });
  const bucket = new TokenBucket(deps.rateLimit?.ratePerSecond ?? 50, deps.rateLimit?.burst ?? 100, now);
  const ctx: RouteContext = { auth: deps.auth ?? routeAuth, logger: deps.logger, admit: () => bucket.take() };
  return (app) => {
    registerWorkspaceRoutes(app, ctx, cp, deps.publicBaseUrl);
    registerConfigurationRoutes(app, ctx, cp);
    registerPolicyRoutes(app, ctx, cp);
    registerTagRoutes(app, ctx, cp);
    registerLoggingRoutes(app, ctx, cp);
    registerScraperRoutes(app, ctx, cp, deps.scrapers ?? { rules: defaultManagedRuleOptions() });
    registerPlaceholderRoutes(app, ctx, deps.placeholders ?? ['ruleGroupsNamespaces', 'alertManagerDefinitions', 'anomalyDetectors']);
  };
}
