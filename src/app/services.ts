import type { AuthHooks } from '../auth/authn/hook.js';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Credentials } from '../auth/root-credentials.js';
import type { SqliteIdentityStore } from '../auth/store/identity-store.js';
import type { ControlPlane } from '../controlplane/control-plane.js';
import type { ClusterStore } from '../clusters/cluster-store.js';
import type { ScraperRuntime } from '../scrape/runtime.js';
import type { RoutePlugin } from '../http/server.js';
import type { MetaDB } from '../metadb/metadb.js';
import type { SecretBox } from '../metadb/secrets/secret-box.js';
import type { Logger } from '../model/logger.js';
import type { QueryService } from '../http/prometheus/deps.js';
import type { QueryFrontend } from '../query/frontend.js';
import type { QueryPool } from '../query/pool.js';
import type { ExemplarStore } from '../remote/exemplar-store.js';
import type { MetadataStore } from '../remote/metadata-store.js';
import type { WorkspaceSettings, WorkspaceStorage } from '../tsdb/workspaces.js';
import type { Config } from './config.js';
import type { ModuleService } from './modules.js';

/** AmphoraEnv is what every module's init sees besides its dependencies: configuration, logger, clock. */
export interface AmphoraEnv {
  readonly config: Config;
  readonly logger: Logger;
  readonly now: () => number;
  /** publicUrl is config.publicBaseUrl, else the address the server module bound (known once it listens). */
  publicUrl(): string;
  /** setAddress records the bound address (the server module calls it after listening). */
  setAddress(address: string): void;
}

/** RouteModule is a module that serves HTTP routes; the server module registers them. */
export interface RouteModule extends ModuleService {
  readonly routes: RoutePlugin;
}

/** MetadataStoreService is the embedded SQLite metadata database (control plane, identity). */
export interface MetadataStoreService extends ModuleService {
  readonly db: MetaDB;
  /** secrets seals secrets stored in db under the key-encryption key. */
  readonly secrets: SecretBox;
}

/** StorageService is the per-workspace storage: TSDBs, and the exemplar and metadata stores. */
export interface StorageService extends ModuleService {
  readonly workspaces: WorkspaceStorage;
  readonly metadata: MetadataStore;
  readonly exemplars: ExemplarStore;
  /** bindSettings supplies each workspace's retention and out-of-order window (the control-plane module owns the limits). */
  bindSettings(settings: (workspaceId: string) => WorkspaceSettings): void;
}

/** ControlPlaneService is the control plane's state: workspaces, limits, policies, tags, logging. */
export interface ControlPlaneService extends ModuleService {
  readonly controlPlane: ControlPlane;
  /** clusters is the EKS-compatible cluster registry scrapers take their sources from. */
  readonly clusters: ClusterStore;
}

/** IdentityService authenticates (SigV4) and authorises (IAM) every request. */
export interface IdentityService extends ModuleService {
  readonly store: SqliteIdentityStore;
  readonly rootCredentials: Credentials;
  readonly authenticate: AuthHooks;
}

/** SelfMetricsService is the process's metrics registry and its /metrics route. */
export interface SelfMetricsService extends RouteModule {
  readonly registry: Registry;
}

/** QueryWorkersService is the query worker pool and the frontend that queues work onto it. */
export interface QueryWorkersService extends ModuleService {
  readonly frontend: QueryFrontend;
  readonly pool: QueryPool;
}

/** QueryFrontendService serves the Prometheus query API; its queries run on the query workers. */
export interface QueryFrontendService extends RouteModule {
  readonly queries: QueryService;
}

/** ServerService is the HTTP listener. */
export interface ServerService extends ModuleService {
  readonly app: FastifyInstance;
  /** address is the base URL the server listens on. */
  readonly address: string;
}

/** CollectorsService runs the managed scrapers. */
export interface CollectorsService extends RouteModule {
  readonly runtime: ScraperRuntime;
}

/** AmphoraModules maps every module and meta-target of the graph to its service type. */
export interface AmphoraModules {
  'metadata-store': MetadataStoreService;
  storage: StorageService;
  'control-plane': ControlPlaneService;
  identity: IdentityService;
  'self-metrics': SelfMetricsService;
  distributor: RouteModule;
  'query-workers': QueryWorkersService;
  'query-frontend': QueryFrontendService;
  'control-plane-api': RouteModule;
  'identity-api': RouteModule;
  console: RouteModule;
  collectors: CollectorsService;
  server: ServerService;
  all: undefined;
  write: undefined;
  read: undefined;
  backend: undefined;
}
