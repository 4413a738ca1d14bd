import { collectDefaultMetrics, Registry } from 'prom-client';
import type { RoutePlugin } from './server.js';

/** newSelfMetricsRegistry creates the process's prom-client registry with Node's default metrics. */
export function newSelfMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'amphora_' });
  return registry;
}

/** selfMetricsRoutes serves the registry at GET /metrics in the Prometheus text format (public, like Prometheus's own). */
export function selfMetricsRoutes(registry: Registry): RoutePlugin {
  return (app) => {
    app.get('/metrics', { config: { auth: 'public' } }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  };
}
