import { pino } from 'pino';
import type { Credentials } from '../auth/root-credentials.js';
import type { ControlPlane } from '../controlplane/control-plane.js';
import type { WorkspaceStorage } from '../tsdb/workspaces.js';
import type { Config } from './config.js';
import { amphoraModules } from './graph.js';
import type { AmphoraEnv } from './services.js';

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

/** startAmphora starts the modules of the configured target (default all) and listens; see src/app/graph.ts. */
export async function startAmphora(config: Config): Promise<RunningAmphora> {
  const logger = pino({ level: config.logLevel });
  let address = config.publicBaseUrl ?? `http://${config.listen}`;
  const env: AmphoraEnv = {
    config,
    logger,
    now: () => Date.now(),
    publicUrl: () => config.publicBaseUrl ?? address,
    setAddress: (a) => {
      address = a;
    },
  };
  const running = await amphoraModules(env).start(config.target);
  logger.debug({ target: config.target, modules: running.order }, 'modules started');
  const identity = running.get('identity');
  return {
    address: running.get('server').address,
    rootCredentials: identity.rootCredentials,
    storage: running.get('storage').workspaces,
    controlPlane: running.get('control-plane').controlPlane,
    close: () => running.stop(),
  };
}
