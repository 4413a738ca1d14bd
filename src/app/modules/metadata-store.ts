import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openMetaDB } from '../../metadb/metadb.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/** metadataStoreModule opens `<data-dir>/meta.db`, the embedded SQLite database of the control plane and identity. */
export function metadataStoreModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'metadata-store'> {
  return {
    init: () => {
      mkdirSync(env.config.dataDir, { recursive: true });
      const db = openMetaDB(join(env.config.dataDir, 'meta.db'));
      return {
        db,
        stop: () => {
          db.close();
        },
      };
    },
  };
}
