import { routeAuth } from '../../auth/actions.js';
import { prometheusApiRoutes } from '../../http/prometheus/index.js';
import { tsdbAdminRoutes } from '../../http/prometheus/admin.js';
import { remoteReadRoutes } from '../../remote/read/routes.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';
import { exemplarSource, metadataSource } from '../query-sources.js';

/**
 * queryFrontendModule serves the Prometheus query API of every workspace; PromQL, series and
 * label listings are evaluated by the query-workers module's pool, off the ingest thread.
 */
export function queryFrontendModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'query-frontend'> {
  return {
    deps: ['storage', 'control-plane', 'query-workers'],
    init: (deps) => {
      const storage = deps.get('storage');
      const cp = deps.get('control-plane').controlPlane;
      const queries = deps.get('query-workers').frontend;
      const routes = prometheusApiRoutes({
        storage: storage.workspaces,
        workspaces: cp.workspaces,
        queries,
        metadata: metadataSource(storage.metadata),
        exemplars: exemplarSource(storage.exemplars),
        auth: routeAuth,
        logger: env.logger,
        now: env.now,
        maxFederatedWorkspaces: env.config.query.maxFederatedWorkspaces,
        onQuery: (id, entry) => cp.logSink?.log(id, 'query', entry),
      });
      // Remote read runs on the same worker pool as PromQL (a remoteRead job kind).
      const read = remoteReadRoutes({
        pool: deps.get('query-workers').pool,
        storage: storage.workspaces,
        workspaces: cp.workspaces,
        logger: env.logger,
        auth: routeAuth,
        options: { maxResultBytes: env.config.query.maxResultBytes },
      });
      // The TSDB admin API (snapshot, delete_series, clean_tombstones, block upload) is served beside the query API.
      const admin = tsdbAdminRoutes({ admin: storage.workspaces, workspaces: cp.workspaces, auth: routeAuth, logger: env.logger });
      return {
        queries,
        routes: async (app) => {
          await routes(app);
          await read(app);
          await admin(app);
        },
      };
    },
  };
}
