import { firstGap, listSegments, segmentPath } from './format.js';
import { noopLogger, type Logger } from './logger.js';
import { scanSegment } from './segment-scan.js';

/** WALCorruption locates the first torn or corrupt record found by a replay. */
export interface WALCorruption {
  segment: number;
  /** offset is the end of the last good record in that segment: everything from here on was skipped. */
  offset: number;
  message: string;
}

/** ReadRecordsOptions selects the segments to replay. */
export interface ReadRecordsOptions {
  /** from is the first segment to read (default: the first present). */
  from?: number;
  /** to is the last segment to read, inclusive (default: the last present). */
  to?: number;
  logger?: Logger;
}

/**
 * readRecords replays every record of segments [from, to] (default all) in order; a torn or
 * corrupt record ends the replay of that segment with a logged warning and is reported in the
 * result, never thrown (the first one found is reported; later segments are still read).
 * Snappy-compressed records are decompressed (the result counts them). The Buffer passed to onRecord is
 * only valid during the call. Missing dir: no records.
 */
export async function readRecords(
  dir: string,
  opts: ReadRecordsOptions,
  onRecord: (rec: Buffer, segment: number) => void,
): Promise<{ corruption?: WALCorruption; records: number; compressed: number }> {
  const logger = opts.logger ?? noopLogger;
  const all = listSegments(dir);
  const segs = all.filter((s) => (opts.from === undefined || s >= opts.from) && (opts.to === undefined || s <= opts.to));
  let corruption: WALCorruption | undefined;
  let records = 0;
  let compressed = 0;
  const gap = firstGap(segs);
  if (gap >= 0) {
    corruption = { segment: gap, offset: 0, message: `segments are not sequential: segment ${gap} follows a missing one` };
    logger.warn({ dir, segment: gap }, 'WAL segments are not sequential');
  }
  const last = all.length > 0 ? all[all.length - 1]! : -1;
  for (const seg of segs) {
    const scan = await scanSegment(segmentPath(dir, seg), (rec) => onRecord(rec, seg));
    records += scan.records;
    compressed += scan.compressed;
    if (scan.error) {
      const isLast = seg === last;
      logger.warn(
        { dir, segment: seg, offset: scan.error.offset, size: scan.size, lastSegment: isLast, err: scan.error.message },
        isLast ? 'WAL segment has a torn or corrupt tail; replay of it stopped there' : 'WAL segment is corrupt; replay of it stopped there',
      );
      corruption ??= { segment: seg, offset: scan.error.offset, message: scan.error.message };
    }
  }
  return corruption ? { corruption, records, compressed } : { records, compressed };
}
