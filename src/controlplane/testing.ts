import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../http/server.js';
import { openMetaDB, type MetaDB } from '../metadb/metadb.js';
import { nopLogger } from '../model/logger.js';
import { WorkspaceStorage } from '../tsdb/workspaces.js';
import { ControlPlane, type ControlPlaneOptions } from './control-plane.js';
import { controlPlaneRoutes, type ControlPlaneRoutesDeps } from './routes.js';

/** TestControlPlane is a running server with the control plane routes, a manual clock and its parts. */
export interface TestControlPlane {
  readonly endpoint: string;
  readonly app: FastifyInstance;
  readonly cp: ControlPlane;
  readonly db: MetaDB;
  readonly storage: WorkspaceStorage;
  readonly dataDir: string;
  /** clock is the injected time in ms; advance it to settle CREATING/UPDATING (ignored with realClock). */
  clock: number;
  close(): Promise<void>;
}

/** startTestControlPlane boots buildServer plus controlPlaneRoutes on 127.0.0.1 with a temp data dir (no auth hook). */
export async function startTestControlPlane(
  opts: Partial<Pick<ControlPlaneOptions, 'transitionDelayMs' | 'deletionDelayMs' | 'maxWorkspaces' | 'maxScrapers' | 'scraperProbe'>> & Partial<Pick<ControlPlaneRoutesDeps, 'rateLimit' | 'scrapers'>> & { dataDir?: string; db?: MetaDB; realClock?: boolean } = {},
): Promise<TestControlPlane> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'amphora-cp-'));
  const db = opts.db ?? openMetaDB(join(dataDir, 'meta.db'));
  const storage = new WorkspaceStorage({ dataDir, settings: () => ({ retention: 15 * 86_400_000, outOfOrderWindow: 0 }), tsdb: {} });
  const t: { clock: number } = { clock: 1_700_000_000_123 };
  const now = opts.realClock ? Date.now : (): number => t.clock;
  const cp = new ControlPlane({
    db,
    region: 'us-east-1',
    accountId: '123456789012',
    storage,
    dataDir,
    now,
    transitionDelayMs: opts.transitionDelayMs ?? 1000,
    deletionDelayMs: opts.deletionDelayMs ?? 0,
    ...(opts.maxWorkspaces !== undefined ? { maxWorkspaces: opts.maxWorkspaces } : {}),
    ...(opts.maxScrapers !== undefined ? { maxScrapers: opts.maxScrapers } : {}),
    ...(opts.scraperProbe ? { scraperProbe: opts.scraperProbe } : {}),
  });
  const app = await buildServer({
    storage,
    logger: nopLogger,
    plugins: [
      controlPlaneRoutes({
        db,
        region: 'us-east-1',
        accountId: '123456789012',
        publicBaseUrl: 'http://amphora.test:8080/',
        storage,
        now,
        logger: nopLogger,
        controlPlane: cp,
        ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
        ...(opts.scrapers ? { scrapers: opts.scrapers } : {}),
      }),
    ],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const self: TestControlPlane = {
    endpoint: `http://127.0.0.1:${port}`,
    app,
    cp,
    db,
    storage,
    dataDir,
    get clock() {
      return t.clock;
    },
    set clock(v: number) {
      t.clock = v;
    },
    close: async () => {
      await app.close();
      await cp.whenIdle();
      cp.close();
      await storage.closeAll();
      if (!opts.db) db.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

/** errorOf awaits a call expected to fail and returns what it threw (throws when it succeeded). */
export async function errorOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; [k: string]: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { [k: string]: unknown };
  }
  throw new Error('expected the call to fail');
}
