import { routeAuth } from '../../auth/actions.js';
import { controlPlaneRoutes } from '../../controlplane/routes.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/** controlPlaneApiModule serves the AMP control plane REST API (workspaces, configuration, policies, tags, logging). */
export function controlPlaneApiModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'control-plane-api'> {
  return {
    deps: ['metadata-store', 'storage', 'control-plane'],
    init: (deps) => ({
      routes: controlPlaneRoutes({
        db: deps.get('metadata-store').db,
        region: env.config.region,
        accountId: env.config.accountId,
        publicBaseUrl: () => env.publicUrl(),
        storage: deps.get('storage').workspaces,
        auth: routeAuth,
        logger: env.logger,
        controlPlane: deps.get('control-plane').controlPlane,
      }),
    }),
  };
}
