import { cpSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Block } from '../tsdb/block/block.js';
import { isULID } from '../tsdb/block-dirs.js';
import { isValidWorkspaceId } from '../tsdb/workspaces.js';
import { importPrometheusDataDir } from '../tsdb/import/data-dir.js';

/** importBlock verifies a Prometheus block (checksums included) and copies it into a workspace; a running server picks it up on its next block reload. */
export function importBlock(opts: { dataDir: string; blockDir: string; workspace: string }): string {
  if (!isValidWorkspaceId(opts.workspace)) throw new Error(`invalid workspace id ${JSON.stringify(opts.workspace)}`);
  const src = resolve(opts.blockDir);
  const ulid = basename(src);
  if (!isULID(ulid)) throw new Error(`${src} is not a block directory (its name must be the block's ULID)`);
  const block = Block.open(src);
  block.close();
  const wsDir = join(opts.dataDir, 'workspaces', opts.workspace);
  const dst = join(wsDir, ulid);
  if (existsSync(dst)) throw new Error(`block ${ulid} already exists in workspace ${opts.workspace}`);
  mkdirSync(wsDir, { recursive: true });
  const tmp = `${dst}.tmp-for-creation`;
  cpSync(src, tmp, { recursive: true });
  renameSync(tmp, dst);
  return ulid;
}

/**
 * importPath imports a Prometheus block directory (named by its ULID) or a whole Prometheus data
 * directory (blocks and WAL, see importPrometheusDataDir) into a workspace; returns what it did.
 */
export async function importPath(opts: { dataDir: string; path: string; workspace: string }): Promise<string> {
  if (!isValidWorkspaceId(opts.workspace)) throw new Error(`invalid workspace id ${JSON.stringify(opts.workspace)}`);
  const src = resolve(opts.path);
  if (isULID(basename(src)) && existsSync(join(src, 'meta.json'))) {
    return `imported block ${importBlock({ dataDir: opts.dataDir, blockDir: src, workspace: opts.workspace })} into workspace ${opts.workspace}`;
  }
  const r = await importPrometheusDataDir({ src, dst: join(opts.dataDir, 'workspaces', opts.workspace) });
  return `imported ${r.blocks.length} block(s) and ${r.walSamples} WAL sample(s) of ${r.walSeries} series (as ${r.walBlocks.length} block(s)) from ${src} into workspace ${opts.workspace}`;
}
