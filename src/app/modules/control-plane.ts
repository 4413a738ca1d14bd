import { ControlPlane } from '../../controlplane/control-plane.js';
import { ClusterStore } from '../../clusters/cluster-store.js';
import { clusterProbe } from '../../clusters/probe.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

const DAY = 86_400_000;

/**
 * controlPlaneModule is the control plane's state (workspaces and their limits, policies, tags,
 * logging) in the metadata store. Every target runs it: writes, reads and the AMP API all look
 * workspaces up. It supplies the storage module's per-workspace settings and removes a deleted
 * workspace's data, exemplars and metadata.
 */
export function controlPlaneModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'control-plane'> {
  return {
    deps: ['metadata-store', 'storage'],
    init: (deps) => {
      const { config, logger, now } = env;
      const storage = deps.get('storage');
      let clusters: ClusterStore | undefined;
      const controlPlane = new ControlPlane({
        db: deps.get('metadata-store').db,
        region: config.region,
        accountId: config.accountId,
        storage: storage.workspaces,
        dataDir: config.dataDir,
        now,
        logger,
        maxScrapers: config.scrapers.maxScrapers,
        scraperProbe: (source) => clusterProbe(clusters!)(source),
      });
      clusters = new ClusterStore(deps.get('metadata-store').db, controlPlane.tags, { scope: controlPlane.scope, now, config: config.clusters });
      storage.bindSettings((id) => {
        const limits = controlPlane.workspaces.limits(id);
        return { retention: limits.retentionPeriodInDays * DAY, outOfOrderWindow: limits.outOfOrderWindowMs };
      });
      controlPlane.addDeletionHook((id) => {
        storage.metadata.deleteWorkspace(id);
        storage.exemplars.deleteWorkspace(id);
      });
      return {
        controlPlane,
        clusters,
        stop: async () => {
          await controlPlane.whenIdle();
          controlPlane.close();
        },
      };
    },
  };
}
