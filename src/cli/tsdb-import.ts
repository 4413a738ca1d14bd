import { cpSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Block } from '../tsdb/block/block.js';
import { isULID } from '../tsdb/block-dirs.js';
import { isValidWorkspaceId } from '../tsdb/workspaces.js';

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
