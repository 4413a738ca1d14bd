import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** PAGE_SIZE is the 32 KiB page a segment is written in; fragments never cross a page. */
export const PAGE_SIZE = 32 * 1024;
/** RECORD_HEADER_SIZE is a fragment header: type byte, BE16 length, BE32 CRC32-Castagnoli. */
export const RECORD_HEADER_SIZE = 7;
/** DEFAULT_SEGMENT_SIZE is Prometheus's default segment size, 128 MiB. */
export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

/** FRAG_PAGE_TERM marks that the rest of the page is zero padding. */
export const FRAG_PAGE_TERM = 0;
/** FRAG_FULL is a record in a single fragment. */
export const FRAG_FULL = 1;
/** FRAG_FIRST is the first fragment of a record. */
export const FRAG_FIRST = 2;
/** FRAG_MIDDLE is a middle fragment of a record. */
export const FRAG_MIDDLE = 3;
/** FRAG_LAST is the final fragment of a record. */
export const FRAG_LAST = 4;
/** FRAG_TYPE_MASK selects the fragment type from the header byte (the upper bits are compression flags). */
export const FRAG_TYPE_MASK = 0x07;
/** FRAG_SNAPPY is Prometheus's snappy flag bit: set on every fragment of a record stored snappy-compressed (block format). */
export const FRAG_SNAPPY = 1 << 3;
/** FRAG_ZSTD is Prometheus 3's zstd flag bit (not read or written here: Node 20 has no zstd). */
export const FRAG_ZSTD = 1 << 4;

/** CHECKPOINT_PREFIX starts every checkpoint directory name. */
export const CHECKPOINT_PREFIX = 'checkpoint.';

/** segmentFileName is a segment's 8-digit zero-padded file name. */
export function segmentFileName(i: number): string {
  return String(i).padStart(8, '0');
}

/** segmentPath is the path of segment i in dir. */
export function segmentPath(dir: string, i: number): string {
  return join(dir, segmentFileName(i));
}

/** checkpointDirName is `checkpoint.NNNNNNNN` for the last segment a checkpoint includes. */
export function checkpointDirName(i: number): string {
  return CHECKPOINT_PREFIX + String(i).padStart(8, '0');
}

/** listSegments returns the numbers of the segment files in dir, ascending (empty when dir is missing). */
export function listSegments(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: number[] = [];
  for (const n of names) if (/^\d+$/.test(n)) out.push(Number(n));
  return out.sort((a, b) => a - b);
}

/** firstGap returns the first segment number that does not follow its predecessor, or -1 when sequential. */
export function firstGap(segs: readonly number[]): number {
  for (let i = 1; i < segs.length; i++) if (segs[i] !== segs[i - 1]! + 1) return segs[i]!;
  return -1;
}

/** WALCompression is how records are stored: as they are, or snappy-compressed as Prometheus's `--storage.tsdb.wal-compression` (its default). */
export type WALCompression = 'none' | 'snappy';
