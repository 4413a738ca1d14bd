import { ModuleManager } from './modules.js';
import { controlPlaneApiModule } from './modules/control-plane-api.js';
import { consoleModule } from './modules/console.js';
import { controlPlaneModule } from './modules/control-plane.js';
import { collectorsModule } from './modules/collectors.js';
import { distributorModule } from './modules/distributor.js';
import { identityApiModule, identityModule } from './modules/identity.js';
import { metadataStoreModule } from './modules/metadata-store.js';
import { queryFrontendModule } from './modules/query-frontend.js';
import { queryWorkersModule } from './modules/query-workers.js';
import { selfMetricsModule } from './modules/self-metrics.js';
import { serverModule } from './modules/server.js';
import { storageModule } from './modules/storage.js';
import type { AmphoraEnv, AmphoraModules } from './services.js';

/**
 * TARGETS are the meta-targets `--target` selects, each a list of modules (their dependencies
 * follow). In one process each runs its subset of the service:
 * - all: everything (the default);
 * - write: remote write into the workspaces' storage (distributor and ingester in one);
 * - read: the Prometheus query API over the storage in the data dir;
 * - backend: the AMP control plane and IAM/STS APIs (later the ruler, alertmanager and compactor).
 * The storage module locks the data dir, so `write` and `read` cannot share one across processes
 * until the select call between them crosses the network.
 */
export const TARGETS = {
  all: ['distributor', 'query-frontend', 'control-plane-api', 'identity-api', 'console', 'collectors', 'server'],
  write: ['distributor', 'server'],
  read: ['query-frontend', 'server'],
  backend: ['control-plane-api', 'identity-api', 'console', 'server'],
} as const satisfies Record<string, readonly (keyof AmphoraModules)[]>;

/** amphoraModules registers Amphora's module graph (after Mimir's pkg/mimir/modules.go) and its targets. */
export function amphoraModules(env: AmphoraEnv): ModuleManager<AmphoraModules> {
  const m = new ModuleManager<AmphoraModules>();
  m.register('metadata-store', metadataStoreModule(env));
  m.register('storage', storageModule(env));
  m.register('control-plane', controlPlaneModule(env));
  m.register('identity', identityModule(env));
  m.register('self-metrics', selfMetricsModule(env));
  m.register('distributor', distributorModule(env));
  m.register('query-workers', queryWorkersModule(env));
  m.register('query-frontend', queryFrontendModule(env));
  m.register('control-plane-api', controlPlaneApiModule(env));
  m.register('identity-api', identityApiModule(env));
  m.register('console', consoleModule(env));
  m.register('collectors', collectorsModule(env));
  m.register('server', serverModule(env));
  for (const [target, deps] of Object.entries(TARGETS)) m.register(target as keyof typeof TARGETS, { deps });
  return m;
}
