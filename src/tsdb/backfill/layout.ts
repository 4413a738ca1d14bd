import { isULID } from '../block-dirs.js';

/** BlockLayoutError is a tar member that has no place in a Prometheus block. */
export class BlockLayoutError extends Error {
  override name = 'BlockLayoutError';
}

/** BlockMember is where a tar member goes inside the block: a file or a directory, relative to the block root. */
export interface BlockMember {
  /** root is the ULID directory the archive wraps the block in, or '' when the files are at the top. */
  readonly root: string;
  /** rel is `meta.json`, `index`, `tombstones`, `chunks` or `chunks/NNNNNN`; '' for the root directory itself. */
  readonly rel: string;
}

const FILES = new Set(['meta.json', 'index', 'tombstones']);
const CHUNK_SEGMENT = /^chunks\/\d{6}$/;

/**
 * blockMember maps an archive path onto the block layout: `[./][<ULID>/]{meta.json,index,tombstones,chunks/NNNNNN}`
 * (and the directories `<ULID>/`, `chunks/`). Absolute paths, `..`, backslashes, NUL bytes and any
 * other name are refused, so nothing is ever written outside the staging directory.
 */
export function blockMember(path: string, kind: 'file' | 'directory'): BlockMember {
  const shown = JSON.stringify(path);
  if (path.includes('\0') || path.includes('\\')) throw new BlockLayoutError(`tar member ${shown}: NUL bytes and backslashes are not allowed in paths`);
  if (path.startsWith('/')) throw new BlockLayoutError(`tar member ${shown}: absolute paths are not allowed`);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new BlockLayoutError(`tar member ${shown}: ".." would leave the block directory`);
  let root = '';
  if (parts.length > 0 && isULID(parts[0]!)) root = parts.shift()!;
  const rel = parts.join('/');
  const ok = kind === 'directory' ? rel === '' || rel === 'chunks' : FILES.has(rel) || CHUNK_SEGMENT.test(rel);
  if (!ok) throw new BlockLayoutError(`tar member ${shown} is not part of a Prometheus block (expected [<ULID>/]meta.json, index, tombstones, chunks/NNNNNN)`);
  return { root, rel };
}
