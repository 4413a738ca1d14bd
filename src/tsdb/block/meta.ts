import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../../storage/errors.js';
import { writeFileAtomic } from './fsutil.js';
import { isULID } from './ulid.js';

/** META_FILENAME is the block metadata file's name. */
export const META_FILENAME = 'meta.json';

/** BlockDesc names a block and its time range (a compaction parent). */
export interface BlockDesc {
  ulid: string;
  minTime: number;
  maxTime: number;
}

/** BlockMeta is a block's meta.json, as Prometheus writes it (maxTime exclusive). */
export interface BlockMeta {
  ulid: string;
  minTime: number;
  maxTime: number;
  stats: { numSamples: number; numSeries: number; numChunks: number; numTombstones?: number };
  compaction: { level: number; sources: string[]; parents?: BlockDesc[]; deletable?: boolean; failed?: boolean };
  version: 1;
}

/** parseMeta validates meta.json content; name appears in error messages. Throws StorageError('corruption'). */
export function parseMeta(text: string, name: string): BlockMeta {
  const bad = (what: string): StorageError => new StorageError('corruption', `${name}: ${what}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StorageError('corruption', `${name}: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof raw !== 'object' || raw === null) throw bad('not an object');
  const m = raw as Record<string, unknown>;
  if (m.version !== 1) throw bad(`unexpected meta file version ${String(m.version)}`);
  if (typeof m.ulid !== 'string' || !isULID(m.ulid)) throw bad(`invalid ulid ${JSON.stringify(m.ulid)}`);
  const int = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(`${what} is not an integer`);
    return v;
  };
  const minTime = int(m.minTime, 'minTime');
  const maxTime = int(m.maxTime, 'maxTime');
  if (maxTime < minTime) throw bad(`maxTime ${maxTime} before minTime ${minTime}`);
  const s = (m.stats ?? {}) as Record<string, unknown>;
  const stats: BlockMeta['stats'] = {
    numSamples: int(s.numSamples ?? 0, 'stats.numSamples'),
    numSeries: int(s.numSeries ?? 0, 'stats.numSeries'),
    numChunks: int(s.numChunks ?? 0, 'stats.numChunks'),
  };
  if (s.numTombstones !== undefined) stats.numTombstones = int(s.numTombstones, 'stats.numTombstones');
  const c = (m.compaction ?? {}) as Record<string, unknown>;
  const sources = c.sources ?? [];
  if (!Array.isArray(sources) || !sources.every((x) => typeof x === 'string')) throw bad('compaction.sources is not a list of ULIDs');
  const compaction: BlockMeta['compaction'] = { level: int(c.level ?? 1, 'compaction.level'), sources: sources as string[] };
  if (c.parents !== undefined) {
    if (!Array.isArray(c.parents)) throw bad('compaction.parents is not a list');
    compaction.parents = c.parents.map((p: Record<string, unknown>) => ({
      ulid: String(p.ulid),
      minTime: int(p.minTime, 'parent minTime'),
      maxTime: int(p.maxTime, 'parent maxTime'),
    }));
  }
  if (c.deletable === true) compaction.deletable = true;
  if (c.failed === true) compaction.failed = true;
  return { ulid: m.ulid, minTime, maxTime, stats, compaction, version: 1 };
}

/** readMeta reads and validates <dir>/meta.json. */
export function readMeta(dir: string): BlockMeta {
  const path = join(dir, META_FILENAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StorageError('corruption', `${dir}: cannot read ${META_FILENAME}: ${(err as Error).message}`, { cause: err });
  }
  return parseMeta(text, path);
}

/** formatMeta renders meta.json as Prometheus does (tab-indented, optional fields omitted when empty). */
export function formatMeta(meta: BlockMeta): string {
  const stats: Record<string, number> = {
    numSamples: meta.stats.numSamples,
    numSeries: meta.stats.numSeries,
    numChunks: meta.stats.numChunks,
  };
  if (meta.stats.numTombstones) stats.numTombstones = meta.stats.numTombstones;
  const compaction: Record<string, unknown> = { level: meta.compaction.level };
  if (meta.compaction.sources.length > 0) compaction.sources = meta.compaction.sources;
  if (meta.compaction.deletable) compaction.deletable = true;
  if (meta.compaction.parents && meta.compaction.parents.length > 0) compaction.parents = meta.compaction.parents;
  if (meta.compaction.failed) compaction.failed = true;
  const out = { ulid: meta.ulid, minTime: meta.minTime, maxTime: meta.maxTime, stats, compaction, version: meta.version };
  return JSON.stringify(out, null, '\t');
}

/** writeMeta atomically writes <dir>/meta.json (tmp file, fsync, rename). */
export function writeMeta(dir: string, meta: BlockMeta): void {
  writeFileAtomic(join(dir, META_FILENAME), Buffer.from(formatMeta(meta)));
}
