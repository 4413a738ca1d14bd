import { routeAuth } from '../../auth/actions.js';
import { prometheusApiRoutes } from '../../http/prometheus/index.js';
import { Engine } from '../../promql/engine/engine.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';
import { exemplarSource, metadataSource } from '../query-sources.js';

/**
 * queryFrontendModule serves the Prometheus query API of every workspace. Today it evaluates
 * queries with the in-process Engine over the storage module's TSDBs; the query worker pool
 * (src/query/) plugs in here, as this module's dependency, when it lands.
 */
export function queryFrontendModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'query-frontend'> {
  return {
    deps: ['storage', 'control-plane'],
    init: (deps) => {
      const storage = deps.get('storage');
      const cp = deps.get('control-plane').controlPlane;
      const engine = new Engine();
      const routes = prometheusApiRoutes({
        storage: storage.workspaces,
        workspaces: cp.workspaces,
        engine,
        metadata: metadataSource(storage.metadata),
        exemplars: exemplarSource(storage.exemplars),
        auth: routeAuth,
        logger: env.logger,
        now: env.now,
        onQuery: (id, entry) => cp.logSink?.log(id, 'query', entry),
      });
      return { engine, routes };
    },
  };
}
