import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { RouteAuth } from '../http/route-auth.js';
import { createAuthHook } from '../auth/authn/hook.js';
import { handleIamAction } from '../auth/iam/iam-actions.js';
import { JwksSource } from '../auth/oidc/jwks.js';
import { ensureRootCredentials, type Credentials } from '../auth/root-credentials.js';
import { SqliteIdentityStore } from '../auth/store/identity-store.js';
import { iamStsRoutes } from '../auth/sts/routes.js';
import { ControlPlane } from '../controlplane/control-plane.js';
import { controlPlaneRoutes } from '../controlplane/routes.js';
import { buildServer, type RoutePlugin } from '../http/server.js';
import { newSelfMetricsRegistry, registerStorageMetrics, selfMetricsRoutes } from '../http/self-metrics.js';
import { ExemplarStore } from '../remote/exemplar-store.js';
import { MetadataStore } from '../remote/metadata-store.js';
import { remoteWriteRoutes } from '../remote/routes.js';
import { prometheusApiRoutes } from '../http/prometheus/index.js';
import { startQueryService } from '../query/service.js';
import { exemplarSource, metadataSource } from './query-sources.js';
import { openMetaDB } from '../metadb/metadb.js';
import { WorkspaceStorage } from '../tsdb/workspaces.js';
import type { Config } from './config.js';

const DAY = 86_400_000;

/** RunningAmphora is a started service. */
export interface RunningAmphora {
  /** address is the base URL the server listens on. */
  readonly address: string;
  readonly rootCredentials: Credentials;
  /** storage is the per-workspace TSDB manager. */
  readonly storage: WorkspaceStorage;
  /** controlPlane holds workspaces, their configuration, policies, tags and logging. */
  readonly controlPlane: ControlPlane;
  /** close stops the listener and closes every module cleanly. */
  close(): Promise<void>;
}

/** startAmphora composes every module from the configuration and starts listening. */
export async function startAmphora(config: Config): Promise<RunningAmphora> {
  const logger = pino({ level: config.logLevel });
  const now = (): number => Date.now();
  mkdirSync(config.dataDir, { recursive: true });
  const root = ensureRootCredentials(config.dataDir, { accessKeyId: config.rootAccessKeyId, secretAccessKey: config.rootSecretAccessKey });
  if (root.created) {
    process.stdout.write(
      `Generated root credentials (saved to ${root.file}, profile "amphora"):\n` +
        `  aws_access_key_id = ${root.credentials.accessKeyId}\n  aws_secret_access_key = ${root.credentials.secretAccessKey}\n`,
    );
  }
  const metaDb = openMetaDB(join(config.dataDir, 'meta.db'));
  const identity = new SqliteIdentityStore({ db: metaDb, accountId: config.accountId, root: root.credentials, now });

  let controlPlane: ControlPlane | null = null;
  const storage = new WorkspaceStorage({
    dataDir: config.dataDir,
    settings: (id) => {
      const limits = controlPlane!.workspaces.limits(id);
      return { retention: limits.retentionPeriodInDays * DAY, outOfOrderWindow: limits.outOfOrderWindowMs };
    },
    tsdb: { blockRange: config.storage.blockRangeMs },
    logger,
  });
  const cp = new ControlPlane({ db: metaDb, region: config.region, accountId: config.accountId, storage, dataDir: config.dataDir, now, logger });
  controlPlane = cp;

  let address = config.publicBaseUrl ?? `http://${config.listen}`;
  const awsJsonAuth = (action: string, resource: RouteAuth['resource']): RouteAuth => ({ service: 'aps', action, resource, errorShape: 'aws-json' });
  const workspaceArn = (req: { params: unknown }): string =>
    `arn:aws:aps:${config.region}:${config.accountId}:workspace/${(req.params as { workspaceId: string }).workspaceId}`;
  const registry = newSelfMetricsRegistry();
  registerStorageMetrics(registry, storage);
  const metadata = new MetadataStore();
  const exemplars = new ExemplarStore();
  const remoteWrite = remoteWriteRoutes({
    storage,
    workspaces: cp.workspaces,
    metadata,
    exemplars,
    registry,
    logger,
    auth: (action) => awsJsonAuth(action, workspaceArn),
    onRejected: (id, entry) => cp.logSink?.log(id, 'ingestion', entry),
  });
  cp.addDeletionHook((id) => {
    remoteWrite.handler.forgetWorkspace(id);
    metadata.deleteWorkspace(id);
    exemplars.deleteWorkspace(id);
  });
  const query = startQueryService({ config: config.query, workspaces: cp.workspaces, registry, logger });
  const plugins: RoutePlugin[] = [
    selfMetricsRoutes(registry),
    remoteWrite,
    prometheusApiRoutes({
      storage,
      workspaces: cp.workspaces,
      queries: query.frontend,
      metadata: metadataSource(metadata),
      exemplars: exemplarSource(exemplars),
      auth: (action, resource) => ({ service: 'aps', action, resource, errorShape: 'prometheus' }),
      logger,
      now,
      onQuery: (id, entry) => cp.logSink?.log(id, 'query', entry),
    }),
    iamStsRoutes({
      store: identity,
      jwks: new JwksSource({ now }),
      logger,
      now,
      iam: (params, authorize, caller) => handleIamAction(identity, authorize, params, { caller }),
    }),
    controlPlaneRoutes({
      db: metaDb,
      region: config.region,
      accountId: config.accountId,
      publicBaseUrl: () => config.publicBaseUrl ?? address,
      storage,
      auth: awsJsonAuth,
      logger,
      controlPlane: cp,
    }),
  ];
  const server = await buildServer({
    storage,
    logger,
    authenticate: createAuthHook({
      store: identity,
      region: config.region,
      logger,
      now,
      resourcePolicy: (arn) => cp.resourcePolicy(arn),
      resourceTags: (arn) => cp.resourceTags(arn),
    }),
    plugins,
  });
  const [host, port] = splitHostPort(config.listen);
  await server.listen({ host, port });
  address = `http://${host}:${(server.server.address() as { port: number }).port}`;
  logger.info({ address, dataDir: config.dataDir }, 'Amphora listening');
  return {
    address,
    rootCredentials: root.credentials,
    storage,
    controlPlane: cp,
    close: async () => {
      await server.close();
      await query.close();
      await cp.whenIdle();
      cp.close();
      await storage.closeAll();
      metaDb.close();
    },
  };
}

function splitHostPort(listen: string): [string, number] {
  const i = listen.lastIndexOf(':');
  return [listen.slice(0, i), Number(listen.slice(i + 1))];
}
