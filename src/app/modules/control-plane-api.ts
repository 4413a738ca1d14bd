import { routeAuth } from '../../auth/actions.js';
import { controlPlaneRoutes } from '../../controlplane/routes.js';
import { clusterRoutes } from '../../clusters/routes.js';
import { managedRuleOptions } from '../../scrape/settings.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/** controlPlaneApiModule serves the AMP control plane REST API (workspaces, configuration, policies, tags, logging, scrapers) and the EKS-compatible cluster registry. */
export function controlPlaneApiModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'control-plane-api'> {
  return {
    deps: ['metadata-store', 'storage', 'control-plane'],
    init: (deps) => {
      const cps = deps.get('control-plane');
      const amp = controlPlaneRoutes({
        db: deps.get('metadata-store').db,
        region: env.config.region,
        accountId: env.config.accountId,
        publicBaseUrl: () => env.publicUrl(),
        storage: deps.get('storage').workspaces,
        auth: routeAuth,
        logger: env.logger,
        controlPlane: cps.controlPlane,
        scrapers: { rules: managedRuleOptions(env.config.scrapers), clusterExists: (arn) => cps.clusters.byArn(arn) !== null },
      });
      const eks = clusterRoutes({ store: cps.clusters, auth: routeAuth, logger: env.logger });
      return {
        routes: async (app) => {
          await amp(app);
          await eks(app);
        },
      };
    },
  };
}
