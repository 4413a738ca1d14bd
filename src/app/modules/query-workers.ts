import { startQueryService } from '../../query/service.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/** queryWorkersModule starts the query worker pool and its frontend (fair queue, deadlines, memory caps); stop drains it. */
export function queryWorkersModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'query-workers'> {
  return {
    deps: ['storage', 'control-plane', 'self-metrics'],
    init: (deps) => {
      const service = startQueryService({
        config: env.config.query,
        workspaces: deps.get('control-plane').controlPlane.workspaces,
        storage: deps.get('storage').workspaces,
        registry: deps.get('self-metrics').registry,
        logger: env.logger,
      });
      return { frontend: service.frontend, pool: service.pool, stop: () => service.close() };
    },
  };
}
