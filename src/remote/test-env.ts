import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressSync } from 'snappy';
import { Registry } from 'prom-client';
import { defaultWorkspaceLimits, type WorkspaceInfo, type WorkspaceLimits, type WorkspaceLookup } from '../controlplane/limits.js';
import { labelsToString } from '../model/labels.js';
import { nopLogger } from '../model/logger.js';
import { newMatcher } from '../model/matcher.js';
import type { WALFileSystem } from '../tsdb/wal/fs.js';
import { WorkspaceStorage } from '../tsdb/workspaces.js';
import { ExemplarStore } from './exemplar-store.js';
import { RemoteWriteHandler, type RemoteWriteOptions } from './handler.js';
import { MetadataStore } from './metadata-store.js';

/** TestEnv is a remote-write handler over real per-workspace TSDBs in a temp dir (tests and benchmarks). */
export interface TestEnv {
  dir: string;
  storage: WorkspaceStorage;
  workspaces: WorkspaceLookup & { limitsById: Map<string, WorkspaceLimits>; add(id: string): void };
  metadata: MetadataStore;
  exemplars: ExemplarStore;
  registry: Registry;
  handler: RemoteWriteHandler;
  close(): Promise<void>;
}

/** newTestEnv builds a TestEnv with the given workspaces (default limits unless overridden). */
export function newTestEnv(ids: readonly string[], opts: { sync?: boolean; options?: Partial<RemoteWriteOptions>; walFileSystem?: WALFileSystem; dir?: string } = {}): TestEnv {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'amphora-rw-'));
  const known = new Set(ids);
  const limitsById = new Map<string, WorkspaceLimits>();
  const workspaces = {
    limitsById,
    add: (id: string) => void known.add(id),
    get: (id: string): WorkspaceInfo | null =>
      known.has(id) ? { workspaceId: id, arn: `arn:aws:aps:us-east-1:000000000000:workspace/${id}`, status: 'ACTIVE', tags: {} } : null,
    limits: (id: string): WorkspaceLimits => limitsById.get(id) ?? defaultWorkspaceLimits(),
  };
  const storage = new WorkspaceStorage({
    dataDir: dir,
    settings: () => ({ retention: 150 * 86_400_000, outOfOrderWindow: 0 }),
    tsdb: { sync: opts.sync ?? false, compactionInterval: 0, ...(opts.walFileSystem ? { walFileSystem: opts.walFileSystem } : {}) },
  });
  const metadata = new MetadataStore();
  const exemplars = new ExemplarStore();
  const registry = new Registry();
  const handler = new RemoteWriteHandler({ storage, workspaces, metadata, exemplars, registry, logger: nopLogger, options: opts.options });
  return {
    dir,
    storage,
    workspaces,
    metadata,
    exemplars,
    registry,
    handler,
    async close() {
      await storage.closeAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** snappy compresses a request body in the block format. */
export function snappy(raw: Uint8Array): Buffer {
  return compressSync(Buffer.from(raw.buffer, raw.byteOffset, raw.length)) as Buffer;
}

/** V2_CONTENT_TYPE is the 2.0 Content-Type. */
export const V2_CONTENT_TYPE = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';

/** dumpSeries reads every series of a workspace as `name{labels}` -> [t, v] pairs (tests). */
export async function dumpSeries(storage: WorkspaceStorage, ws: string): Promise<Record<string, [number, number][]>> {
  const db = await storage.get(ws);
  const q = db.querier(-Infinity, Infinity);
  const ss = q.select(true, undefined, [newMatcher('=~', '__name__', '.+')]);
  const out: Record<string, [number, number][]> = {};
  while (ss.next()) {
    const s = ss.at();
    const it = s.iterator();
    const pts: [number, number][] = [];
    while (it.next()) pts.push([it.atT(), it.atV()]);
    out[labelsToString(s.labels)] = pts;
  }
  q.close();
  return out;
}
