import { newSelfMetricsRegistry, registerStorageMetrics, selfMetricsRoutes } from '../../http/self-metrics.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraModules } from '../services.js';

/** selfMetricsModule is the process's Prometheus registry (Node, storage, request latency) served at /metrics. */
export function selfMetricsModule(): ModuleDefinition<AmphoraModules, 'self-metrics'> {
  return {
    deps: ['storage'],
    init: (deps) => {
      const registry = newSelfMetricsRegistry();
      registerStorageMetrics(registry, deps.get('storage').workspaces);
      return { registry, routes: selfMetricsRoutes(registry) };
    },
  };
}
