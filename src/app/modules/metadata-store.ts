import { join } from 'node:path';
import { securePrivateTree } from '../../metadb/file-modes.js';
import { openMetaDB } from '../../metadb/metadb.js';
import { openSecrets } from '../../metadb/secrets/open.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/**
 * metadataStoreModule makes the data dir private (0700, files 0600), opens `<data-dir>/meta.db`, the
 * embedded SQLite database of the control plane and identity, and the key-encryption key that seals
 * its secrets (a wrong or missing key stops the start with a KekError).
 */
export function metadataStoreModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'metadata-store'> {
  return {
    init: () => {
      securePrivateTree(env.config.dataDir, env.logger);
      const db = openMetaDB(join(env.config.dataDir, 'meta.db'));
      let secrets;
      try {
        secrets = openSecrets(db, { settings: env.config.auth, dataDir: env.config.dataDir, logger: env.logger, now: env.now });
      } catch (err) {
        db.close();
        throw err;
      }
      return {
        db,
        secrets: secrets.box,
        stop: () => {
          db.close();
        },
      };
    },
  };
}
