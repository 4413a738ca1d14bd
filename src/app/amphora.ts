import { mkdirSync } from 'node:fs';
import { pino } from 'pino';
import { ensureRootCredentials, type Credentials } from '../auth/root-credentials.js';
import { buildServer } from '../http/server.js';
import { WorkspaceStorage } from '../tsdb/workspaces.js';
import type { Config } from './config.js';

/** RunningAmphora is a started service. */
export interface RunningAmphora {
  /** address is the base URL the server listens on. */
  readonly address: string;
  readonly rootCredentials: Credentials;
  /** storage is the per-workspace TSDB manager. */
  readonly storage: WorkspaceStorage;
  /** close stops the listener and closes every workspace's storage cleanly. */
  close(): Promise<void>;
}

/** startAmphora composes every module from the configuration and starts listening. */
export async function startAmphora(config: Config): Promise<RunningAmphora> {
  const logger = pino({ level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true });
  const root = ensureRootCredentials(config.dataDir, { accessKeyId: config.rootAccessKeyId, secretAccessKey: config.rootSecretAccessKey });
  if (root.created) {
    process.stdout.write(
      `Generated root credentials (saved to ${root.file}, profile "amphora"):\n` +
        `  aws_access_key_id = ${root.credentials.accessKeyId}\n  aws_secret_access_key = ${root.credentials.secretAccessKey}\n`,
    );
  }
  const day = 86_400_000;
  const storage = new WorkspaceStorage({
    dataDir: config.dataDir,
    settings: () => ({ retention: config.storage.defaultRetentionDays * day, outOfOrderWindow: config.storage.defaultOutOfOrderWindowMs }),
    tsdb: { blockRange: config.storage.blockRangeMs },
    logger,
  });
  const server = await buildServer({ storage, logger });
  const [host, port] = splitHostPort(config.listen);
  await server.listen({ host, port });
  const address = `http://${host}:${(server.server.address() as { port: number }).port}`;
  logger.info({ address, dataDir: config.dataDir }, 'Amphora listening');
  return {
    address,
    rootCredentials: root.credentials,
    storage,
    close: async () => {
      await server.close();
      await storage.closeAll();
    },
  };
}

function splitHostPort(listen: string): [string, number] {
  const i = listen.lastIndexOf(':');
  return [listen.slice(0, i), Number(listen.slice(i + 1))];
}
