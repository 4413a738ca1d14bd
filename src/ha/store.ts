import { migrate, type MetaDB, type Migration } from '../metadb/metadb.js';
import type { Election, ElectionStore } from './tracker.js';

/** HA_MODULE is the migration namespace of the HA tracker's tables in the metadata database. */
export const HA_MODULE = 'ha';

/** HA_MIGRATIONS create the elections table; ids start at 050 to stay clear of other modules' numbering. */
export const HA_MIGRATIONS: readonly Migration[] = [
  {
    id: '050_ha_elections',
    sql: `CREATE TABLE ha_elections (
      workspace_id TEXT NOT NULL,
      cluster TEXT NOT NULL,
      replica TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (workspace_id, cluster)
    )`,
  },
];

interface Row {
  workspace_id: string;
  cluster: string;
  replica: string;
  received_at: number;
}

/** sqliteElectionStore keeps HA elections in the metadata database (migrating it first), so they survive a restart. */
export function sqliteElectionStore(db: MetaDB): ElectionStore {
  migrate(db, HA_MODULE, HA_MIGRATIONS);
  const all = db.prepare('SELECT workspace_id, cluster, replica, received_at FROM ha_elections');
  const put = db.prepare(
    'INSERT INTO ha_elections (workspace_id, cluster, replica, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, cluster) DO UPDATE SET replica = excluded.replica, received_at = excluded.received_at',
  );
  const del = db.prepare('DELETE FROM ha_elections WHERE workspace_id = ? AND cluster = ?');
  const delWs = db.prepare('DELETE FROM ha_elections WHERE workspace_id = ?');
  return {
    loadAll: () => (all.all() as Row[]).map((r) => ({ workspaceId: r.workspace_id, cluster: r.cluster, replica: r.replica, receivedAt: r.received_at })),
    put: (e: Election) => void put.run(e.workspaceId, e.cluster, e.replica, e.receivedAt),
    delete: (ws, cluster) => void del.run(ws, cluster),
    deleteWorkspace: (ws) => void delWs.run(ws),
  };
}
