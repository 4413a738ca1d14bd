import { ExemplarStore } from '../../remote/exemplar-store.js';
import { MetadataStore } from '../../remote/metadata-store.js';
import { WorkspaceStorage, type WorkspaceSettings } from '../../tsdb/workspaces.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';
import { lockDataDir } from './data-dir-lock.js';

/**
 * storageModule is the per-workspace storage: one TSDB per workspace under the data dir, plus the
 * in-memory exemplar and metadata stores. It locks the data dir: one process owns a data dir, since
 * the heads and WALs in it cannot be shared across processes (the select call that would let a
 * `read` process query another process's heads does not exist yet).
 */
export function storageModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'storage'> {
  return {
    init: () => {
      const lock = lockDataDir(env.config.dataDir, env.config.target);
      let settings: ((id: string) => WorkspaceSettings) | null = null;
      const workspaces = new WorkspaceStorage({
        dataDir: env.config.dataDir,
        settings: (id) => {
          if (settings === null) throw new Error(`workspace ${id} opened before the control-plane module supplied its settings`);
          return settings(id);
        },
        tsdb: { blockRange: env.config.storage.blockRangeMs, walCompression: env.config.storage.walCompression },
        logger: env.logger,
      });
      return {
        workspaces,
        metadata: new MetadataStore(),
        exemplars: new ExemplarStore(),
        bindSettings: (fn) => {
          settings = fn;
        },
        stop: async () => {
          try {
            await workspaces.closeAll();
          } finally {
            lock.release();
          }
        },
      };
    },
  };
}
