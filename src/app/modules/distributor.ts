import { routeAuth } from '../../auth/actions.js';
import { forgetWorkspaceSeries, labelOnlyKnownWorkspaces } from '../../remote/metrics.js';
import { HADeduper } from '../../ha/dedupe.js';
import { sqliteElectionStore } from '../../ha/store.js';
import { otlpRoutes } from '../../otlp/routes.js';
import { remoteWriteRoutes } from '../../remote/routes.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/**
 * distributorModule is the write path: remote write 1.0/2.0 and OTLP metrics into the workspaces'
 * storage. In one process the distributor appends to the heads directly; across processes
 * it would forward to ingesters, which do not exist as a separate role yet.
 */
export function distributorModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'distributor'> {
  return {
    deps: ['storage', 'control-plane', 'self-metrics', 'metadata-store'],
    init: (deps) => {
      const storage = deps.get('storage');
      const cp = deps.get('control-plane').controlPlane;
      const registry = deps.get('self-metrics').registry;
      const ha = new HADeduper({ config: env.config.ha, store: sqliteElectionStore(deps.get('metadata-store').db), registry, logger: env.logger, now: env.now });
      const remoteWrite = remoteWriteRoutes({
        storage: storage.workspaces,
        workspaces: cp.workspaces,
        metadata: storage.metadata,
        exemplars: storage.exemplars,
        registry,
        logger: env.logger,
        ha,
        auth: routeAuth,
        onRejected: (id, entry) => cp.logSink?.log(id, 'ingestion', entry),
      });
      // Only existing workspaces become metric labels; a deleted workspace's series go with it.
      labelOnlyKnownWorkspaces(registry, (id) => cp.workspaces.get(id) !== null);
      cp.addDeletionHook((id) => forgetWorkspaceSeries(registry, id));
      cp.addDeletionHook((id) => {
        remoteWrite.handler.forgetWorkspace(id);
        ha.forgetWorkspace(id);
      });
      // OTLP is translated and written through remote write's ingest path (same limits, rate bucket and durability).
      const otlp = otlpRoutes({
        remoteWrite: remoteWrite.handler,
        workspaces: cp.workspaces,
        registry,
        logger: env.logger,
        auth: routeAuth,
        options: env.config.otlp,
        onRejected: (id, entry) => cp.logSink?.log(id, 'ingestion', entry),
      });
      return {
        routes: async (app) => {
          await remoteWrite(app);
          await otlp(app);
        },
      };
    },
  };
}
