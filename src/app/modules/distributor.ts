import { routeAuth } from '../../auth/actions.js';
import { forgetWorkspaceSeries, labelOnlyKnownWorkspaces } from '../../remote/metrics.js';
import { remoteWriteRoutes } from '../../remote/routes.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/**
 * distributorModule is the write path: remote write 1.0/2.0 into the workspaces' storage (OTLP
 * joins it here). In one process the distributor appends to the heads directly; across processes
 * it would forward to ingesters, which do not exist as a separate role yet.
 */
export function distributorModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'distributor'> {
  return {
    deps: ['storage', 'control-plane', 'self-metrics'],
    init: (deps) => {
      const storage = deps.get('storage');
      const cp = deps.get('control-plane').controlPlane;
      const remoteWrite = remoteWriteRoutes({
        storage: storage.workspaces,
        workspaces: cp.workspaces,
        metadata: storage.metadata,
        exemplars: storage.exemplars,
        registry: deps.get('self-metrics').registry,
        logger: env.logger,
        auth: routeAuth,
        onRejected: (id, entry) => cp.logSink?.log(id, 'ingestion', entry),
      });
      cp.addDeletionHook((id) => remoteWrite.handler.forgetWorkspace(id));
      // Only existing workspaces become metric labels; a deleted workspace's series go with it.
      const registry = deps.get('self-metrics').registry;
      labelOnlyKnownWorkspaces(registry, (id) => cp.workspaces.get(id) !== null);
      cp.addDeletionHook((id) => forgetWorkspaceSeries(registry, id));
      return { routes: remoteWrite };
    },
  };
}
