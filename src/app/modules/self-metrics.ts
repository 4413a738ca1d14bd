import { newSelfMetricsRegistry, registerStorageMetrics, selfMetricsRoutes } from '../../http/self-metrics.js';
import type { ModuleDefinition } from '../modules.js';
import { isLoopbackListen } from '../config.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/**
 * selfMetricsModule is the process's Prometheus registry (Node, storage, request latency) served at
 * /metrics, which requires SigV4 (aps:AdminGetMetrics) when metrics.requireAuth is set, by default when
 * listening beyond loopback.
 */
export function selfMetricsModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'self-metrics'> {
  return {
    deps: ['storage'],
    init: (deps) => {
      const registry = newSelfMetricsRegistry();
      registerStorageMetrics(registry, deps.get('storage').workspaces);
      const requireAuth = env.config.metrics.requireAuth ?? !isLoopbackListen(env.config.listen);
      return { registry, routes: selfMetricsRoutes(registry, { requireAuth }) };
    },
  };
}
