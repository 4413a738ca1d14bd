import { migrate, type MetaDB } from '../metadb/metadb.js';
import { eksClusterArn, type ArnScope } from '../auth/arn.js';
import { pageByCreation } from '../controlplane/pagination.js';
import type { Tags, TagStore } from '../controlplane/tag-store.js';
import type { ClusterConnection } from './connection.js';
import type { ClustersConfig } from './config.js';
import { EksError } from './errors.js';

/** CLUSTER_TAGS are the tags through which a cluster registered over the API says how to reach it. */
export const CLUSTER_TAGS = {
  /** apiServer is the API server URL. */
  apiServer: 'amphora.io/api-server',
  /** oidcIssuer is the service-account issuer URL DescribeCluster reports. */
  oidcIssuer: 'amphora.io/oidc-issuer',
  /** connection names credentials in the config's clusters.connections (tags never carry secrets or file paths). */
  connection: 'amphora.io/connection',
} as const;

/** ConnectorConfig is EKS's connectorConfig of a registered cluster. */
export interface ConnectorConfig {
  readonly roleArn: string;
  readonly provider: string;
}

/** ClusterRecord is a cluster as DescribeCluster reports it (createdAt in ms). */
export interface ClusterRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly status: 'ACTIVE' | 'PENDING';
  readonly endpoint?: string;
  readonly oidcIssuer?: string;
  readonly tags: Tags;
  /** connectorConfig is set for clusters registered through the API (absent for the config file's). */
  readonly connectorConfig?: ConnectorConfig;
  /** connection is how to reach the API server (null when nothing says where it is). */
  readonly connection: ClusterConnection | null;
}

interface Row {
  name: string;
  arn: string;
  created_at: number;
  connector: string;
  client_token: string | null;
}

/** CLUSTER_MAX is how many clusters may be registered through the API (EKS allows 10 registered clusters per Region by default). */
export const CLUSTER_MAX = 100;

/** ClusterStore is the EKS-compatible cluster registry: clusters from the config file plus clusters registered through the API (SQLite). */
export class ClusterStore {
  private readonly rows = new Map<string, Row>();
  private readonly startedAt: number;

  constructor(
    private readonly db: MetaDB,
    private readonly tags: TagStore,
    private readonly opts: { scope: ArnScope; now: () => number; config: ClustersConfig },
  ) {
    migrate(db, 'clusters', [
      { id: '001_clusters', sql: 'CREATE TABLE eks_clusters (name TEXT PRIMARY KEY, arn TEXT NOT NULL, created_at INTEGER NOT NULL, connector TEXT NOT NULL, client_token TEXT)' },
    ]);
    for (const r of db.prepare('SELECT * FROM eks_clusters').all() as Row[]) this.rows.set(r.name, r);
    this.startedAt = opts.now();
  }

