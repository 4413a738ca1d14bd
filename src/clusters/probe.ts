import type { ScraperSource, SourceProbe } from '../controlplane/scraper-store.js';
import type { ClusterStore } from './cluster-store.js';
import { ConnectionError, resolveConnection } from './connection.js';
import { kubeGet, readBody } from './kube-client.js';

/** clusterProbe is the scraper SourceProbe: the source cluster must be registered, reachable and accept the scraper's credentials (GET /version). */
export function clusterProbe(clusters: ClusterStore, opts: { timeoutMs?: number } = {}): SourceProbe {
  return async (source: ScraperSource): Promise<string | null> => {
    if (!('eksConfiguration' in source)) return 'Amphora scrapes registered clusters only (eksConfiguration)';
    const c = clusters.byArn(source.eksConfiguration.clusterArn);
    if (!c) return `cluster ${source.eksConfiguration.clusterArn} is not registered`;
    if (!c.connection) return `cluster ${c.name} has no API server: tag it ${'amphora.io/api-server'} or define it in Amphora's config`;
    let conn;
    try {
      conn = resolveConnection(c.connection);
    } catch (err) {
      if (err instanceof ConnectionError) return `cluster ${c.name}: ${err.message}`;
      throw err;
    }
    try {
      const res = await kubeGet(conn, '/version', { timeoutMs: opts.timeoutMs ?? 10_000 });
      await readBody(res, 1 << 20).catch(() => '');
      if (res.statusCode === 401 || res.statusCode === 403) return `cluster ${c.name} refused the scraper's credentials (HTTP ${res.statusCode}); grant it access (RBAC) or fix the token`;
      if ((res.statusCode ?? 0) >= 300) return `cluster ${c.name} API server answered HTTP ${res.statusCode} to GET /version`;
      return null;
    } catch (err) {
      return `cluster ${c.name} is unreachable at ${conn.apiServer}: ${(err as Error).message}`;
    }
  };
}
