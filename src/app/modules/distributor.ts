import { routeAuth } from '../../auth/actions.js';
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
      // OTLP is translated and written through remote write's ingest path (same limits, rate bucket and durability).
      const otlp = otlpRoutes({
        remoteWrite: remoteWrite.handler,
        workspaces: cp.workspaces,
        registry: deps.get('self-metrics').registry,
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