  /** register adds a cluster (ResourceInUseException when the name is taken); tags may say how to reach it. */
  register(input: { name: string; connectorConfig: ConnectorConfig; tags?: Tags; clientRequestToken?: string }): ClusterRecord {
    const prior = this.rows.get(input.name);
    if (prior) {
      if (input.clientRequestToken !== undefined && prior.client_token === input.clientRequestToken) return this.describe(input.name);
      throw new EksError('ResourceInUseException', `Cluster already exists with name: ${input.name}`, input.name);
    }
    if (this.staticCluster(input.name)) throw new EksError('ResourceInUseException', `Cluster already exists with name: ${input.name} (defined in Amphora's config)`, input.name);
    if (this.rows.size >= CLUSTER_MAX) throw new EksError('ResourceLimitExceededException', `Registered clusters limit of ${CLUSTER_MAX} reached; deregister a cluster first`, input.name);
    this.checkTags({}, input.tags ?? {});
    const row: Row = { name: input.name, arn: eksClusterArn(this.opts.scope, input.name), created_at: this.opts.now(), connector: JSON.stringify(input.connectorConfig), client_token: input.clientRequestToken ?? null };
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO eks_clusters (name, arn, created_at, connector, client_token) VALUES (@name, @arn, @created_at, @connector, @client_token)').run(row);
      if (input.tags && Object.keys(input.tags).length > 0) this.tags.tag(row.arn, input.tags);
    })();
    this.rows.set(row.name, row);
    return this.describe(row.name);
  }

  /** describe returns a cluster or throws ResourceNotFoundException. */
  describe(name: string): ClusterRecord {
    const s = this.staticCluster(name);
    if (s) {
      const { name: n, oidcIssuer, tags, ...connection } = s;
      const hasServer = connection.apiServer !== undefined || connection.kubeconfig !== undefined;
      return {
        name: n,
        arn: eksClusterArn(this.opts.scope, n),
        createdAt: this.startedAt,
        status: hasServer ? 'ACTIVE' : 'PENDING',
        ...(connection.apiServer !== undefined ? { endpoint: connection.apiServer } : {}),
        ...(oidcIssuer !== undefined ? { oidcIssuer } : {}),
        tags: { ...(tags ?? {}), ...this.tags.tagsOf(eksClusterArn(this.opts.scope, n)) },
        connection: hasServer ? connection : null,
      };
    }
    const r = this.rows.get(name);
    if (!r) throw new EksError('ResourceNotFoundException', `No cluster found for name: ${name}.`, name);
    const tags = this.tags.tagsOf(r.arn);
    const apiServer = tags[CLUSTER_TAGS.apiServer];
    const named = tags[CLUSTER_TAGS.connection] !== undefined ? this.opts.config.connections[tags[CLUSTER_TAGS.connection]!] : undefined;
    const connection: ClusterConnection | null = named !== undefined ? named : apiServer !== undefined ? { apiServer } : null;
    return {
      name: r.name,
      arn: r.arn,
      createdAt: r.created_at,
      status: connection ? 'ACTIVE' : 'PENDING',
      ...(connection?.apiServer !== undefined ? { endpoint: connection.apiServer } : {}),
      ...(tags[CLUSTER_TAGS.oidcIssuer] !== undefined ? { oidcIssuer: tags[CLUSTER_TAGS.oidcIssuer] } : {}),
      tags,
      connectorConfig: JSON.parse(r.connector) as ConnectorConfig,
      connection,
    };
  }

  /** byArn returns the cluster an EKS ARN of this account and region names, or null. */
  byArn(arn: string): ClusterRecord | null {
    const prefix = eksClusterArn(this.opts.scope, '');
    if (!arn.startsWith(prefix)) return null;
    try {
      return this.describe(arn.slice(prefix.length));
    } catch (err) {
      if (err instanceof EksError) return null;
      throw err;
    }
  }

  /** list returns cluster names: the config file's always, API-registered ones with include=all (as EKS lists connected clusters). */
  list(opts: { includeRegistered: boolean; maxResults: number; nextToken?: string }): { names: string[]; nextToken?: string } {
    const items = [
      ...this.opts.config.static.map((s) => ({ name: s.name, c: 0 })),
      ...(opts.includeRegistered ? [...this.rows.values()].map((r) => ({ name: r.name, c: r.created_at })) : []),
    ];
    try {
      const { page, nextToken } = pageByCreation(items, (x) => ({ c: x.c, i: x.name }), opts.maxResults, opts.nextToken);
      return { names: page.map((x) => x.name), ...(nextToken ? { nextToken } : {}) };
    } catch {
      throw new EksError('InvalidParameterException', 'The nextToken is invalid');
    }
  }

  /** deregister removes an API-registered cluster and returns it as it was; config clusters cannot be deregistered. */
  deregister(name: string): ClusterRecord {
    if (this.staticCluster(name)) throw new EksError('InvalidRequestException', `Cluster ${name} is defined in Amphora's config; remove it there`, name);
    const rec = this.describe(name);
    this.db.prepare('DELETE FROM eks_clusters WHERE name = ?').run(name);
    this.tags.removeAll(rec.arn);
    this.rows.delete(name);
    return rec;
  }

  /** tag adds tags to a cluster (connection tags are checked as on registration). */
  tag(name: string, tags: Tags): void {
    const rec = this.describe(name);
    if (this.staticCluster(name)) throw new EksError('InvalidRequestException', `Cluster ${name} is defined in Amphora's config; change its tags there`, name);
    this.checkTags(rec.tags, tags);
    this.tags.tag(rec.arn, tags);
  }

  /** untag removes tag keys from a cluster. */
  untag(name: string, keys: readonly string[]): void {
    this.tags.untag(this.describe(name).arn, keys);
  }

  private staticCluster(name: string): ClustersConfig['static'][number] | undefined {
    return this.opts.config.static.find((s) => s.name === name);
  }

  /** checkTags validates the connection tags a cluster would have after adding `added` to `current`. */
  private checkTags(current: Tags, added: Tags): void {
    const tags = { ...current, ...added };
    const server = tags[CLUSTER_TAGS.apiServer];
    if (server !== undefined && !/^https?:\/\/[^/\s]+(\/.*)?$/.test(server)) throw new EksError('InvalidParameterException', `tag ${CLUSTER_TAGS.apiServer} must be an http(s) URL`);
    const issuer = tags[CLUSTER_TAGS.oidcIssuer];
    if (issuer !== undefined && !/^https:\/\/[^/\s]+(\/.*)?$/.test(issuer)) throw new EksError('InvalidParameterException', `tag ${CLUSTER_TAGS.oidcIssuer} must be an https URL`);
    const conn = tags[CLUSTER_TAGS.connection];
    if (conn === undefined) return;
    const named = this.opts.config.connections[conn];
    if (named === undefined) throw new EksError('InvalidParameterException', `tag ${CLUSTER_TAGS.connection}: no connection ${JSON.stringify(conn)} in Amphora's config (clusters.connections)`);
    // A connection's credentials go only to the server it names, never to one a tag chooses.
    if (named.apiServer === undefined && named.kubeconfig === undefined) throw new EksError('InvalidParameterException', `connection ${JSON.stringify(conn)} names no apiServer or kubeconfig in Amphora's config, so it cannot be used from a tag`);
    if (server !== undefined && server !== named.apiServer) throw new EksError('InvalidParameterException', `tag ${CLUSTER_TAGS.apiServer} must be absent or equal to the apiServer of connection ${JSON.stringify(conn)}`);
  }
}
