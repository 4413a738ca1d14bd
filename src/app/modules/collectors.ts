import { ScraperLogSink } from '../../scrape/log-sink.js';
import { ScraperRuntime } from '../../scrape/runtime.js';
import { targetsRoutes } from '../../scrape/targets-api.js';
import { routeAuth } from '../../auth/actions.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/** collectorsModule runs the managed scrapers (discovery in their clusters, scraping, appending to their workspaces) and serves the targets API. */
export function collectorsModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'collectors'> {
  return {
    deps: ['control-plane', 'storage'],
    init: (deps) => {
      const cps = deps.get('control-plane');
      const storage = deps.get('storage');
      const scrapers = cps.controlPlane.scrapers;
      const runtime = new ScraperRuntime({
        scrapers,
        clusters: cps.clusters,
        appendable: (id) => storage.workspaces.get(id),
        logSink: new ScraperLogSink({ dataDir: env.config.dataDir, loggingOf: (id) => scrapers.loggingOf(id), now: env.now }),
        logger: env.logger,
      });
      runtime.start();
      return { runtime, routes: targetsRoutes({ auth: routeAuth, targets: (id) => runtime.targets(id) }), stop: () => runtime.stop() };
    },
  };
}
